"""One résumé, one target: the chat tool, `assistant resume review` and the service behind /resume agree."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.app import build_app
from assistant.cli.main import app as cli
from assistant.config import Settings
from assistant.tools.base import ToolContext
from assistant.tools.models import SessionState
from assistant.tools.resume_review import ReviewResumeInput, review_resume_tool

LIBRARY = [
    {"title": "数据分析师", "text": "熟练使用 SQL 和 Python，会用 Tableau 制作报表。"},
    {"title": "高级数据分析师", "text": "精通 SQL，熟悉 Python、Pandas，有 Tableau 经验，熟悉 Hive。"},
    {"title": "数据分析师（电商）", "text": "掌握 SQL、Excel、Hive，了解 Python 与 Power BI。"},
    {"title": "Java 开发工程师", "text": "精通 Java、Spring Boot、MySQL。"},
]


def _same(
    score: int, components: dict[str, int], suggestions: list[dict[str, Any]], skills: dict[str, Any]
) -> dict[str, Any]:
    keep = ("lines", "category", "severity", "message", "example")
    return {"score": score, "components": components, "suggestions": [{k: s[k] for k in keep} for s in suggestions],
            "skills": {k: skills[k] for k in ("present", "buried", "missing", "note")}}


@pytest.mark.usefixtures("skill_lexicon")
@pytest.mark.parametrize("target", ["data analyst", "数据分析师", None])
def test_chat_cli_and_service_give_the_same_review(
    samples: dict[str, Path], tmp_path: Path, make_settings: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch, target: str | None,
) -> None:
    library = tmp_path / "library.jsonl"
    library.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in LIBRARY), encoding="utf-8")
    settings = make_settings(skills_library=library)
    services = build_app(settings)
    path = samples["career_changer.txt"]

    # The service behind /resume (and TalentMarket.review): bytes read once, reviewed against the target.
    document = services.resumes.read(path.read_bytes(), path.name)
    review, wanted = services.resumes.review(document, target)
    service = _same(review.score, review.components, [s.model_dump() for s in review.suggestions],
                    review.skills.model_dump())
    if target:
        assert {"SQL", "Python", "Tableau"} <= set(wanted.skills)

    # The chat tool, over the session's upload (its fields were read once at upload).
    state = SessionState(resume=document.parsed, resume_fields=document.fields, resume_filename=path.name)
    ctx = ToolContext(policy=services.policy, jobs=services.jobs, skills=services.skills, resumes=services.resumes,
                      insights=services.insights, settings=settings, state=state)
    out = review_resume_tool(ctx, ReviewResumeInput(target_job=target))
    chat = _same(out.score, out.components, [s.model_dump() for s in out.suggestions],
                 {"present": out.present, "buried": out.buried, "missing": out.missing, "note": out.note})

    # The CLI, with the same settings from the environment.
    for name, value in {"DATA_DIR": settings.data_dir, "CORPUS_DIR": settings.corpus_dir, "SKILLS_LIBRARY": library,
                        "EMBEDDING_PROVIDER": "none", "TODAY": settings.current_date().isoformat()}.items():
        monkeypatch.setenv(f"ASSISTANT_{name}", str(value))
    result = CliRunner().invoke(
        cli, ["resume", "review", str(path), "--json", *(["--target", target] if target else [])]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    command = _same(payload["score"], payload["components"], payload["suggestions"], payload["skills"])

    assert service == chat == command
