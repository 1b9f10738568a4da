"""Every store on both backends (`database`: an embedded SQLite file and a real PostgreSQL server): accounts, logins,
throttling, API tokens, chat sessions, feedback, evaluation runs, shared rate limits, and the one-time import of the
per-store SQLite files of earlier versions."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import text

from assistant.accounts import LOGIN_FAILURES, AccountStore, LoginThrottledError, UsernameTakenError, hash_password
from assistant.chat.models import ChatMessage
from assistant.chat.sessions import SessionNotFoundError, SessionStore
from assistant.errors import InvalidInputError
from assistant.evaluation.runner import EvalSummary
from assistant.jobs.fairness import PostingCheck
from assistant.jobs.models import JobPosting
from assistant.market.store import MarketStore
from assistant.staff.evaluation_runs import EvaluationRunner, RunNotFoundError
from assistant.staff.feedback import FeedbackIn, FeedbackStore
from assistant.storage import Database
from assistant.storage.database import MIGRATIONS
from web.security import SharedTokenBucket


def test_accounts_logins_and_throttling(database: Database) -> None:
    store = AccountStore(database)
    zhang = store.create("Zhang.San", "password-123", "talent", "张三")
    with pytest.raises(UsernameTakenError):
        store.create("zhang.san", "password-456", "employer")  # unique whatever the case
    assert store.authenticate("ZHANG.SAN", "password-123") == zhang
    token = store.open_session(zhang.id, 3600)
    assert store.session_user(token) == zhang
    store.set_password("zhang.san", "another-pass-1")
    assert store.session_user(token) is None  # a password change ends every login
    now = time.time()
    for _ in range(LOGIN_FAILURES):
        assert store.authenticate("Zhang.San", "wrong", now=now) is None
    with pytest.raises(LoginThrottledError):
        store.authenticate("zhang.san", "another-pass-1", now=now + 1)
    assert store.authenticate("zhang.san", "another-pass-1", now=now + 16 * 60) == zhang
    assert [u.username for u in store.users()] == ["Zhang.San"]


def test_api_tokens_are_hashed_revocable_and_record_their_last_use(database: Database) -> None:
    store = AccountStore(database)
    employer = store.create("lj-data", "password-123", "employer", "两江数据")
    own, own_secret = store.create_token("crm", "employer")
    bound, bound_secret = store.create_token("hr-app", "employer", username="LJ-DATA")
    with pytest.raises(InvalidInputError, match="角色"):
        store.create_token("wrong-role", "staff", username="lj-data")
    with pytest.raises(InvalidInputError, match="已有名为"):
        store.create_token("crm", "talent")
    assert store.token_user(own_secret).username == "token:crm"  # type: ignore[union-attr]
    assert store.token_user(own_secret).id == -own.id  # type: ignore[union-attr]
    assert store.token_user(bound_secret) == employer
    assert store.token_user("ta_" + "x" * 43) is None and store.token_user("not-a-token") is None
    with database.begin() as db:
        hashes = list(db.execute(text("SELECT token_hash FROM api_tokens")).scalars())
    assert own_secret not in hashes and len(hashes) == 2 and all(len(h) == 64 for h in hashes)
    listed = {t.name: t for t in store.tokens()}
    assert listed["crm"].last_used is not None and listed["hr-app"].username == "lj-data"
    store.revoke_token(str(bound.id))
    assert store.token_user(bound_secret) is None and store.token_user(own_secret) is not None
    with pytest.raises(InvalidInputError):
        store.revoke_token("hr-app")  # already revoked
    assert store.create_token("hr-app", "employer")[0].id != bound.id  # the name is free again


def test_chat_sessions_keep_order_owner_and_expiry(database: Database) -> None:
    store = SessionStore(database, ttl_hours=1)
    session = store.create("user:1")
    store.save(session, [message("user", "你好"), message("assistant", "您好")])
    assert [m.content for m in store.messages(session.id, "user:1")] == ["你好", "您好"]
    with pytest.raises(SessionNotFoundError):
        store.get(session.id, "user:2")
    errors: list[Exception] = []

    def turn(n: int) -> None:
        try:
            store.save(store.get(session.id, "user:1"), [message("user", f"第{n}条")])
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=turn, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(store.messages(session.id, "user:1")) == 10
    old = store.create("user:1")
    with database.begin() as db:
        db.execute(text("UPDATE chat_sessions SET updated = :t WHERE id = :id"), {"t": time.time() - 7200,
                                                                                "id": old.id})
    assert store.purge_expired() == 1
    store.delete(session.id, "user:1")
    with database.begin() as db:
        assert db.execute(text("SELECT COUNT(*) FROM chat_messages")).scalar() == 0  # cascaded


def test_feedback_is_listed_newest_first_and_by_verdict(database: Database) -> None:
    store = FeedbackStore(database)
    store.add(FeedbackIn(question="补贴多少？", verdict="bad", facts=["3万元"], should_decline=False), "staff1")
    store.add(FeedbackIn(question="那博士呢？", history=["补贴多少？"], verdict="good", grounded=True), "staff2")
    assert [e.question for e in store.list()] == ["那博士呢？", "补贴多少？"]
    good = store.list("good")
    assert len(good) == 1 and good[0].grounded and good[0].history == ["补贴多少？"]


def test_evaluation_runs_of_earlier_versions_are_imported_and_read(database: Database, tmp_path: Path) -> None:
    runs_dir = tmp_path / "eval_runs"
    runs_dir.mkdir()
    run_id = "20261201-101500-sample-3"
    record = {"id": run_id, "set_name": "sample-3", "author": "staff", "started": "2026-12-01T10:15:00Z",
              "finished": "2026-12-01T10:15:09Z", "summary": _summary(), "gate": [], "passed": None}
    (runs_dir / f"{run_id}.record.json").write_text(_json(record), encoding="utf-8")
    (runs_dir / f"{run_id}.run.json").write_text("{}", encoding="utf-8")
    (runs_dir / f"{run_id}.html").write_text("<html>报告</html>", encoding="utf-8")
    runner = EvaluationRunner(cast(Any, None), tmp_path / "eval", runs_dir, database=database)
    assert [r.id for r in runner.runs()] == [run_id]
    assert runner.record(run_id).set_name == "sample-3" and "报告" in runner.report_html(run_id)
    EvaluationRunner(cast(Any, None), tmp_path / "eval", runs_dir, database=database)  # a second node: no copy
    assert len(runner.runs()) == 1
    with pytest.raises(RunNotFoundError):
        runner.report_html("../../etc/passwd")


def test_rate_limit_buckets_are_shared_by_every_node(database: Database) -> None:
    first, second = (SharedTokenBucket(database, "requests", rate=1 / 60, capacity=3) for _ in range(2))
    now = time.time()
    assert [first.take("10.0.0.1", now), second.take("10.0.0.1", now), first.take("10.0.0.1", now)] == [0, 0, 0]
    assert second.take("10.0.0.1", now) > 0  # the fourth request in a minute, whichever node gets it
    assert first.take("10.0.0.2", now) == 0  # another client has its own bucket
    assert second.take("10.0.0.1", now + 61) == 0  # refilled


def test_migrations_are_idempotent_and_at_head(database: Database) -> None:
    database.migrate()
    Database(database.url).dispose()  # a second node opening the same database
    with database.begin() as db:
        version = db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    newest = sorted(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))[-1]
    assert version == newest


def test_the_sqlite_files_of_earlier_versions_are_imported_once(database: Database, tmp_path: Path) -> None:
    legacy = tmp_path / "old"
    legacy.mkdir()
    _legacy_files(legacy)
    accounts, chat = AccountStore(database), SessionStore(database, ttl_hours=24)
    market, feedback = MarketStore(database), FeedbackStore(database)
    assert accounts.import_legacy(legacy / "web.sqlite") and chat.import_legacy(legacy / "chat.sqlite")
    assert market.import_legacy(legacy / "talent_market.sqlite") and feedback.import_legacy(legacy / "feedback.sqlite")
    assert not accounts.import_legacy(legacy / "web.sqlite")  # once only
    user = accounts.authenticate("OLD-USER", "old-password")
    assert user is not None and user.id == 7 and user.display_name == "老用户"
    assert accounts.session_user("old-login") is None  # sessions are keyed by the hash of the token
    assert [m.content for m in chat.messages("sess-1", "user:7")] == ["旧消息"]
    assert market.posting(3, 7).job.title == "旧岗位"
    assert market.opted_in_profiles() == []
    assert [e.question for e in feedback.list()] == ["旧问题"]
    newer = market.add_posting(7, "新公司", JobPosting(id="draft", title="新岗位"), PostingCheck(issues=[]), [])
    assert newer.id == 4  # ids continue after the imported ones (PostgreSQL's sequence moved past them)
    assert accounts.create("new-user", "password-123", "talent").id == 8


def message(role: str, content: str) -> ChatMessage:
    return ChatMessage(role=role, content=content, created=dt.datetime.now(dt.UTC))  # type: ignore[arg-type]


def _legacy_files(folder: Path) -> None:
    """Files as the SQLite stores of the previous version wrote them (their DDL, verbatim)."""
    scripts = {
        "web.sqlite": """
            CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT UNIQUE NOT NULL COLLATE NOCASE,
                role TEXT NOT NULL, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
                created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
            CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL, expires REAL NOT NULL);
            CREATE TABLE login_failures (username TEXT NOT NULL COLLATE NOCASE, at REAL NOT NULL);""",
        "chat.sqlite": """
            CREATE TABLE sessions (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created REAL NOT NULL,
                updated REAL NOT NULL, state TEXT NOT NULL);
            CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL
                REFERENCES sessions(id) ON DELETE CASCADE, body TEXT NOT NULL);""",
        "talent_market.sqlite": """
            CREATE TABLE profiles (user_id INTEGER PRIMARY KEY, display_name TEXT NOT NULL, profile TEXT NOT NULL,
                contact TEXT NOT NULL, resume_source TEXT NOT NULL, opt_in INTEGER NOT NULL DEFAULT 0,
                updated TEXT NOT NULL);
            CREATE TABLE postings (id INTEGER PRIMARY KEY AUTOINCREMENT, employer_id INTEGER NOT NULL,
                company TEXT NOT NULL, job TEXT NOT NULL, checked TEXT NOT NULL, acknowledged TEXT NOT NULL,
                created TEXT NOT NULL);
            CREATE TABLE invitations (id INTEGER PRIMARY KEY AUTOINCREMENT, posting_id INTEGER NOT NULL,
                employer_id INTEGER NOT NULL, talent_ref TEXT NOT NULL, talent_user_id INTEGER, message TEXT NOT NULL,
                status TEXT NOT NULL, created TEXT NOT NULL, decided TEXT, UNIQUE (posting_id, talent_ref));""",
        "feedback.sqlite": """
            CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL, author TEXT NOT NULL,
                question TEXT NOT NULL, history TEXT NOT NULL, answer TEXT NOT NULL, grounded INTEGER NOT NULL,
                cited_docs TEXT NOT NULL, verdict TEXT NOT NULL, note TEXT NOT NULL, should_decline INTEGER NOT NULL,
                expected_docs TEXT NOT NULL, facts TEXT NOT NULL, kind TEXT);""",
    }
    for name, script in scripts.items():
        with sqlite3.connect(folder / name) as db:
            db.executescript(script)
    with sqlite3.connect(folder / "web.sqlite") as db:
        db.execute("INSERT INTO users VALUES (7, 'old-user', 'employer', '老用户', ?, '2026-11-01 08:00:00')",
                   (hash_password("old-password"),))
        db.execute("INSERT INTO sessions VALUES ('hash-of-old-login', 7, ?)", (time.time() + 3600,))
        db.execute("INSERT INTO login_failures VALUES ('Old-User', ?)", (time.time() - 10,))
    with sqlite3.connect(folder / "chat.sqlite") as db:
        db.execute("INSERT INTO sessions VALUES ('sess-1', 'user:7', ?, ?, '{}')", (time.time(), time.time()))
        db.execute("INSERT INTO messages (session_id, body) VALUES ('sess-1', ?)",
                   (message("user", "旧消息").model_dump_json(),))
    job = JobPosting(id="W000003", title="旧岗位").model_dump_json()
    with sqlite3.connect(folder / "talent_market.sqlite") as db:
        db.execute("INSERT INTO postings VALUES (3, 7, '旧公司', ?, ?, '[]', '2026-11-01T08:00:00+00:00')",
                   (job, PostingCheck(issues=[]).model_dump_json()))
    with sqlite3.connect(folder / "feedback.sqlite") as db:
        db.execute("INSERT INTO feedback VALUES (1, '2026-11-01T08:00:00+00:00', 's', '旧问题', '[]', '', 0, '[]', "
                   "'bad', '', 0, '[]', '[]', NULL)")


def _summary() -> dict[str, Any]:
    values: dict[str, Any] = {name: 0 for name in EvalSummary.model_fields}
    return {**values, "hit_curve": [], "accuracy_by_kind": {}}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
