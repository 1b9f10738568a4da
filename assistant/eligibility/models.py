"""Typed shapes of eligibility: a document's conditions, a person's facts, and the evaluation of one against the other.

The schema is documented in docs/ELIGIBILITY.md; the sidecar `<document file>.conditions.yaml` is a dump of
`ConditionSet`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

ConditionKind = Literal[
    "education",  # minimum education level (value: 大专/本科/硕士/博士/博士后)
    "field",  # field or discipline (value: list of words)
    "age",  # maximum age in years (value), counted at `counted_at`; `born_after` when the text gives a birth date
    "degree_years",  # years since the (doctoral) degree, maximum
    "work_years",  # years of work experience, minimum
    "chongqing_years",  # years working in Chongqing, minimum
    "employer_years",  # years with the current employer or post, minimum
    "contract_years",  # a labour contract with a Chongqing employer of at least N years (a commitment: stated)
    "postdoc",  # postdoctoral status (value: 在站/出站/拟进站)
    "title",  # professional title (职称) level, minimum (value: 初级/中级/副高级/正高级)
    "tier",  # talent tier (value: e.g. A类 … E类, 院士)
    "nationality",  # value: 外籍 or 中国籍
    "residence",  # working / living in Chongqing (value: 在渝)
    "employer_type",  # value: list of 企业/高校/科研院所/医疗卫生机构 …
    "district",  # the employer's district (value: list of districts, or one excluded with op=not_in)
    "award_required",  # a prior award / project one must hold (value: its words)
    "award_excluded",  # a prior award / project that excludes (value: its words)
    "window",  # application window (value: "YYYY-MM-DD/YYYY-MM-DD")
    "first_job",  # first full-time job in Chongqing: op=min, a date after which; op=max, years since (value)
    "postdoc_entry",  # date of (planned) entry to the postdoc station: op=between, "start/end" (either may be "")
    "share",  # the applicant's share of the company they founded, minimum percent (unknown: shown, not asked)
    "university",  # where the degree was earned (value: "双一流", "中国科学院大学", "世界排名前200" …; any one)
    "skill",  # vocational skill level (职业技能等级), minimum (value: 初级工/中级工/高级工/技师/高级技师)
    "revenue",  # the employer's revenue last year, minimum in 万元 (software revenue, sales …)
    "other",  # a condition the rules could not type: kept as text and shown
]
ConditionRole = Literal["gate", "any_of", "amount"]
Operator = Literal["min", "max", "in", "not_in", "required", "excluded", "between"]
FactSource = Literal["from_resume", "stated", "profile", "unknown"]
Status = Literal["met", "not_met", "unknown"]
Verdict = Literal["符合", "可能符合", "不符合"]
VERDICTS: tuple[Verdict, ...] = ("符合", "可能符合", "不符合")


class Condition(BaseModel):
    """One eligibility condition of one document, with the exact passage it was read from."""

    id: str = Field(description="Stable within the document: c1, c2 …")
    doc_id: str
    kind: ConditionKind
    op: Operator = "required"
    value: int | float | str | list[str] | None = None
    counted_at: dt.date | None = Field(
        default=None, description="For age: the date the age is counted at; for years (满N年) of a call: the end of "
                                  "its window (the years are counted up to it).")
    born_after: dt.date | None = Field(default=None, description="For age: 'born on or after' as the text states it.")
    female_value: int | None = Field(default=None, description="For age: the limit for women (女性可放宽至…).")
    female_born_after: dt.date | None = Field(default=None, description="For age: the women's birth-date anchor.")
    role: ConditionRole = "gate"
    subject: Literal["person", "organisation"] = Field(
        default="person", description="organisation: a condition of the employer, team or project (shown to check, "
                                      "never holds a person's verdict back).")
    group: str | None = Field(default=None, description="For any_of: conditions sharing a group, one suffices.")
    track: str = Field(default="", description="The programme of the document it belongs to; '' = all of them.")
    amount: str | None = Field(default=None, description="For role=amount: the amount that applies when met.")
    text: str = Field(description="The clause that states the condition.")
    passage: str = Field(description="The document's own passage (a block: article, list item, table row).")


class ConditionSet(BaseModel):
    """A document's conditions as stored in its sidecar; `reviewed` sidecars are never overwritten by extraction."""

    doc_id: str
    title: str = ""
    source_hash: str = Field(default="", description="SHA-256 of the document's files the conditions were read from.")
    extractor: str = Field(default="", description="Version of the rules that wrote it (newer rules re-extract).")
    extracted: dt.datetime | None = None
    reviewed: bool = False
    reviewed_by: str | None = None
    tracks: list[str] = Field(default_factory=list, description="Programmes of the document, in reading order.")
    conditions: list[Condition] = Field(default_factory=list)
    materials: list[str] = Field(default_factory=list, description="申报材料 items, as written.")
    where: list[str] = Field(default_factory=list, description="申报方式 / 受理 passages: where and how to apply.")


class Fact(BaseModel):
    """One fact about the person and where it came from; `unknown` facts have no value."""

    value: int | float | str | list[str] | dt.date | None = None
    source: FactSource = "unknown"
    evidence: str = Field(default="", description="The résumé line or chat words it was read from.")


class PersonFacts(BaseModel):
    """A typed profile of a person, every fact marked as from the résumé, stated, from the saved profile, or unknown."""

    age: Fact = Field(default_factory=Fact)
    gender: Fact = Field(default_factory=Fact, description="Read only where a document relaxes a limit by it.")
    birth_date: Fact = Field(default_factory=Fact)
    education: Fact = Field(default_factory=Fact, description="大专/本科/硕士/博士/博士后")
    field: Fact = Field(default_factory=Fact)
    degree_date: Fact = Field(default_factory=Fact, description="When the highest degree was obtained.")
    work_years: Fact = Field(default_factory=Fact)
    chongqing_years: Fact = Field(default_factory=Fact)
    employer_years: Fact = Field(default_factory=Fact)
    contract_years: Fact = Field(default_factory=Fact)
    postdoc: Fact = Field(default_factory=Fact, description="在站/出站/拟进站")
    postdoc_out_years: Fact = Field(default_factory=Fact, description="Years since leaving the postdoc station.")
    title: Fact = Field(default_factory=Fact, description="初级/中级/副高级/正高级")
    tier: Fact = Field(default_factory=Fact)
    nationality: Fact = Field(default_factory=Fact)
    residence: Fact = Field(default_factory=Fact)
    employer_type: Fact = Field(default_factory=Fact)
    district: Fact = Field(default_factory=Fact, description="The district the person works (or will work) in.")
    awards: Fact = Field(default_factory=Fact, description="Prior awards / projects (list of their names).")
    first_job_cq: Fact = Field(default_factory=Fact, description="When the first full-time job in Chongqing began.")
    postdoc_entry: Fact = Field(default_factory=Fact, description="Date of entry to the postdoc station (or planned).")
    share: Fact = Field(default_factory=Fact, description="Percent of the company the person founded that they hold.")
    university: Fact = Field(default_factory=Fact, description="Class of the degree's university (双一流 …).")
    skill: Fact = Field(default_factory=Fact, description="Vocational skill level: 初级工 … 技师, 高级技师.")
    employer_revenue: Fact = Field(default_factory=Fact, description="The employer's revenue last year, in 万元.")
    answers: dict[str, bool] = Field(
        default_factory=dict, description="Yes/no answers the person gave to questions, by condition key.")

    def known(self) -> dict[str, Fact]:
        """The facts that have a value."""
        return {name: fact for name, fact in self if isinstance(fact, Fact) and fact.source != "unknown"}

    def merged(self, other: PersonFacts) -> PersonFacts:
        """These facts with every known fact of `other` laid over them (a later statement wins)."""
        return self.model_copy(update={**other.known(), "answers": {**self.answers, **other.answers}})


class ConditionResult(BaseModel):
    """One condition as evaluated for one person."""

    condition: Condition
    status: Status
    reason: str
    fact: str | None = Field(default=None, description="The person's fact it was decided on, with its source.")
    question: str | None = Field(default=None, description="What to ask to settle an unknown.")
    key: str = Field(default="", description="The condition's key: a yes/no answer to its question settles it.")


class TrackResult(BaseModel):
    """One programme of a document: its conditions and its own verdict."""

    track: str
    verdict: Verdict
    results: list[ConditionResult]
    amounts: list[ConditionResult] = Field(default_factory=list)


class Citation(BaseModel):
    """A passage of the document that a verdict rests on."""

    n: int
    doc_id: str
    passage: str


class DocumentVerdict(BaseModel):
    """The evaluation of one document for one person."""

    doc_id: str
    title: str
    kind: str
    region: str
    verdict: Verdict
    summary: str
    gates: list[ConditionResult] = Field(default_factory=list, description="Expired, window, region.")
    tracks: list[TrackResult] = Field(default_factory=list)
    best_track: str = ""
    free_text: list[Condition] = Field(default_factory=list, description="Untyped conditions: check them yourself.")
    amounts: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    question_keys: list[str] = Field(default_factory=list, description="Parallel to questions.")
    materials: list[str] = Field(default_factory=list)
    deadline: dt.date | None = None
    deadline_soon: bool = False
    where: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class EligibilityReport(BaseModel):
    """Every concerned document's verdict for one person, best first, with the facts used."""

    facts: PersonFacts
    today: dt.date
    verdicts: list[DocumentVerdict]
    questions: list[str] = Field(default_factory=list, description="The questions that would settle most unknowns.")
    counts: dict[str, int] = Field(default_factory=dict)
