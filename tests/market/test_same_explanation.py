"""One pair, one explanation: the chat's job card, the résumé page and the employer's candidate agree."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.app import App, build_app
from assistant.jobs.explain import explain
from assistant.jobs.fairness import PostingCheck
from assistant.tools.base import ToolContext
from assistant.tools.job_matching import MatchJobsInput, match_jobs_tool
from assistant.tools.models import SessionState
from tests.web.market_support import ANALYST, market_settings

OWNER = "user:1"
# Far from the real date, so that a path reading the résumé without the configured date gets other years.
LATER = dt.date(2031, 6, 30)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    settings = market_settings(tmp_path_factory.mktemp("same-explanation")).model_copy(update={"today": LATER})
    return build_app(settings)


def test_chat_resume_page_and_employer_give_the_same_strengths_and_gaps(app: App) -> None:
    data = ANALYST.read_bytes()
    report = app.market.review(data, "analyst.txt")
    assert report.jobs, report.jobs_note
    session_id, _ = app.chat.upload_resume(None, OWNER, data, "analyst.txt")
    reply = app.chat.turn(session_id, "有什么适合我的岗位？", OWNER)
    output = reply.results[0].output
    assert reply.tool_calls[0].tool == "match_jobs" and output["profile"]["source"] == "resume"
    # the chat reads the résumé as of the configured date, as the résumé page does
    assert output["profile"]["years_experience"] == report.profile.years_experience
    cards = {card["id"]: card for card in output["jobs"]}
    assert [m.job.id for m in report.jobs] == list(cards)
    for matched in report.jobs:
        assert (cards[matched.job.id]["strengths"], cards[matched.job.id]["gaps"]) == (matched.strengths, matched.gaps)
        assert matched.strengths or matched.gaps

    # the employer posts the résumé's best job; the same résumé, saved and opted in, is a candidate
    best = report.jobs[0]
    job = app.jobs.library().posting(best.job.id)
    saved = app.market.save_profile(7, "陈思远", data, "analyst.txt", opt_in=True)
    assert saved.profile.years_experience == report.profile.years_experience
    posting = app.market.store.add_posting(3, job.company, job, PostingCheck(issues=[]), [])
    candidate = next(c for c in app.market.candidates(3, posting.id, top_k=10) if c.ref == "user:7")
    assert (candidate.strengths, candidate.gaps) == (best.strengths, best.gaps)

    # and the job page shows the talent the same
    detail = app.market.job_detail(job.id, user_id=7)
    assert detail.match is not None and (detail.strengths, detail.gaps) == (best.strengths, best.gaps)
    assert explain(detail.match) == (best.strengths, best.gaps)


def test_an_old_session_without_stored_fields_reads_them_as_of_the_configured_date(app: App) -> None:
    document = app.resumes.read(ANALYST.read_bytes(), "analyst.txt")
    state = SessionState(resume=document.parsed)  # saved before résumé fields were kept
    ctx = ToolContext(policy=app.policy, jobs=app.jobs, skills=app.skills, resumes=app.resumes,
                      insights=app.insights, settings=app.settings, state=state)
    output = match_jobs_tool(ctx, MatchJobsInput())
    assert output.profile.source == "resume" and output.profile.years_experience == document.fields.total_years
    assert state.last_jobs == output.jobs and state.last_match_tool == "match_jobs"


def test_the_rule_keeps_good_dimensions_and_costly_ones(app: App) -> None:
    library = app.jobs.library()
    job = library.posting("J000001")
    for result, _ in app.jobs.talents_for(job, 20):
        strengths, gaps = explain(result)
        assert len(strengths) <= 3 and len(gaps) <= 2
        compared = {f"{d.label}：{d.evidence}": d for d in result.dimensions if d.status == "compared" and d.weight > 0}
        assert all(compared[s].score >= 0.7 for s in strengths) and all(compared[g].score < 0.5 for g in gaps)
        weighted = sorted((d.weight * d.score for d in compared.values() if d.score >= 0.7), reverse=True)
        assert [compared[s].weight * compared[s].score for s in strengths] == weighted[:3]


def test_warm_up_builds_the_catalogue_and_the_skill_index(app: App) -> None:
    app.market.warm_up()
    assert app.jobs.catalogue() is app.jobs.catalogue()
    assert app.market.facets().titles
