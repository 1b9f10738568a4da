"""Two-way ranking over the library: vectorised dimension scores, weights, hard filters, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.errors import InvalidInputError
from assistant.jobs.dimensions import COMPARED, DIMENSIONS, NOT_REQUIRED, Pair
from assistant.jobs.evidence import evidence
from assistant.jobs.features import (
    Columns,
    Vocabulary,
    build_vocabulary,
    encode_postings,
    encode_talents,
    title_vector,
)
from assistant.jobs.library import Library
from assistant.jobs.models import JobPosting, TalentProfile

Status = Literal["compared", "missing", "not_required"]
STATUS_NAMES: dict[int, Status] = {0: "compared", 1: "missing", 2: "not_required"}
MAX_TOP_K = 10000


class DimensionWeight(BaseModel):
    """Weight of one dimension and whether it filters."""

    model_config = ConfigDict(frozen=True)

    weight: float = Field(ge=0)
    hard: bool = False
    hard_min: float = Field(default=0.5, ge=0, le=1)


class MatchWeights(BaseModel):
    """Weights of all 22 dimensions (shared between calls, so frozen)."""

    model_config = ConfigDict(frozen=True)

    dimensions: dict[str, DimensionWeight]

    @model_validator(mode="after")
    def _complete(self) -> MatchWeights:
        names = {d.name for d in DIMENSIONS}
        if set(self.dimensions) != names:
            missing, unknown = sorted(names - set(self.dimensions)), sorted(set(self.dimensions) - names)
            raise ValueError(f"权重文件须恰好列出 22 个维度；缺少 {missing}，未知 {unknown}")
        if sum(w.weight for w in self.dimensions.values()) <= 0:
            raise ValueError("权重之和必须大于 0")
        return self


def load_weights(path: Path | None = None) -> MatchWeights:
    """The packaged weights.yaml, or a deployment's copy at `path`, read now (JobService keeps it by mtime)."""
    try:
        text = path.read_text(encoding="utf-8") if path else \
            resources.files("assistant.jobs").joinpath("weights.yaml").read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"匹配权重文件无法读取（{path}）：{exc.strerror or exc}") from exc
    try:
        return MatchWeights(dimensions=yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        raise InvalidInputError(f"匹配权重文件无效（{path or 'weights.yaml'}）：{exc}") from exc


class DimensionScore(BaseModel):
    """One dimension of one match."""

    name: str
    label: str
    score: float
    weight: float
    status: Status
    evidence: str


class MatchResult(BaseModel):
    """One ranked record with its per-dimension explanation."""

    id: str
    title: str | None = None
    name: str | None = None
    score: float = Field(description="Weighted mean of the scores of the dimensions the posting asks about, 0–1.")
    passed_hard_filters: bool = True
    failed_filters: list[str] = Field(default_factory=list)
    dimensions: list[DimensionScore]


@dataclass(frozen=True)
class ScoreTable:
    """Scores of one record against every library record: totals, per dimension, states, hard-filter failures."""

    total: np.ndarray  # (n,)
    per_dimension: np.ndarray  # (22, n)
    states: np.ndarray  # (22, n)
    failed: np.ndarray  # (22, n) bool, hard filters only


def score_all(job: Columns, talent: Columns, title_sims: np.ndarray, weights: MatchWeights) -> ScoreTable:
    """Every dimension for every pair (one side has one row), then the weighted total."""
    pair = Pair(job=job, talent=talent, title_sims=title_sims)
    n = len(title_sims)
    per_dimension = np.empty((len(DIMENSIONS), n), dtype=np.float32)
    states = np.empty((len(DIMENSIONS), n), dtype=np.int8)
    failed = np.zeros((len(DIMENSIONS), n), dtype=bool)
    w = np.array([weights.dimensions[d.name].weight for d in DIMENSIONS], dtype=np.float32)
    for i, dimension in enumerate(DIMENSIONS):
        score, state = dimension.score(pair)
        per_dimension[i] = np.broadcast_to(score, (n,))
        states[i] = np.broadcast_to(state, (n,))
        rule = weights.dimensions[dimension.name]
        if rule.hard:
            failed[i] = (states[i] == COMPARED) & (per_dimension[i] < rule.hard_min)
    # A dimension the posting does not ask about carries no weight (it used to score 1.00 and flatten every
    # ranking); a pair where nothing is compared scores 0. einsum, not `w @ x`: a threaded BLAS gemv costs ~8 ms
    # here under load, einsum 0.3 ms.
    counted = (states != NOT_REQUIRED).astype(np.float64)
    weight_sums = np.einsum("d,dn->n", w.astype(np.float64), counted)
    weighted = np.einsum("d,dn->n", w.astype(np.float64), per_dimension * counted, dtype=np.float64)
    total = np.divide(weighted, weight_sums, out=np.zeros(n, dtype=np.float64), where=weight_sums > 0)
    return ScoreTable(total=total, per_dimension=per_dimension, states=states, failed=failed)


def top_rows(total: np.ndarray, excluded: np.ndarray, k: int) -> np.ndarray:
    """Rows of the k best scores, best first; equal scores keep library order (deterministic)."""
    keep = np.flatnonzero(~excluded)
    if keep.size == 0 or k <= 0:
        return np.empty(0, dtype=np.int64)
    scores = total[keep]
    if keep.size > k:
        threshold = np.partition(scores, keep.size - k)[keep.size - k]
        chosen = scores >= threshold  # every tie at the threshold, so the tie-break below decides
        keep, scores = keep[chosen], scores[chosen]
    order = np.lexsort((keep, -scores))
    return keep[order][:k]


def _title_sims_for_job(library: Library, job: JobPosting) -> np.ndarray:
    table = np.append(library.title_table @ title_vector(job.title), 0.0)  # index -1 = no title = 0
    return table[library.talent_columns["title_ids"]].max(axis=1).astype(np.float64)


def _title_sims_for_talent(library: Library, talent: TalentProfile) -> np.ndarray:
    titles = [t for t in dict.fromkeys([talent.current_title, *talent.desired_titles]) if t]
    if not titles:
        return np.zeros(len(library.job_ids))
    vectors = np.stack([title_vector(t) for t in titles])
    table = np.append((library.title_table @ vectors.T).max(axis=1), 0.0)
    return table[library.job_columns["title_id"]].astype(np.float64)


def score_talents_for_job(library: Library, job: JobPosting, weights: MatchWeights) -> ScoreTable:
    """Scores of every library profile against `job`."""
    _check_districts(library, [job.district])
    return score_all(encode_postings([job], library.vocab), library.talent_columns,
                     _title_sims_for_job(library, job), weights)


def score_jobs_for_talent(library: Library, talent: TalentProfile, weights: MatchWeights) -> ScoreTable:
    """Scores of every library posting against `talent`."""
    if talent.is_empty():
        raise InvalidInputError("人才信息为空：至少提供职位、技能、学历、专业或工作年限之一")
    _check_districts(library, [talent.district, *talent.preferred_districts])
    return score_all(library.job_columns, encode_talents([talent], library.vocab),
                     _title_sims_for_talent(library, talent), weights)


def _check_districts(library: Library, districts: list[str]) -> None:
    """A district the library has never seen is a typo or another city: say so instead of matching nobody."""
    unknown = [d for d in districts if d and library.vocab.id("district", d) < 0]
    if unknown:
        known = "、".join(library.vocab.entries["district"][:8])
        raise InvalidInputError(f"未知的区县「{'、'.join(unknown)}」：请使用库中的区县名，如 {known} 等")


def ranked_talents(library: Library, job: JobPosting, top_k: int, weights: MatchWeights,
                   include_filtered: bool = False) -> list[tuple[MatchResult, TalentProfile]]:
    """The best `top_k` profiles for a posting, each with its 22-dimension explanation and its record."""
    table = score_talents_for_job(library, job, weights)
    rows = _pick(table, top_k, include_filtered)
    talents = library.talents_at(rows.tolist())
    return [(_result(table, row, job, talent, talent.id, name=talent.name or talent.id, weights=weights), talent)
            for row, talent in zip(rows, talents, strict=True)]


def ranked_jobs(library: Library, talent: TalentProfile, top_k: int, weights: MatchWeights,
                include_filtered: bool = False) -> list[tuple[MatchResult, JobPosting]]:
    """The best `top_k` postings for a profile, each with its 22-dimension explanation and its record."""
    table = score_jobs_for_talent(library, talent, weights)
    rows = _pick(table, top_k, include_filtered)
    jobs = library.postings_at(rows.tolist())
    return [(_result(table, row, job, talent, job.id, title=job.title, weights=weights), job)
            for row, job in zip(rows, jobs, strict=True)]


def match_talents(library: Library, job: JobPosting, top_k: int, weights: MatchWeights,
                  include_filtered: bool = False) -> list[MatchResult]:
    """The best `top_k` profiles for a posting, each with its 22-dimension explanation."""
    return [result for result, _ in ranked_talents(library, job, top_k, weights, include_filtered)]


def match_jobs(library: Library, talent: TalentProfile, top_k: int, weights: MatchWeights,
               include_filtered: bool = False) -> list[MatchResult]:
    """The best `top_k` postings for a profile, each with its 22-dimension explanation."""
    return [result for result, _ in ranked_jobs(library, talent, top_k, weights, include_filtered)]


def with_hard_location(weights: MatchWeights, hard_min: float) -> MatchWeights:
    """The same weights with the location dimension made a hard filter at `hard_min`."""
    location = weights.dimensions["location"]
    return MatchWeights(dimensions={**weights.dimensions, "location": DimensionWeight(
        weight=location.weight, hard=True, hard_min=hard_min)})


def _pick(table: ScoreTable, top_k: int, include_filtered: bool) -> np.ndarray:
    if not 1 <= top_k <= MAX_TOP_K:
        raise InvalidInputError(f"top-k 须在 1 到 {MAX_TOP_K} 之间")
    excluded = np.zeros(table.total.shape, dtype=bool)
    if not include_filtered:
        excluded |= table.failed.any(axis=0)
    return top_rows(table.total, excluded, top_k)


def _result(table: ScoreTable, row: int, job: JobPosting, talent: TalentProfile, record_id: str,
            weights: MatchWeights, title: str | None = None, name: str | None = None) -> MatchResult:
    dimensions = []
    failed = []
    for i, dimension in enumerate(DIMENSIONS):
        state = int(table.states[i, row])
        dimensions.append(DimensionScore(
            name=dimension.name, label=dimension.label, score=round(float(table.per_dimension[i, row]), 4),
            weight=0.0 if state == NOT_REQUIRED else weights.dimensions[dimension.name].weight,
            status=STATUS_NAMES[state],
            evidence=evidence(dimension.name, job, talent, STATUS_NAMES[state]),
        ))
        if table.failed[i, row]:
            failed.append(dimension.name)
    return MatchResult(id=record_id, title=title, name=name, score=round(float(table.total[row]), 4),
                       passed_hard_filters=not failed, failed_filters=failed, dimensions=dimensions)


def explain_pair(job: JobPosting, talent: TalentProfile, weights: MatchWeights,
                 vocab: Vocabulary | None = None) -> MatchResult:
    """Score one posting against one profile with the same code that ranks the library."""
    vocab = vocab or build_vocabulary([job], [talent])
    titles = [t for t in dict.fromkeys([talent.current_title, *talent.desired_titles]) if t]
    sims = np.array([max((float(title_vector(job.title) @ title_vector(t)) for t in titles), default=0.0)])
    table = score_all(encode_postings([job], vocab), encode_talents([talent], vocab), sims, weights)
    return _result(table, 0, job, talent, job.id, weights=weights, title=job.title, name=talent.name or talent.id)
