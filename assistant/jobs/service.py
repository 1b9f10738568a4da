"""JobService: the job library, its weights and catalogue, owned in one place; matching both ways, explained once.

Every entry point that ranks or explains a match (CLI, chat tools, résumé, jobs and employer pages) goes through
this service, so the same pair gets the same score, strengths and gaps wherever it is shown.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from assistant.config import Settings
from assistant.errors import AssistantError, InvalidInputError
from assistant.jobs.explain import JobCard, TalentCard, job_card, talent_card
from assistant.jobs.fairness import PostingCheck, check_posting
from assistant.jobs.library import BuildReport, Library, Progress, build_library, library_dir, load_library
from assistant.jobs.matching import (
    MatchResult,
    MatchWeights,
    explain_pair,
    load_weights,
    ranked_jobs,
    ranked_talents,
    with_hard_location,
)
from assistant.jobs.models import Education, JobPosting, TalentProfile
from assistant.jobs.resume_profile import profile_from_resume
from assistant.jobs.search import JobCatalogue, build_catalogue
from assistant.resume.models import ParsedResume, ResumeFields
from assistant.vocab.entities import find_degree, find_district, resolve_role

M = TypeVar("M", bound=BaseModel)
IN_DISTRICT = 0.85  # location score of the asked district (1.0) or a preferred one (0.9); others score ≤ 0.7


class JobMatchRequest(BaseModel):
    """What to match: a library id or a full record, in one direction."""

    direction: Literal["jobs_for_talent", "talents_for_job"]
    talent_id: str | None = None
    talent: TalentProfile | None = None
    job_id: str | None = None
    job: JobPosting | None = None
    top_k: int = Field(default=10, ge=1, le=1000)
    include_filtered: bool = Field(default=False, description="Also rank pairs that fail a hard filter.")

    @model_validator(mode="after")
    def _one_query(self) -> JobMatchRequest:
        given = (self.talent_id, self.talent) if self.direction == "jobs_for_talent" else (self.job_id, self.job)
        if sum(value is not None for value in given) != 1:
            side = "人才（talent_id 或 talent）" if self.direction == "jobs_for_talent" else "岗位（job_id 或 job）"
            raise ValueError(f"请恰好提供一个{side}")
        return self


class JobMatchResponse(BaseModel):
    """Ranked results with per-dimension scores and evidence."""

    direction: str
    query_id: str
    library_size: int
    seconds: float
    results: list[MatchResult]


class SeekerQuery(BaseModel):
    """What a job seeker said about themselves, laid over their résumé's profile (when there is one)."""

    target_role: str | None = None
    major: str | None = None
    degree: str | None = None
    district: str | None = None
    skills: list[str] = Field(default_factory=list)
    years_experience: float | None = None


class SeekerProfile(BaseModel):
    """The profile that is matched, and where it came from."""

    profile: TalentProfile
    source: Literal["resume", "message", "resume+message"]


class PostingQuery(BaseModel):
    """A posting described in words: at least its title."""

    title: str
    district: str | None = None
    degree: str | None = None
    major: str | None = None
    skills: list[str] = Field(default_factory=list)
    years_min: float = 0.0


class JobRecommendations(BaseModel):
    """The best library postings for a profile, as cards."""

    library_size: int
    jobs: list[JobCard]
    note: str | None = None


class TalentRecommendations(BaseModel):
    """The best library talents for a posting, as cards."""

    library_size: int
    talents: list[TalentCard]
    note: str | None = None


@dataclass
class _Opened:
    stamp: float
    library: Library
    catalogue: JobCatalogue | None = None


class JobService:
    """The built library of the data directory (reopened after a rebuild), its weights, and matching over them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.directory = library_dir(settings.data_dir)
        self._lock = threading.Lock()
        self._catalogue_lock = threading.Lock()  # building the catalogue takes seconds; matching need not wait
        self._opened: _Opened | None = None
        self._weights: tuple[Path | None, int, MatchWeights] | None = None

    # --- what the service owns ----------------------------------------------------------------------------------
    def library(self) -> Library:
        """The opened library; reopened when its manifest changes; IndexNotReadyError when none is built."""
        return self._open().library

    def library_or_none(self) -> Library | None:
        """The opened library, or None when none is built (pages that can do without one)."""
        try:
            return self.library()
        except AssistantError:
            return None

    def weights(self) -> MatchWeights:
        """The configured dimension weights, re-read when the file's mtime changes."""
        path = self.settings.match_weights
        try:
            stamp = path.stat().st_mtime_ns if path else 0
        except OSError as exc:
            raise InvalidInputError(f"匹配权重文件无法读取（{path}）：{exc.strerror or exc}") from exc
        with self._lock:
            if self._weights is None or self._weights[:2] != (path, stamp):
                self._weights = (path, stamp, load_weights(path))
            return self._weights[2]

    def catalogue(self) -> JobCatalogue:
        """The searchable catalogue of the library's postings, built once per opened library."""
        opened = self._open()
        with self._catalogue_lock:
            if opened.catalogue is None:
                opened.catalogue = build_catalogue(opened.library)
            return opened.catalogue

    def build(self, postings: int, talents: int, seed: int, extra_postings: Sequence[JobPosting] = (),
              progress: Progress | None = None) -> BuildReport:
        """Generate the library into the data directory (replacing it atomically); the next call reopens it."""
        return build_library(self.directory, postings, talents, seed, progress=progress, extra_postings=extra_postings)

    def warm_up(self) -> None:
        """Open the library and build its catalogue now, if a library is built."""
        if self.library_or_none() is not None:
            self.catalogue()

    def _open(self) -> _Opened:
        manifest = self.directory / "manifest.json"
        stamp = manifest.stat().st_mtime if manifest.exists() else 0.0
        with self._lock:
            if self._opened is None or self._opened.stamp != stamp:
                self._opened = _Opened(stamp, load_library(self.directory))
            return self._opened

    # --- matching -----------------------------------------------------------------------------------------------
    def match(self, request: JobMatchRequest, library: Library | None = None) -> JobMatchResponse:
        """Rank library postings for a talent, or library talents for a posting; same inputs, same ranking."""
        library = library or self.library()
        weights = self.weights()
        started = time.perf_counter()
        if request.direction == "jobs_for_talent":
            talent = request.talent or library.talent(str(request.talent_id))
            results = [r for r, _ in ranked_jobs(library, talent, request.top_k, weights, request.include_filtered)]
            query_id, size = talent.id, len(library.job_ids)
        else:
            job = request.job or library.posting(str(request.job_id))
            results = [r for r, _ in ranked_talents(library, job, request.top_k, weights, request.include_filtered)]
            query_id, size = job.id, len(library.talent_ids)
        return JobMatchResponse(direction=request.direction, query_id=query_id, library_size=size,
                                seconds=round(time.perf_counter() - started, 4), results=results)

    def jobs_for(self, talent: TalentProfile, top_k: int) -> list[tuple[MatchResult, JobPosting]]:
        """The library's best postings passing the hard filters for a profile, with their records."""
        return ranked_jobs(self.library(), talent, top_k, self.weights())

    def talents_for(self, job: JobPosting, top_k: int) -> list[tuple[MatchResult, TalentProfile]]:
        """The library's best talents passing the hard filters for a posting, with their records."""
        return ranked_talents(self.library(), job, top_k, self.weights())

    def explain_pair(self, job: JobPosting, talent: TalentProfile) -> MatchResult:
        """One posting against one profile, scored by the code (and vocabulary) that ranks the library."""
        library = self.library_or_none()
        return explain_pair(job, talent, self.weights(), library.vocab if library is not None else None)

    def review_posting(self, job: JobPosting, top_k: int = 10, library: Library | None = None) -> PostingReview:
        """Check a new posting for discriminatory wording and rank the library's talents for it."""
        text = "\n".join(part for part in (job.title, job.description) if part.strip())
        talents = self.match(JobMatchRequest(direction="talents_for_job", job=job, top_k=top_k), library)
        return PostingReview(check=check_posting(text), talents=talents)

    # --- the chat's matching: profiles and postings from words, a district asked for, cards -------------------
    def seeker_profile(self, query: SeekerQuery, resume: ParsedResume | None = None,
                       fields: ResumeFields | None = None) -> SeekerProfile:
        """The résumé's profile (fields read once, as of the configured date) with what the seeker said laid over it."""
        base, from_resume = TalentProfile(id="chat"), False
        if resume is not None and fields is not None:
            base, from_resume = profile_from_resume(resume, fields, profile_id="chat-resume"), True
        update: dict[str, Any] = {}
        if query.target_role:
            role = resolve_role(query.target_role)
            update["desired_titles"] = list(dict.fromkeys([query.target_role, *([role.title] if role else [])]))
            if role:
                update |= {"function": role.function, "industry": role.industry, "chain": role.chain}
        if query.major:
            update["major"] = query.major
        if query.degree:
            update["education"] = _degree(query.degree)
        if query.district:
            district = find_district(query.district) or query.district
            update |= {"district": district, "preferred_districts": [district]}
        if query.skills:
            update["skills"] = list(dict.fromkeys([*base.skills, *query.skills]))
        if query.years_experience is not None:
            update["years_experience"] = query.years_experience
        profile = base.model_copy(update=update)
        if profile.is_empty():
            raise InvalidInputError("请告诉我你的专业、学历、想做的岗位或技能，或先上传简历，我再为你匹配岗位。")
        return SeekerProfile(profile=profile,
                             source=("resume+message" if update else "resume") if from_resume else "message")

    def described_posting(self, query: PostingQuery) -> JobPosting:
        """A posting from its title (function, industry and chain resolved through the catalogue) and requirements."""
        role = resolve_role(query.title)
        fields: dict[str, Any] = {"id": "chat-posting", "title": query.title, "skills_required": query.skills,
                                  "years_min": query.years_min, "majors": [query.major] if query.major else []}
        if role:
            fields |= {"function": role.function, "industry": role.industry, "chain": role.chain}
        if query.district:
            fields["district"] = find_district(query.district) or query.district
        if query.degree:
            fields["education_min"] = _degree(query.degree)
        return JobPosting(**fields)

    def recommend_jobs(self, profile: TalentProfile, top_k: int, in_district: bool = False) -> JobRecommendations:
        """The best postings for a profile as cards; `in_district`: only the profile's district, if any pass."""
        library = self.library()
        ranked, note = self._ranked(library, profile, top_k, in_district)
        return JobRecommendations(library_size=len(library.job_ids), note=note,
                                  jobs=[job_card(result, job) for result, job in ranked])

    def recommend_talents(self, job: JobPosting, top_k: int, in_district: bool = False) -> TalentRecommendations:
        """The best talents for a posting as cards; `in_district`: only talents of its district, if any pass."""
        library = self.library()
        ranked, note = self._ranked(library, job, top_k, in_district)
        return TalentRecommendations(library_size=len(library.talent_ids), note=note,
                                     talents=[talent_card(result, talent) for result, talent in ranked])

    def _ranked(self, library: Library, record: TalentProfile | JobPosting, top_k: int,
                in_district: bool) -> tuple[Sequence[tuple[MatchResult, Any]], str | None]:
        """The library's ranking; a district asked for is a hard location filter, dropped (with a note) if none pass."""
        weights = self.weights()
        if in_district:
            ranked = self._rank(library, record, top_k, with_hard_location(weights, IN_DISTRICT))
            if ranked:
                return ranked, None
            note = f"库中没有{record.district}的合适结果，以下为其他区县的结果。"
            return self._rank(library, record, top_k, weights), note
        return self._rank(library, record, top_k, weights), None

    @staticmethod
    def _rank(library: Library, record: TalentProfile | JobPosting, top_k: int,
              weights: MatchWeights) -> Sequence[tuple[MatchResult, Any]]:
        if isinstance(record, TalentProfile):
            return ranked_jobs(library, record, top_k, weights)
        return ranked_talents(library, record, top_k, weights)


def _degree(text: str) -> Education:
    level = find_degree(text)
    if level is None:
        raise InvalidInputError(f"无法识别的学历：{text}（可用：大专、本科、硕士、博士）")
    return level


def check_job_posting(text: str) -> PostingCheck:
    """Flag discriminatory requirements (gender, age, 户籍, 婚育 …) in a posting, with the law and a neutral wording."""
    if not isinstance(text, str):
        raise InvalidInputError("岗位描述必须是文本")
    return check_posting(text)


MAX_RECORD_BYTES = 1024 * 1024


class PostingReview(BaseModel):
    """What an employer gets on posting a job: its wording checked, and the best talents pushed at once."""

    check: PostingCheck
    talents: JobMatchResponse


def read_profile(path: Path) -> TalentProfile:
    """A talent profile from a JSON file, with a clear error when it is unusable."""
    return _read_json(path, "人才档案", TalentProfile)


def read_posting(path: Path) -> JobPosting:
    """A job posting from a JSON file, with a clear error when it is unusable."""
    return _read_json(path, "岗位", JobPosting)


def _read_json(path: Path, label: str, model: type[M]) -> M:
    try:
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            raise InvalidInputError(f"{label}文件过大（{size // 1024} KB），上限 {MAX_RECORD_BYTES // 1024} KB")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"无法读取{label}文件 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"{label}文件不是 UTF-8 文本：{path}") from exc
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "（整体）"
        raise InvalidInputError(f"{label}文件 {path.name} 无效：字段 {where}：{first['msg']}") from exc
