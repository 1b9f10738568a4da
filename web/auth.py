"""Who is asking: the logged-in `User` on `request.state.user`, and dependencies that demand one."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import HTTPException, Request
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
    if path.startswith("/api/") or path in {"/health", "/openapi.json"}:
        return True
    accept = request.headers.get("accept", "").lower()
    if "text/html" in accept:
        return False
    return "application/json" in accept or path.startswith(DOWNLOAD_PREFIXES)


def current_user(request: Request) -> User | None:
    """The logged-in user, or None (set on `request.state.user` by the session middleware)."""
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


class SessionUserMiddleware:
    """Sets `request.state.user` from the signed session (runs inside Starlette's SessionMiddleware)."""

    def __init__(self, app: ASGIApp, accounts: AccountStore) -> None:
        self.app, self.accounts = app, accounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            session = scope.get("session") or {}
            token = session.get("login")
            user = self.accounts.session_user(token) if isinstance(token, str) else None
            if token is not None and user is None:
                session.pop("login", None)  # logged out elsewhere, expired, or the account was removed
            scope.setdefault("state", {})["user"] = user
        await self.app(scope, receive, send)
