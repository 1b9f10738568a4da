"""Every table the stores keep, in one SQLAlchemy `MetaData` (the Alembic migrations create exactly these)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

# SQLite only auto-increments an `INTEGER PRIMARY KEY`; PostgreSQL gets 64-bit ids.
ID = BigInteger().with_variant(Integer(), "sqlite")
metadata = MetaData()

# --- accounts, web logins, login throttling and API tokens (assistant/accounts.py) ---------------------------------
accounts = Table(
    "accounts", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("username", Text, nullable=False),
    Column("username_key", Text, nullable=False, unique=True),  # lower-cased: names are unique regardless of case
    Column("role", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created", Float, nullable=False),
)
web_sessions = Table(
    "web_sessions", metadata,
    Column("token_hash", Text, primary_key=True),
    Column("user_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("expires", Float, nullable=False, index=True),
)
login_failures = Table(
    "login_failures", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("username_key", Text, nullable=False),
    Column("at", Float, nullable=False),
    Index("login_failures_by_name", "username_key", "at"),
)
api_tokens = Table(
    "api_tokens", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("user_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("created", Float, nullable=False),
    Column("last_used", Float, nullable=True),
    Column("revoked", Float, nullable=True),
)

# --- chat sessions (assistant/chat/sessions.py) ---------------------------------------------------------------------
chat_sessions = Table(
    "chat_sessions", metadata,
    Column("id", Text, primary_key=True),
    Column("owner", Text, nullable=False, index=True),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False, index=True),
    Column("state", Text, nullable=False),
)
chat_messages = Table(
    "chat_messages", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("session_id", Text, ForeignKey("chat_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Index("chat_messages_by_session", "session_id", "id"),
)

# --- talent market (assistant/market/store.py) ----------------------------------------------------------------------
market_profiles = Table(
    "market_profiles", metadata,
    Column("user_id", ID, primary_key=True, autoincrement=False),
    Column("display_name", Text, nullable=False),
    Column("profile", Text, nullable=False),
    Column("contact", Text, nullable=False),
    Column("resume_source", Text, nullable=False),
    Column("opt_in", Boolean, nullable=False, default=False),
    Column("updated", Text, nullable=False),
    Column("resume_data", LargeBinary, nullable=True),  # the saved résumé file itself (never shown to employers)
)
market_postings = Table(
    "market_postings", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("employer_id", ID, nullable=False, index=True),
    Column("company", Text, nullable=False),
    Column("job", Text, nullable=False),
    Column("checked", Text, nullable=False),
    Column("acknowledged", Text, nullable=False),
    Column("created", Text, nullable=False),
)
market_invitations = Table(
    "market_invitations", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("posting_id", ID, ForeignKey("market_postings.id"), nullable=False),
    Column("employer_id", ID, nullable=False),
    Column("talent_ref", Text, nullable=False),
    Column("talent_user_id", ID, nullable=True, index=True),
    Column("message", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created", Text, nullable=False),
    Column("decided", Text, nullable=True),
    UniqueConstraint("posting_id", "talent_ref", name="market_invitations_once"),
)

# --- staff: answer feedback and evaluation runs (assistant/staff/) --------------------------------------------------
staff_feedback = Table(
    "staff_feedback", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("created", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("history", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("grounded", Boolean, nullable=False),
    Column("cited_docs", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("should_decline", Boolean, nullable=False),
    Column("expected_docs", Text, nullable=False),
    Column("facts", Text, nullable=False),
    Column("kind", Text, nullable=True),
)
eval_runs = Table(
    "eval_runs", metadata,
    Column("id", Text, primary_key=True),
    Column("set_name", Text, nullable=False),
    Column("record", Text, nullable=False),  # EvalRecord JSON (what the staff page lists)
    Column("run", Text, nullable=False),  # the full EvalRun JSON
    Column("report_html", Text, nullable=False),
)

# --- web rate limits shared by every node (web/security.py), and one-time imports of the old SQLite files -------
rate_buckets = Table(
    "rate_buckets", metadata,
    Column("key", Text, primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated", Float, nullable=False, index=True),
)
legacy_imports = Table(
    "legacy_imports", metadata,
    Column("source", Text, primary_key=True),
    Column("imported", Float, nullable=False),
)

# --- policy notices: who opted in with which facts, and each talent's inbox (assistant/eligibility/store.py) ------
policy_subscriptions = Table(
    "policy_subscriptions", metadata,
    Column("user_id", ID, primary_key=True, autoincrement=False),
    Column("facts", Text, nullable=False),
    Column("opt_in", Boolean, nullable=False, default=False),
    Column("updated", Text, nullable=False),
)
policy_inbox = Table(
    "policy_inbox", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, nullable=False, index=True),
    Column("doc_id", Text, nullable=False),
    Column("version", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("deadline", Text, nullable=True),
    Column("deadline_soon", Boolean, nullable=False),
    Column("created", Text, nullable=False),
    Column("read", Boolean, nullable=False, default=False),
    UniqueConstraint("user_id", "doc_id", "version", name="policy_inbox_once"),
)
