"""The store of policy notices: who opted in with which facts, and each talent's inbox (the storage layer's
database, SQLite or PostgreSQL). Every write is one transaction."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from assistant.eligibility.models import Fact, PersonFacts, Verdict
from assistant.storage import Database, schema

# The notice tables are the storage layer's (assistant/storage/schema.py, Alembic revision 0002).
SUBSCRIPTIONS = schema.policy_subscriptions
INBOX = schema.policy_inbox


class Subscription(BaseModel):
    """A talent who may (opt_in) receive notices, with the facts their notices are evaluated on."""

    user_id: int
    facts: PersonFacts
    opt_in: bool
    updated: dt.datetime


class InboxEntry(BaseModel):
    """One notice: a new or changed document the talent's saved facts now qualify (or may qualify) for."""

    id: int
    user_id: int
    doc_id: str
    title: str
    verdict: Verdict
    summary: str
    deadline: dt.date | None
    deadline_soon: bool
    created: dt.datetime
    read: bool


class NoticeRow(BaseModel):
    """What the notifier writes for one (talent, document)."""

    user_id: int
    doc_id: str
    version: str
    title: str
    verdict: Verdict
    summary: str
    deadline: dt.date | None
    deadline_soon: bool


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class NoticeStore:
    """Subscriptions and inbox entries; each call is one transaction, any thread may call.

    Given a path, the store keeps its own SQLite file there; `build_app` passes the application's `Database`.
    """

    def __init__(self, database: Path | Database) -> None:
        self.db = database if isinstance(database, Database) else Database.sqlite(database)

    def subscribe(self, user_id: int, facts: PersonFacts, opt_in: bool) -> Subscription:
        """Save (or replace) the talent's facts and whether they want notices."""
        with self.db.begin() as db:
            self.db.upsert(db, SUBSCRIPTIONS, {"user_id": user_id, "facts": _dump(facts),
                                               "opt_in": opt_in, "updated": _now()}, ["user_id"])
        found = self.subscription(user_id)
        assert found is not None
        return found

    def subscribe_many(self, rows: list[tuple[int, PersonFacts]]) -> None:
        """Opt many talents in at once (benchmarks, imports); replaces what they had."""
        now = _now()
        with self.db.begin() as db:
            db.execute(delete(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.user_id.in_([user_id for user_id, _ in rows])))
            db.execute(insert(SUBSCRIPTIONS), [{"user_id": user_id, "facts": _dump(facts), "opt_in": True,
                                                "updated": now} for user_id, facts in rows])

    def subscription(self, user_id: int) -> Subscription | None:
        S = SUBSCRIPTIONS  # noqa: N806
        with self.db.begin() as db:
            row = db.execute(select(S.c.user_id, S.c.facts, S.c.opt_in, S.c.updated)
                             .where(S.c.user_id == user_id)).first()
        return _subscription(tuple(row)) if row else None

    def opted_in(self) -> list[tuple[int, str]]:
        """(user_id, facts JSON) of every opted-in talent."""
        S = SUBSCRIPTIONS  # noqa: N806
        with self.db.begin() as db:
            rows = db.execute(select(S.c.user_id, S.c.facts).where(S.c.opt_in.is_(True)).order_by(S.c.user_id))
            return [(int(r[0]), str(r[1])) for r in rows]

    def add_notices(self, rows: list[NoticeRow]) -> int:
        """Insert notices; one per (talent, document version): a repeated ingest adds nothing. Returns how many."""
        if not rows:
            return 0
        now = _now()
        values = [{"user_id": r.user_id, "doc_id": r.doc_id, "version": r.version, "title": r.title,
                   "verdict": r.verdict, "summary": r.summary,
                   "deadline": r.deadline.isoformat() if r.deadline else None,
                   "deadline_soon": r.deadline_soon, "created": now, "read": False} for r in rows]
        dialect = postgresql if self.db.is_postgres else sqlite
        with self.db.begin() as db:
            result = db.execute(dialect.insert(INBOX).on_conflict_do_nothing(), values)
            return max(0, result.rowcount or 0)

    def inbox(self, user_id: int, limit: int = 50) -> list[InboxEntry]:
        """The talent's notices, newest first."""
        B = INBOX  # noqa: N806
        with self.db.begin() as db:
            rows = db.execute(select(B.c.id, B.c.user_id, B.c.doc_id, B.c.title, B.c.verdict, B.c.summary,
                                     B.c.deadline, B.c.deadline_soon, B.c.created, B.c.read)
                              .where(B.c.user_id == user_id).order_by(B.c.id.desc()).limit(limit)).all()
        return [InboxEntry(id=r[0], user_id=r[1], doc_id=r[2], title=r[3], verdict=r[4], summary=r[5],
                           deadline=dt.date.fromisoformat(r[6]) if r[6] else None, deadline_soon=bool(r[7]),
                           created=dt.datetime.fromisoformat(r[8]), read=bool(r[9])) for r in rows]

    def mark_read(self, user_id: int) -> None:
        with self.db.begin() as db:
            db.execute(update(INBOX).where(INBOX.c.user_id == user_id).values(read=True))


def _subscription(row: tuple) -> Subscription:
    return Subscription(user_id=row[0], facts=PersonFacts.model_validate_json(row[1]), opt_in=bool(row[2]),
                        updated=dt.datetime.fromisoformat(row[3]))


def _dump(facts: PersonFacts) -> str:
    """Only what is known (and the answers): short rows, quick to read back."""
    return facts.model_dump_json(exclude_defaults=True)


def stored_facts(raw: str) -> PersonFacts:
    """Facts as this store wrote them (validated when written), rebuilt without validating again: the notifier reads
    tens of thousands of them per ingest."""
    data = json.loads(raw)
    answers = data.pop("answers", {})
    values: dict[str, object] = {name: Fact.model_construct(**value) for name, value in data.items()}
    return PersonFacts.model_construct(None, answers=answers, **values)


def stored_values(raw: str) -> tuple[dict[str, object], dict[str, bool]]:
    """The known facts' values (lists as tuples) and the answers of facts as this store wrote them, without building
    the models: what the notifier's decided-status memo is keyed on."""
    data = json.loads(raw)
    answers = data.pop("answers", {})
    values: dict[str, object] = {}
    for name, fact in data.items():
        if isinstance(fact, dict) and fact.get("source", "unknown") != "unknown":
            value = fact.get("value")
            values[name] = tuple(value) if isinstance(value, list) else value
    return values, answers
