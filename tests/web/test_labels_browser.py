"""The visible AI-generated label in a real browser: under each chat reply (also after a reload), the résumé report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.labels import AI_LABEL

pytestmark = pytest.mark.browser
RESUME = Path(__file__).resolve().parents[1] / "data" / "resume" / "engineer.txt"


def test_chat_replies_and_the_resume_report_carry_the_label(live_server: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server}/")
    page.fill("#chat-input", "在本市首次购房的博士有什么补贴？")
    page.keyboard.press("Enter")
    label = page.locator(".msg.assistant:not(.streaming) .ai-label").last
    label.wait_for()
    assert label.is_visible() and label.inner_text() == AI_LABEL
    page.reload()
    page.locator(".msg.assistant .ai-label").first.wait_for()  # replayed history is labelled too

    page.goto(f"{live_server}/resume")
    page.set_input_files("#file", str(RESUME))
    with page.expect_navigation():
        page.click("#resume-form button[type=submit]")
    report_label = page.locator("#report-ai-label")
    assert report_label.is_visible() and report_label.inner_text() == AI_LABEL
