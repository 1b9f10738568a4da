"""Limits and errors: rate limits, body limits, and every error as Chinese JSON or a Chinese page."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.app import build_app
from assistant.config import Settings
from assistant.policy.service import build_policy_service
from web.app import create_app
from web.security import TokenBucket


@pytest.fixture
def make_app(make_settings: Callable[..., Settings]) -> Callable[..., FastAPI]:
    def factory(ingest: bool = True, **overrides: object) -> FastAPI:
        assistant = build_policy_service(make_settings(**overrides))
        if ingest:
            assistant.ingest()
        app = create_app(build_app(assistant.settings, policy=assistant))

        @app.get("/api/boom")
        def api_boom() -> None:
            raise RuntimeError("secret internals /etc/passwd")

        @app.get("/boom")
        def page_boom() -> None:
            raise RuntimeError("secret internals /etc/passwd")

        return app

    return factory


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app(), raise_server_exceptions=False) as client:
        yield client


def test_unknown_pages_get_a_chinese_404_page(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "页面不存在" in response.text and "返回首页" in response.text and '<nav class="site-nav"' in response.text


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/api/nothing", 404, "not_found"),
    ("GET", "/api/ask", 405, "method_not_allowed"),
    ("GET", "/api/documents/no-such-doc", 404, "document_not_found"),
])
def test_api_errors_are_json_with_stable_codes(client: TestClient, method: str, path: str, status: int,
                                               code: str) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    body = response.json()
    assert body["error"] == code and not body["detail"].isascii()


def test_validation_errors_name_the_field_in_chinese(client: TestClient) -> None:
    response = client.post("/api/search", json={"query": "人才", "top_k": 500})
    assert response.status_code == 422
    assert response.json() == {"error": "invalid_input", "detail": "提交的内容不符合要求（top_k：数值太大）。"}
    malformed = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert malformed.status_code == 422


def test_domain_errors_keep_their_status_and_message(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app(ingest=False))
    response = client.post("/api/ask", json={"question": "博士补贴"})
    assert response.status_code == 503
    assert response.json() == {"error": "index_not_ready", "detail": "索引尚未建立：请先运行 `assistant ingest`。"}
    empty = client.post("/api/ask", json={"question": ""})
    assert empty.status_code in (422, 503) and empty.json()["error"] in ("invalid_input", "index_not_ready")


@pytest.mark.parametrize("path", ["/api/boom", "/boom"])
def test_unexpected_errors_never_show_a_stack_trace(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert "服务器内部错误" in response.text


@pytest.mark.parametrize("path", ["/", "/api/me", "/no-such-page"])
def test_responses_carry_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


def test_document_metadata_for_the_citation_panel(client: TestClient) -> None:
    body = client.get("/api/documents/test-job-fair-2025").json()
    assert body["title"] and body["kind_label"] == "人才活动通知"
    assert body["validity"] == "expired" and body["validity_label"] == "已失效或已截止"


def test_request_bodies_over_the_limit_get_413(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app(web_max_body_bytes=2048, web_max_upload_bytes=4096))
    big = client.post("/api/ask", json={"question": "博" * 3000})
    assert big.status_code == 413 and big.json()["error"] == "payload_too_large" and "KB" in big.json()["detail"]
    upload = client.post("/api/ask", files={"file": ("a.txt", b"x" * 5000, "text/plain")})
    assert upload.status_code == 413 and "MB" in upload.json()["detail"]
    small_upload = client.post("/api/ask", files={"file": ("a.txt", b"x" * 3000, "text/plain")})
    assert small_upload.status_code == 422  # within the upload limit; the route then wants JSON

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it arrives
        yield b'{"question": "'
        for _ in range(10):
            yield "博".encode() * 100
        yield b'"}'

    streamed = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"] == "payload_too_large"


def test_a_client_over_its_rate_gets_429_with_retry_after(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app(web_rate_limit_per_minute=60, web_rate_limit_burst=3))
    statuses = [client.get("/health").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/me")
    assert limited.json()["error"] == "rate_limited" and int(limited.headers["retry-after"]) >= 1
    page = client.get("/")
    assert page.status_code == 429 and "请求过于频繁" in page.text
    assert client.get("/static/app.css").status_code == 200  # static files are exempt


def test_login_attempts_have_their_own_tighter_limit(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app(web_login_attempts_per_minute=2))
    token = client.get("/api/me").json()["csrf_token"]
    attempts = [client.post("/login", data={"username": "x-user", "password": "wrong-pass", "csrf_token": token})
                for _ in range(3)]
    assert [r.status_code for r in attempts] == [401, 401, 429]
    assert client.get("/health").status_code == 200  # other requests are unaffected


def test_rate_limit_can_be_turned_off(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app(web_rate_limit_per_minute=0, web_rate_limit_burst=1))
    assert {client.get("/health").status_code for _ in range(5)} == {200}


def test_token_bucket_refills_over_time() -> None:
    bucket = TokenBucket(rate=1.0, capacity=2)
    assert [bucket.take("a", now=0.0), bucket.take("a", now=0.0)] == [0.0, 0.0]
    assert bucket.take("a", now=0.0) == pytest.approx(1.0)
    assert bucket.take("a", now=1.0) == 0.0
    assert bucket.take("b", now=0.0) == 0.0  # clients are independent
