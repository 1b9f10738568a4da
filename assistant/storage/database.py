"""`Database`: one SQLAlchemy engine, migrated to the newest schema on open; SQLite file or PostgreSQL server."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, CursorResult, Engine, Table, create_engine, event, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assistant.errors import AssistantError
from assistant.storage import schema

MIGRATIONS = Path(__file__).parent / "migrations"
EMBEDDED_FILE = "assistant.sqlite"
# One number for PostgreSQL's advisory lock: nodes starting together migrate one after the other.
_MIGRATION_LOCK = 7_240_218


class StorageError(AssistantError):
    """The database cannot be opened, migrated or reached."""

    http_status = 503
    exit_code = 2


def database_url(data_dir: Path, configured: str | None) -> str:
    """`ASSISTANT_DATABASE_URL` when set (``postgresql://`` means psycopg 3), else the SQLite file in the data dir."""
    if not configured:
        return f"sqlite:///{data_dir / EMBEDDED_FILE}"
    url = configured.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Database:
    """An engine over the configured database, thread-safe; `begin()` is one transaction."""

    def __init__(self, url: str, migrate: bool = True) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_postgres = parsed.get_backend_name() == "postgresql"
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        try:
            if self.is_sqlite:
                if parsed.database and parsed.database != ":memory:":
                    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
                self.engine: Engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
                event.listen(self.engine, "connect", _sqlite_connect)
                event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
            if migrate:
                self.migrate()
        except SQLAlchemyError as exc:
            raise StorageError(f"无法打开数据库 {parsed.render_as_string(hide_password=True)}：{exc}") from exc

    @classmethod
    def sqlite(cls, path: Path) -> Database:
        """A SQLite database in one file (created and migrated when new)."""
        return cls(f"sqlite:///{path}")

    @property
    def shared(self) -> bool:
        """Whether several nodes may use this database at once (a server, not a local file)."""
        return not self.is_sqlite

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self.engine.begin() as connection:
            yield connection

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (nothing to do when it is already there)."""
        script = ScriptDirectory(str(MIGRATIONS))
        with self.engine.begin() as connection:
            if self.is_postgres:
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            current = MigrationContext.configure(connection).get_current_revision()
            if current == script.get_current_head():
                return
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def insert_ignore(self, connection: Connection, table: Table, values: dict[str, Any]) -> None:
        """INSERT that does nothing when a unique key already holds the row (both dialects)."""
        dialect = postgresql if self.is_postgres else sqlite
        connection.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())

    def upsert(self, connection: Connection, table: Table, values: dict[str, Any], keys: list[str]) -> None:
        """INSERT … ON CONFLICT (keys) DO UPDATE with the other values (both dialects)."""
        dialect = postgresql if self.is_postgres else sqlite
        statement = dialect.insert(table).values(**values)
        updates = {name: statement.excluded[name] for name in values if name not in keys}
        connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=updates))

    def import_legacy(self, path: Path, tables: dict[str, tuple[Table, Any]]) -> bool:
        """Copy the rows of an old per-store SQLite file into the new tables, once per file (True when copied).

        `tables` maps an old table name to the new table and a function turning an old row (a dict) into the new
        row. The file itself is left as it was; a marker row keeps the copy from running twice, even when several
        nodes start at once.
        """
        if not path.is_file():
            return False
        source = f"{path.resolve()}"
        try:
            old = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error:
            return False
        try:
            old.row_factory = sqlite3.Row
            names = {row[0] for row in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            present = [name for name in tables if name in names]
            if not present:
                return False
            with self.begin() as connection:
                try:
                    with connection.begin_nested():
                        connection.execute(insert(schema.legacy_imports).values(source=source, imported=time.time()))
                except IntegrityError:
                    return False
                for name in present:
                    table, convert = tables[name]
                    rows = [convert(dict(row)) for row in old.execute(f'SELECT * FROM "{name}"')]  # noqa: S608
                    if rows:
                        connection.execute(insert(table), rows)
                    self._advance_sequence(connection, table)
            return True
        finally:
            old.close()

    def _advance_sequence(self, connection: Connection, table: Table) -> None:
        # Rows copied with their ids leave PostgreSQL's id sequence behind; move it past the largest id.
        column = table.autoincrement_column
        if not self.is_postgres or column is None:
            return
        largest = connection.execute(select(func.max(column))).scalar()
        if largest:
            connection.execute(text("SELECT setval(pg_get_serial_sequence(:table, :column), :value)"),
                               {"table": table.name, "column": column.name, "value": largest})

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def inserted_id(result: CursorResult[Any]) -> int:
    """The id the database gave the row an INSERT just added."""
    key = result.inserted_primary_key
    if key is None or key[0] is None:
        raise StorageError("数据库没有返回新记录的编号。")
    return int(key[0])


def open_database(data_dir: Path, configured: str | None) -> Database:
    """The application's database (see `database_url`), migrated."""
    return Database(database_url(data_dir, configured))


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (below); WAL lets readers work while one writer commits.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock at the start, so two writers queue on busy_timeout instead of one failing when
    # it upgrades a read lock.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
