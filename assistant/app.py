"""The composition root: every service built once from `Settings`; CLI, web, chat, staff and benchmarks use `App`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.accounts import AccountStore
from assistant.chat.service import ChatService, build_chat_service
from assistant.chat.sessions import SessionStore
from assistant.config import Settings
from assistant.eligibility.service import EligibilityService
from assistant.eligibility.store import NoticeStore
from assistant.insights.service import InsightService
from assistant.jobs.service import JobService
from assistant.market.service import TalentMarket
from assistant.market.store import MarketStore
from assistant.policy.service import PolicyService, build_policy_service
from assistant.resume.service import ResumeService
from assistant.retrieval.worker import ParseWorker
from assistant.skills.service import SkillService
from assistant.staff.evaluation_runs import EvaluationRunner
from assistant.staff.feedback import FeedbackStore
from assistant.storage import Database, open_database
from assistant.tools.policy_search import person_reader


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
    database: Database  # every store's tables: SQLite in data_dir, or PostgreSQL (ASSISTANT_DATABASE_URL)
    eligibility: EligibilityService  # conditions of every policy and call, verdicts, policy notices


def build_app(settings: Settings, embeddings: Embeddings | None = None, policy: PolicyService | None = None) -> App:
    """Wire every service described by `settings`; a caller may pass its own encoder or an already built index."""
    policy = policy or build_policy_service(settings, embeddings)
    skills = SkillService(settings)
    parsing = policy.ingestor.parsing = ParseWorker.from_settings(settings)
    resumes = ResumeService(settings, skills, parsing)
    jobs = JobService(settings)
    insights = InsightService(settings)
    url = settings.database_url.get_secret_value() if settings.database_url else None
    database = open_database(settings.data_dir, url)
    eligibility = EligibilityService(settings, policy, NoticeStore(database))
    policy.ingest_listeners.append(eligibility.after_ingest)  # sidecars and notices for what an ingest changed
    policy.person_reader = person_reader(eligibility)  # "我是硕士毕业生，…": the person steers the policy search
    market = TalentMarket(settings, jobs=jobs, skills=skills, resumes=resumes, policy=policy,
                          store=MarketStore(database), eligibility=eligibility)
    chat = build_chat_service(settings, policy=policy, jobs=jobs, skills=skills, resumes=resumes, insights=insights,
                              store=SessionStore(database, settings.chat_session_ttl_hours), eligibility=eligibility)
    accounts = AccountStore(database)
    evaluations = EvaluationRunner(policy, settings.corpus_dir.parent / "eval", settings.data_dir / "eval_runs",
                                   database=database)
    feedback = FeedbackStore(database)
    import_legacy_files(settings.data_dir, accounts, chat.store, market.store, feedback)
    return App(settings=settings, policy=policy, skills=skills, resumes=resumes, jobs=jobs, insights=insights,
               market=market, chat=chat, accounts=accounts, evaluations=evaluations, feedback=feedback,
               parsing=parsing, database=database, eligibility=eligibility)


def import_legacy_files(data_dir: Path, accounts: AccountStore, chat: SessionStore, market: MarketStore,
                        feedback: FeedbackStore) -> None:
    """Rows of the per-store SQLite files of earlier versions, copied into the database once (the files stay)."""
    accounts.import_legacy(data_dir / "web.sqlite")
    chat.import_legacy(data_dir / "chat.sqlite")
    market.import_legacy(data_dir / "talent_market.sqlite")
    feedback.import_legacy(data_dir / "feedback.sqlite")
