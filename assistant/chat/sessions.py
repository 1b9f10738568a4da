"""Chat sessions in SQLite (data_dir/chat.sqlite): messages and state, owned by one owner, expiring when idle."""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.chat.models import ChatMessage
from assistant.errors import InvalidInputError
from assistant.tools.models import SessionState

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL, state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_owner ON sessions(owner);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_session ON messages(session_id, id);
"""
_PURGE_EVERY_S = 60.0


class SessionNotFoundError(InvalidInputError):
    """No such session for this owner: unknown, expired, deleted, or someone else's (never told apart)."""

    http_status = 404


@dataclass
class Session:
    """A loaded session: its id, owner and state."""

    id: str
    owner: str
    state: SessionState


class SessionStore:
    """Thread-safe store; each owner sees only their own sessions, idle sessions expire after `ttl_hours`."""

    def __init__(self, path: Path, ttl_hours: float) -> None:
        self.path = path
        self.ttl_s = ttl_hours * 3600.0
        self._lock = threading.RLock()
        self._last_purge = 0.0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=10.0, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.executescript(_SCHEMA)

    def create(self, owner: str) -> Session:
        """A new empty session for `owner`."""
        session = Session(id=secrets.token_urlsafe(16), owner=owner, state=SessionState())
        now = time.time()
        with self._lock:
            self._db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                             (session.id, owner, now, now, session.state.model_dump_json()))
        return session

    def get(self, session_id: str, owner: str) -> Session:
        """The owner's live session; SessionNotFoundError otherwise (the same error for every reason)."""
        self._maybe_purge()
        with self._lock:
            row = self._db.execute("SELECT owner, updated, state FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or row[0] != owner or self._expired(row[1]):
            raise SessionNotFoundError("会话不存在或已过期，请开始新的对话。")
        return Session(id=session_id, owner=owner, state=SessionState.model_validate_json(row[2]))

    def open(self, session_id: str | None, owner: str) -> Session:
        """The given session of `owner`, or a new one when no id is given."""
        return self.create(owner) if not session_id else self.get(session_id, owner)

    def save(self, session: Session, messages: list[ChatMessage]) -> None:
        """Store the session's state and append `messages`, in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                updated = self._db.execute(
                    "UPDATE sessions SET state = ?, updated = ? WHERE id = ? AND owner = ?",
                    (session.state.model_dump_json(), time.time(), session.id, session.owner)).rowcount
                if not updated:
                    raise SessionNotFoundError("会话不存在或已被删除，请开始新的对话。")
                self._db.executemany("INSERT INTO messages (session_id, body) VALUES (?, ?)",
                                     [(session.id, m.model_dump_json()) for m in messages])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def messages(self, session_id: str, owner: str) -> list[ChatMessage]:
        """The session's messages, oldest first."""
        self.get(session_id, owner)
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM messages WHERE session_id = ? ORDER BY id", (session_id,)).fetchall()
        return [ChatMessage.model_validate_json(row[0]) for row in rows]

    def delete(self, session_id: str, owner: str) -> None:
        """Delete the owner's session and its messages; SessionNotFoundError when it is not theirs."""
        with self._lock:
            deleted = self._db.execute("DELETE FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)).rowcount
        if not deleted:
            raise SessionNotFoundError("会话不存在或已过期。")

    def purge_expired(self) -> int:
        """Delete every session idle for longer than the time to live; returns how many."""
        with self._lock:
            self._last_purge = time.time()
            return self._db.execute("DELETE FROM sessions WHERE updated < ?", (time.time() - self.ttl_s,)).rowcount

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def _expired(self, updated: float) -> bool:
        return time.time() - updated > self.ttl_s

    def _maybe_purge(self) -> None:
        if time.time() - self._last_purge > _PURGE_EVERY_S:
            self.purge_expired()


def session_store(data_dir: Path, ttl_hours: float) -> SessionStore:
    """The store of a data directory."""
    return SessionStore(data_dir / "chat.sqlite", ttl_hours)

