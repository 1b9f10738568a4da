"""Accounts: sign-up, login, logout, roles, CSRF, session cookie and password storage."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

from assistant.accounts import (
    DEMO_PASSWORD,
    LOGIN_FAILURES,
    LOGIN_WINDOW_S,
    AccountStore,
    LoginThrottledError,
    check_password,
    hash_password,
)
from assistant.app import build_app
from assistant.config import Settings
from assistant.policy.service import build_policy_service
from web.app import create_app
from web.auth import User, require_role


@pytest.fixture
def client(make_settings: Callable[..., Settings]) -> TestClient:
    assistant = build_policy_service(make_settings(demo=True))
    assistant.ingest()
    app = create_app(build_app(assistant.settings, policy=assistant))

    @app.get("/api/staff-only")
    def staff_only(user: User = Depends(require_role("staff"))) -> dict[str, str]:
        return {"hello": user.username}

    @app.get("/staff-only-page")
    def staff_only_page(user: User = Depends(require_role("staff"))) -> dict[str, str]:
        return {"hello": user.username}

    return TestClient(app)


def token(client: TestClient) -> str:
    return client.get("/api/me").json()["csrf_token"]


def form_login(client: TestClient, username: str, password: str, next_url: str = "/") -> Any:  # a TestClient response
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token(client),
                                       "next": next_url}, follow_redirects=False)


def test_demo_accounts_log_in_with_a_httponly_samesite_cookie(client: TestClient) -> None:
    response = form_login(client, "demo-staff", DEMO_PASSWORD, "/staff")
    assert response.status_code == 303 and response.headers["location"] == "/staff"
    cookie = response.headers["set-cookie"].lower()
    assert "ta_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/api/me").json()["user"] == {"id": 3, "username": "demo-staff", "role": "staff",
                                                    "display_name": "演示工作人员"}


def test_wrong_password_is_refused_with_a_chinese_message(client: TestClient) -> None:
    response = form_login(client, "demo-talent", "wrong-password")
    assert response.status_code == 401 and "用户名或密码不正确" in response.text
    assert client.get("/api/me").json()["user"] is None


def test_open_redirects_are_refused(client: TestClient) -> None:
    response = form_login(client, "demo-talent", DEMO_PASSWORD, "//evil.example/")
    assert response.headers["location"] == "/"


def test_signup_creates_a_talent_and_logs_in(client: TestClient) -> None:
    response = client.post("/signup", data={"username": "zhang.san", "display_name": "张三", "password": "s3cret-pass",
                                            "password2": "s3cret-pass", "role": "talent", "csrf_token": token(client)},
                           follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/me").json()["user"]["role"] == "talent"
    assert "张三" in client.get("/").text


@pytest.mark.parametrize(("fields", "message"), [
    ({"role": "staff"}, "请选择"),
    ({"password2": "different-pass"}, "两次输入的密码不一致"),
    ({"password": "short", "password2": "short"}, "密码长度"),
    ({"username": "demo-talent"}, "已被注册"),
    ({"username": "a b"}, "用户名须为"),
])
def test_signup_rejects_bad_input_in_chinese(client: TestClient, fields: dict[str, str], message: str) -> None:
    data = {"username": "li-si", "password": "s3cret-pass", "password2": "s3cret-pass", "role": "employer",
            "csrf_token": token(client), **fields}
    response = client.post("/signup", data=data)
    assert response.status_code == 422 and message in response.text
    assert client.get("/api/me").json()["user"] is None


def test_json_auth_api_signup_login_logout(client: TestClient) -> None:
    headers = {"X-CSRF-Token": token(client)}
    body = client.post("/api/auth/signup", json={"username": "acme-hr", "password": "s3cret-pass", "role": "employer",
                                                 "display_name": "某某科技"}, headers=headers).json()
    assert body["user"]["role"] == "employer"
    headers = {"X-CSRF-Token": body["csrf_token"]}  # a new session gets a new token
    assert client.post("/api/auth/logout", headers=headers).json()["user"] is None
    bad = client.post("/api/auth/login", json={"username": "acme-hr", "password": "nope-nope"},
                      headers={"X-CSRF-Token": token(client)})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_credentials"
    good = client.post("/api/auth/login", json={"username": "ACME-hr", "password": "s3cret-pass"},
                       headers={"X-CSRF-Token": token(client)})
    assert good.json()["user"]["username"] == "acme-hr"


def test_staff_cannot_sign_up_through_the_api(client: TestClient) -> None:
    response = client.post("/api/auth/signup", json={"username": "sneaky", "password": "s3cret-pass", "role": "staff"},
                           headers={"X-CSRF-Token": token(client)})
    assert response.status_code == 422 and response.json()["error"] == "invalid_input"


@pytest.mark.parametrize("sent", [None, "forged-token"])
def test_posts_without_the_right_csrf_token_are_rejected(client: TestClient, sent: str | None) -> None:
    token(client)
    data = {"username": "demo-staff", "password": DEMO_PASSWORD, **({"csrf_token": sent} if sent else {})}
    response = client.post("/login", data=data)
    assert response.status_code == 403 and "请刷新页面" in response.text
    api = client.post("/api/auth/login", json={"username": "demo-staff", "password": DEMO_PASSWORD},
                      headers={"X-CSRF-Token": sent} if sent else {})
    assert api.status_code == 403 and api.json()["error"] == "csrf_failed"
    assert client.get("/api/me").json()["user"] is None


def test_logout_ends_the_session(client: TestClient) -> None:
    form_login(client, "demo-employer", DEMO_PASSWORD)
    response = client.post("/logout", data={"csrf_token": token(client)}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/me").json()["user"] is None


def test_a_copied_cookie_stops_working_after_logout(client: TestClient) -> None:
    form_login(client, "demo-talent", DEMO_PASSWORD)
    copied = client.cookies["ta_session"]
    client.post("/logout", data={"csrf_token": token(client)})
    client.cookies.clear()
    assert client.get("/api/me", headers={"Cookie": f"ta_session={copied}"}).json()["user"] is None


def test_a_password_change_ends_every_login(client: TestClient) -> None:
    form_login(client, "demo-employer", DEMO_PASSWORD)
    assert client.get("/api/me").json()["user"]["username"] == "demo-employer"
    client.app.state.services.accounts.set_password("demo-employer", "a-new-password")  # type: ignore[attr-defined]
    assert client.get("/api/me").json()["user"] is None


def test_roles_are_enforced(client: TestClient) -> None:
    assert client.get("/api/staff-only").json() == {"error": "login_required", "detail": "请先登录。"}
    page = client.get("/staff-only-page?x=1", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/staff-only-page?x=1"
    form_login(client, "demo-talent", DEMO_PASSWORD)
    denied = client.get("/api/staff-only")
    assert denied.status_code == 403 and denied.json()["error"] == "forbidden" and "工作人员" in denied.json()["detail"]
    form_login(client, "demo-staff", DEMO_PASSWORD)
    assert client.get("/api/staff-only").json() == {"hello": "demo-staff"}


def test_a_tampered_session_cookie_is_ignored(client: TestClient) -> None:
    form_login(client, "demo-staff", DEMO_PASSWORD)
    value = client.cookies["ta_session"]
    client.cookies.clear()
    assert client.get("/api/me", headers={"Cookie": f"ta_session={value}"}).json()["user"]["username"] == "demo-staff"
    tampered = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    assert client.get("/api/me", headers={"Cookie": f"ta_session={tampered}"}).json()["user"] is None


def test_navigation_follows_the_role(client: TestClient) -> None:
    anonymous = client.get("/").text
    assert "登录" in anonymous and 'href="/staff"' not in anonymous and 'href="/employer"' in anonymous
    form_login(client, "demo-talent", DEMO_PASSWORD)
    talent = client.get("/").text
    assert 'href="/resume"' in talent and 'href="/employer"' not in talent and 'href="/staff"' not in talent
    form_login(client, "demo-staff", DEMO_PASSWORD)
    assert 'href="/staff"' in client.get("/").text


def test_passwords_are_stored_as_salted_scrypt(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "web.sqlite")
    store.create("wang-wu", "same-password", "talent")
    store.create("zhao-liu", "same-password", "talent")
    hashes = [row[0] for row in sqlite3.connect(tmp_path / "web.sqlite").execute("SELECT password_hash FROM accounts")]
    assert all(h.startswith("scrypt$") and "same-password" not in h for h in hashes)
    assert hashes[0] != hashes[1]  # per-user salt
    assert store.authenticate("wang-wu", "same-password") is not None
    assert store.authenticate("wang-wu", "Same-password") is None and store.authenticate("nobody", "x") is None
    assert check_password("pw-12345", hash_password("pw-12345")) and not check_password("pw", "garbage")


def test_the_login_page_names_the_demo_accounts_only_in_demo_mode(client: TestClient,
                                                                  make_settings: Callable[..., Settings]) -> None:
    assert "demo-staff" in client.get("/login").text and DEMO_PASSWORD in client.get("/login").text
    plain = TestClient(create_app(build_app(make_settings(data_dir=make_settings().data_dir / "plain"))))
    assert "demo-staff" not in plain.get("/login").text


def test_demo_accounts_are_seeded_once(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "web.sqlite")
    assert [u.role for u in store.ensure_demo_accounts()] == ["talent", "employer", "staff"]
    assert store.ensure_demo_accounts() == []


def test_the_session_cookie_can_be_marked_secure(make_settings: Callable[..., Settings]) -> None:
    client = TestClient(create_app(build_app(make_settings(web_https_only=True))))
    assert "secure" in client.get("/api/me").headers["set-cookie"].lower()


def test_failed_logins_are_limited_per_username_whatever_the_address(client: TestClient,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def from_address(index: int) -> TestClient:
        return TestClient(client.app, client=(f"10.0.{index // 250}.{index % 250 + 1}", 50000))

    guesses = []
    for index in range(LOGIN_FAILURES):  # one guess from each address: the per-address limit never applies
        guesser = from_address(index)
        guesses.append(guesser.post("/api/auth/login", json={"username": "demo-talent", "password": f"guess-{index}"},
                                    headers={"X-CSRF-Token": token(guesser)}).status_code)
    assert guesses == [401] * LOGIN_FAILURES
    owner = from_address(LOGIN_FAILURES)
    refused = owner.post("/api/auth/login", json={"username": "demo-talent", "password": DEMO_PASSWORD},
                         headers={"X-CSRF-Token": token(owner)})
    assert refused.status_code == 429 and "登录失败次数过多" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) > 60
    page = form_login(from_address(LOGIN_FAILURES + 1), "DEMO-TALENT", DEMO_PASSWORD)  # usernames ignore case
    assert page.status_code == 429 and "登录失败次数过多" in page.text
    other = form_login(from_address(LOGIN_FAILURES + 2), "demo-employer", DEMO_PASSWORD)
    assert other.status_code == 303  # other users are unaffected

    later = time.time() + LOGIN_WINDOW_S + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the lock is a window, not forever
    assert form_login(from_address(LOGIN_FAILURES + 3), "demo-talent", "still-wrong").status_code == 401
    assert form_login(from_address(LOGIN_FAILURES + 4), "demo-talent", DEMO_PASSWORD).status_code == 303


def test_the_username_lock_needs_the_password_and_ends_with_its_window(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "web.sqlite")
    store.create("wang-wu", "right-password", "talent")
    for second in range(LOGIN_FAILURES):
        assert store.authenticate("wang-wu", "wrong-password", now=1000.0 + second) is None
    with pytest.raises(LoginThrottledError) as locked:
        store.authenticate("wang-wu", "right-password", now=1010.0)
    assert locked.value.http_status == 429 and "分钟后再试" in str(locked.value)
    for second in range(50):  # attempts while locked are refused and not counted: they cannot extend the lock
        with pytest.raises(LoginThrottledError):
            store.authenticate("Wang-Wu", "right-password", now=1011.0 + second)
    assert store.login_wait("wang-wu", now=1000.0 + LOGIN_WINDOW_S + 1) == 0.0
    assert store.authenticate("wang-wu", "right-password", now=1000.0 + LOGIN_WINDOW_S + 1) is not None
    assert store.authenticate("wang-wu", "wrong-password", now=1000.0 + LOGIN_WINDOW_S + 2) is None  # count reset
    assert store.login_wait("wang-wu", now=1000.0 + LOGIN_WINDOW_S + 3) == 0.0
    for second in range(LOGIN_FAILURES):  # unknown names are counted too: a lock tells nothing about existence
        store.authenticate("nobody-here", "x", now=5000.0 + second)
    with pytest.raises(LoginThrottledError):
        store.authenticate("nobody-here", "x", now=5100.0)


@pytest.mark.parametrize(("accept", "status"), [("application/json", 401), ("*/*", 401), ("", 401),
                                                 ("text/html,application/xhtml+xml,*/*;q=0.8", 303)])
def test_an_anonymous_download_gets_401_json_unless_a_browser_asks(client: TestClient, accept: str,
                                                                   status: int) -> None:
    response = client.get("/insights/catalogue?format=csv", headers={"Accept": accept}, follow_redirects=False)
    assert response.status_code == status
    if status == 401:
        assert response.json()["error"] == "login_required" and "登录" in response.json()["detail"]
    else:
        assert response.headers["location"].startswith("/login?next=/insights/catalogue")
