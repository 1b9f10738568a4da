"""/policies in headless Chromium: upload a résumé, open the checklist, answer one question, see the verdict change.

Saves docs/screenshots/policies.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.eligibility.conftest import DATA, DISTRICT_CALL
from tests.web.conftest import save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def page(elig_server: str, _browser: Any) -> Iterator[Any]:
    # The session's one Playwright (tests/browser.py): a second sync_playwright() fails while it runs.
    context = _browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_upload_a_resume_answer_one_question_and_the_verdict_changes(elig_server: str, page: Any) -> None:
    page.goto(f"{elig_server}/policies")
    page.set_input_files("#file", str(DATA / "resume_phd.txt"))
    page.fill("#statement", "我33岁，打算去璧山区工作")
    with page.expect_navigation():
        page.click("#facts-form button[type=submit]")
    assert "博士" in page.locator("#known-facts").inner_text() and "简历" in page.locator("#known-facts").inner_text()
    card = page.locator(f"#doc-{DISTRICT_CALL}")
    assert card.get_attribute("data-verdict") == "可能符合"
    question = card.locator(".question-form", has_text="合同")
    with page.expect_navigation():
        question.locator("button[value=yes]").click()
    card = page.locator(f"#doc-{DISTRICT_CALL}")
    assert card.get_attribute("data-verdict") == "符合"
    assert "您已确认是" in card.inner_text() and "不足14天" in card.inner_text()
    card.locator("details.citations summary").click()
    assert card.locator("blockquote.passage").first.is_visible()
    card.scroll_into_view_if_needed()
    save_screenshot(page, "policies", full_page=False)
