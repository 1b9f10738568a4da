"""Eligibility fixtures: the demonstration corpus copied to a temporary folder (sidecars are written there, never
into the repository) plus one district call, indexed BM25-only, and the app over it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import App, build_app
from assistant.config import Settings, load_settings
from assistant.policy.service import build_policy_service
from tests.live import serving
from web.app import create_app

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "eligibility"
TODAY = dt.date(2026, 11, 22)
DISTRICT_CALL = "test-bishan-phd-housing"


def copy_corpus(target: Path, with_district_call: bool = True) -> Path:
    """The repository corpus (without its sidecars' reviews mattering: they are copied as they are) in `target`."""
    shutil.copytree(REPO / "corpus" / "documents", target)
    if with_district_call:
        shutil.copy(DATA / "bishan-phd-housing.md", target / "announcements" / "bishan-phd-housing.md")
    return target


@pytest.fixture(scope="session")
def elig_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("eligibility")
    corpus = copy_corpus(root / "corpus")
    return load_settings(data_dir=root / "data", corpus_dir=corpus, embedding_provider="none", today=TODAY,
                         demo=True, web_rate_limit_per_minute=0)


@pytest.fixture(scope="session")
def elig_app(elig_settings: Settings) -> App:
    policy = build_policy_service(elig_settings)
    app = build_app(elig_settings, policy=policy)
    policy.ingest(build_vectors=False)
    return app


@pytest.fixture(scope="session")
def elig_server(elig_app: App) -> Iterator[str]:
    with serving(create_app(elig_app)) as base_url:
        yield base_url
