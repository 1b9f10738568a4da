"""Who is asking: the logged-in `User` on `request.state.user`, and dependencies that demand one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.accounts import ROLE_LABELS, ROLES, AccountStore, User


class LoginRequired(Exception):  # noqa: N818  (a redirect, not a failure)
    """A page needs a login: the app answers with a redirect to /login?next=…."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


# Files to download rather than pages: a browser (it asks for text/html) is sent to the login page, any other client
# (curl, a script, `Accept: application/json`) gets a 401 JSON it can act on instead of a login form.
DOWNLOAD_PREFIXES = ("/insights/catalogue", "/insights/chart/")


def wants_json(request: Request) -> bool:
    """API routes answer with JSON, and so does any route asked for JSON rather than HTML, or a download asked for
    by a client that is not a browser; every other request gets an HTML page."""
    path = request.url.path
    if path.startswith(("/api/", "/v1/")) or path in {"/health", "/openapi.json", "/mcp"}:
        return True
    accept = request.headers.get("accept", "").lower()
    if "text/html" in accept:
        return False
    return "application/json" in accept or path.startswith(DOWNLOAD_PREFIXES)


def current_user(request: Request) -> User | None:
    """The caller's user (bearer token or login cookie), or None (set on `request.state.user` by the middleware)."""
    return getattr(request.state, "user", None)


def require_user(request: Request) -> User:
    """The logged-in user; 401 JSON for /api/*, a redirect to the login page for pages."""
    user = current_user(request)
    if user is not None:
        return user
    if wants_json(request):
        raise HTTPException(status_code=401, detail="请先登录。")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise LoginRequired(quote(target, safe="/?=&"))


def require_role(*roles: str) -> Callable[[Request], User]:
    """A dependency that admits only users with one of `roles` (403 otherwise)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def dependency(request: Request) -> User:
        user = require_user(request)
        if user.role not in roles:
            names = "、".join(ROLE_LABELS[r] for r in roles)
            raise HTTPException(status_code=403, detail=f"此功能仅对{names}开放。")
        return user

    return dependency


AuthMethod = Literal["token", "cookie"]
BEARER = "bearer "


def bearer_secret(headers: Headers) -> str | None:
    """The secret of an `Authorization: Bearer …` header, None without one ("" when the header is malformed)."""
    value = headers.get("authorization")
    if value is None:
        return None
    return value[len(BEARER):].strip() if value[:len(BEARER)].lower() == BEARER else ""


def authenticate(request: Request | Scope, accounts: AccountStore) -> tuple[AuthMethod | None, User | None]:
    """Who is calling: (`"token"`, user) for a live `Authorization: Bearer` token, (`"cookie"`, user) for a logged-in
    session cookie, (None, None) for an anonymous caller; a bearer token that is unknown or revoked is
    `("token", None)` (the middleware answers it with 401). Works on any request of this app, HTTP API, `/v1` or
    MCP: the middleware below has already done it once and left the result on `request.state`."""
    scope = request.scope if isinstance(request, Request) else request
    state = scope.get("state") or {}
    if "auth_method" in state:
        return state["auth_method"], state.get("user")
    secret = bearer_secret(Headers(scope=scope))
    if secret is not None:
        return "token", accounts.token_user(secret) if secret else None
    token = (scope.get("session") or {}).get("login")
    user = accounts.session_user(token) if isinstance(token, str) else None
    return ("cookie" if user is not None else None), user


def auth_method(request: Request) -> AuthMethod | None:
    """How this request was authenticated: "token", "cookie" or None (anonymous)."""
    return getattr(request.state, "auth_method", None)


class SessionUserMiddleware:
    """Sets `request.state.user` and `request.state.auth_method` from a bearer token or the signed session (runs
    inside Starlette's SessionMiddleware); a bad bearer token gets 401 whatever the path, never a silent anonymous
    request."""

    def __init__(self, app: ASGIApp, accounts: AccountStore) -> None:
        self.app, self.accounts = app, accounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = scope.setdefault("state", {})
            state.pop("auth_method", None)
            needs_lookup = "authorization" in Headers(scope=scope) or (scope.get("session") or {}).get("login")
            method, user = await run_in_threadpool(authenticate, scope, self.accounts) if needs_lookup else (None, None)
            if method == "token" and user is None:
                response = JSONResponse({"error": "invalid_token", "detail": "API 令牌无效或已被吊销。"},
                                        status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
                await response(scope, receive, send)
                return
            session = scope.get("session")
            if method is None and session and session.get("login") is not None:
                session.pop("login", None)  # logged out elsewhere, expired, or the account was removed
            state["user"], state["auth_method"] = user, method
        await self.app(scope, receive, send)
