"""A person's facts: from chat words, a résumé, or a saved profile — each marked with where it came from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.app import App
from assistant.eligibility.facts import facts_from_profile, facts_from_text
from assistant.jobs.models import TalentProfile
from assistant.vocab.education import Education

TODAY = dt.date(2026, 11, 22)
RESUME = Path(__file__).resolve().parents[1] / "data" / "eligibility" / "resume_phd.txt"


def test_the_issues_sentence_gives_age_degree_district_and_years_as_stated() -> None:
    facts = facts_from_text("我是35岁的博士，在渝北区一家企业工作3年", TODAY)
    known = {name: (fact.value, fact.source) for name, fact in facts.known().items()}
    assert known["age"] == (35, "stated") and known["education"] == ("博士", "stated")
    assert known["district"] == ("渝北区", "stated") and known["employer_type"] == ("企业", "stated")
    assert known["work_years"] == (3.0, "stated") and known["employer_years"] == (3.0, "stated")
    assert facts.title.source == "unknown" and facts.nationality.source == "unknown"


def test_nothing_is_invented_from_an_unrelated_message() -> None:
    assert facts_from_text("你好，请问今天天气怎么样？", TODAY).known() == {}
    assert set(facts_from_text("那如果我去璧山呢？", TODAY).known()) == {"district", "residence"}


def test_a_resume_gives_degree_field_graduation_and_current_employer(elig_app: App) -> None:
    document = elig_app.resumes.read(RESUME.read_bytes(), RESUME.name)
    facts = elig_app.eligibility.facts_from_resume(document)
    assert (facts.education.value, facts.education.source) == ("博士", "from_resume")
    assert facts.field.value == "材料科学与工程" and facts.degree_date.value == "2024-06"
    assert facts.district.value == "渝北区" and facts.employer_years.source == "from_resume"
    assert facts.age.source == "unknown"  # the résumé does not say it


def test_a_saved_profile_gives_its_facts_marked_profile() -> None:
    profile = TalentProfile(id="U7", education=Education.MASTER, major="机械工程", district="璧山区",
                            years_experience=4, title_level=2)
    facts = facts_from_profile(profile)
    assert {n: f.source for n, f in facts.known().items()} == dict.fromkeys(
        ["education", "field", "district", "residence", "work_years", "title"], "profile")
    assert facts.education.value == "硕士" and facts.title.value == "中级"
