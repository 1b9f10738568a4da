"""`assistant chat` driven through its standard input, as a terminal user would type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.config import Settings


@pytest.fixture
def chat_env(chat_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name, value in {"DATA_DIR": chat_settings.data_dir, "CORPUS_DIR": chat_settings.corpus_dir,
                        "EMBEDDING_PROVIDER": "none", "TODAY": "2026-11-22", "LLM_PROVIDER": "none"}.items():
        monkeypatch.setenv(f"ASSISTANT_{name}", str(value))
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping inside the phrases the test looks for
    return chat_settings


def test_a_terminal_conversation_with_upload_reset_and_json(chat_env: Settings, resume_file: Path) -> None:
    script = "\n".join([
        "博士研究生租房补贴每月多少钱？",
        "那硕士呢？",
        f"/upload {resume_file}",
        "帮我看看简历",
        "/json",
        "有什么适合我的岗位？",
        "/reset",
        "/json",
        "第二个岗位的薪资是多少？",
        "/upload /no/such/file.pdf",
        "/quit",
        "这一行不会被读到",
    ]) + "\n"
    result = CliRunner().invoke(app, ["chat"], input=script)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "离线模式" in out and "2000元" in out and "1200元" in out
    assert "已收到简历《resume_battery.txt》" in out and "/100" in out
    replies = [json.loads(line[line.index('{"session_id"'):]) for line in out.splitlines() if '{"session_id"' in line]
    assert len(replies) == 1 and replies[0]["tool_calls"][0]["tool"] == "match_jobs"
    assert replies[0]["results"][0]["output"]["profile"]["source"] == "resume"
    assert "还没有为你匹配过岗位" in out  # after /reset the new session has no job list
    assert "无法读取 /no/such/file.pdf" in out and "不会被读到" not in out


def test_an_unknown_session_is_refused(chat_env: Settings) -> None:
    result = CliRunner().invoke(app, ["chat", "--session", "nope"], input="你好\n")
    assert result.exit_code != 0 and isinstance(result.exception, Exception)
