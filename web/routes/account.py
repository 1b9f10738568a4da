"""Login, sign-up and logout: HTML forms and their JSON twins under /api/auth."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from assistant.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, AccountStore, LoginThrottledError
from assistant.errors import InvalidInputError
from web.auth import ROLE_LABELS, User, current_user
from web.deps import app_of
from web.security import WebError, csrf_token, verify_csrf
from web.templating import render

router = APIRouter()
CsrfChecked = Depends(verify_csrf)


class Credentials(BaseModel):
    """Username and password."""

    username: str = Field(max_length=64, description="用户名")
    password: str = Field(max_length=256, description="密码")


class SignUp(Credentials):
    """A new talent or employer account (staff accounts are created with `assistant users create`)."""

    role: Literal["talent", "employer"] = Field(description="talent（人才）或 employer（招聘方）")
    display_name: str = Field(default="", max_length=40, description="显示名称，如姓名或企业名称")


class Me(BaseModel):
    """The current login state and the CSRF token to send as X-CSRF-Token."""

    user: User | None
    csrf_token: str


def accounts(request: Request) -> AccountStore:
    return app_of(request).accounts


Accounts = Annotated[AccountStore, Depends(accounts)]


def demo_accounts(request: Request) -> list[tuple[str, str]]:
    """(username, role label) of the demo accounts when demo mode is on, for the login page's hint."""
    if not app_of(request).settings.demo:
        return []
    return [(name, ROLE_LABELS[role]) for name, role, _ in DEMO_ACCOUNTS]


def safe_next(target: str | None) -> str:
    """Only same-site paths: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def retry_after(exc: LoginThrottledError) -> str:
    """The Retry-After header of a throttled login: whole seconds, at least one."""
    return str(max(1, round(exc.retry_after_s + 0.5)))


def log_in(request: Request, user: User) -> None:
    """Start a fresh session for `user` (a new CSRF token too)."""
    max_age = app_of(request).settings.web_session_max_age_s
    log_out(request)
    request.session["login"] = app_of(request).accounts.open_session(user.id, max_age)
    request.state.user = user
    csrf_token(request)


def log_out(request: Request) -> None:
    """End the session's login on the server and forget the session."""
    token = request.session.get("login")
    if isinstance(token, str):
        app_of(request).accounts.close_session(token)
    request.session.clear()
    request.state.user = None


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=safe_next(next), error=None, username="", demo=demo_accounts(request),
                  demo_password=DEMO_PASSWORD)


@router.post("/login", include_in_schema=False, dependencies=[CsrfChecked])
def login_form(request: Request, store: Accounts, username: Annotated[str, Form(max_length=64)],
               password: Annotated[str, Form(max_length=256)], next: Annotated[str, Form()] = "/") -> Response:
    try:
        user = store.authenticate(username, password)
    except LoginThrottledError as exc:
        page = render(request, "login.html", status_code=429, next=safe_next(next), username=username,
                      error=str(exc), demo=demo_accounts(request), demo_password=DEMO_PASSWORD)
        page.headers["Retry-After"] = retry_after(exc)
        return page
    if user is None:
        return render(request, "login.html", status_code=401, next=safe_next(next), username=username,
                      error="用户名或密码不正确。", demo=demo_accounts(request),
                      demo_password=DEMO_PASSWORD)
    log_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/signup", include_in_schema=False)
def signup_page(request: Request) -> Response:
    return render(request, "signup.html", error=None, form={})


@router.post("/signup", include_in_schema=False, dependencies=[CsrfChecked])
def signup_form(request: Request, store: Accounts, username: Annotated[str, Form(max_length=64)],
                password: Annotated[str, Form(max_length=256)], password2: Annotated[str, Form(max_length=256)],
                role: Annotated[str, Form()], display_name: Annotated[str, Form(max_length=40)] = "") -> Response:
    form = {"username": username, "display_name": display_name, "role": role}
    try:
        if role not in ("talent", "employer"):
            raise InvalidInputError("请选择“人才”或“招聘方”。")
        if password != password2:
            raise InvalidInputError("两次输入的密码不一致。")
        user = store.create(username, password, role, display_name)
    except InvalidInputError as exc:
        return render(request, "signup.html", status_code=422, error=str(exc), form=form)
    log_in(request, user)
    return RedirectResponse("/", status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[CsrfChecked])
def logout_form(request: Request) -> Response:
    log_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("/api/me", summary="当前登录状态与 CSRF 令牌", response_model=Me, tags=["账号"])
def me(request: Request) -> Me:
    """Who is logged in, and the token to send as `X-CSRF-Token` with state-changing requests."""
    return Me(user=current_user(request), csrf_token=csrf_token(request))


@router.post("/api/auth/login", summary="登录", response_model=Me, tags=["账号"], dependencies=[CsrfChecked])
def api_login(request: Request, body: Credentials, store: Accounts) -> Me:
    """Log in; the session cookie is set on the response. 401 `invalid_credentials` when it fails, 429
    `rate_limited` after too many failures for the username (whatever the address) within 15 minutes."""
    try:
        user = store.authenticate(body.username, body.password)
    except LoginThrottledError as exc:
        raise WebError(429, "rate_limited", str(exc), headers={"Retry-After": retry_after(exc)}) from None
    if user is None:
        raise WebError(401, "invalid_credentials", "用户名或密码不正确。")
    log_in(request, user)
    return Me(user=user, csrf_token=csrf_token(request))


@router.post("/api/auth/signup", summary="注册人才或招聘方账号", response_model=Me, tags=["账号"],
             dependencies=[CsrfChecked])
def api_signup(request: Request, body: SignUp, store: Accounts) -> Me:
    """Create a talent or employer account and log in; 422 `invalid_input` for a taken name or weak password."""
    user = store.create(body.username, body.password, body.role, body.display_name)
    log_in(request, user)
    return Me(user=user, csrf_token=csrf_token(request))


@router.post("/api/auth/logout", summary="退出登录", response_model=Me, tags=["账号"], dependencies=[CsrfChecked])
def api_logout(request: Request) -> Me:
    """End the session."""
    log_out(request)
    return Me(user=None, csrf_token=csrf_token(request))
