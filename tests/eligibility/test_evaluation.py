"""Verdicts: gates first, each condition met / not met / unknown with its cited passage, the edge cases of ages on the
counting date, 满N年 boundaries, alternatives, closed calls and another district's call."""

from __future__ import annotations

import datetime as dt

from assistant.app import App
from assistant.eligibility.evaluation import Evaluator
from assistant.eligibility.models import DocumentVerdict, Fact, PersonFacts
from tests.eligibility.conftest import DISTRICT_CALL, TODAY


def stated(**values: object) -> PersonFacts:
    return PersonFacts(**{k: Fact(value=v, source="stated", evidence=str(v)) for k, v in values.items()})


def verdict(app: App, doc_id: str, facts: PersonFacts, track: str | None = None,
            today: dt.date = TODAY) -> DocumentVerdict:
    meta, conditions, _ = app.eligibility.conditions(doc_id)
    found = Evaluator(today).document(meta, conditions, facts, track=track)
    assert found is not None
    return found


YINGCAI = "announcement-2027-chongqing-yingcai-plan"
YOUNG = "青年拔尖人才"


def phd(**more: object) -> PersonFacts:
    return stated(education="博士", residence="在渝", district="渝北区", contract_years=5.0, chongqing_years=2.0,
                  **more)


def test_a_birth_date_on_the_anchor_day_meets_it_and_a_day_earlier_does_not(elig_app: App) -> None:
    assert verdict(elig_app, YINGCAI, phd(birth_date="1986-01-01"), YOUNG).verdict == "符合"
    late = verdict(elig_app, YINGCAI, phd(birth_date="1985-12-31"), YOUNG)
    assert late.verdict == "不符合" and "1986年1月1日" in late.summary


def test_an_age_alone_that_straddles_the_anchor_is_a_question(elig_app: App) -> None:
    # 40 today (2026-11-22): born between 1985-11-23 and 1986-11-22, on either side of 1986-01-01.
    result = verdict(elig_app, YINGCAI, phd(age=40), YOUNG)
    assert result.verdict == "可能符合"
    assert "您的出生日期是否在1986年1月1日以后？" in result.questions


def test_one_alternative_is_enough_and_none_known_is_a_question(elig_app: App) -> None:
    title_only = stated(title="副高级", residence="在渝", contract_years=5.0, chongqing_years=2.0,
                        birth_date="1990-05-01", education="硕士")
    assert verdict(elig_app, YINGCAI, title_only, YOUNG).verdict == "符合"
    neither = stated(residence="在渝", contract_years=5.0, chongqing_years=2.0, birth_date="1990-05-01",
                     education="硕士", title="中级")
    assert verdict(elig_app, YINGCAI, neither, YOUNG).verdict == "不符合"
    unknown = stated(residence="在渝", contract_years=5.0, chongqing_years=2.0, birth_date="1990-05-01",
                     education="硕士")
    assert verdict(elig_app, YINGCAI, unknown, YOUNG).verdict == "可能符合"


def test_years_at_exactly_the_limit_meet_it() -> None:
    from tests.eligibility.test_extraction import conditions_of

    conditions = conditions_of("policy-talent-housing-security.md")
    meta_like = _meta("policy-talent-housing-security")
    evaluator = Evaluator(TODAY)
    base = dict(tier="新重庆人才B类", residence="在渝")
    exactly = evaluator.document(meta_like, conditions, stated(work_years=5.0, chongqing_years=5.0, **base),
                                 track="第六条")
    short = evaluator.document(meta_like, conditions, stated(work_years=4.9, chongqing_years=4.9, **base),
                               track="第六条")
    assert exactly is not None and short is not None
    assert exactly.verdict == "符合" and short.verdict == "不符合"


def _meta(doc_id: str):  # type: ignore[no-untyped-def]
    from assistant.retrieval.documents import DocumentMeta

    return DocumentMeta(id=doc_id, title=doc_id, kind="policy")


def test_a_closed_call_fails_at_the_gate_whatever_the_person(elig_app: App) -> None:
    result = verdict(elig_app, "announcement-2025-chongqing-yingcai-plan", phd(birth_date="1990-01-01"))
    assert result.verdict == "不符合" and result.gates[0].status == "not_met"
    assert "截止" in result.summary


def test_another_districts_call_fails_and_moving_there_changes_it(elig_app: App) -> None:
    person = stated(education="博士", age=33, contract_years=3.0)
    elsewhere = verdict(elig_app, DISTRICT_CALL, person.merged(stated(district="渝北区", residence="在渝")))
    assert elsewhere.verdict == "不符合" and "璧山区" in elsewhere.summary
    there = verdict(elig_app, DISTRICT_CALL, person.merged(stated(district="璧山区", residence="在渝")))
    assert there.verdict == "符合" and there.deadline_soon  # deadline 2026-12-01, 9 days after TODAY
    assert "每人10万元" in "".join(there.amounts) and there.materials and there.where


def test_a_yes_answer_settles_the_question_it_was_asked_for(elig_app: App) -> None:
    person = stated(education="博士", age=33, district="璧山区", residence="在渝")
    before = verdict(elig_app, DISTRICT_CALL, person)
    assert before.verdict == "可能符合" and before.questions
    key = before.question_keys[before.questions.index(next(q for q in before.questions if "合同" in q))]
    after = verdict(elig_app, DISTRICT_CALL, person.model_copy(update={"answers": {key: True}}))
    assert after.verdict == "符合"
    no = verdict(elig_app, DISTRICT_CALL, person.model_copy(update={"answers": {key: False}}))
    assert no.verdict == "不符合"


def test_every_verdict_cites_the_passages_of_the_conditions_it_shows(elig_app: App) -> None:
    report = elig_app.eligibility.evaluate(phd(age=35, title="中级"))
    assert report.verdicts and report.counts["符合"] + report.counts["可能符合"] > 0
    for v in report.verdicts:
        assert v.citations, v.doc_id
        cited = {c.passage for c in v.citations}
        best = next(t for t in v.tracks if t.track == v.best_track)
        assert all(r.condition.passage in cited for r in [*v.gates, *best.results])


def test_womens_relaxation_applies_only_to_women(elig_app: App) -> None:
    doc = "announcement-2027-young-innovative-talent"
    born = dict(birth_date="1990-02-10", education="博士", residence="在渝", contract_years=8.0)
    assert verdict(elig_app, doc, stated(gender="女", **born)).verdict != "不符合"
    assert verdict(elig_app, doc, stated(gender="男", **born)).verdict == "不符合"
