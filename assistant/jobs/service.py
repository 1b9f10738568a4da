"""JobService: the job library, its weights and catalogue, owned in one place; matching both ways, posting checks."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from assistant.config import Settings
from assistant.errors import InvalidInputError
from assistant.jobs.fairness import PostingCheck, check_posting
from assistant.jobs.library import Library, library_dir, load_library
from assistant.jobs.matching import MatchResult, MatchWeights, load_weights, match_jobs, match_talents
from assistant.jobs.models import JobPosting, TalentProfile

M = TypeVar("M", bound=BaseModel)


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


class JobService:
    """The built library of the data directory (reopened after a rebuild), its weights, and matching over them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.directory = library_dir(settings.data_dir)
        self._lock = threading.Lock()
        self._library: tuple[float, Library] | None = None

    def library(self) -> Library:
        """The opened library; reopened when its manifest changes; IndexNotReadyError when none is built."""
        manifest = self.directory / "manifest.json"
        stamp = manifest.stat().st_mtime if manifest.exists() else 0.0
        with self._lock:
            if self._library is None or self._library[0] != stamp:
                self._library = (stamp, load_library(self.directory))
            return self._library[1]

    def weights(self) -> MatchWeights:
        """The configured dimension weights (re-read when the file changes)."""
        return load_weights(self.settings.match_weights)

    def match(self, request: JobMatchRequest, library: Library | None = None) -> JobMatchResponse:
        """Rank library postings for a talent, or library talents for a posting; same inputs, same ranking."""
        library = library or self.library()
        weights = self.weights()
        started = time.perf_counter()
        if request.direction == "jobs_for_talent":
            talent = request.talent or library.talent(str(request.talent_id))
            results = match_jobs(library, talent, request.top_k, weights, request.include_filtered)
            query_id, size = talent.id, len(library.job_ids)
        else:
            job = request.job or library.posting(str(request.job_id))
            results = match_talents(library, job, request.top_k, weights, request.include_filtered)
            query_id, size = job.id, len(library.talent_ids)
        return JobMatchResponse(direction=request.direction, query_id=query_id, library_size=size,
                                seconds=round(time.perf_counter() - started, 4), results=results)

    def review_posting(self, job: JobPosting, top_k: int = 10, library: Library | None = None) -> PostingReview:
        """Check a new posting for discriminatory wording and rank the library's talents for it."""
        text = "\n".join(part for part in (job.title, job.description) if part.strip())
        talents = self.match(JobMatchRequest(direction="talents_for_job", job=job, top_k=top_k), library)
        return PostingReview(check=check_posting(text), talents=talents)


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
