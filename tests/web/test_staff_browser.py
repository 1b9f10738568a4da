"""The staff page in a real browser: try a question and read its scores, run an evaluation and open its report."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def golden_beside_live_corpus(live_settings: Settings) -> None:
    """The live server's staff page reads its question set from the eval folder beside its corpus."""
    eval_dir = live_settings.corpus_dir.parent / "eval"
    eval_dir.mkdir(exist_ok=True)
    shutil.copy(REPO / "tests" / "data" / "golden-mini.yaml", eval_dir / "golden.yaml")
    shutil.copy(REPO / "corpus" / "eval" / "gate.yaml", eval_dir / "gate.yaml")


@pytest.mark.usefixtures("golden_beside_live_corpus")
def test_staff_tries_a_question_then_runs_an_evaluation_and_opens_the_report(
        live_server: str, browser_page: Any, login: Callable[..., None], screenshot: Callable[..., Any]) -> None:
    page = browser_page
    login(page, live_server, "staff")
    page.goto(f"{live_server}/staff")
    page.fill("#q", "博士研究生租房补贴每月多少钱？")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    table = page.locator("table.scores")
    assert "BM25" in table.locator("thead").inner_text()
    first = table.locator("tbody tr").first
    assert "测试市青年人才安居补贴办法" in first.inner_text() and "被引用为 [1]" in first.inner_text()
    assert page.locator("#threshold").inner_text() == "0.54"
    assert "2000元" in page.locator(".answer-text").inner_text()
    screenshot(page, "staff")

    page.click("nav.staff-tabs >> text=评测")
    page.check("input[name=question_set][value=sample]")
    page.fill("#sample_size", "4")
    page.click("#eval-start")
    # staff.js polls the run and reloads the page when it has finished.
    page.wait_for_selector("#latest-report", timeout=30_000)
    assert "sample-4" in page.locator("table").inner_text()
    screenshot(page, "staff-eval")
    page.click("#latest-report")
    page.wait_for_load_state()
    assert "hit@k" in page.content() and page.locator("svg").count() >= 3


def test_staff_browses_the_corpus_and_opens_a_document(live_server: str, browser_page: Any,
                                                       login: Callable[..., None],
                                                       screenshot: Callable[..., Any]) -> None:
    page = browser_page
    login(page, live_server, "staff")
    page.goto(f"{live_server}/staff/corpus")
    rows = page.locator("#documents tbody tr")
    assert rows.count() >= 5 and page.locator("#upload-form input[type=file]").is_visible()
    screenshot(page, "staff-corpus")
    with page.expect_navigation():
        page.click("text=测试市青年人才安居补贴办法")
    assert "测试市人力资源和社会保障局" in page.locator(".meta-list").inner_text()
    assert page.locator("article.card").count() >= 1
