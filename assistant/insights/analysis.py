"""Supply–demand per chain, job function, district and skill.

Counts, qualified supply, shortage index, salary premium.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.errors import InvalidInputError
from assistant.insights.breakdowns import heat_table, salary_bands, salary_histogram, trends
from assistant.insights.frame import Frame
from assistant.insights.models import SMOOTHING, GroupStat, InsightFilters, InsightReport

UNKNOWN_CHAIN = "未注明"


@dataclass(frozen=True)
class Scope:
    """The postings and talents inside the filters, the talents that qualify, and the resolved filter names."""

    jobs: np.ndarray  # bool per posting
    talents: np.ndarray  # bool per talent
    qualified: np.ndarray  # bool per talent (already inside `talents`)
    chain: str | None
    district: str | None


def shortage_index(postings: np.ndarray | int, qualified: np.ndarray | int, smoothing: float = SMOOTHING) -> np.ndarray:
    """(postings + k) / (qualified + k): demand over qualified supply, finite when supply is zero."""
    return (np.asarray(postings, dtype=np.float64) + smoothing) / (np.asarray(qualified, dtype=np.float64) + smoothing)


def _resolve(names: list[str], wanted: str) -> int:
    """Exact name first, then the one name containing (or contained in) `wanted`; -1 when none fits."""
    wanted = wanted.strip()
    if wanted in names:
        return names.index(wanted)
    hits = [i for i, name in enumerate(names) if name and (wanted in name or name in wanted)]
    return min(hits, key=lambda i: len(names[i])) if hits else -1


def resolve_scope(frame: Frame, filters: InsightFilters) -> Scope:
    """The scope of `filters`; InvalidInputError naming the known values when a filter matches nothing."""
    jobs = np.ones(frame.postings, dtype=bool)
    talents = np.ones(frame.talents, dtype=bool)
    chain = district = None
    if filters.chain and filters.chain.strip():
        index = _resolve(frame.chains, filters.chain)
        if index >= 0:
            jobs &= frame.job_chain == index
            talents &= frame.tal_chain == index
            chain = frame.chains[index]
        else:
            index = _resolve(frame.segments, filters.chain)
            if index < 0:
                raise InvalidInputError(f"没有名为“{filters.chain}”的产业链；可选：{'、'.join(frame.chains[:20])}")
            jobs &= frame.job_segment == index
            talents &= frame.tal_segment == index
            chain = frame.segments[index]
    if filters.district and filters.district.strip():
        index = _resolve(frame.districts, filters.district)
        if index < 0:
            raise InvalidInputError(f"没有名为“{filters.district}”的区县；可选：{'、'.join(frame.districts[:30])}")
        jobs &= frame.job_district == index
        talents &= frame.tal_districts[:, index]
        district = frame.districts[index]
    return Scope(jobs, talents, _qualified(frame, jobs, talents), chain, district)


def function_groups(frame: Frame, chain: np.ndarray, function: np.ndarray) -> np.ndarray:
    """Group id of (chain, function) pairs: (chain + 1) · F + function, so an unknown chain is a group of its own."""
    size = max(1, len(frame.functions))
    return np.where(function >= 0, (chain.astype(np.int64) + 1) * size + function, -1)


def _lower_medians(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Per group, the lower median of `values` (NaN for an empty group); groups are ids in [0, size)."""
    out = np.full(size, np.nan)
    if not len(groups):
        return out
    order = np.lexsort((values, groups))
    counts = np.bincount(groups, minlength=size)
    starts = np.cumsum(counts) - counts
    has = counts > 0
    out[has] = values[order][starts[has] + (counts[has] - 1) // 2]
    return out


def _qualified(frame: Frame, jobs: np.ndarray, talents: np.ndarray) -> np.ndarray:
    """Talents in scope whose education and years reach the typical (lower-median) requirement of their group."""
    size = (len(frame.chains) + 1) * max(1, len(frame.functions))
    job_groups = function_groups(frame, frame.job_chain, frame.job_function)
    keep = jobs & (job_groups >= 0)
    education = _lower_medians(job_groups[keep], frame.job_edu[keep].astype(np.float64), size)
    years = _lower_medians(job_groups[keep], frame.job_years[keep].astype(np.float64), size)
    tal_groups = function_groups(frame, frame.tal_chain, frame.tal_function)
    safe = np.maximum(tal_groups, 0)
    need_edu, need_years = education[safe], years[safe]
    known = (tal_groups >= 0) & (frame.tal_edu >= 0) & ~np.isnan(frame.tal_years)
    meets = np.isnan(need_edu) | ((frame.tal_edu >= need_edu) & (frame.tal_years >= need_years))
    return talents & known & meets


def medians(ids: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Per id in [0, size), the median of `values` ignoring NaN and ids < 0 (NaN for none)."""
    keep = (ids >= 0) & ~np.isnan(values)
    ids, values = ids[keep], values[keep]
    out = np.full(size, np.nan)
    if not len(ids):
        return out
    order = np.lexsort((values, ids))
    ids, values = ids[order], values[order]
    counts = np.bincount(ids, minlength=size)
    starts = np.cumsum(counts) - counts
    has = counts > 0
    low, high = starts[has] + (counts[has] - 1) // 2, starts[has] + counts[has] // 2
    out[has] = (values[low] + values[high]) / 2
    return out


def column_medians(members: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per column of a bool membership matrix (rows × groups), the median of the members' values."""
    out = np.full(members.shape[1], np.nan)
    known = ~np.isnan(values)
    for column in np.flatnonzero(members[known].any(axis=0)):
        out[column] = np.median(values[known & members[:, column]])
    return out


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 2)


def _stats(names: list[str], postings: np.ndarray, talents: np.ndarray, qualified: np.ndarray, salary: np.ndarray,
           expected: np.ndarray, city_median: float, chains: list[str] | None = None) -> list[GroupStat]:
    """One GroupStat per group with demand, most short first."""
    index = shortage_index(postings, qualified)
    rows = []
    for i in np.flatnonzero(postings > 0):
        premium = salary[i] / city_median - 1 if city_median and not np.isnan(salary[i]) else np.nan
        rows.append(GroupStat(
            name=names[i], chain=chains[i] if chains else "", postings=int(postings[i]), talents=int(talents[i]),
            qualified_talents=int(qualified[i]), shortage_index=round(float(index[i]), 4),
            salary_median=_optional(salary[i]), salary_premium=None if np.isnan(premium) else round(float(premium), 4),
            expected_salary_median=_optional(expected[i]),
        ))
    rows.sort(key=lambda row: (-row.shortage_index, -row.postings, row.chain, row.name))
    return rows


def _by_ids(names: list[str], frame_ids: tuple[np.ndarray, np.ndarray], scope: Scope, frame: Frame, city: float,
            chains: list[str] | None = None) -> list[GroupStat]:
    job_ids, tal_ids = frame_ids
    size = len(names)
    job_ok, tal_ok = scope.jobs & (job_ids >= 0), scope.talents & (tal_ids >= 0)
    return _stats(
        names,
        np.bincount(job_ids[job_ok], minlength=size), np.bincount(tal_ids[tal_ok], minlength=size),
        np.bincount(tal_ids[tal_ok & scope.qualified], minlength=size),
        medians(np.where(job_ok, job_ids, -1), frame.job_salary, size),
        medians(np.where(tal_ok, tal_ids, -1), frame.tal_salary, size), city, chains,
    )


def _by_matrix(names: list[str], job_members: np.ndarray, tal_members: np.ndarray, scope: Scope, frame: Frame,
               city: float) -> list[GroupStat]:
    jobs, talents = job_members & scope.jobs[:, None], tal_members & scope.talents[:, None]
    return _stats(
        names, jobs.sum(axis=0), talents.sum(axis=0), (talents & scope.qualified[:, None]).sum(axis=0),
        column_medians(jobs, frame.job_salary), column_medians(talents, frame.tal_salary), city,
    )


def analyse(frame: Frame, filters: InsightFilters | None = None) -> InsightReport:
    """The full supply–demand report of the frame within `filters`."""
    scope = resolve_scope(frame, filters or InsightFilters())
    city = float(np.nanmedian(frame.job_salary)) if np.any(~np.isnan(frame.job_salary)) else float("nan")
    chain_names = [*frame.chains, UNKNOWN_CHAIN]
    job_chain = np.where(frame.job_chain >= 0, frame.job_chain, len(frame.chains))
    tal_chain = np.where(frame.tal_chain >= 0, frame.tal_chain, len(frame.chains))
    width = max(1, len(frame.functions))
    group_names = [frame.functions[g % width] for g in range(len(chain_names) * width)]
    group_chains = [chain_names[g // width - 1] if g >= width else UNKNOWN_CHAIN
                    for g in range(len(chain_names) * width)]
    total = _stats(["全部"], np.array([scope.jobs.sum()]), np.array([scope.talents.sum()]),
                   np.array([scope.qualified.sum()]), np.array([_median(frame.job_salary[scope.jobs])]),
                   np.array([_median(frame.tal_salary[scope.talents])]), city)
    points, note = trends(frame, scope.jobs, scope.talents)
    job_district = np.zeros((frame.postings, len(frame.districts)), dtype=bool)
    known = frame.job_district >= 0
    job_district[np.flatnonzero(known), frame.job_district[known]] = True
    return InsightReport(
        data_date=frame.data_date, source=frame.source, chain=scope.chain, district=scope.district,
        totals=total[0] if total else GroupStat(name="全部", postings=0, talents=int(scope.talents.sum()),
                                                 qualified_talents=int(scope.qualified.sum()), shortage_index=1.0),
        city_salary_median=_optional(city),
        chains=_by_ids(chain_names, (job_chain, tal_chain), scope, frame, city),
        functions=_by_ids(group_names, (function_groups(frame, frame.job_chain, frame.job_function),
                                        function_groups(frame, frame.tal_chain, frame.tal_function)),
                          scope, frame, city, group_chains)[:200],
        districts=_by_matrix(frame.districts, job_district, frame.tal_districts, scope, frame, city),
        skills=_by_matrix(frame.skills, frame.job_skills, frame.tal_skills, scope, frame, city)[:200],
        heat=heat_table(frame, scope.jobs, scope.talents & scope.qualified, chain_names, job_chain, tal_chain),
        salary_bands=salary_bands(frame, scope.jobs, chain_names, job_chain),
        salary_histogram=salary_histogram(frame, scope.jobs, scope.talents),
        trends=points, trend_note=note,
    )


def _median(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else float("nan")
