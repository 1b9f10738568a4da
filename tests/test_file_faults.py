"""One bad file never stops an ingest or a request: malformed, bomb, renamed and empty files are refused by name
with a Chinese reason through every entry point (CLI ingest, résumé API, talent profile, staff corpus upload, chat
résumé upload), quickly, and a slow parse is killed at the time limit while other requests keep being served."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.app import App, build_app
from assistant.config import Settings, load_settings
from assistant.errors import DocumentLoadError
from assistant.policy.service import build_policy_service
from tests.live import api_client, serving
from web.app import create_app

REPO = Path(__file__).resolve().parents[1]
FIXTURE_CORPUS = REPO / "tests" / "data" / "corpus"
RESUME = REPO / "tests" / "data" / "resume" / "engineer.txt"
CORPUS_PDF = REPO / "corpus" / "documents" / "announcements" / "announcement-2025-ip-empowerment-pilot.pdf"
PASSWORD = "faults-pass-2026"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
GOOD_XML = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'
            "<w:p><w:r><w:t>第一条 博士研究生来渝工作的，按每月2000元发放租房补贴，软件工程师张三。</w:t></w:r></w:p>"
            "</w:body></w:document>").encode()


def docx(document_xml: bytes) -> bytes:
    """A minimal Word package around `document_xml` (python-docx opens it when the XML is sound)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def truncated_docx() -> bytes:
    return docx(GOOD_XML[: len(GOOD_XML) - 40])


def deep_docx() -> bytes:
    inner = b"<w:p><w:r><w:t>\xe5\x86\x85\xe5\xae\xb9</w:t></w:r></w:p>"
    return docx(f"<w:document {W}><w:body>".encode() + b"<w:tbl><w:tr><w:tc>" * 120 + inner
                + b"</w:tc></w:tr></w:tbl>" * 120 + b"</w:body></w:document>")


@pytest.fixture(scope="module")
def bomb_docx() -> bytes:
    """91 MB unpacked in well under 1 MB: the probe's zip bomb."""
    text = b"\xe6\x94\xbf" * (91 * 1024 * 1024 // 3)
    data = docx(f"<w:document {W}><w:body><w:p><w:r><w:t>".encode() + text
                + b"</w:t></w:r></w:p></w:body></w:document>")
    assert len(data) < 1024 * 1024
    return data


BAD_DOCX = {"truncated.docx": (truncated_docx, "XML 结构错误"), "deep.docx": (deep_docx, "嵌套超过")}


# --- the CLI ingest ---------------------------------------------------------------------------------------------

def _cli(data_dir: Path, corpus: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_CORPUS_DIR": str(corpus),
           "ASSISTANT_EMBEDDING_PROVIDER": "none", "ASSISTANT_TODAY": "2026-11-22"}
    return subprocess.run([sys.executable, "-m", "assistant.cli.main", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_cli_ingest_skips_every_bad_file_by_name_and_indexes_the_rest(tmp_path: Path, bomb_docx: bytes) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    policies = corpus / "policies"
    (policies / "truncated.docx").write_bytes(truncated_docx())
    (policies / "deep.docx").write_bytes(deep_docx())
    (policies / "bomb.docx").write_bytes(bomb_docx)
    (policies / "renamed-pdf.txt").write_bytes(CORPUS_PDF.read_bytes())
    (policies / "only-heading.md").write_text("---\nid: only-heading\ntitle: 只有标题\n---\n# 只有标题\n",
                                              encoding="utf-8")
    started = time.perf_counter()
    result = _cli(tmp_path / "data", corpus, "ingest", "--json")
    assert result.returncode == 0, result.stderr
    assert time.perf_counter() - started < 60
    report = json.loads(result.stdout)
    failed = {line.split(":", 1)[0]: line for line in report["failed"]}
    assert set(failed) == {f"policies/{n}" for n in
                           ("truncated.docx", "deep.docx", "bomb.docx", "renamed-pdf.txt", "only-heading.md")}
    assert "XML 结构错误" in failed["policies/truncated.docx"]
    assert "嵌套超过 256 层" in failed["policies/deep.docx"]
    assert "压缩炸弹" in failed["policies/bomb.docx"]
    assert "内容是PDF 文件" in failed["policies/renamed-pdf.txt"]
    assert "0 个段落" in failed["policies/only-heading.md"]
    assert set(report["added"]) >= {"policies/housing.md", "notices/job-fair-2025.md"}
    answer = json.loads(_cli(tmp_path / "data", corpus, "ask", "博士研究生租房补贴每月多少钱", "--json").stdout)
    assert answer["grounded"] and "2000元" in answer["answer"]
    plain = _cli(tmp_path / "data", corpus, "ingest")  # the human-readable report names them too
    assert plain.returncode == 0 and "truncated.docx" in plain.stdout + plain.stderr


def test_the_next_ingest_removes_a_killed_ingests_staging_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    assert _cli(tmp_path / "data", corpus, "ingest", "--no-vectors").returncode == 0
    index = tmp_path / "data" / "index"
    leftover = index / ".staging-000002-999999"  # what a SIGKILLed writer leaves mid-commit
    leftover.mkdir()
    (leftover / "chunks.jsonl").write_text("{}\n", encoding="utf-8")
    (index / ".CURRENT.tmp-999999").write_text("2", encoding="utf-8")
    result = _cli(tmp_path / "data", corpus, "ingest", "--no-vectors", "--json")  # nothing changed: no commit
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["unchanged"] == 5
    assert not leftover.exists() and not (index / ".CURRENT.tmp-999999").exists()


# --- the web: résumé API, talent profile, staff corpus upload, chat résumé upload ---------------------------------

@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> App:
    root = tmp_path_factory.mktemp("faults")
    corpus = root / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    settings = load_settings(data_dir=root / "data", corpus_dir=corpus, embedding_provider="none",
                             today="2026-11-22", web_rate_limit_per_minute=0, web_login_attempts_per_minute=1000,
                             resume_max_bytes=2 * 1024 * 1024, parse_timeout_s=10)
    assistant = build_policy_service(settings)
    assistant.ingest()
    built = build_app(settings, policy=assistant)
    for role in ("staff", "talent"):
        built.accounts.create(f"{role}1", PASSWORD, role, f"测试{role}")
    return built


@pytest.fixture(scope="module")
def app(services: App) -> FastAPI:
    return create_app(services)


def _client(app: FastAPI, role: str | None) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    token = client.get("/api/me").json()["csrf_token"]
    if role is not None:
        response = client.post("/api/auth/login", json={"username": f"{role}1", "password": PASSWORD},
                               headers={"X-CSRF-Token": token})
        token = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return client


def _bad_files(bomb: bytes) -> list[tuple[str, bytes, str]]:
    return [("truncated.docx", truncated_docx(), "XML 结构错误"), ("deep.docx", deep_docx(), "嵌套超过 256 层"),
            ("bomb.docx", bomb, "压缩炸弹")]


def test_resume_review_and_talent_profile_answer_422_with_the_reason(app: FastAPI, bomb_docx: bytes) -> None:
    visitor, talent = _client(app, None), _client(app, "talent")
    for name, data, reason in _bad_files(bomb_docx):
        started = time.perf_counter()
        review = visitor.post("/api/resume/review", files={"file": (name, data)})
        assert time.perf_counter() - started < 2, name
        assert review.status_code == 422, (name, review.text)
        assert review.json()["error"] == "document_unreadable"
        assert name in review.json()["detail"] and reason in review.json()["detail"]
        profile = talent.post("/api/talent/profile", data={"opt_in": "false"}, files={"file": (name, data)})
        assert profile.status_code == 422 and reason in profile.json()["detail"], (name, profile.text)
    assert visitor.post("/api/resume/review", files={"file": ("cv.txt", RESUME.read_bytes())}).status_code == 200


def test_staff_corpus_upload_refuses_bad_files_fast_and_the_next_upload_works(app: FastAPI,
                                                                              bomb_docx: bytes) -> None:
    staff = _client(app, "staff")
    for name, data, reason in _bad_files(bomb_docx):
        started = time.perf_counter()
        response = staff.post("/api/staff/documents", data={"title": "测试文件"},
                              files={"file": (name, data, "application/octet-stream")})
        assert time.perf_counter() - started < 2, name
        assert response.status_code == 422, (name, response.text)
        assert response.json()["error"] == "upload_rejected" and reason in response.json()["detail"]
    heading_only = staff.post("/api/staff/documents", data={"title": "只有标题的文件"},
                              files={"file": ("heading.md", "# 只有标题\n".encode(), "text/markdown")})
    assert heading_only.status_code == 422 and "0 个段落" in heading_only.json()["detail"]
    good = staff.post("/api/staff/documents", data={"title": "人才公寓测试办法", "doc_id": "faults-good"},
                      files={"file": ("good.docx", docx(GOOD_XML), "application/octet-stream")})
    assert good.status_code == 201, good.text  # not 409 index_busy: nothing was left holding the lock


@pytest.fixture(scope="module")
def live(app: FastAPI) -> Iterator[str]:
    with serving(app) as base:
        yield base


def test_chat_resume_upload_says_why_in_chinese(live: str, bomb_docx: bytes) -> None:
    with api_client(live) as browser:
        for name, data, reason in _bad_files(bomb_docx):
            response = browser.post("/api/chat/resume", files={"file": (name, data, "application/octet-stream")})
            assert response.status_code == 422, (name, response.text)
            assert reason in response.json()["detail"]
        ok = browser.post("/api/chat/resume", files={"file": ("cv.txt", RESUME.read_bytes(), "text/plain")})
        assert ok.status_code == 200, ok.text


def slow_parse(seconds: float) -> str:
    """Stands in for a pathological file (module-level: the worker imports it by name)."""
    time.sleep(seconds)
    return "done"


def test_a_slow_parse_is_killed_at_the_limit_while_health_answers(live: str, services: App) -> None:
    outcome: dict[str, object] = {}

    def parse() -> None:
        started = time.perf_counter()
        try:
            services.parsing.run(slow_parse, 60, name="slow.pdf", timeout=1.5)
        except DocumentLoadError as exc:
            outcome["error"] = str(exc)
        outcome["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=parse)
    thread.start()
    time.sleep(0.3)
    with httpx.Client(base_url=live, timeout=5) as client:
        started = time.perf_counter()
        assert client.get("/health").status_code == 200
        assert time.perf_counter() - started < 1
    thread.join(timeout=30)
    assert "解析超过 1.5 秒" in str(outcome.get("error")) and "slow.pdf" in str(outcome["error"])
    assert float(outcome["seconds"]) < 10  # type: ignore[arg-type]
    with api_client(live) as browser:  # the worker is usable again after the kill
        assert browser.post("/api/resume/review", files={"file": ("cv.txt", RESUME.read_bytes())}).status_code == 200


def test_settings_configure_the_limits(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, docx_max_ratio=20, xml_max_depth=64, parse_timeout_s=5)
    limits = build_app(settings.model_copy(update={"embedding_provider": "none"})).parsing.limits
    assert (limits.docx_max_ratio, limits.xml_max_depth, limits.timeout_s) == (20, 64, 5)
