"""CSRF tokens, request-body limits and per-client rate limits (in memory, or shared through PostgreSQL)."""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import HTTPException, Path, Request
from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.storage import Database, schema

log = logging.getLogger(__name__)
B = schema.rate_buckets

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LOGIN_PATHS = frozenset({"/login", "/signup", "/api/auth/login", "/api/auth/signup"})
EXEMPT_PREFIXES = ("/static/", "/static-offline-docs/")

Reject = Callable[[Request, int, str, str], Response]
MAX_RECORD_ID = 2**63 - 1
# A record id in a path (/employer/postings/{posting_id} …): a positive SQLite INTEGER, else 422 before any lookup.
RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID, description="记录编号（正整数）")]


class WebError(HTTPException):
    """An HTTP error with a stable machine-readable `code` beside its Chinese `detail`."""

    def __init__(self, status_code: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status_code, detail=detail, headers=headers)
        self.code = code


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use ("" when the app has no sessions)."""
    if "session" not in request.scope:
        return ""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


def needs_csrf(request: Request) -> bool:
    """CSRF protects what a browser sends by itself: requests carrying cookies. A bearer-token request and a request
    without any cookie (a script, `curl`, the `openai` SDK) carry no ambient credentials, so they need no token —
    except a cookie-less *form* post to a login path, which a foreign page could use to log a browser in."""
    if getattr(request.state, "auth_method", None) == "token":
        return False
    if request.headers.get("cookie"):
        return True
    content_type = request.headers.get("content-type", "").lower()
    return request.url.path in LOGIN_PATHS and (not content_type or content_type.startswith(FORM_TYPES))


async def verify_csrf(request: Request) -> None:
    """Reject a cookie-authenticated state-changing request whose CSRF token (form field or X-CSRF-Token header) is
    missing or wrong (see `needs_csrf` for the requests that are exempt)."""
    if not needs_csrf(request):
        return
    expected = request.session.get("csrf") if "session" in request.scope else None
    sent: Any = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)
    if not (expected and isinstance(sent, str) and hmac.compare_digest(sent.encode(), str(expected).encode())):
        raise WebError(403, "csrf_failed", "页面已过期或请求来源无法确认，请刷新页面后重试。")


def client_address(scope: Scope) -> str:
    """The peer address (proxies' X-Forwarded-For is not trusted)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class TokenBucket:
    """Per-key token buckets held in memory: `rate` tokens per second up to `capacity`."""

    def __init__(self, rate: float, capacity: float, max_keys: int = 10_000) -> None:
        self.rate, self.capacity, self.max_keys = rate, capacity, max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token; 0.0 when allowed, else the seconds until a token is available."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate
        if len(self._buckets) >= self.max_keys and key not in self._buckets:
            self._forget_full(now)
        self._buckets[key] = (tokens - 1.0, now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        # Buckets that have refilled hold no information; dropping them bounds memory under many clients.
        refill = self.capacity / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill}


class SharedTokenBucket:
    """The same buckets kept in the database, so every node behind a load balancer counts one client once.

    Wall-clock time (nodes' clocks are assumed NTP-synchronised); each take is one short transaction holding the
    bucket's row lock. Should the database fail, the node falls back to its own in-memory buckets rather than
    refusing every request.
    """

    def __init__(self, database: Database, name: str, rate: float, capacity: float) -> None:
        self.db, self.name, self.rate, self.capacity = database, name, rate, capacity
        self.fallback = TokenBucket(rate, capacity)
        self._last_purge = 0.0

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token; 0.0 when allowed, else the seconds until a token is available."""
        now = time.time() if now is None else now
        try:
            return self._take(f"{self.name}:{key}"[:200], now)
        except SQLAlchemyError as exc:
            log.warning("shared rate limit unavailable, counting in memory: %s", exc)
            return self.fallback.take(key)

    def _take(self, key: str, now: float) -> float:
        with self.db.begin() as db:
            self.db.insert_ignore(db, B, {"key": key, "tokens": self.capacity, "updated": now})
            row = db.execute(select(B.c.tokens, B.c.updated).where(B.c.key == key).with_for_update()).one()
            tokens = min(self.capacity, row.tokens + max(0.0, now - row.updated) * self.rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
            db.execute(update(B).where(B.c.key == key).values(tokens=tokens - 1.0 if not wait else tokens, updated=now))
            if now - self._last_purge > 60.0:  # refilled buckets hold no information
                self._last_purge = now
                db.execute(delete(B).where(B.c.key.startswith(f"{self.name}:"),
                                           B.c.updated < now - self.capacity / self.rate))
        return wait


Bucket = TokenBucket | SharedTokenBucket


class RateLimitMiddleware:
    """429 once a client address exceeds its request rate; logins and sign-ups have their own, tighter bucket (and
    failed logins are also counted per username, in `AccountStore.authenticate`). With a shared database
    (PostgreSQL) the buckets live there, so the limits hold across every node."""

    def __init__(self, app: ASGIApp, per_minute: int, burst: int, logins_per_minute: int, reject: Reject,
                 database: Database | None = None) -> None:
        self.app = app
        self.shared = database is not None and database.shared

        def bucket(name: str, rate: float, capacity: float) -> Bucket:
            if database is not None and database.shared:
                return SharedTokenBucket(database, name, rate, capacity)
            return TokenBucket(rate, capacity)

        self.requests = bucket("requests", per_minute / 60.0, burst) if per_minute > 0 else None
        self.logins = bucket("logins", logins_per_minute / 60.0, logins_per_minute)
        self.reject = reject

    async def _take(self, bucket: Bucket, key: str) -> float:
        return await run_in_threadpool(bucket.take, key) if self.shared else bucket.take(key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = client_address(scope)
        wait = await self._take(self.requests, key) if self.requests else 0.0
        if not wait and scope["method"] == "POST" and scope["path"] in LOGIN_PATHS:
            wait = await self._take(self.logins, key)
        if wait:
            response = self.reject(Request(scope), 429, "rate_limited", "请求过于频繁，请稍后再试。")
            response.headers["Retry-After"] = str(max(1, round(wait + 0.5)))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """413 for request bodies over the limit: multipart uploads get `upload_limit`, everything else `body_limit`."""

    def __init__(self, app: ASGIApp, body_limit: int, upload_limit: int, reject: Reject) -> None:
        self.app, self.body_limit, self.upload_limit, self.reject = app, body_limit, upload_limit, reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        limit = self.upload_limit if multipart else self.body_limit
        detail = f"请求内容过大（上限 {limit / 1024 / 1024:.1f} MB）。" if multipart else \
            f"请求内容过大（上限 {limit // 1024} KB）。"
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > limit:
            await self.reject(Request(scope), 413, "payload_too_large", detail)(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:  # a body sent without (or with a false) Content-Length
                raise WebError(413, "payload_too_large", detail)
            return message

        await self.app(scope, limited_receive, send)



SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),  # no page of ours is meant to be framed (clickjacking)
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeadersMiddleware:
    """Adds nosniff, no-framing and same-origin-referrer headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((n, v) for n, v in SECURITY_HEADERS if n not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
