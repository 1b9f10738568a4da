"""Helpers of the résumé, jobs and employer page tests: an app over a small job library, logins, résumé files."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.app import build_app
from assistant.config import Settings, load_settings
from assistant.errors import InvalidInputError
from assistant.jobs.library import build_library, library_dir
from assistant.policy.service import build_policy_service
from tests.conftest import FIXTURE_CORPUS, TODAY
from web.app import create_app

DATA = Path(__file__).resolve().parents[1] / "data"
ANALYST = DATA / "web" / "analyst.txt"
ENGINEER = DATA / "resume" / "engineer.txt"
MAX_BYTES = 64 * 1024
PASSWORD = "pass-word-2026"


def market_settings(root: Path, *, with_library: bool = True) -> Settings:
    """Fixture corpus, BM25 only, no rate limit, a 64 KB résumé limit and (by default) a 300+300 job library."""
    corpus = root / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    settings = load_settings(data_dir=root / "data", corpus_dir=corpus, embedding_provider="none", today=TODAY,
                             web_rate_limit_per_minute=0, web_login_attempts_per_minute=1000,
                             resume_max_bytes=MAX_BYTES)
    if with_library:
        build_library(library_dir(settings.data_dir), postings=300, talents=300, seed=2024)
    return settings


def market_app(settings: Settings) -> FastAPI:
    """The whole web app over an indexed assistant."""
    assistant = build_policy_service(settings)
    assistant.ingest()
    return create_app(build_app(assistant.settings, policy=assistant))


def csrf(client: TestClient) -> str:
    """The session's CSRF token (creates the session)."""
    return str(client.get("/api/me").json()["csrf_token"])


def visitor(app: FastAPI) -> tuple[TestClient, str]:
    """An anonymous client with its CSRF token."""
    client = TestClient(app, follow_redirects=False)
    return client, csrf(client)


def signed_in(app: FastAPI, username: str, role: str, display_name: str = "") -> tuple[TestClient, str]:
    """A client logged in as `username` (created on first use), with the new session's CSRF token."""
    accounts = app.state.services.accounts
    with contextlib.suppress(InvalidInputError):  # the account exists from an earlier test
        accounts.create(username, PASSWORD, role, display_name or username)
    client, token = visitor(app)
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD},
                           headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    return client, csrf(client)


def lines_of(path: Path) -> list[str]:
    """The non-empty lines of a checked-in text résumé."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def resume_pdf(lines: list[str]) -> bytes:
    """A Chinese PDF (reportlab's built-in STSong-Light CID font), one text line per résumé line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = A4[1] - 50
    for line in lines:
        pdf.setFont("STSong-Light", 11)
        pdf.drawString(50, y, line)
        y -= 18
    pdf.save()
    return buffer.getvalue()


def resume_docx(lines: list[str]) -> bytes:
    """A DOCX with one paragraph per résumé line."""
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def suggestion_lines(html: str) -> dict[int, str]:
    """Line number → the line's text, for every résumé line of a rendered report that carries a suggestion."""
    found = {}
    for match in re.finditer(r'<li class="resume-line has-suggestion" id="line-(\d+)"[^>]*>\s*<div class="line-text">'
                             r'<span[^>]*>\d+</span>([^<]*)</div>', html):
        found[int(match.group(1))] = match.group(2)
    return found
