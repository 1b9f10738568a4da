"""Accounts in SQLite: scrypt-hashed passwords, roles, login sessions and the demo accounts."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from assistant.errors import AssistantError, InvalidInputError

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


class AccountStore:
    """Users of the web app in `web.sqlite`; one short connection per call, so any thread may use it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("""CREATE TABLE IF NOT EXISTS users (
                id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT UNIQUE NOT NULL COLLATE NOCASE,
                role TEXT NOT NULL, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
                created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)""")
            # Logins are server-side rows, so logging out (or a password change) really ends them.
            db.execute("""CREATE TABLE IF NOT EXISTS sessions (
                token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL, expires REAL NOT NULL)""")
            # Failed logins by username, shared by every worker process (unknown names count too).
            db.execute("CREATE TABLE IF NOT EXISTS login_failures (username TEXT NOT NULL COLLATE NOCASE, at REAL "
                       "NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS login_failures_by_name ON login_failures (username, at)")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

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
            with self._connect() as db:
                cursor = db.execute(
                    "INSERT INTO users (username, role, display_name, password_hash) VALUES (?, ?, ?, ?)",
                    (username, role, display, hash_password(password)))
        except sqlite3.IntegrityError as exc:
            raise UsernameTakenError("该用户名已被注册，请换一个。") from exc
        return User(id=int(cursor.lastrowid or 0), username=username, role=role, display_name=display)

    def authenticate(self, username: str, password: str, now: float | None = None) -> User | None:
        """The user when the password matches, else None (same work either way, so timing reveals nothing).

        LoginThrottledError, without looking at the password, once the username has `LOGIN_FAILURES` failed logins
        within `LOGIN_WINDOW_S`; a failure is recorded for known and unknown names alike, a success clears them.
        """
        username, now = username.strip(), time.time() if now is None else now
        wait = self.login_wait(username, now)
        if wait:
            raise LoginThrottledError(wait)
        with self._connect() as db:
            row = db.execute("SELECT id, username, role, display_name, password_hash FROM users WHERE username = ?",
                             (username,)).fetchone()
        user = _user(row) if row is not None and check_password(password, row[4]) else None
        if row is None:
            check_password(password, _DUMMY_HASH)
        with self._connect() as db:
            if user is None:
                db.execute("DELETE FROM login_failures WHERE at <= ?", (now - LOGIN_WINDOW_S,))
                db.execute("INSERT INTO login_failures VALUES (?, ?)", (username[:64], now))
            else:
                db.execute("DELETE FROM login_failures WHERE username = ?", (username,))
        return user

    def login_wait(self, username: str, now: float | None = None) -> float:
        """Seconds until `username` may try to log in again (0.0 now): the oldest counted failure leaves the window."""
        now = time.time() if now is None else now
        with self._connect() as db:
            times = [at for (at,) in db.execute(
                "SELECT at FROM login_failures WHERE username = ? AND at > ? ORDER BY at DESC LIMIT ?",
                (username.strip()[:64], now - LOGIN_WINDOW_S, LOGIN_FAILURES))]
        if len(times) < LOGIN_FAILURES:
            return 0.0
        return max(1.0, times[-1] + LOGIN_WINDOW_S - now)

    def get(self, user_id: int) -> User | None:
        """The user with this id, or None when it was deleted."""
        with self._connect() as db:
            row = db.execute("SELECT id, username, role, display_name FROM users WHERE id = ?", (user_id,)).fetchone()
        return _user(row) if row else None

    def set_password(self, username: str, password: str) -> None:
        """Replace a user's password and end all of their logins (CLI)."""
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise InvalidInputError(f"密码长度须为 {MIN_PASSWORD}–{MAX_PASSWORD} 个字符。")
        with self._connect() as db:
            updated = db.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                                 (hash_password(password), username)).rowcount
            db.execute("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = ?)", (username,))
            db.execute("DELETE FROM login_failures WHERE username = ?", (username,))
        if not updated:
            raise InvalidInputError(f"没有用户名为 {username} 的账号。")

    def open_session(self, user_id: int, max_age_s: int) -> str:
        """A new login token for the session cookie (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE expires < ?", (now,))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (_digest(token), user_id, now + max_age_s))
        return token

    def session_user(self, token: str) -> User | None:
        """The user a live login token belongs to, else None."""
        with self._connect() as db:
            row = db.execute("SELECT u.id, u.username, u.role, u.display_name FROM sessions s JOIN users u "
                             "ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires > ?",
                             (_digest(token), time.time())).fetchone()
        return _user(row) if row else None

    def close_session(self, token: str) -> None:
        """End one login (logout)."""
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))

    def users(self) -> list[User]:
        """Every account, oldest first."""
        with self._connect() as db:
            rows = db.execute("SELECT id, username, role, display_name FROM users ORDER BY id").fetchall()
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


_DUMMY_HASH = "scrypt$16384$8$1$" + "00" * 16 + "$" + "00" * 32


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: tuple) -> User:
    return User(id=row[0], username=row[1], role=row[2], display_name=row[3])


def secret_key(data_dir: Path) -> str:
    """The session-signing key kept in the data dir, created (owner-readable only) on first use."""
    path = data_dir / "web_secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()
