"""A logged-in talent's saved profile is who is asking, over the real web app: /api/ask and the chat quote the
figure for their degree; what the question says wins over the profile; anonymous callers get every figure."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.market_support import ANALYST, market_app, market_settings, signed_in, visitor

QUESTION = "租房补贴每月多少钱？"
FIGURES = {"博士": "每月补贴2000元", "硕士": "每月补贴1200元", "本科": "每月补贴800元"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return market_app(market_settings(Path(tmp_path_factory.mktemp("profile-context")), with_library=False))


def _talent_with_profile(app: FastAPI, username: str) -> tuple[TestClient, str]:
    client, token = signed_in(app, username, "talent", "陈思远")
    saved = client.post("/api/talent/profile", data={"opt_in": "false"}, headers={"X-CSRF-Token": token},
                        files={"file": ("analyst.txt", ANALYST.read_bytes())})  # 本科, 统计学, 渝北区
    assert saved.status_code == 200, saved.text
    return client, token


def _ask(client: TestClient, token: str, question: str) -> str:
    response = client.post("/api/ask", json={"question": question}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["grounded"], body
    return str(body["answer"])


def test_a_talent_without_stated_facts_is_answered_for_the_degree_of_their_profile(app: FastAPI) -> None:
    client, token = _talent_with_profile(app, "talent-profile-ask")
    answer = _ask(client, token, QUESTION)
    assert answer.startswith("按您档案中的本科学历")
    assert FIGURES["本科"] in answer and FIGURES["硕士"] not in answer and FIGURES["博士"] not in answer


def test_what_the_question_states_wins_over_the_profile(app: FastAPI) -> None:
    client, token = _talent_with_profile(app, "talent-profile-stated")
    answer = _ask(client, token, f"我是硕士研究生，{QUESTION}")
    assert answer.startswith("按您的硕士学历") and FIGURES["硕士"] in answer and FIGURES["本科"] not in answer
    # A degree the question is about (not the person's) is answered without claiming it is theirs.
    about = _ask(client, token, f"博士研究生的{QUESTION}")
    assert FIGURES["博士"] in about and FIGURES["本科"] not in about and "本科学历" not in about


def test_an_anonymous_caller_gets_every_degree(app: FastAPI) -> None:
    client, token = visitor(app)
    answer = _ask(client, token, QUESTION)
    assert all(figure in answer for figure in FIGURES.values()) and not answer.startswith("按您")


def test_the_chat_of_a_logged_in_talent_uses_their_saved_profile(app: FastAPI) -> None:
    client, token = _talent_with_profile(app, "talent-profile-chat")
    response = client.post("/api/chat", json={"message": QUESTION}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    reply = response.json()["reply"]
    assert FIGURES["本科"] in reply and FIGURES["硕士"] not in reply and FIGURES["博士"] not in reply
