"""Fixtures for the jobs tests: a small library built once per session, the default weights."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.jobs.library import Library, build_library, load_library
from assistant.jobs.matching import MatchWeights, load_weights

JOBS_DATA = Path(__file__).resolve().parents[1] / "data" / "jobs"


@pytest.fixture(scope="session")
def library_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("data") / "jobs"
    build_library(directory, postings=1500, talents=1500, seed=7)
    return directory


@pytest.fixture(scope="session")
def library(library_path: Path) -> Iterator[Library]:
    opened = load_library(library_path)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def weights() -> MatchWeights:
    return load_weights()
