"""The seeded generator: same seed, same library; plausible Chongqing distributions."""

from __future__ import annotations

from collections import Counter
from statistics import median

import pytest

from assistant.config import load_settings
from assistant.errors import AssistantError
from assistant.jobs.generation import generate_postings, generate_talents, load_catalogue
from assistant.skills.analysis import Posting, SkillIndex
from assistant.skills.extraction import SkillMatcher, extract_skills
from assistant.skills.lexicon import load_lexicon
from assistant.skills.roles import read_role
from assistant.skills.service import select_postings


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
        assert posting.function in spec["functions"]
        # A posting asks only for its own role's skills (no C++ or Figma in a Java ad).
        role = catalogue.role_skills(posting.industry, posting.function, posting.title)
        assert set(posting.skills_required) <= set(role), posting
        assert set(posting.skills_preferred) <= set(role) | set(catalogue.raw["soft_skills"]), posting
        assert all(word in posting.description for word in ("岗位职责", "任职要求", "福利"))


def test_every_catalogue_role_has_a_profile_of_lexicon_skills() -> None:
    catalogue = load_catalogue()
    matcher = SkillMatcher(load_lexicon(load_settings().skills_dir))
    for industry in catalogue.industries:
        for function, spec in catalogue.industry(industry)["functions"].items():
            for title in spec["titles"]:
                profile = catalogue.role_skills(industry, function, title)
                assert profile and all(isinstance(p, float) and 0 < p <= 1 for p in profile.values()), title
                for name in profile:  # the analysis can only count what extraction finds in the ad text
                    assert [m.name for m in extract_skills(name, matcher)] == [name], (title, name)


def test_the_skill_analysis_of_each_role_puts_its_own_core_skills_first() -> None:
    catalogue = load_catalogue()
    matcher = SkillMatcher(load_lexicon(load_settings().skills_dir))
    postings = generate_postings(6000, seed=13)
    index = SkillIndex([Posting(title=p.title, text=p.description, industry=p.industry) for p in postings], matcher)
    roles = [(i, f, t, read_role(t, matcher)) for i in catalogue.industries
             for f, spec in catalogue.industry(i)["functions"].items() for t in spec["titles"]]
    checked = 0
    for industry, function, title, role in roles:
        # 工艺工程师 and 生产工艺工程师 of four industries are one role with several profiles: not checked alone
        if any(role.same_role(other) and (i, f, t) != (industry, function, title) for i, f, t, other in roles):
            continue
        selection = select_postings(index, title, matcher)
        if len(selection.indices) < 20:
            continue
        profile = catalogue.role_skills(industry, function, title)
        core = sorted(profile, key=lambda name: -profile[name])[:3]
        top = index.analyze(selection.indices, top_k=1, examples=0).skills[0].name
        assert top in core, (title, top, core)
        checked += 1
    assert checked >= 40


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
