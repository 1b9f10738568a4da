"""The composition root: every service built once from `Settings`; CLI, web, chat, staff and benchmarks use `App`."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from assistant.accounts import AccountStore
from assistant.chat.service import ChatService, build_chat_service
from assistant.config import Settings
from assistant.insights.service import InsightService
from assistant.jobs.service import JobService
from assistant.market.service import TalentMarket
from assistant.policy.service import PolicyService, build_policy_service
from assistant.resume.service import ResumeService
from assistant.retrieval.worker import ParseWorker
from assistant.skills.service import SkillService
from assistant.staff.evaluation_runs import EvaluationRunner
from assistant.staff.feedback import FeedbackStore


@dataclass
class App:
    """One instance of each service; entry points are thin adapters over these."""

    settings: Settings
    policy: PolicyService
    skills: SkillService
    resumes: ResumeService
    jobs: JobService
    insights: InsightService
    market: TalentMarket
    chat: ChatService
    accounts: AccountStore
    evaluations: EvaluationRunner
    feedback: FeedbackStore
    parsing: ParseWorker  # résumé and corpus parsing in a child process under a hard time limit


def build_app(settings: Settings, embeddings: Embeddings | None = None, policy: PolicyService | None = None) -> App:
    """Wire every service described by `settings`; a caller may pass its own encoder or an already built index."""
    policy = policy or build_policy_service(settings, embeddings)
    skills = SkillService(settings)
    parsing = policy.ingestor.parsing = ParseWorker.from_settings(settings)
    resumes = ResumeService(settings, skills, parsing)
    jobs = JobService(settings)
    insights = InsightService(settings)
    market = TalentMarket(settings, jobs=jobs, skills=skills, resumes=resumes, policy=policy)
    chat = build_chat_service(settings, policy=policy, jobs=jobs, skills=skills, resumes=resumes, insights=insights)
    accounts = AccountStore(settings.data_dir / "web.sqlite")
    evaluations = EvaluationRunner(policy, settings.corpus_dir.parent / "eval", settings.data_dir / "eval_runs")
    feedback = FeedbackStore(settings.data_dir / "feedback.sqlite")
    return App(settings=settings, policy=policy, skills=skills, resumes=resumes, jobs=jobs, insights=insights,
               market=market, chat=chat, accounts=accounts, evaluations=evaluations, feedback=feedback,
               parsing=parsing)
