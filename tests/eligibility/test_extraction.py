"""Conditions read from the documents' own text: typed where the rules know the kind, free text otherwise, and every
one citing the passage it came from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.eligibility.extraction import extract_conditions
from assistant.eligibility.models import ConditionSet
from assistant.evaluation.metrics import is_supported
from assistant.retrieval.loading import discover, load_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "documents"


def conditions_of(name: str) -> ConditionSet:
    path = next(p for p in discover(CORPUS) if p.name == name)
    return extract_conditions(load_document(path, CORPUS))


def test_an_article_gives_age_and_degree_years_of_its_programme() -> None:
    found = conditions_of("policy-postdoc-innovation-doubling.md")
    sixth = [c for c in found.conditions if c.track == "第六条"]
    assert {(c.kind, str(c.value)) for c in sixth} >= {("age", "35"), ("degree_years", "3")}
    assert all(c.passage.startswith("第六条") for c in sixth)


def test_a_call_keeps_its_programmes_apart_with_birth_date_anchors_and_alternatives() -> None:
    found = conditions_of("announcement-2027-chongqing-yingcai-plan.md")
    young = [c for c in found.conditions if c.track == "青年拔尖人才"]
    age = next(c for c in young if c.kind == "age")
    assert age.value == 40 and age.born_after == dt.date(1986, 1, 1)
    alternatives = [c for c in young if c.role == "any_of"]
    assert {c.kind for c in alternatives} == {"education", "title"} and len({c.group for c in alternatives}) == 1
    software = [c for c in found.conditions if c.track.startswith("软件人才")]
    assert ("age", "45") in {(c.kind, str(c.value)) for c in software}
    assert any(c.kind == "window" and c.value == "2026-11-15/2027-01-15" for c in found.conditions)
    assert any(c.kind == "employer_type" and c.op == "not_in" and "党政机关" in c.value for c in found.conditions)
    assert any(c.kind == "award_excluded" and "重庆英才计划" in str(c.value) for c in found.conditions)


def test_womens_relaxed_age_is_kept_on_the_age_condition() -> None:
    age = next(c for c in conditions_of("announcement-2027-young-innovative-talent.md").conditions
               if c.kind == "age" and c.value == 35)
    assert age.born_after == dt.date(1991, 1, 1)
    assert (age.female_value, age.female_born_after) == (37, dt.date(1989, 1, 1))


def test_untyped_conditions_are_kept_as_free_text() -> None:
    found = conditions_of("announcement-2027-foreign-high-end-talent.md")
    texts = {c.text for c in found.conditions if c.kind == "other"}
    assert "无犯罪记录" in texts and "身体健康" in texts
    assert any(c.kind == "nationality" for c in found.conditions)
    assert found.materials and found.where


def test_every_condition_of_the_corpus_is_supported_by_its_passage() -> None:
    checked = 0
    for path in discover(CORPUS):
        document = load_document(path, CORPUS)
        blocks = {b.text for b in document.blocks}
        for condition in extract_conditions(document).conditions:
            assert condition.passage in blocks, condition
            assert is_supported(condition.text, condition.passage), condition
            checked += 1
    assert checked > 300
