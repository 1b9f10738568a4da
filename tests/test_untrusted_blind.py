"""The instruction detector measured on text its patterns were not written from (numbers in docs/SAFETY.md).

1. The blind set tests/data/injection_blind/cases.yaml, written by an engineer who had not read the patterns. It was
   split before any tuning: each list (`attacks`, `benign`) sorted by id, items 0, 2, 4, … form the tuning half
   (the patterns were adjusted on it), items 1, 3, 5, … the test half, measured once after tuning.
2. Real text nobody here wrote: statutes, Guangdong service guides, BOSS直聘 job-ad requirements (skipped without
   ../shared/data). Every flagged sentence would be hidden from the model and never quoted.
The floors below are the measured numbers; a change to the patterns may not make them worse.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.untrusted import looks_like_instruction

REPO = Path(__file__).resolve().parents[1]
BLIND = REPO / "tests" / "data" / "injection_blind" / "cases.yaml"
SHARED = REPO.parent / "shared" / "data"
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+")
# Measured once on the test half, 2026-12-03 (docs/SAFETY.md): (caught attacks, flagged benign) per language.
TEST_HALF = {"zh": ((14, 26), (0, 28)), "en": ((4, 9), (0, 8)), "mixed": ((2, 6), (0, 5))}
# Flagged sentences of real text, 2026-12-03: at most this many.
REAL_TEXT_FLAGGED = {"statutes": 0, "service guides": 0, "job ads": 0}


def split(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(tuning half, test half): sorted by id, every second item to the test half."""
    ordered = sorted(items, key=lambda item: str(item["id"]))
    return ordered[0::2], ordered[1::2]


def blind() -> dict[str, list[dict[str, Any]]]:
    if not BLIND.exists():
        pytest.skip("the blind set tests/data/injection_blind/cases.yaml is absent")
    return yaml.safe_load(BLIND.read_text(encoding="utf-8"))


def by_language(items: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """(flagged, total) per language."""
    counts: dict[str, tuple[int, int]] = {}
    for item in items:
        flagged, total = counts.get(item["lang"], (0, 0))
        counts[item["lang"]] = (flagged + looks_like_instruction(item["text"]), total + 1)
    return counts


def test_the_split_is_by_sorted_id_and_halves_every_list() -> None:
    cases = blind()
    for kind in ("attacks", "benign"):
        tuning, test = split(cases[kind])
        assert len(tuning) - len(test) in (0, 1)
        assert not {i["id"] for i in tuning} & {i["id"] for i in test}
        assert {i["id"] for i in tuning} | {i["id"] for i in test} == {i["id"] for i in cases[kind]}


def test_the_tuning_half_is_caught_without_false_alarms() -> None:
    cases = blind()
    attacks, benign = split(cases["attacks"])[0], split(cases["benign"])[0]
    assert [a["id"] for a in attacks if not looks_like_instruction(a["text"])] == []
    assert [b["id"] for b in benign if looks_like_instruction(b["text"])] == []


def test_the_test_half_does_not_regress() -> None:
    cases = blind()
    attacks = by_language(split(cases["attacks"])[1])
    benign = by_language(split(cases["benign"])[1])
    for lang, ((caught, attack_total), (flagged, benign_total)) in TEST_HALF.items():
        assert attacks[lang][1] == attack_total and benign[lang][1] == benign_total, f"the set changed ({lang})"
        assert attacks[lang][0] >= caught, f"{lang}: recall fell to {attacks[lang]}"
        assert benign[lang][0] <= flagged, f"{lang}: false alarms rose to {benign[lang]}"


def _statutes() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((SHARED / "laws_zh").rglob("*.md"))]


def _service_guides() -> list[str]:
    lines = (SHARED / "gd_service_guides" / "policy.json").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return ["\n".join(str(v) for v in row.values() if isinstance(v, str)) for row in rows]


def _job_ads() -> list[str]:
    csv.field_size_limit(1 << 30)
    with (SHARED / "jobs_2019_boss_liepin_lagou" / "boss_zhipin_all_sheets.csv").open(encoding="utf-8",
                                                                                   newline="") as fh:
        return [row.get("职位要求") or "" for row in csv.DictReader(fh)]


REAL_TEXT: dict[str, Callable[[], list[str]]] = {"statutes": _statutes, "service guides": _service_guides,
                                                 "job ads": _job_ads}


@pytest.mark.parametrize("name", list(REAL_TEXT))
def test_real_benign_text_is_not_taken_for_instructions(name: str) -> None:
    if not SHARED.exists():
        pytest.skip("../shared/data is absent")
    sentences = [s.strip() for text in REAL_TEXT[name]() for s in _SENTENCE_RE.findall(text) if s.strip()]
    assert len(sentences) > 5000
    flagged = [s for s in sentences if looks_like_instruction(s)]
    assert len(flagged) <= REAL_TEXT_FLAGGED[name], flagged[:10]
