"""The seeded generator: same seed, same library; plausible Chongqing distributions."""

from __future__ import annotations

from collections import Counter
from statistics import median

import pytest

from assistant.errors import AssistantError
from assistant.jobs.generation import generate_postings, generate_talents, load_catalogue


def test_same_seed_gives_the_same_records_and_another_seed_does_not() -> None:
    assert generate_postings(200, seed=11) == generate_postings(200, seed=11)
    assert generate_talents(200, seed=11) == generate_talents(200, seed=11)
    assert generate_postings(200, seed=11) != generate_postings(200, seed=12)


def test_postings_cover_chongqing_industries_and_districts() -> None:
    catalogue = load_catalogue()
    postings = generate_postings(3000, seed=3)
    assert {p.industry for p in postings} == set(catalogue.industries)
    assert {p.district for p in postings} <= set(catalogue.districts)
    districts = Counter(p.district for p in postings)
    assert districts["渝北区"] > districts["黔江区"]  # weighted towards the central districts
    assert len({p.id for p in postings}) == 3000
    for posting in postings[:300]:
        spec = catalogue.industry(posting.industry)
        assert set(posting.skills_required) <= set(spec["skills"])
        assert posting.function in spec["functions"]


def test_salary_rises_with_required_education_and_experience() -> None:
    postings = [p for p in generate_postings(4000, seed=5) if p.salary]
    by_education = {level: median(p.salary.low for p in postings if p.education_min == level) for level in (2, 3, 4)}
    assert by_education[2] < by_education[3] < by_education[4]
    junior = median(p.salary.low for p in postings if p.years_min == 0)
    senior = median(p.salary.low for p in postings if p.years_min >= 5)
    assert senior > junior


def test_talents_have_the_fields_matching_needs() -> None:
    talents = generate_talents(1000, seed=9)
    assert all(t.skills and t.education is not None and t.district for t in talents)
    assert 0.2 < sum(t.willing_to_relocate for t in talents) / 1000 < 0.4
    assert {t.protected.gender for t in talents} == {"男", "女"}  # stated, so the swap test has something to swap


def test_a_few_generated_postings_state_a_protected_demand() -> None:
    postings = generate_postings(3000, seed=3)
    flagged = [p for p in postings if p.stated_protected.model_dump(exclude_none=True)]
    assert 30 < len(flagged) < 200


# Terms the shared lexicon folds into a different concept (reported to its owner); the catalogue keeps them apart.
LEXICON_CONFLATIONS = {"六西格玛绿带", "学术推广", "焊接工艺", "电机控制", "示波器", "统计分析"}


def test_catalogue_skills_use_the_lexicon_canonical_names() -> None:
    """Skills extracted from résumés and ads come out canonical, so the library must be written the same way."""
    try:
        from assistant.skills.lexicon import default_lexicon

        lexicon = default_lexicon()
    except (ImportError, AssistantError) as exc:  # the lexicon is another team's package and data
        pytest.skip(f"skill lexicon unavailable: {exc}")
    catalogue = load_catalogue()
    names = {n for i in catalogue.industries for key in ("skills", "certificates") for n in catalogue.industry(i)[key]}
    aliased = {n: skill.name for n in names if n not in lexicon.skills and (skill := lexicon.find(n))}
    assert set(aliased) <= LEXICON_CONFLATIONS, aliased
