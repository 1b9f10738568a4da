"""API tokens: created, listed and revoked from the CLI; `Authorization: Bearer` on a live server for each role; CSRF
only for cookie-authenticated requests, so a cookie-less JSON POST works on /api/ routes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from assistant.accounts import AccountStore
from assistant.config import Settings
from assistant.storage.database import EMBEDDED_FILE
from tests.live import api_client

QUESTION = "博士研究生租房补贴每月多少钱？"


@pytest.fixture(scope="module")
def accounts(live_settings: Settings) -> AccountStore:
    """The live server's account store (the same SQLite file, a second connection pool)."""
    return AccountStore(live_settings.data_dir / EMBEDDED_FILE)


@pytest.fixture(scope="module")
def bearer(accounts: AccountStore) -> dict[str, str]:
    """One token per role, as `assistant tokens create` makes them: role -> secret."""
    return {role: accounts.create_token(f"test-{role}", role)[1] for role in ("talent", "employer", "staff")}


def client(base: str, secret: str | None = None) -> httpx.Client:
    """A script's HTTP client: no cookie jar use, no CSRF token, optionally a bearer token."""
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return httpx.Client(base_url=base, headers=headers, timeout=30)


def test_each_role_token_reaches_its_own_api_and_nothing_more(live_server: str, bearer: dict[str, str]) -> None:
    with client(live_server, bearer["staff"]) as staff:
        assert staff.get("/api/me").json()["user"]["role"] == "staff"
        verdict = staff.post("/api/staff/feedback", json={"question": QUESTION, "verdict": "good"})
        assert verdict.status_code == 201 and verdict.json()["author"] == "token:test-staff"
        assert staff.get("/api/staff/feedback").json()[0]["question"] == QUESTION
    with client(live_server, bearer["employer"]) as employer:
        check = employer.post("/api/employer/check", json={"title": "数据分析师", "description": "限男性，35岁以下。"})
        assert check.status_code == 200, check.text
        published = employer.post("/api/employer/postings", json={"title": "数据分析师", "skills": ["SQL", "Python"],
                                                                  "description": "负责经营数据分析与报表。"})
        assert published.status_code == 200 and published.json()["posting"]["company"] == "test-employer"
        assert [p["job"]["title"] for p in employer.get("/api/employer/postings").json()] == ["数据分析师"]
        assert employer.get("/api/staff/feedback").status_code == 403
    with client(live_server, bearer["talent"]) as talent:
        assert talent.get("/api/talent/profile").status_code == 200
        assert talent.get("/api/employer/postings").json()["error"] == "forbidden"
        assert talent.post("/api/staff/ingest").status_code == 403
    with client(live_server) as anonymous:
        assert anonymous.get("/api/staff/feedback").status_code == 401


def test_a_revoked_or_unknown_token_gets_401(live_server: str, accounts: AccountStore) -> None:
    _, secret = accounts.create_token("soon-revoked", "staff")
    with client(live_server, secret) as caller:
        assert caller.get("/api/staff/feedback").status_code == 200
        accounts.revoke_token("soon-revoked")
        refused = caller.get("/api/staff/feedback")
        assert refused.status_code == 401 and refused.json()["error"] == "invalid_token"
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert caller.post("/api/ask", json={"question": QUESTION}).status_code == 401  # even on public routes
    for bad in ("Bearer ta_not-a-real-token", "Bearer garbage", "Basic ZGVtbzpkZW1v"):
        with client(live_server) as caller:
            response = caller.get("/api/me", headers={"Authorization": bad})
            assert response.status_code == 401 and "令牌无效" in response.json()["detail"]


def test_a_plain_json_post_to_the_chat_works_without_cookie_or_csrf(live_server: str,
                                                                   bearer: dict[str, str]) -> None:
    response = httpx.post(f"{live_server}/api/chat", json={"message": QUESTION}, timeout=30)
    assert response.status_code == 200, response.text
    assert "2000元" in response.json()["reply"]
    with client(live_server, bearer["talent"]) as talent:
        first = talent.post("/api/chat", json={"message": QUESTION}).json()
        follow = talent.post("/api/chat", json={"session_id": first["session_id"], "message": "那硕士呢？"})
        assert follow.status_code == 200 and "1200元" in follow.json()["reply"]  # the token owns the session
        assert len(talent.get(f"/api/chat/{first['session_id']}").json()) == 4
    with client(live_server, bearer["staff"]) as other:
        assert other.get(f"/api/chat/{first['session_id']}").status_code == 404


def test_cookie_requests_still_need_the_csrf_token(live_server: str) -> None:
    with api_client(live_server) as browser:  # logs in with a cookie and sends X-CSRF-Token
        login = browser.post("/api/auth/login", json={"username": "demo-staff", "password": "demo-2026"})
        assert login.status_code == 200
        browser.headers["X-CSRF-Token"] = login.json()["csrf_token"]  # a login starts a new session
        assert browser.post("/api/staff/feedback", json={"question": QUESTION, "verdict": "bad"}).status_code == 201
        del browser.headers["X-CSRF-Token"]
        forged = browser.post("/api/staff/feedback", json={"question": QUESTION, "verdict": "bad"})
        assert forged.status_code == 403 and forged.json()["error"] == "csrf_failed"
        assert browser.post("/api/chat", json={"message": QUESTION}).json()["error"] == "csrf_failed"
    # A cookie-less *form* post to a login path could log a browser in from a foreign page: still refused.
    form = httpx.post(f"{live_server}/api/auth/login", data={"username": "demo-staff", "password": "demo-2026"})
    assert form.status_code == 403


def test_the_cli_shows_a_token_once_lists_its_last_use_and_revokes_it(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_EMBEDDING_PROVIDER": "none"}

    def tokens(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant.cli.main", "tokens", *args], capture_output=True,
                              text=True, env=env, timeout=120, check=False)

    created = tokens("create", "--role", "employer", "--name", "crm-系统")
    assert created.returncode == 0, created.stderr
    secret = next(line for line in created.stdout.splitlines() if line.startswith("ta_"))
    assert "不会再次显示" in created.stdout
    store = AccountStore(tmp_path / "data" / EMBEDDED_FILE)
    with store.db.begin() as db:  # only its SHA-256 is stored
        rows = [tuple(row) for row in db.execute(text("SELECT * FROM api_tokens"))]
    assert secret not in repr(rows) and hashlib.sha256(secret.encode()).hexdigest() in repr(rows)
    user = store.token_user(secret)
    assert user is not None and user.role == "employer" and user.username == "token:crm-系统"
    listed = tokens("list")
    assert "crm-系统" in listed.stdout and secret not in listed.stdout
    row = next(line for line in listed.stdout.splitlines() if "crm-系统" in line).split("\t")
    assert row[5] != "—" and row[6] == "—"  # last use recorded, not revoked
    duplicate = tokens("create", "--role", "staff", "--name", "crm-系统")
    assert duplicate.returncode == 2 and "已有名为" in duplicate.stderr
    bad_role = tokens("create", "--role", "admin", "--name", "x")
    assert bad_role.returncode == 2 and "未知的角色" in bad_role.stderr and "Traceback" not in bad_role.stderr
    revoked = tokens("revoke", "crm-系统")
    assert revoked.returncode == 0 and "已吊销" in revoked.stdout
    assert store.token_user(secret) is None
    assert tokens("revoke", "crm-系统").returncode == 2
