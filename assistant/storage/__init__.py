"""One storage layer for every store: SQLAlchemy Core over SQLite (embedded default) or PostgreSQL, with Alembic."""

from assistant.storage.database import Database, StorageError, database_url, inserted_id, open_database

__all__ = ["Database", "StorageError", "database_url", "inserted_id", "open_database"]
