"""The prompt-injection suite: every case through both engines is handled safely (see docs/SAFETY.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from tests.chat.injection_suite import InjectionHarness, load_cases

CASES = load_cases()


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InjectionHarness]:
    running = InjectionHarness(tmp_path_factory.mktemp("injection"), CASES)
    yield running
    running.close()


def test_the_suite_covers_every_channel_with_at_least_40_cases() -> None:
    channels = Counter(case["channel"] for case in CASES)
    assert len(CASES) >= 40 and len({case["id"] for case in CASES}) == len(CASES)
    assert set(channels) == {"corpus", "resume", "posting", "user"} and min(channels.values()) >= 8
    assert all(case.get("expect") is not None and case.get("marker") and case.get("llm") for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_llm_engine_handles_the_injection_safely(harness: InjectionHarness, case: dict) -> None:
    outcome = harness.run(case, "llm")
    assert outcome.safe, f"{outcome.failures}: {outcome.reply}"
    assert outcome.reached, "the injected text never reached the model: the case would test nothing"
    if not case.get("isolation"):
        assert outcome.raw_failures, "the scripted model did not comply: the case would test nothing"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_offline_engine_handles_the_injection_safely(harness: InjectionHarness, case: dict) -> None:
    outcome = harness.run(case, "offline")
    assert outcome.safe, f"{outcome.failures}: {outcome.reply}"
