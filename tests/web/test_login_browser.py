"""Logging in and out in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_staff_login_shows_the_staff_link_and_logout(live_server: str, browser_page: Any,
                                                     login: Callable[..., None],
                                                     screenshot: Callable[..., Any]) -> None:
    page = browser_page
    page.goto(f"{live_server}/login")
    screenshot(page, "login")
    login(page, live_server, "staff")
    nav = page.locator("nav[aria-label='主导航']")
    assert nav.get_by_role("link", name="工作人员").is_visible()
    assert "演示工作人员" in page.locator(".account").inner_text()
    page.click("text=退出")
    page.wait_for_url(f"{live_server}/")
    assert page.locator("nav[aria-label='主导航']").get_by_role("link", name="工作人员").count() == 0


def test_wrong_password_is_refused_in_chinese(live_server: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server}/login")
    page.fill("#username", "demo-talent")
    page.fill("#password", "not-the-password")
    page.click("form.form button[type=submit]")
    assert "用户名或密码不正确" in page.locator("[role=alert]").inner_text()


def test_api_docs_render_without_a_cdn(live_server: str, browser_page: Any) -> None:
    page = browser_page
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
    page.goto(f"{live_server}/docs")
    page.get_by_text("人才 AI 管家 API").first.wait_for()
    assert page.locator(".opblock").count() >= 5 and outside == []
