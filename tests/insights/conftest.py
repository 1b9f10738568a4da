"""Fixtures for the insights tests: the hand-computed library as a frame, the real 2019 ads (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from assistant.insights.frame import Frame, frame_from_records
from assistant.jobs.library import build_library, library_dir
from assistant.jobs.models import JobPosting, TalentProfile

HAND_LIBRARY = Path(__file__).resolve().parents[1] / "data" / "insights" / "library.json"
REAL_ADS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "jobs_2019_boss_liepin_lagou"


def hand_records() -> tuple[list[JobPosting], list[TalentProfile]]:
    """The 7 postings and 6 talents of tests/data/insights/library.json."""
    raw = json.loads(HAND_LIBRARY.read_text(encoding="utf-8"))
    return ([JobPosting.model_validate(p) for p in raw["postings"]],
            [TalentProfile.model_validate(t) for t in raw["talents"]])


@pytest.fixture(scope="session")
def hand_frame() -> Frame:
    postings, talents = hand_records()
    return frame_from_records(postings, talents, data_date="2026-11-01", source="手算样例库")


@pytest.fixture(scope="session")
def ads_frame() -> Frame:
    if not REAL_ADS.is_dir():
        pytest.skip(f"real job ads not found at {REAL_ADS} (../shared/data is absent in a user's clone)")
    from assistant.insights.ads import frame_from_ads

    return frame_from_ads(REAL_ADS, data_date="2019")


@pytest.fixture(scope="session")
def library_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data directory holds a generated 400 + 400 library."""
    settings = load_settings(data_dir=tmp_path_factory.mktemp("insights-data"), embedding_provider="none")
    build_library(library_dir(settings.data_dir), postings=400, talents=400, seed=11)
    return settings
