"""One request never poisons another: invalid Unicode is a 400, a 500 leaves the keep-alive connection usable,
a failing stream ends with an `error` event, and the OpenAPI schema documents the error bodies really returned."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.accounts import DEMO_PASSWORD
from assistant.app import build_app
from assistant.chat.service import ChatService
from assistant.config import Settings
from assistant.policy.service import build_policy_service
from tests.live import serving, sse_events
from web.app import create_app

LONE_SURROGATE = b'"\\ud800"'  # valid JSON syntax, not a valid Unicode string


@pytest.fixture
def app(make_settings: Callable[..., Settings]) -> FastAPI:
    assistant = build_policy_service(make_settings(demo=True, web_rate_limit_per_minute=0))
    assistant.ingest()
    application = create_app(build_app(assistant.settings, policy=assistant))

    @application.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @application.get("/boom")
    def page_boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    return application


@pytest.fixture
def live(app: FastAPI) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.get("/api/me").json()["csrf_token"], "Content-Type": "application/json"}


def _log_in(client: TestClient, role: str) -> dict[str, str]:
    headers = _csrf(client)
    response = client.post("/api/auth/login", headers=headers,
                           json={"username": f"demo-{role}", "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return _csrf(client)


# --- invalid Unicode ------------------------------------------------------------------------------------------

BAD_BODIES = {
    "lone surrogate": b'{"question": ' + LONE_SURROGATE + b', "message": ' + LONE_SURROGATE + b"}",
    "lone low surrogate in a list": b'{"question": "ok", "message": "ok", "history": ["\\udc00x"]}',
    "invalid UTF-8": '{"question": "博士'.encode() + b"\xff\xfe" + b'", "message": "x"}',
    "UTF-8 encoded surrogate": b'{"question": "\xed\xa0\x80", "message": "\xed\xa0\x80"}',
}


@pytest.mark.parametrize("path", ["/api/ask", "/api/chat", "/api/chat/stream", "/api/staff/trace"])
@pytest.mark.parametrize("body", list(BAD_BODIES.values()), ids=list(BAD_BODIES))
def test_invalid_unicode_in_a_json_body_is_a_clear_400(client: TestClient, path: str, body: bytes) -> None:
    headers = _log_in(client, "staff")
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    payload = response.json()
    assert payload["error"] == "invalid_unicode" and "Unicode" in payload["detail"] and "编码" in payload["detail"]


def test_paired_surrogates_and_escaped_backslashes_are_fine(client: TestClient) -> None:
    headers = _csrf(client)
    emoji = client.post("/api/ask", content=b'{"question": "\\ud83d\\ude00 \\u535a\\u58eb\\u79df\\u623f"}',
                        headers=headers)
    assert emoji.status_code == 200, emoji.text
    literal = client.post("/api/ask", content=b'{"question": "\\\\ud800 \\u535a\\u58eb"}', headers=headers)
    assert literal.status_code == 200, literal.text


def test_invalid_utf8_in_a_query_string_or_form_field_is_a_400(client: TestClient) -> None:
    query = client.get("/api/jobs?q=%ff%fe")
    assert query.status_code == 400 and query.json()["error"] == "invalid_unicode"
    form = client.post("/login", content=b"username=%ed%a0%80&password=x",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400 and "Unicode" in form.text


# --- a 500 never poisons the connection -----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/boom", "/boom"])
def test_a_500_leaves_the_keep_alive_connection_usable(live: str, path: str) -> None:
    with httpx.Client(base_url=live, timeout=10, limits=httpx.Limits(max_connections=1)) as http:
        failed = http.get(path)
        assert failed.status_code == 500 and "服务器内部错误" in failed.text and "secret" not in failed.text
        after = http.get("/health")
        assert after.status_code == 200 and after.json()["status"] == "ok"
        again = http.get(path)
        assert again.status_code == 500
        assert http.get("/health").status_code == 200


def test_a_lone_surrogate_then_health_on_one_connection(live: str) -> None:
    with httpx.Client(base_url=live, timeout=10, limits=httpx.Limits(max_connections=1)) as http:
        token = http.get("/api/me").json()["csrf_token"]
        headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
        for path in ("/api/ask", "/api/chat", "/api/chat/stream"):
            response = http.post(path, content=b'{"question": "\\ud800", "message": "\\ud800"}', headers=headers)
            assert response.status_code == 400, (path, response.text)
            assert http.get("/health").status_code == 200


# --- the chat stream ------------------------------------------------------------------------------------------

def test_a_stream_that_fails_midway_ends_with_an_error_event(live: str, app: FastAPI,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    chat: ChatService = app.state.services.chat
    real_stream = chat.stream

    def failing(session_id: str | None, message: str, owner: str, **options):  # type: ignore[no-untyped-def]
        events = real_stream(session_id, message, owner, **options)

        def broken():  # type: ignore[no-untyped-def]
            yield next(iter(events))
            raise ZeroDivisionError("secret internals")

        return broken()

    monkeypatch.setattr(chat, "stream", failing)
    with httpx.Client(base_url=live, timeout=30) as http:
        token = http.get("/api/me").json()["csrf_token"]
        with http.stream("POST", "/api/chat/stream", json={"message": "数据分析师需要哪些技能？"},
                         headers={"X-CSRF-Token": token}) as response:
            assert response.status_code == 200
            events = sse_events(response)
        assert events and events[-1][0] == "error", events
        name, data = events[-1]
        assert set(data) == {"error", "detail"} and data["error"] == "internal_error"
        assert "secret" not in json.dumps(data) and "服务器内部错误" in data["detail"]
        assert http.get("/health").status_code == 200  # and the connection is still good


def test_bad_input_to_the_stream_is_a_4xx_json_before_it_starts(client: TestClient) -> None:
    headers = _csrf(client)
    for body in ({"message": ""}, {"message": "问" * 5000}, {"message": "x", "session_id": "no-such-session"},
                 {"nothing": 1}):
        response = client.post("/api/chat/stream", json=body, headers=headers)
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert response.headers["content-type"].startswith("application/json")
        assert set(response.json()) == {"error", "detail"}


# --- the OpenAPI schema ---------------------------------------------------------------------------------------

def test_openapi_documents_the_error_body_actually_returned(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    error = schema["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"error", "detail"}
    ask = schema["paths"]["/api/ask"]["post"]["responses"]
    for status in ("400", "422", "429", "500"):
        assert ask[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in json.dumps(schema)
    invalid = client.post("/api/ask", json={}, headers=_csrf(client))
    assert invalid.status_code == 422 and set(invalid.json()) == {"error", "detail"}
    staff = schema["paths"]["/api/staff/trace"]["post"]["responses"]
    assert {"401", "403"} <= set(staff)
