"""The chat page in a real browser: a streamed, cited answer; a citation's passage; a résumé and matching jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
RESUME = Path(__file__).resolve().parents[1] / "data" / "web" / "resume.txt"

# Records whether the answer's text grew while the message was still marked as streaming.
WATCH_STREAMING = """() => {
  window.sawStreamedText = false;
  new MutationObserver(() => {
    for (const node of document.querySelectorAll('.msg.assistant.streaming .text')) {
      if (node.textContent.trim()) window.sawStreamedText = true;
    }
  }).observe(document.getElementById('messages'), {subtree: true, childList: true, characterData: true});
}"""


def test_ask_a_question_and_open_a_citation(live_server: str, browser_page: Any,
                                            screenshot: Callable[..., Any]) -> None:
    page = browser_page
    page.goto(f"{live_server}/")
    page.evaluate(WATCH_STREAMING)
    page.fill("#chat-input", "在本市首次购房的博士有什么补贴？")
    page.keyboard.press("Enter")
    answer = page.locator(".msg.assistant").last
    answer.locator(".cite").first.wait_for()
    assert page.evaluate("window.sawStreamedText")
    assert "20万元" in answer.inner_text()
    assert answer.get_attribute("class") == "msg assistant"  # the final text replaced the stream

    answer.locator(".cite").first.click()
    dialog = page.locator("#citation-dialog")
    dialog.get_by_text("测试市人力资源和社会保障局").wait_for()
    text = dialog.inner_text()
    assert "测试市青年人才安居补贴办法" in text and "人才政策" in text and "有效" in text
    assert "首次购房的博士研究生" in dialog.locator("blockquote.passage").inner_text()
    assert "2025-01-10" in text  # published date
    screenshot(page, "chat-citation", full_page=False)
    page.click("#citation-close")
    assert not dialog.is_visible()


def test_the_conversation_survives_a_reload(live_server: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server}/")
    page.fill("#chat-input", "两江新区企业博士资助多少钱")
    page.click("#send")
    page.locator(".msg.assistant:not(.streaming) .cite").first.wait_for()
    page.reload()
    page.locator(".msg.assistant .cite").first.wait_for()
    assert page.locator(".msg.user").inner_text() == "两江新区企业博士资助多少钱"
    page.click("#new-chat")
    assert page.locator(".msg").count() == 0 and page.locator("#welcome").is_visible()


def test_upload_a_resume_in_the_chat_and_see_matching_jobs(live_server: str, browser_page: Any,
                                                          screenshot: Callable[..., Any]) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.goto(f"{live_server}/")
    page.fill("#chat-input", "在本市首次购房的博士有什么补贴？")
    page.click("#send")
    page.locator(".msg.assistant:not(.streaming) .cite").first.wait_for()
    page.set_input_files("#resume-file", str(RESUME))
    note = page.locator(".msg.system")
    note.wait_for()
    assert "resume.txt" in note.inner_text() and "本科" in note.inner_text()
    note.get_by_role("button", name="帮我看看简历怎么改").click()
    review = page.locator(".card.review")
    review.wait_for()
    assert "/25" in review.locator(".bars").inner_text()  # each component against its maximum
    line = review.locator(".suggestion .line").first.inner_text()
    assert line.startswith("第 ") and "行" in line  # a suggestion tied to its résumé line
    note.get_by_role("button", name="推荐适合我的岗位").click()
    cards = page.locator(".card.job")
    cards.first.wait_for()
    assert cards.count() >= 3
    first = cards.first.inner_text()
    assert "匹配度" in first and "✓" in first
    assert cards.first.locator(".bar").count() >= 1
    assert cards.first.locator("a").get_attribute("href").startswith("/jobs/")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "chat", full_page=False)


def test_a_phone_sized_screen_keeps_the_navigation_usable(live_server: str, browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/")
    assert page.locator("nav[aria-label='主导航'] a", has_text="岗位").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing forces sideways scrolling


def test_skill_and_shortage_questions_show_tables(live_server: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server}/")
    page.fill("#chat-input", "数据分析师需要哪些技能？")
    page.click("#send")
    skills = page.locator(".card.skills")
    skills.wait_for()
    assert skills.locator("tbody tr").count() >= 3
    assert {"专业技能", "工具"} & set(skills.locator("tbody td:nth-child(2)").all_inner_texts())
    page.fill("#chat-input", "重庆哪些岗位最紧缺？")
    page.click("#send")
    shortage = page.locator(".card.shortage")
    shortage.wait_for()
    assert "紧缺指数" in shortage.locator("thead").inner_text() and shortage.locator("tbody tr").count() >= 3


def test_a_picture_named_pdf_is_refused_in_chinese(live_server: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server}/")
    page.set_input_files("#resume-file", files=[{"name": "简历.pdf", "mimeType": "application/pdf",
                                                 "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)}])
    note = page.locator(".msg.system.error")
    note.wait_for()
    assert "PNG 图片" in note.inner_text() and "PDF、DOCX" in note.inner_text()
