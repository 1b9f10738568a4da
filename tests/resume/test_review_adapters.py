"""One review everywhere: /api/resume/review and the chat, both served by real uvicorn, and `assistant resume review`
give the same score and suggestions for the same file and target — and the PDF of a text reviews like its DOCX."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app as cli
from assistant.config import Settings
from tests.live import api_client, serving
from tests.web.market_support import market_app, market_settings

DATA = Path(__file__).parents[1] / "data" / "resume"
PDF = DATA / "wrapped.pdf"
TARGET = "Java开发工程师"


def _docx() -> bytes:
    from docx import Document

    document = Document()
    for line in (DATA / "wrapped_source.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _key(score: int, components: dict[str, int], suggestions: list[dict[str, Any]], texts: dict[int, str],
         skills: dict[str, Any]) -> dict[str, Any]:
    """What a user compares: score, components, each suggestion with the text of its line, skill coverage."""
    found = [(s["category"], s["severity"], s["message"], s["example"], [texts.get(n, "") for n in s["lines"]])
             for s in suggestions]
    return {"score": score, "components": components, "suggestions": sorted(found, key=repr),  # the page groups by line
            "skills": {k: skills[k] for k in ("present", "buried", "missing")}}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    settings = market_settings(tmp_path_factory.mktemp("adapters"))
    with serving(market_app(settings)) as base:
        yield base, settings


def _web(base: str, name: str, data: bytes, target: str) -> dict[str, Any]:
    with api_client(base) as client:
        report = client.post("/api/resume/review", data={"target": target}, files={"file": (name, data)}).json()
    texts = {line["number"]: line["text"] for line in report["lines"]}
    suggestions = [s for line in report["lines"] for s in line["suggestions"]] + report["general"]
    return _key(report["score"], {c["name"]: c["points"] for c in report["components"]}, suggestions, texts,
                report["skills"])


def _chat(base: str, name: str, data: bytes, target: str) -> dict[str, Any]:
    with api_client(base) as client:
        session = client.post("/api/chat/resume", files={"file": (name, data)}).json()["session_id"]
        reply = client.post("/api/chat", json={"session_id": session,
                                               "message": f"帮我看看简历，目标岗位是{target}"}).json()
    out = next(r["output"] for r in reply["results"] if r["tool"] == "review_resume")
    assert out["target_job"] == target
    texts = {n: s["line_text"] for s in out["suggestions"] for n in s["lines"][:1]}
    return _key(out["score"], out["components"], out["suggestions"], texts,
                {"present": out["present"], "buried": out["buried"], "missing": out["missing"]})


def _cli(settings: Settings, path: Path, target: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for name, value in {"DATA_DIR": settings.data_dir, "CORPUS_DIR": settings.corpus_dir, "EMBEDDING_PROVIDER": "none",
                        "TODAY": settings.current_date().isoformat(),
                        "RESUME_MAX_BYTES": settings.resume_max_bytes}.items():
        monkeypatch.setenv(f"ASSISTANT_{name}", str(value))
    parsed = CliRunner().invoke(cli, ["resume", "parse", str(path), "--json"])
    assert parsed.exit_code == 0, parsed.output
    texts = {line["number"]: line["text"] for line in json.loads(parsed.stdout)["lines"]}
    result = CliRunner().invoke(cli, ["resume", "review", str(path), "--json", "--target", target])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    return _key(payload["score"], payload["components"], payload["suggestions"], texts, payload["skills"])


def _first_lines(key: dict[str, Any]) -> dict[str, Any]:
    # The chat brief carries the text of a suggestion's first line only.
    return {**key, "suggestions": sorted(((*s[:4], s[4][:1]) for s in key["suggestions"]), key=repr)}


def test_web_chat_and_cli_agree_on_a_pdf_and_its_docx(
    live: tuple[str, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, settings = live
    docx = tmp_path / "简历.docx"
    docx.write_bytes(_docx())
    reviews = []
    for path in (PDF, docx):
        data = path.read_bytes()
        web, chat, command = (_web(base, path.name, data, TARGET), _chat(base, path.name, data, TARGET),
                              _cli(settings, path, TARGET, monkeypatch))
        assert web["suggestions"] and web["skills"]["present"]
        assert web == command
        assert _first_lines(web) == chat
        reviews.append(web)
    assert reviews[0] == reviews[1]  # the wrapped PDF reads as the author's lines, so it reviews like the DOCX
