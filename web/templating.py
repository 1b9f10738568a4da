"""Render Jinja2 pages that extend base.html, with the user, CSRF token and role-filtered navigation."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from assistant.labels import AI_LABEL
from assistant.vocab.kinds import KIND_LABELS
from web.auth import ROLE_LABELS, User, current_user
from web.security import csrf_token

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


class NavLink(BaseModel):
    """One entry of the top navigation."""

    href: str
    label: str
    active: bool = False


# (href, label, roles that see it; "anonymous" = not logged in)
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/", "对话", frozenset({"anonymous", "talent", "employer", "staff"})),
    ("/resume", "简历", frozenset({"anonymous", "talent", "staff"})),
    ("/policies", "政策匹配", frozenset({"anonymous", "talent", "staff"})),
    ("/jobs", "岗位", frozenset({"anonymous", "talent", "employer", "staff"})),
    ("/employer", "招聘方", frozenset({"anonymous", "employer", "staff"})),
    ("/insights", "人才洞察", frozenset({"anonymous", "talent", "employer", "staff"})),
    ("/staff", "工作人员", frozenset({"staff"})),
)


@cache
def templates() -> Jinja2Templates:
    """The template environment (built on first use, not at import)."""
    environment = Jinja2Templates(directory=str(TEMPLATES_DIR))
    environment.env.globals["role_labels"] = ROLE_LABELS
    environment.env.globals["kind_labels"] = KIND_LABELS  # document kinds; base.html also hands them to the scripts
    environment.env.globals["ai_label"] = AI_LABEL  # the visible AI-generated label (base.html hands it to scripts)
    return environment


def nav_links(user: User | None, path: str) -> list[NavLink]:
    """Navigation entries the user's role may use; the one for `path` is marked active."""
    role = user.role if user else "anonymous"
    links = []
    for href, label, roles in NAV:
        if role in roles:
            active = path == "/" if href == "/" else path == href or path.startswith(href + "/")
            links.append(NavLink(href=href, label=label, active=active))
    return links


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from `template`; the context always has request, user, csrf_token and nav."""
    user = current_user(request)
    values = {"user": user, "csrf_token": csrf_token(request), "nav": nav_links(user, request.url.path), **context}
    return templates().TemplateResponse(request, template, values, status_code=status_code)
