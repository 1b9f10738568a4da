"""Label fields in the JSON API: answers, chat replies, résumé reports and posting checks say they are AI-generated."""

from __future__ import annotations

import httpx

from assistant.labels import AI_LABEL

RESUME = "个人简历\n姓名：张三\n教育背景\n2018.09-2022.06 重庆大学 统计学 本科\n技能\nSQL、Python、Excel\n"


def test_generated_content_in_the_api_is_labelled(live_server: str) -> None:
    question = {"question": "在本市首次购房的博士有什么补贴？"}
    answer = httpx.post(f"{live_server}/api/ask", json=question, timeout=60).json()
    chat = httpx.post(f"{live_server}/api/chat", json={"message": question["question"]}, timeout=60).json()
    report = httpx.post(f"{live_server}/api/resume/review", data={"target": "数据分析师"}, timeout=60,
                        files={"file": ("cv.txt", RESUME.encode(), "text/plain")}).json()
    for body in (answer, chat, report):
        assert body["ai_generated"] is True and body["ai_label"] == AI_LABEL, body
