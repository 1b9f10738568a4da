"""The résumé, jobs and employer pages in headless Chromium.

Saves docs/screenshots/resume.png, jobs.png, employer.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.web.market_support import ANALYST, lines_of, resume_pdf

pytestmark = pytest.mark.browser


def test_resume_upload_shows_a_suggestion_beside_its_line(live_server: str, browser_page: Any, tmp_path: Path,
                                                          screenshot: Callable[..., Any]) -> None:
    page = browser_page
    pdf = tmp_path / "陈思远简历.pdf"
    pdf.write_bytes(resume_pdf(lines_of(ANALYST)))
    page.goto(f"{live_server}/resume")
    page.set_input_files("#file", str(pdf))
    page.fill("#target", "数据分析师")
    page.wait_for_function("document.getElementById('target-skills').textContent.includes('高频技能')")
    with page.expect_navigation():
        page.click("#resume-form button[type=submit]")
    line = page.locator(".resume-line.has-suggestion", has_text="做了很多数据相关的工作")
    assert line.locator(".suggestion").first.is_visible()
    assert "示例改写" in line.inner_text()
    assert line.get_attribute("data-line") == line.locator(".suggestion").first.get_attribute("data-line")
    assert int(page.locator("#resume-score").inner_text()) > 0
    page.set_viewport_size({"width": 1280, "height": 1400})
    screenshot(page, "resume")


def test_jobs_search_and_a_jobs_skills(live_server: str, browser_page: Any, screenshot: Callable[..., Any]) -> None:
    page = browser_page
    page.goto(f"{live_server}/jobs")
    page.fill("#q", "工程师")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    assert "个岗位" in page.locator("#job-total").inner_text()
    screenshot(page, "jobs")
    with page.expect_navigation():
        page.locator(".job-card h3 a").first.click()
    assert "高频技能" in page.locator("#skills-heading").inner_text()


def test_employer_posting_with_gender_requirement_is_flagged_and_rewritten(
        live_server: str, browser_page: Any, login: Callable[..., None], screenshot: Callable[..., Any]) -> None:
    page = browser_page
    login(page, live_server, "employer")
    page.goto(f"{live_server}/employer")
    page.fill("#title", "设备运维工程师")
    page.fill("#description", "负责设备巡检与维护，限男性，能适应夜班。")
    page.select_option("#district", "渝北区")
    page.fill("#skills", "PLC、设备维护；Spring Boot")
    page.click("button[value=publish]")
    check = page.locator("#posting-check")
    assert "限男性" in check.inner_text() and "就业促进法第二十七条" in check.inner_text()
    assert page.locator("#parsed-skills").inner_text() == "必备技能：PLC编程、设备维护、Spring Boot"  # canonical names
    assert page.locator("#rewrite").inner_text() == "负责设备巡检与维护，能适应夜班。"
    screenshot(page, "employer")
    page.click("button[value=use_rewrite]")
    assert page.input_value("#description") == "负责设备巡检与维护，能适应夜班。"
    with page.expect_navigation():
        page.click("button[value=publish]")
    assert "/employer/postings/" in page.url
    assert page.locator(".candidate").count() > 0
    page.locator(".candidate details summary").first.click()
    assert page.locator(".candidate .dimension-bars").first.is_visible()
    screenshot(page, "employer_candidates")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("path", ["/resume", "/jobs", "/jobs/J000001"])
def test_pages_fit_a_phone_screen(live_server: str, browser_page: Any, path: str) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
