"""Demand (postings) and supply (talents) as aligned numpy columns, from a built library or from plain records."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.jobs.library import Library
from assistant.jobs.models import JobPosting, TalentProfile

_EPOCH = np.datetime64("2000-01-01", "D")  # the library's day columns count from here (features._EPOCH)
_SHEET_NOTE = re.compile(r"[(（].*")  # to the line's end; `.*$` rescanned a line of brackets (quadratic)


@dataclass(frozen=True)
class Frame:
    """Everything the analytics read; ids index the name lists, -1 means unknown.

    `chain` is the industrial chain (产业链, the library's industry such as 智能网联新能源汽车); `segment` is
    the link within it (the library's chain field, such as 动力电池).
    """

    chains: list[str]
    segments: list[str]
    functions: list[str]
    districts: list[str]
    skills: list[str]
    job_chain: np.ndarray  # int32 per posting
    job_segment: np.ndarray
    job_function: np.ndarray
    job_district: np.ndarray
    job_edu: np.ndarray  # int8, 0 = 学历不限 … 5 = 博士
    job_years: np.ndarray  # float32 minimum years
    job_salary: np.ndarray  # float64 annual midpoint in yuan, NaN for 面议
    job_skills: np.ndarray  # bool (postings × skills): required skills
    job_month: np.ndarray  # int32 months since 1970-01, -1 unknown
    tal_chain: np.ndarray
    tal_segment: np.ndarray
    tal_function: np.ndarray
    tal_edu: np.ndarray  # int8, -1 unknown
    tal_years: np.ndarray  # float32, NaN unknown
    tal_salary: np.ndarray  # float64 expected annual midpoint, NaN unknown
    tal_skills: np.ndarray  # bool (talents × skills)
    tal_districts: np.ndarray  # bool (talents × districts): lives in or wants to work in
    tal_month: np.ndarray  # month the talent is available from, -1 unknown
    data_date: str
    source: str

    @property
    def postings(self) -> int:
        return len(self.job_chain)

    @property
    def talents(self) -> int:
        return len(self.tal_chain)


def _unpack(bits: np.ndarray, width: int) -> np.ndarray:
    """Bitset rows (uint64 words, bit i of word w = id 64·w + i) as a dense bool matrix with `width` columns."""
    if bits.ndim == 1:
        bits = bits.reshape(-1, 1)
    as_bytes = np.ascontiguousarray(bits.astype("<u8")).view(np.uint8).reshape(len(bits), -1)
    return np.unpackbits(as_bytes, axis=1, bitorder="little")[:, :width].astype(bool)


def _months(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers counted from 2000-01-01; -1 where the day is unknown (< 0)."""
    days = np.asarray(days, dtype=np.int64)
    months = (_EPOCH + np.maximum(days, 0).astype("timedelta64[D]")).astype("datetime64[M]").astype(np.int64)
    return np.where(days >= 0, months, -1).astype(np.int32)


def _midpoint(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return (np.asarray(low, dtype=np.float64) + np.asarray(high, dtype=np.float64)) / 2


def frame_from_library(library: Library, data_date: str, source: str = "") -> Frame:
    """The frame of a built library, from its numeric columns only (no record is read)."""
    vocab, job, tal = library.vocab, library.job_columns, library.talent_columns
    skills, districts = vocab.entries["skill"], vocab.entries["district"]
    lives = np.zeros((len(tal["district"]), len(districts)), dtype=bool)
    known = tal["district"] >= 0
    lives[np.flatnonzero(known), tal["district"][known]] = True
    return Frame(
        chains=list(vocab.entries["industry"]), segments=list(vocab.entries["chain"]),
        functions=list(vocab.entries["function"]), districts=list(districts), skills=list(skills),
        job_chain=job["industry"], job_segment=job["chain"], job_function=job["function"], job_district=job["district"],
        job_edu=job["edu_min"], job_years=job["years_min"], job_salary=_midpoint(job["sal_lo"], job["sal_hi"]),
        job_skills=_unpack(job["req_bits"], len(skills)), job_month=_months(job["start_day"]),
        tal_chain=tal["industry"], tal_segment=tal["chain"], tal_function=tal["function"], tal_edu=tal["edu"],
        tal_years=tal["years"], tal_salary=_midpoint(tal["sal_lo"], tal["sal_hi"]),
        tal_skills=_unpack(tal["skill_bits"], len(skills)),
        tal_districts=_unpack(tal["pref_district_bits"], len(districts)) | lives,
        tal_month=_months(tal["avail_day"]),
        data_date=data_date, source=source or str(library.directory),
    )


class _Names:
    """First-seen ids for strings ('' stays unknown)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.index: dict[str, int] = {}

    def id(self, value: str) -> int:
        if not value:
            return -1
        if value not in self.index:
            self.index[value] = len(self.names)
            self.names.append(value)
        return self.index[value]


def ad_function(posting: JobPosting, spelling: dict[str, str] | None = None) -> str:
    """The posting's function, or for a real ad without one its source sheet ('Java', 'HTML+CSS'), case-folded."""
    if posting.function:
        return posting.function
    sheet = _SHEET_NOTE.sub("", posting.source.partition(":")[2]).strip()
    return (spelling or {}).get(sheet.casefold(), sheet)


def _day(value: dt.date | None) -> int:
    return (value - dt.date(2000, 1, 1)).days if value else -1


def frame_from_records(
    postings: Sequence[JobPosting], talents: Sequence[TalentProfile] = (), *, data_date: str, source: str
) -> Frame:
    """The frame of plain records (e.g. real job ads, demand only): chains are the postings' industries."""
    chains, segments, functions, districts, skills = _Names(), _Names(), _Names(), _Names(), _Names()
    spelling_counts = Counter(_SHEET_NOTE.sub("", p.source.partition(":")[2]).strip()
                              for p in postings if not p.function)
    spelling: dict[str, str] = {}
    for sheet, _count in spelling_counts.most_common():  # the commonest spelling names the sheet ('python' → 'Python')
        spelling.setdefault(sheet.casefold(), sheet)
    job_rows = [(chains.id(p.industry), segments.id(p.chain), functions.id(ad_function(p, spelling)),
                 districts.id(p.district), [skills.id(s) for s in p.skills_required]) for p in postings]
    tal_rows = [(chains.id(t.industry), segments.id(t.chain), functions.id(t.function),
                 [districts.id(d) for d in (t.district, *t.preferred_districts)], [skills.id(s) for s in t.skills])
                for t in talents]

    def matrix(rows: list[list[int]], width: int) -> np.ndarray:
        out = np.zeros((len(rows), width), dtype=bool)
        for r, ids in enumerate(rows):
            out[r, [i for i in ids if i >= 0]] = True
        return out

    def salary(value: object) -> float:
        return float(sum(value.annual()) / 2) if value is not None else np.nan  # type: ignore[attr-defined]

    def ints(values: list[int]) -> np.ndarray:
        return np.asarray(values, dtype=np.int32)

    return Frame(
        chains=chains.names, segments=segments.names, functions=functions.names, districts=districts.names,
        skills=skills.names,
        job_chain=ints([r[0] for r in job_rows]), job_segment=ints([r[1] for r in job_rows]),
        job_function=ints([r[2] for r in job_rows]), job_district=ints([r[3] for r in job_rows]),
        job_edu=np.asarray([int(p.education_min) for p in postings], dtype=np.int8),
        job_years=np.asarray([p.years_min for p in postings], dtype=np.float32),
        job_salary=np.asarray([salary(p.salary) for p in postings], dtype=np.float64),
        job_skills=matrix([r[4] for r in job_rows], len(skills.names)),
        job_month=_months(np.asarray([_day(p.start_date) for p in postings], dtype=np.int64)),
        tal_chain=ints([r[0] for r in tal_rows]), tal_segment=ints([r[1] for r in tal_rows]),
        tal_function=ints([r[2] for r in tal_rows]),
        tal_edu=np.asarray([-1 if t.education is None else int(t.education) for t in talents], dtype=np.int8),
        tal_years=np.asarray([np.nan if t.years_experience is None else t.years_experience for t in talents],
                             np.float32),
        tal_salary=np.asarray([salary(t.salary_expectation) for t in talents], dtype=np.float64),
        tal_skills=matrix([r[4] for r in tal_rows], len(skills.names)),
        tal_districts=matrix([r[3] for r in tal_rows], len(districts.names)),
        tal_month=_months(np.asarray([_day(t.available_from) for t in talents], dtype=np.int64)),
        data_date=data_date, source=source,
    )
