"""FastAPI dependencies: the `App` that `create_app` was given, and one alias per service it holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.accounts import AccountStore
from assistant.app import App
from assistant.chat.service import ChatService
from assistant.config import Settings
from assistant.eligibility.service import EligibilityService
from assistant.insights.service import InsightService
from assistant.jobs.service import JobService
from assistant.market.service import TalentMarket
from assistant.policy.service import PolicyService
from assistant.resume.service import ResumeService
from assistant.skills.service import SkillService
from assistant.staff.evaluation_runs import EvaluationRunner
from assistant.staff.feedback import FeedbackStore


def app_of(request: Request) -> App:
    """The services of the running application (built once by the caller of `create_app`)."""
    return request.app.state.services


def _settings(request: Request) -> Settings:
    return app_of(request).settings


def _policy(request: Request) -> PolicyService:
    return app_of(request).policy


def _skills(request: Request) -> SkillService:
    return app_of(request).skills


def _resumes(request: Request) -> ResumeService:
    return app_of(request).resumes


def _jobs(request: Request) -> JobService:
    return app_of(request).jobs


def _insights(request: Request) -> InsightService:
    return app_of(request).insights


def _market(request: Request) -> TalentMarket:
    return app_of(request).market


def _chat(request: Request) -> ChatService:
    return app_of(request).chat


def _eligibility(request: Request) -> EligibilityService:
    return app_of(request).eligibility


def _accounts(request: Request) -> AccountStore:
    return app_of(request).accounts


def _evaluations(request: Request) -> EvaluationRunner:
    return app_of(request).evaluations


def _feedback(request: Request) -> FeedbackStore:
    return app_of(request).feedback


AppDep = Annotated[App, Depends(app_of)]

SettingsDep = Annotated[Settings, Depends(_settings)]
PolicyDep = Annotated[PolicyService, Depends(_policy)]
SkillsDep = Annotated[SkillService, Depends(_skills)]
ResumesDep = Annotated[ResumeService, Depends(_resumes)]
JobsDep = Annotated[JobService, Depends(_jobs)]
InsightsDep = Annotated[InsightService, Depends(_insights)]
MarketDep = Annotated[TalentMarket, Depends(_market)]
ChatDep = Annotated[ChatService, Depends(_chat)]
AccountsDep = Annotated[AccountStore, Depends(_accounts)]
EligibilityDep = Annotated[EligibilityService, Depends(_eligibility)]
EvaluationsDep = Annotated[EvaluationRunner, Depends(_evaluations)]
FeedbackDep = Annotated[FeedbackStore, Depends(_feedback)]
