"""The store test suite runs on both backends: `database` is an embedded SQLite file or a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.storage import Database
from tests.storage.postgres import SKIP_REASON, binaries, fresh_database, postgres_server


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A PostgreSQL server started for this test session (skips, saying why, when the package is missing)."""
    if binaries() is None:
        pytest.skip(SKIP_REASON)
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of each backend."""
    if request.param == "sqlite":
        db = Database.sqlite(tmp_path / "assistant.sqlite")
    else:
        db = Database(fresh_database(request.getfixturevalue("postgres_admin_url")))
    yield db
    db.dispose()
