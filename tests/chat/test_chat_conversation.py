"""Multi-turn conversations with the offline engine, as a user would have them."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.chat.service import ChatService

OWNER = "user:1"


def test_policy_question_then_elliptical_follow_up(chat_service: ChatService) -> None:
    first = chat_service.turn(None, "博士研究生租房补贴每月多少钱？", OWNER)
    assert first.engine == "offline" and [c.tool for c in first.tool_calls] == ["search_policies"]
    assert "2000元" in first.reply and "[1]" in first.reply and first.citations[0].doc_id == "test-housing"
    follow = chat_service.turn(first.session_id, "那硕士呢？", OWNER)
    # The tool gets the message as asked; PolicyService rewrites it against the history, as for /api/ask.
    assert follow.tool_calls[0].input["question"] == "那硕士呢?"
    assert follow.results[0].output["question"] == "硕士租房补贴每月多少钱?"  # the changed word swapped in (NFKC)
    assert "1200元" in follow.reply
    more = chat_service.turn(first.session_id, "还有别的补贴吗？", OWNER)  # elliptical, nothing to swap
    assert more.results[0].output["question"] == "硕士租房补贴每月多少钱? 还有别的补贴吗?"
    standalone = chat_service.turn(first.session_id, "在本市首次购房的博士研究生有什么补贴？", OWNER)
    assert standalone.results[0].output["question"] == "在本市首次购房的博士研究生有什么补贴?"  # stands alone
    assert "20万元" in standalone.reply


def test_passages_are_numbered_as_the_offline_answer_cites_them(chat_service: ChatService) -> None:
    reply = chat_service.turn(None, "博士研究生租房补贴每月多少钱？", OWNER)
    passages = reply.results[0].output["passages"]
    assert [p["n"] for p in passages] == list(range(1, len(passages) + 1))
    for citation in reply.citations:
        assert passages[citation.n - 1]["doc_id"] == citation.doc_id
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", reply.reply)}
    assert cited and cited <= {c.n for c in reply.citations}


def test_combined_message_matches_jobs_and_answers_policy(chat_service: ChatService) -> None:
    reply = chat_service.turn(None, "我是机械专业硕士，想做新能源汽车电池研发，有什么岗位和政策？", OWNER)
    assert [c.tool for c in reply.tool_calls] == ["match_jobs", "search_policies"]
    jobs = reply.results[0].output["jobs"]
    assert len(jobs) == 5 and "【岗位推荐】" in reply.reply and "【政策解答】" in reply.reply
    assert reply.results[0].output["profile"]["function"] == "三电研发"  # resolved through the job catalogue
    assert jobs[0]["title"] in reply.reply and "匹配度" in reply.reply
    bars = jobs[0]["dimensions"]  # the web's job card draws these as per-dimension bars
    assert 3 <= len(bars) <= 6 and all(0 <= bar["score"] <= 1 and bar["label"] for bar in bars)


def test_second_job_salary_and_district_change(chat_service: ChatService) -> None:
    first = chat_service.turn(None, "我想找电池系统工程师的工作，本科，3年工作经验", OWNER)
    jobs = first.results[0].output["jobs"]
    detail = chat_service.turn(first.session_id, "第二个岗位的薪资是多少？", OWNER)
    assert detail.tool_calls == [] and jobs[1]["title"] in detail.reply and jobs[1]["salary"] in detail.reply
    beyond = chat_service.turn(first.session_id, "第九个岗位的薪资是多少？", OWNER)
    assert "没有第 9 个" in beyond.reply
    moved = chat_service.turn(first.session_id, "换成渝北区的", OWNER)
    call = moved.tool_calls[0]
    assert call.tool == "match_jobs" and call.input["district"] == "渝北区"
    assert call.input["target_role"] == "电池系统工程师"  # the rest of the last match is kept
    assert moved.results[0].output["jobs"][0]["district"] == "渝北区"
    again = chat_service.turn(first.session_id, "第一个岗位在哪个区？", OWNER)
    assert "渝北区" in again.reply  # "第一个" now means the re-run's first job


def test_resume_upload_then_review_and_matching(chat_service: ChatService, resume_file: Path) -> None:
    session_id, summary = chat_service.upload_resume(None, OWNER, resume_file.read_bytes(), "../../etc/王一凡.txt")
    assert "王一凡.txt" in summary and "硕士" in summary
    review = chat_service.turn(session_id, "帮我看看简历", OWNER)
    output = review.results[0].output
    assert review.tool_calls[0].tool == "review_resume" and output["filename"] == "王一凡.txt"
    assert f"{output['score']}/100" in review.reply
    first_with_line = next(s for s in output["suggestions"] if s["lines"])
    assert f"第 {first_with_line['lines'][0]} 行" in review.reply
    targeted = chat_service.turn(session_id, "简历怎么改才能投电池系统工程师", OWNER)
    assert targeted.results[0].output["target_job"] == "电池系统工程师"
    assert "对照“电池系统工程师”的高频技能" in targeted.reply
    jobs = chat_service.turn(session_id, "有什么适合我的岗位？", OWNER)
    profile = jobs.results[0].output["profile"]
    assert profile["source"] == "resume" and profile["degree"] == "硕士"


def test_review_without_a_resume_asks_for_one(chat_service: ChatService) -> None:
    reply = chat_service.turn(None, "帮我看看简历", OWNER)
    assert "请先上传简历" in reply.reply and reply.results[0].output["error"] == "InvalidInputError"


def test_skills_talents_and_shortage(chat_service: ChatService) -> None:
    skills = chat_service.turn(None, "数据分析师需要哪些技能？", OWNER)
    assert skills.results[0].output["postings"] > 0 and "高频技能" in skills.reply
    talents = chat_service.turn(None, "我们公司想招一个电池系统工程师，有合适的人吗？", OWNER)
    people = talents.results[0].output["talents"]
    assert people and people[0]["name"] in talents.reply and "电话" not in talents.reply
    shortage = chat_service.turn(None, "重庆哪些岗位最紧缺？", OWNER)
    assert shortage.tool_calls[0].tool == "talent_shortage"
    assert "紧缺指数" in shortage.reply and shortage.results[0].output["rows"]


def test_chitchat_help_and_out_of_scope_call_no_tool(chat_service: ChatService) -> None:
    for message, words in (
        ("你好", "人才 AI 管家"), ("你能做什么？", "我可以帮你"), ("今天天气怎么样？", "超出了我的服务范围")
    ):
        reply = chat_service.turn(None, message, OWNER)
        assert reply.tool_calls == [] and words in reply.reply


def test_stream_sends_tools_then_sentence_chunks_then_done(chat_service: ChatService) -> None:
    events = list(chat_service.stream(None, "我是机械专业硕士，想做新能源汽车电池研发，有什么岗位和政策？", OWNER))
    kinds = [e.type for e in events]
    assert kinds[0] == "tool" and kinds[-1] == "done" and kinds.count("done") == 1
    assert kinds.index("delta") < kinds.index("tool", 1)  # the job section streams before the policy search runs
    deltas = [e.text for e in events if e.type == "delta"]
    assert len(deltas) > 5 and "".join(deltas) == events[-1].reply.reply  # type: ignore[union-attr]
    assert events[-1].reply.session_id  # type: ignore[union-attr]


def test_shortage_question_about_skills_lists_skills_with_the_data_date(chat_service: ChatService) -> None:
    reply = chat_service.turn(None, "新能源汽车产业链缺什么技能？", OWNER)
    call = reply.tool_calls[0]
    assert call.tool == "talent_shortage" and call.input == {"chain": "新能源汽车", "focus": "skills"}
    output = reply.results[0].output
    assert output["rows"] and {row["kind"] for row in output["rows"]} == {"技能"}
    assert "最紧缺的技能" in reply.reply and "最紧缺的岗位" not in reply.reply
    assert output["data_date"] in reply.reply
