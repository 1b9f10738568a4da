"""Who is asking: the logged-in `User` on `request.state.user`, and dependencies that demand one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal
from urllib.parse import quote

from fastapi import HTTPException, Request
from pydantic import BaseModel

Role = Literal["talent", "employer", "staff"]
ROLES: tuple[Role, ...] = ("talent", "employer", "staff")
ROLE_LABELS: dict[str, str] = {"talent": "人才", "employer": "招聘方", "staff": "工作人员"}


class User(BaseModel):
    """A web account as the pages and APIs see it (never the password hash)."""

    id: int
    username: str
    role: Role
    display_name: str


class LoginRequired(Exception):  # noqa: N818  (a redirect, not a failure)
    """A page needs a login: the app answers with a redirect to /login?next=…."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def wants_json(request: Request) -> bool:
    """API routes answer with JSON; every other route with an HTML page."""
    path = request.url.path
    return path.startswith("/api/") or path in {"/health", "/openapi.json"}


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
