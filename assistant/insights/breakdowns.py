"""The report's cross-tables: district × chain heat table, salary bands and histogram, month-by-month trends."""

from __future__ import annotations

import numpy as np

from assistant.insights.frame import Frame
from assistant.insights.models import SMOOTHING, HeatTable, MonthPoint, SalaryBand, SalaryHistogram

HEAT_ROWS, HEAT_COLUMNS, BANDS = 15, 8, 12
_BIN_YUAN = 30000  # salary histogram bins of 3万元 a year
_MAX_BINS = 20
_MAX_MONTHS = 36


def heat_table(frame: Frame, jobs: np.ndarray, qualified: np.ndarray, chain_names: list[str],
               job_chain: np.ndarray, tal_chain: np.ndarray) -> HeatTable:
    """Shortage index per district × chain, for the districts and chains with the most postings in scope."""
    columns = len(chain_names)
    known = jobs & (frame.job_district >= 0)
    postings = np.bincount(frame.job_district[known].astype(np.int64) * columns + job_chain[known],
                           minlength=len(frame.districts) * columns).reshape(len(frame.districts), columns)
    chain_hot = np.zeros((frame.talents, columns), dtype=np.float32)
    chain_hot[np.arange(frame.talents), tal_chain] = 1.0
    supply = frame.tal_districts[qualified].T.astype(np.float32) @ chain_hot[qualified]  # districts × chains
    rows = [r for r in np.argsort(-postings.sum(axis=1), kind="stable")[:HEAT_ROWS] if postings[r].sum() > 0]
    cols = [c for c in np.argsort(-postings.sum(axis=0), kind="stable")[:HEAT_COLUMNS] if postings[:, c].sum() > 0]
    index = (postings + SMOOTHING) / (supply + SMOOTHING)
    return HeatTable(
        rows=[frame.districts[r] for r in rows], columns=[chain_names[c] for c in cols],
        shortage=[[round(float(index[r, c]), 4) if postings[r, c] else None for c in cols] for r in rows],
        postings=[[int(postings[r, c]) for c in cols] for r in rows],
    )


def salary_bands(frame: Frame, jobs: np.ndarray, chain_names: list[str], job_chain: np.ndarray) -> list[SalaryBand]:
    """P10–P90 of offered annual salaries per chain (the chains with the most postings in scope)."""
    paid = jobs & ~np.isnan(frame.job_salary)
    counts = np.bincount(job_chain[paid], minlength=len(chain_names))
    bands = []
    for chain in np.argsort(-counts, kind="stable")[:BANDS]:
        if not counts[chain]:
            break
        p10, p25, p50, p75, p90 = np.percentile(frame.job_salary[paid & (job_chain == chain)], (10, 25, 50, 75, 90))
        bands.append(SalaryBand(name=chain_names[chain], postings=int(counts[chain]), p10=round(float(p10), 2),
                                p25=round(float(p25), 2), p50=round(float(p50), 2), p75=round(float(p75), 2),
                                p90=round(float(p90), 2)))
    return bands


def salary_histogram(frame: Frame, jobs: np.ndarray, talents: np.ndarray) -> SalaryHistogram:
    """Offered and expected annual salaries in 3万元 bins up to the 98th percentile (the last bin takes the rest)."""
    offered = frame.job_salary[jobs & ~np.isnan(frame.job_salary)]
    expected = frame.tal_salary[talents & ~np.isnan(frame.tal_salary)]
    both = np.concatenate([offered, expected])
    if not len(both):
        return SalaryHistogram(edges=[], postings=[], talents=[])
    top = max(float(np.percentile(both, 98)), _BIN_YUAN)
    bins = min(_MAX_BINS, int(np.ceil(top / _BIN_YUAN)))
    edges = np.arange(bins + 1, dtype=np.float64) * _BIN_YUAN

    def count(values: np.ndarray) -> list[int]:
        return [int(c) for c in np.bincount(np.minimum(values // _BIN_YUAN, bins - 1).astype(np.int64), minlength=bins)]

    return SalaryHistogram(edges=[float(e) for e in edges], postings=count(offered), talents=count(expected))


def trends(frame: Frame, jobs: np.ndarray, talents: np.ndarray) -> tuple[list[MonthPoint], str]:
    """Postings per month of their date and talents per month they become available; a note on what the dates are."""
    job_months = frame.job_month[jobs & (frame.job_month >= 0)]
    tal_months = frame.tal_month[talents & (frame.tal_month >= 0)]
    if not len(job_months):
        return [], "数据中的岗位没有日期，无法给出逐月趋势。"
    first, last = int(job_months.min()), int(job_months.max())
    last = min(last, first + _MAX_MONTHS - 1)
    span = last - first + 1
    inside_jobs = job_months[job_months <= last] - first
    inside_tal = tal_months[(tal_months >= first) & (tal_months <= last)] - first
    job_counts = np.bincount(inside_jobs, minlength=span)
    tal_counts = np.bincount(inside_tal, minlength=span)
    points = [MonthPoint(month=str(np.datetime64(first + i, "M")), postings=int(job_counts[i]),
                         talents=int(tal_counts[i]))
              for i in range(span)]
    note = ("岗位按要求到岗的月份计（库中岗位记录到岗日期，没有发布日期），人才按可到岗的月份计；"
            "同月岗位数明显多于人才数即该月用工偏紧。")
    return points, note
