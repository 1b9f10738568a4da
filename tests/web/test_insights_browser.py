"""/insights in a real browser: changing a filter updates the chart and its table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_a_filter_updates_chart_and_table(live_server: str, browser_page: Any, login: Callable[..., None],
                                          screenshot: Callable[..., Any]) -> None:
    page = browser_page
    login(page, live_server, "staff")
    page.goto(f"{live_server}/insights")
    heat = page.locator("#heat-table")
    assert heat.locator("thead th").count() > 2  # every chain is a column
    functions = page.locator("#chart-functions")
    before_chart = functions.locator("svg").inner_html()
    before_total = page.locator("#total-postings").inner_text()
    screenshot(page, "insights")
    with page.expect_navigation():
        page.select_option("#chain", "电子信息")  # the page's script applies a filter as soon as it changes
    assert "chain=" in page.url
    assert page.locator("#chain").input_value() == "电子信息"
    assert int(page.locator("#total-postings").inner_text()) < int(before_total)
    assert functions.locator("svg").inner_html() != before_chart
    rows = functions.locator("details table tbody th").all_text_contents()
    assert rows and all(name.endswith("（电子信息）") for name in rows)
    assert [h.strip() for h in heat.locator("thead th").all_text_contents()] == ["区县", "电子信息"]
    page.get_by_text("以表格查看").first.click()
    assert page.locator("#chart-chains details table").is_visible()


def test_visitors_see_the_public_summary(live_server: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server}/insights")
    assert page.locator("#chart-chains svg").is_visible()
    assert page.locator("#heat-table").count() == 0
    assert "公开摘要" in page.locator("main").inner_text()
