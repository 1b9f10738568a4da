"""Accounts: scrypt-hashed passwords, roles, login sessions, login throttling, API tokens and the demo accounts."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from assistant.errors import AssistantError, InvalidInputError
from assistant.storage import Database, inserted_id, schema

A, S, F, T = schema.accounts, schema.web_sessions, schema.login_failures, schema.api_tokens
_USER_COLUMNS = (A.c.id, A.c.username, A.c.role, A.c.display_name)
_TOKEN_COLUMNS = (T.c.id, T.c.name, T.c.role, A.c.username, T.c.created, T.c.last_used, T.c.revoked)

Role = Literal["talent", "employer", "staff"]
ROLES: tuple[Role, ...] = ("talent", "employer", "staff")
ROLE_LABELS: dict[str, str] = {"talent": "人才", "employer": "招聘方", "staff": "工作人员"}


class User(BaseModel):
    """An account as pages, APIs and the CLI see it (never the password hash)."""

    id: int
    username: str
    role: Role
    display_name: str


DEMO_PASSWORD = "demo-2026"
DEMO_ACCOUNTS: tuple[tuple[str, Role, str], ...] = (
    ("demo-talent", "talent", "演示人才"),
    ("demo-employer", "employer", "演示招聘方"),
    ("demo-staff", "staff", "演示工作人员"),
)
USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{3,32}$")
MIN_PASSWORD, MAX_PASSWORD = 8, 128
# scrypt at N=2^14, r=8 (16 MiB, ~50 ms here): slow for a guesser, quick enough for one login.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
# Failed logins per username (whatever the address) within a sliding window; the lock lifts by itself as the oldest
# failure leaves the window, and refused attempts are not counted, so nobody can lock a user out for longer.
LOGIN_FAILURES, LOGIN_WINDOW_S = 10, 15 * 60
# API tokens: `ta_` + 43 url-safe characters (256 random bits), so a SHA-256 of it is as good as a slow hash.
TOKEN_PREFIX = "ta_"
TOKEN_NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,64}$")
TOKEN_USE_RESOLUTION_S = 60.0


class UsernameTakenError(InvalidInputError):
    """Sign-up with a username that already exists."""


class LoginThrottledError(AssistantError):
    """Too many failed logins for one username: every attempt is refused (even with the right password) for a while."""

    http_status = 429
    exit_code = 2

    def __init__(self, retry_after_s: float) -> None:
        minutes = max(1, round(retry_after_s / 60 + 0.49))
        super().__init__(f"该账号登录失败次数过多，请约 {minutes} 分钟后再试。")
        self.retry_after_s = retry_after_s


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash` with a fresh random salt per password."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                   dklen=len(digest) // 2)
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(candidate.hex(), digest)


class ApiToken(BaseModel):
    """An API token as `assistant tokens list` shows it (never the secret, which is shown once at creation)."""

    id: int
    name: str
    role: Role
    username: str | None = Field(default=None, description="the account the token acts as; None: its own identity")
    created: dt.datetime
    last_used: dt.datetime | None = None
    revoked: dt.datetime | None = None


class AccountStore:
    """Accounts, web logins, login throttling and API tokens in the storage layer; any thread may use it.

    Given a path, the store keeps its own SQLite file there; `build_app` passes the application's `Database`.
    """

    def __init__(self, database: Path | Database) -> None:
        self.db = database if isinstance(database, Database) else Database.sqlite(database)
        self.path = database if isinstance(database, Path) else None

    def import_legacy(self, path: Path) -> bool:
        """Copy the accounts, logins and failures of an old `web.sqlite` once (True when copied)."""
        return self.db.import_legacy(path, {
            "users": (schema.accounts, lambda row: {
                "id": row["id"], "username": row["username"], "username_key": row["username"].lower(),
                "role": row["role"], "display_name": row["display_name"], "password_hash": row["password_hash"],
                "created": _legacy_time(row.get("created"))}),
            "sessions": (schema.web_sessions, dict),
            "login_failures": (schema.login_failures, lambda row: {"username_key": row["username"].lower(),
                                                                   "at": row["at"]}),
        })

    def create(self, username: str, password: str, role: str, display_name: str = "") -> User:
        """A new account; InvalidInputError for a bad username, short password, unknown role or taken name."""
        username = username.strip()
        if not USERNAME.match(username):
            raise InvalidInputError("用户名须为 3–32 个字符，可用中文、字母、数字、下划线、点或连字符。")
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise InvalidInputError(f"密码长度须为 {MIN_PASSWORD}–{MAX_PASSWORD} 个字符。")
        if role not in ROLES:
            raise InvalidInputError(f"未知的角色：{role}")
        display = (display_name.strip() or username)[:40]
        try:
            with self.db.begin() as db:
                new_id = inserted_id(db.execute(insert(A).values(
                    username=username, username_key=username.lower(), role=role, display_name=display,
                    password_hash=hash_password(password), created=time.time())))
        except IntegrityError as exc:
            raise UsernameTakenError("该用户名已被注册，请换一个。") from exc
        return User(id=new_id, username=username, role=role, display_name=display)

    def authenticate(self, username: str, password: str, now: float | None = None) -> User | None:
        """The user when the password matches, else None (same work either way, so timing reveals nothing).

        LoginThrottledError, without looking at the password, once the username has `LOGIN_FAILURES` failed logins
        within `LOGIN_WINDOW_S`; a failure is recorded for known and unknown names alike, a success clears them.
        """
        username, now = username.strip(), time.time() if now is None else now
        wait = self.login_wait(username, now)
        if wait:
            raise LoginThrottledError(wait)
        key = username.lower()
        with self.db.begin() as db:
            row = db.execute(select(*_USER_COLUMNS, A.c.password_hash).where(A.c.username_key == key)).first()
        user = _user(row) if row is not None and check_password(password, row.password_hash) else None
        if row is None:
            check_password(password, _DUMMY_HASH)
        with self.db.begin() as db:
            if user is None:
                db.execute(delete(F).where(F.c.at <= now - LOGIN_WINDOW_S))
                db.execute(insert(F).values(username_key=key[:64], at=now))
            else:
                db.execute(delete(F).where(F.c.username_key == key))
        return user

    def login_wait(self, username: str, now: float | None = None) -> float:
        """Seconds until `username` may try to log in again (0.0 now): the oldest counted failure leaves the window."""
        now = time.time() if now is None else now
        with self.db.begin() as db:
            times = list(db.execute(
                select(F.c.at).where(F.c.username_key == username.strip().lower()[:64], F.c.at > now - LOGIN_WINDOW_S)
                .order_by(F.c.at.desc()).limit(LOGIN_FAILURES)).scalars())
        if len(times) < LOGIN_FAILURES:
            return 0.0
        return max(1.0, times[-1] + LOGIN_WINDOW_S - now)

    def get(self, user_id: int) -> User | None:
        """The user with this id, or None when it was deleted."""
        with self.db.begin() as db:
            row = db.execute(select(*_USER_COLUMNS).where(A.c.id == user_id)).first()
        return _user(row) if row else None

    def set_password(self, username: str, password: str) -> None:
        """Replace a user's password and end all of their logins (CLI)."""
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise InvalidInputError(f"密码长度须为 {MIN_PASSWORD}–{MAX_PASSWORD} 个字符。")
        key = username.strip().lower()
        with self.db.begin() as db:
            updated = db.execute(update(A).where(A.c.username_key == key)
                                 .values(password_hash=hash_password(password))).rowcount
            db.execute(delete(S).where(S.c.user_id.in_(select(A.c.id).where(A.c.username_key == key))))
            db.execute(delete(F).where(F.c.username_key == key))
        if not updated:
            raise InvalidInputError(f"没有用户名为 {username} 的账号。")

    def open_session(self, user_id: int, max_age_s: int) -> str:
        """A new login token for the session cookie (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self.db.begin() as db:
            db.execute(delete(S).where(S.c.expires < now))
            db.execute(insert(S).values(token_hash=_digest(token), user_id=user_id, expires=now + max_age_s))
        return token

    def session_user(self, token: str) -> User | None:
        """The user a live login token belongs to, else None."""
        with self.db.begin() as db:
            row = db.execute(select(*_USER_COLUMNS).join(S, S.c.user_id == A.c.id)
                             .where(S.c.token_hash == _digest(token), S.c.expires > time.time())).first()
        return _user(row) if row else None

    def close_session(self, token: str) -> None:
        """End one login (logout)."""
        with self.db.begin() as db:
            db.execute(delete(S).where(S.c.token_hash == _digest(token)))

    def users(self) -> list[User]:
        """Every account, oldest first."""
        with self.db.begin() as db:
            rows = db.execute(select(*_USER_COLUMNS).order_by(A.c.id)).all()
        return [_user(row) for row in rows]

    def ensure_demo_accounts(self) -> list[User]:
        """Create the three demo accounts when missing (demo mode); safe when several processes race."""
        existing = {user.username for user in self.users()}
        created = []
        for name, role, display in DEMO_ACCOUNTS:
            if name not in existing:
                with contextlib.suppress(UsernameTakenError):  # another worker created it a moment ago
                    created.append(self.create(name, DEMO_PASSWORD, role, display))
        return created

    # --- API tokens -------------------------------------------------------------------------------------------------
    def create_token(self, name: str, role: str, username: str | None = None) -> tuple[ApiToken, str]:
        """A new API token and its secret (shown once; only its SHA-256 is stored).

        With `username` the token acts as that account (whose role it must have); without, as its own identity
        `token:NAME` (user id = minus the token's id), so postings or chats made with it belong to the token.
        """
        name = name.strip()
        if not TOKEN_NAME.match(name):
            raise InvalidInputError("令牌名称须为 1–64 个字符，可用中文、字母、数字、下划线、点或连字符。")
        if role not in ROLES:
            raise InvalidInputError(f"未知的角色：{role}（可选 talent、employer、staff）")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = time.time()
        with self.db.begin() as db:
            user_id = None
            if username:
                account = db.execute(select(A.c.id, A.c.role).where(A.c.username_key == username.strip().lower()))
                found = account.first()
                if found is None:
                    raise InvalidInputError(f"没有用户名为 {username} 的账号。")
                if found.role != role:
                    raise InvalidInputError(f"账号 {username} 的角色是 {found.role}，与令牌角色 {role} 不符。")
                user_id = found.id
            taken = db.execute(select(T.c.id).where(T.c.name == name, T.c.revoked.is_(None))).first()
            if taken is not None:
                raise InvalidInputError(f"已有名为 {name} 的有效令牌；请换一个名称或先吊销它。")
            token_id = inserted_id(db.execute(insert(T).values(
                name=name, role=role, user_id=user_id, token_hash=_digest(secret), created=now)))
        return self._token(token_id), secret

    def tokens(self) -> list[ApiToken]:
        """Every token, revoked ones included, oldest first."""
        with self.db.begin() as db:
            rows = db.execute(select(*_TOKEN_COLUMNS).outerjoin(A, A.c.id == T.c.user_id).order_by(T.c.id)).all()
        return [_api_token(row) for row in rows]

    def revoke_token(self, ref: str) -> ApiToken:
        """Revoke the live token with this name or id (it stops working at once); InvalidInputError when none."""
        ref = ref.strip()
        condition = T.c.name == ref if not ref.isdigit() else (T.c.id == int(ref)) | (T.c.name == ref)
        with self.db.begin() as db:
            row = db.execute(select(T.c.id).where(condition, T.c.revoked.is_(None)).order_by(T.c.id)).first()
            if row is None:
                raise InvalidInputError(f"没有名称或编号为 {ref} 的有效令牌。")
            db.execute(update(T).where(T.c.id == row.id).values(revoked=time.time()))
        return self._token(int(row.id))

    def token_user(self, secret: str, now: float | None = None) -> User | None:
        """Who a live (not revoked) token's bearer is, else None; records the use (to the minute)."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        now = time.time() if now is None else now
        with self.db.begin() as db:
            row = db.execute(select(T.c.id, T.c.name, T.c.role, T.c.last_used, *_USER_COLUMNS)
                             .outerjoin(A, A.c.id == T.c.user_id)
                             .where(T.c.token_hash == _digest(secret), T.c.revoked.is_(None))).first()
            if row is None:
                return None
            if row.last_used is None or now - row.last_used >= TOKEN_USE_RESOLUTION_S:
                db.execute(update(T).where(T.c.id == row[0]).values(last_used=now))
        if row.username is not None:
            return User(id=row[4], username=row.username, role=row[2], display_name=row.display_name)
        return User(id=-int(row[0]), username=f"token:{row[1]}", role=row[2], display_name=row[1])

    def _token(self, token_id: int) -> ApiToken:
        with self.db.begin() as db:
            row = db.execute(select(*_TOKEN_COLUMNS).outerjoin(A, A.c.id == T.c.user_id)
                             .where(T.c.id == token_id)).one()
        return _api_token(row)


_DUMMY_HASH = "scrypt$16384$8$1$" + "00" * 16 + "$" + "00" * 32


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: Any) -> User:
    return User(id=row.id, username=row.username, role=row.role, display_name=row.display_name)


def _when(value: float | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC).replace(microsecond=0)


def _api_token(row: Any) -> ApiToken:
    return ApiToken(id=row.id, name=row.name, role=row.role, username=row.username,
                    created=_when(row.created) or dt.datetime.now(dt.UTC), last_used=_when(row.last_used),
                    revoked=_when(row.revoked))


def _legacy_time(value: str | None) -> float:
    # The old `users.created` was SQLite's CURRENT_TIMESTAMP: "YYYY-MM-DD HH:MM:SS" in UTC.
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC).timestamp()
    except ValueError:
        return time.time()


def secret_key(data_dir: Path) -> str:
    """The session-signing key kept in the data dir, created (owner-readable only) on first use."""
    path = data_dir / "web_secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()
