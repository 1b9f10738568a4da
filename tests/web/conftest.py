"""Web test fixtures: a real uvicorn server on loopback and Debian's Chromium driven by Playwright.

Use in a browser test (mark it `@pytest.mark.browser`):

    def test_x(live_server, browser_page, login, screenshot):
        login(browser_page, live_server, "staff")       # demo-staff / demo-talent / demo-employer
        browser_page.goto(f"{live_server}/staff")
        screenshot(browser_page, "staff")               # docs/screenshots/staff.png
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.accounts import DEMO_PASSWORD
from assistant.app import build_app
from assistant.config import Settings, load_settings
from assistant.jobs.library import build_library, library_dir
from assistant.policy.service import build_policy_service
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 — re-exported for the browser tests
from tests.live import serving
from web.app import create_app

REPO = Path(__file__).resolve().parents[2]
FIXTURE_CORPUS = REPO / "tests" / "data" / "corpus"
SCREENSHOTS = REPO / "docs" / "screenshots"
LIVE_TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def live_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the live server: fixture corpus, BM25 only, demo accounts, a 300+300 job library."""
    root = tmp_path_factory.mktemp("live")
    corpus = root / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    settings = load_settings(data_dir=root / "data", corpus_dir=corpus, embedding_provider="none",
                             today=LIVE_TODAY, demo=True, web_rate_limit_per_minute=0)
    build_library(library_dir(settings.data_dir), postings=300, talents=300)
    return settings


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 serving the whole app; yields its base URL."""
    assistant = build_policy_service(live_settings)
    assistant.ingest()
    with serving(create_app(build_app(assistant.settings, policy=assistant))) as base_url:
        yield base_url


@pytest.fixture
def browser_page(_browser: Any) -> Iterator[Any]:
    """A fresh Playwright page (its own cookies) in headless Chromium, Chinese locale, desktop size."""
    context = _browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page: Any, base_url: str, role: str) -> None:
    """Log in through the login form as the demo account of `role` (talent, employer or staff)."""
    page.goto(f"{base_url}/login")
    page.fill("#username", f"demo-{role}")
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    if page.url.startswith(f"{base_url}/login"):
        raise AssertionError(f"login as demo-{role} failed")


def save_screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a screenshot (the whole page by default) to docs/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def login() -> Callable[[Any, str, str], None]:
    """`login(page, base_url, role)`: log in as demo-talent, demo-employer or demo-staff."""
    return log_in


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """`screenshot(page, name, full_page=True)`: save docs/screenshots/NAME.png."""
    return save_screenshot
