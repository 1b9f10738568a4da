"""Chat sessions in the storage layer: messages and state, owned by one owner, expiring when idle."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from assistant.chat.models import ChatMessage
from assistant.errors import InvalidInputError
from assistant.storage import Database, schema
from assistant.storage.database import EMBEDDED_FILE
from assistant.tools.models import SessionState

S, M = schema.chat_sessions, schema.chat_messages
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
    """Thread-safe store; each owner sees only their own sessions, idle sessions expire after `ttl_hours`.

    Given a path, the store keeps its own SQLite file there; `build_app` passes the application's `Database`, so
    several nodes sharing PostgreSQL continue each other's conversations.
    """

    def __init__(self, database: Path | Database, ttl_hours: float) -> None:
        self.db = database if isinstance(database, Database) else Database.sqlite(database)
        self.path = database if isinstance(database, Path) else None
        self.ttl_s = ttl_hours * 3600.0
        self._last_purge = 0.0

    def import_legacy(self, path: Path) -> bool:
        """Copy the sessions and messages of an old `chat.sqlite` once (True when copied)."""
        return self.db.import_legacy(path, {"sessions": (S, dict), "messages": (M, dict)})

    def create(self, owner: str) -> Session:
        """A new empty session for `owner`."""
        session = Session(id=secrets.token_urlsafe(16), owner=owner, state=SessionState())
        now = time.time()
        with self.db.begin() as db:
            db.execute(insert(S).values(id=session.id, owner=owner, created=now, updated=now,
                                        state=session.state.model_dump_json()))
        return session

    def get(self, session_id: str, owner: str) -> Session:
        """The owner's live session; SessionNotFoundError otherwise (the same error for every reason)."""
        self._maybe_purge()
        with self.db.begin() as db:
            row = db.execute(select(S.c.owner, S.c.updated, S.c.state).where(S.c.id == session_id)).first()
        if row is None or row.owner != owner or self._expired(row.updated):
            raise SessionNotFoundError("会话不存在或已过期，请开始新的对话。")
        return Session(id=session_id, owner=owner, state=SessionState.model_validate_json(row.state))

    def open(self, session_id: str | None, owner: str) -> Session:
        """The given session of `owner`, or a new one when no id is given."""
        return self.create(owner) if not session_id else self.get(session_id, owner)

    def save(self, session: Session, messages: list[ChatMessage]) -> None:
        """Store the session's state and append `messages`, in one transaction."""
        with self.db.begin() as db:
            updated = db.execute(update(S).where(S.c.id == session.id, S.c.owner == session.owner).values(
                state=session.state.model_dump_json(), updated=time.time())).rowcount
            if not updated:
                raise SessionNotFoundError("会话不存在或已被删除，请开始新的对话。")
            if messages:
                db.execute(insert(M), [{"session_id": session.id, "body": m.model_dump_json()} for m in messages])

    def messages(self, session_id: str, owner: str) -> list[ChatMessage]:
        """The session's messages, oldest first."""
        self.get(session_id, owner)
        with self.db.begin() as db:
            bodies = db.execute(select(M.c.body).where(M.c.session_id == session_id).order_by(M.c.id)).scalars()
            return [ChatMessage.model_validate_json(body) for body in bodies]

    def delete(self, session_id: str, owner: str) -> None:
        """Delete the owner's session and its messages; SessionNotFoundError when it is not theirs."""
        with self.db.begin() as db:
            deleted = db.execute(delete(S).where(S.c.id == session_id, S.c.owner == owner)).rowcount
        if not deleted:
            raise SessionNotFoundError("会话不存在或已过期。")

    def purge_expired(self) -> int:
        """Delete every session idle for longer than the time to live; returns how many."""
        self._last_purge = time.time()
        with self.db.begin() as db:
            return db.execute(delete(S).where(S.c.updated < time.time() - self.ttl_s)).rowcount

    def close(self) -> None:
        """Close the database connections this store opened itself (a shared database stays open)."""
        if self.path is not None:
            self.db.dispose()

    def _expired(self, updated: float) -> bool:
        return time.time() - updated > self.ttl_s

    def _maybe_purge(self) -> None:
        if time.time() - self._last_purge > _PURGE_EVERY_S:
            self.purge_expired()


def session_store(data_dir: Path, ttl_hours: float) -> SessionStore:
    """The store in a data directory's embedded database (the file `build_app` uses without a database URL)."""
    return SessionStore(Database.sqlite(data_dir / EMBEDDED_FILE), ttl_hours)

