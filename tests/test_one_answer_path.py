"""One conversation through every entry point: the chat, `POST /api/ask`, `assistant ask`, the staff trace (function
and API) and the evaluation runner give the same rewritten question, answer and citations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.app import App, build_app
from assistant.config import Settings
from assistant.evaluation.golden import GoldenQuestion
from assistant.evaluation.runner import run_questions
from assistant.policy.service import AskContext
from assistant.staff.inspection import trace_question
from web.app import create_app

CONVERSATION = ["博士研究生租房补贴每月多少钱？", "那硕士呢？"]


@pytest.fixture
def app(make_settings: Callable[..., Settings]) -> App:
    services = build_app(make_settings(demo=True, web_rate_limit_per_minute=0))
    services.policy.ingest()
    return services


def _cli_ask(settings: Settings, question: str, history: list[str]) -> dict[str, object]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
           "ASSISTANT_EMBEDDING_PROVIDER": "none", "ASSISTANT_TODAY": str(settings.today)}
    args = [arg for earlier in history for arg in ("--history", earlier)]
    done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ask", question, *args, "--json"], env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return dict(json.loads(done.stdout))


def _staff_client(app: App) -> TestClient:
    app.accounts.create("staff-one-path", "long-enough-pass-9", "staff", "测试")
    client = TestClient(create_app(app))
    token = client.get("/api/me").json()["csrf_token"]
    login = client.post("/api/auth/login", json={"username": "staff-one-path", "password": "long-enough-pass-9"},
                        headers={"X-CSRF-Token": token})
    assert login.status_code == 200
    return client


def test_every_entry_point_gives_the_same_answer_and_trace(app: App, tmp_path: Path) -> None:
    session_id = None
    chat_outputs = []
    for message in CONVERSATION:
        reply = app.chat.turn(session_id, message, owner="user:1")
        session_id = reply.session_id
        (policy,) = [r.output for r in reply.results if r.tool == "search_policies"]
        chat_outputs.append(policy)
    assert "1200元" in chat_outputs[1]["answer"]  # the follow-up is about 硕士, not 博士 again

    client = _staff_client(app)
    cases = list(enumerate(CONVERSATION))
    eval_run, _ = run_questions(app.policy, [GoldenQuestion(id=f"q{i}", question=q, kind="follow_up",
                                                            history=CONVERSATION[:i]) for i, q in cases])
    for (i, question), chat, evaluated in zip(cases, chat_outputs, eval_run.results, strict=True):
        history = CONVERSATION[:i]
        api = client.post("/api/ask", json={"question": question, "history": history}).json()
        cli = _cli_ask(app.settings, question, history)
        staff = trace_question(app.policy, question, history=history)
        staff_api = client.post("/api/staff/trace", json={"question": question, "history": history}).json()
        expected = app.policy.trace(question, AskContext(history=history))
        assert chat["question"] == staff.search_text == staff_api["search_text"] == expected.search_text
        for answer in (api, cli, staff.answer.model_dump(), staff_api["answer"]):
            assert answer["answer"] == chat["answer"] == evaluated.answer
            assert [c["snippet"] for c in answer["citations"]] == [c["snippet"] for c in chat["citations"]]

