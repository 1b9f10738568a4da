"""Turn postings and profiles into numeric columns that the dimensions score with numpy."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Sequence

import numpy as np

from assistant.jobs.generation import load_catalogue
from assistant.jobs.models import JobPosting, TalentProfile

TITLE_DIM = 256
MAX_TALENT_TITLES = 4
EMPLOYMENT_BITS = {"全职": 1, "兼职": 2, "实习": 4, "劳务派遣": 8}
_EPOCH = dt.date(2000, 1, 1)
# Each vocabulary maps a string to a small integer; set-valued fields become bitsets over it.
VOCABULARIES = ("title", "function", "industry", "chain", "district", "region", "company_type", "track", "major",
                "skill", "certificate", "language", "project", "benefit")

Columns = dict[str, np.ndarray]


class Vocabulary:
    """Strings to ids per kind; frozen after the library is built, so queries never change it."""

    def __init__(self, entries: dict[str, list[str]] | None = None) -> None:
        self.entries = {kind: list((entries or {}).get(kind, [])) for kind in VOCABULARIES}
        self.index = {kind: {value: i for i, value in enumerate(values)} for kind, values in self.entries.items()}

    def add(self, kind: str, values: Iterable[str]) -> None:
        for value in values:
            if value and value not in self.index[kind]:
                self.index[kind][value] = len(self.entries[kind])
                self.entries[kind].append(value)

    def id(self, kind: str, value: str) -> int:
        return self.index[kind].get(value, -1) if value else -1

    def words(self, kind: str) -> int:
        return max(1, (len(self.entries[kind]) + 63) // 64)

    def bits(self, kind: str, values: Iterable[str]) -> np.ndarray:
        row = np.zeros(self.words(kind), dtype=np.uint64)
        for value in values:
            i = self.id(kind, value)
            if i >= 0:
                row[i // 64] |= np.uint64(1) << np.uint64(i % 64)
        return row


def build_vocabulary(postings: Sequence[JobPosting], talents: Sequence[TalentProfile]) -> Vocabulary:
    """Every value the library uses, in first-seen order (deterministic for a deterministic library)."""
    vocab = Vocabulary()
    catalogue = load_catalogue()
    vocab.add("district", catalogue.districts)
    vocab.add("region", [catalogue.region(d) for d in catalogue.districts])
    vocab.add("industry", catalogue.industries)
    for job in postings:
        vocab.add("title", [job.title])
        for kind, value in (("function", job.function), ("industry", job.industry), ("chain", job.chain),
                            ("district", job.district), ("company_type", job.company_type),
                            ("track", job.career_track)):
            vocab.add(kind, [value])
        for kind, values in (("major", job.majors), ("skill", job.skills_required), ("skill", job.skills_preferred),
                             ("certificate", job.certificates), ("language", job.languages),
                             ("project", job.project_keywords), ("benefit", job.benefits)):
            vocab.add(kind, values)
    for talent in talents:
        vocab.add("title", [talent.current_title, *talent.desired_titles])
        for kind, value in (("function", talent.function), ("industry", talent.industry), ("chain", talent.chain),
                            ("district", talent.district), ("track", talent.career_intent),
                            ("major", talent.major)):
            vocab.add(kind, [value])
        for kind, values in (("skill", talent.skills), ("certificate", talent.certificates),
                             ("language", talent.languages), ("project", talent.project_keywords),
                             ("benefit", talent.desired_benefits), ("district", talent.preferred_districts),
                             ("company_type", talent.preferred_company_types)):
            vocab.add(kind, values)
    return vocab


def title_vector(text: str) -> np.ndarray:
    """A hashed character uni/bi-gram vector (L2-normalised): cheap, deterministic, good for short Chinese titles."""
    clean = "".join(text.lower().split())
    vector = np.zeros(TITLE_DIM, dtype=np.float32)
    grams = [(c, 0.5) for c in clean] + [(clean[i:i + 2], 1.0) for i in range(len(clean) - 1)]
    for gram, weight in grams:
        vector[zlib.crc32(gram.encode("utf-8")) % TITLE_DIM] += weight
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def title_table(vocab: Vocabulary) -> np.ndarray:
    """Vectors of every title in the vocabulary, row i for title id i."""
    titles = vocab.entries["title"]
    return np.stack([title_vector(t) for t in titles]) if titles else np.zeros((0, TITLE_DIM), np.float32)


def _day(value: dt.date | None) -> int:
    return (value - _EPOCH).days if value else -1


def _region_of(vocab: Vocabulary, district: str) -> int:
    return vocab.id("region", load_catalogue().region(district))


def _major_industries(vocab: Vocabulary, major: str) -> int:
    """Bitmask of catalogue industries whose majors list holds `major` (a related-major test)."""
    catalogue, mask = load_catalogue(), 0
    for name in catalogue.industries:
        if major in catalogue.industry(name)["majors"]:
            mask |= 1 << vocab.id("industry", name)
    return mask


def encode_postings(postings: Sequence[JobPosting], vocab: Vocabulary) -> Columns:
    """Columns for postings, one row each, in the given order."""
    def col(values: list, dtype: type) -> np.ndarray:
        return np.asarray(values, dtype=dtype)

    sal = [(j.salary.annual() if j.salary else (np.nan, np.nan)) for j in postings]
    return {
        "title_id": col([vocab.id("title", j.title) for j in postings], np.int32),
        "function": col([vocab.id("function", j.function) for j in postings], np.int32),
        "industry": col([vocab.id("industry", j.industry) for j in postings], np.int32),
        "chain": col([vocab.id("chain", j.chain) for j in postings], np.int32),
        "district": col([vocab.id("district", j.district) for j in postings], np.int32),
        "region": col([_region_of(vocab, j.district) for j in postings], np.int32),
        "company_type": col([vocab.id("company_type", j.company_type) for j in postings], np.int32),
        "size_lo": col([j.company_size[0] if j.company_size else -1 for j in postings], np.int32),
        "size_hi": col([j.company_size[1] if j.company_size else -1 for j in postings], np.int32),
        "track": col([vocab.id("track", j.career_track) for j in postings], np.int32),
        "edu_min": col([int(j.education_min) for j in postings], np.int8),
        "major_bits": _bitsets(vocab, "major", [j.majors for j in postings]),
        "major_count": col([len(j.majors) for j in postings], np.int16),
        "years_min": col([j.years_min for j in postings], np.float32),
        "years_max": col([np.nan if j.years_max is None else j.years_max for j in postings], np.float32),
        "sal_lo": col([s[0] for s in sal], np.float64),
        "sal_hi": col([s[1] for s in sal], np.float64),
        **_set_columns(vocab, "req", "skill", [j.skills_required for j in postings]),
        **_set_columns(vocab, "pref", "skill", [j.skills_preferred for j in postings]),
        **_set_columns(vocab, "cert", "certificate", [j.certificates for j in postings]),
        **_set_columns(vocab, "lang", "language", [j.languages for j in postings]),
        **_set_columns(vocab, "proj", "project", [j.project_keywords for j in postings]),
        **_set_columns(vocab, "benefit", "benefit", [j.benefits for j in postings]),
        "title_level": col([j.title_level_min for j in postings], np.int8),
        "management": col([j.management_min for j in postings], np.int32),
        "industry_years": col([j.industry_years_min for j in postings], np.float32),
        "employment": col([EMPLOYMENT_BITS[j.employment_type] for j in postings], np.int8),
        "travel": col([j.travel for j in postings], np.int8),
        "start_day": col([_day(j.start_date) for j in postings], np.int32),
        "tier": col([j.tier_min for j in postings], np.int8),
    }


def encode_talents(talents: Sequence[TalentProfile], vocab: Vocabulary) -> Columns:
    """Columns for profiles, one row each, in the given order."""
    def col(values: list, dtype: type) -> np.ndarray:
        return np.asarray(values, dtype=dtype)

    def titles(t: TalentProfile) -> list[int]:
        ids = [vocab.id("title", x) for x in dict.fromkeys([t.current_title, *t.desired_titles]) if x]
        return (ids + [-1] * MAX_TALENT_TITLES)[:MAX_TALENT_TITLES]

    sal = [(t.salary_expectation.annual() if t.salary_expectation else (np.nan, np.nan)) for t in talents]
    return {
        "title_ids": col([titles(t) for t in talents], np.int32).reshape(len(talents), MAX_TALENT_TITLES),
        "title_count": col([len([x for x in (t.current_title, *t.desired_titles) if x]) for t in talents], np.int16),
        "function": col([vocab.id("function", t.function) for t in talents], np.int32),
        "industry": col([vocab.id("industry", t.industry) for t in talents], np.int32),
        "chain": col([vocab.id("chain", t.chain) for t in talents], np.int32),
        "district": col([vocab.id("district", t.district) for t in talents], np.int32),
        "region": col([_region_of(vocab, t.district) for t in talents], np.int32),
        "pref_district_bits": _bitsets(vocab, "district", [t.preferred_districts for t in talents]),
        "relocate": col([t.willing_to_relocate for t in talents], np.bool_),
        "edu": col([-1 if t.education is None else int(t.education) for t in talents], np.int8),
        "major": col([vocab.id("major", t.major) for t in talents], np.int32),
        "major_industries": col([_major_industries(vocab, t.major) for t in talents], np.int64),
        "has_major": col([bool(t.major) for t in talents], np.bool_),
        "years": col([np.nan if t.years_experience is None else t.years_experience for t in talents], np.float32),
        "industry_years": col([np.nan if t.industry_years is None else t.industry_years for t in talents], np.float32),
        "sal_lo": col([s[0] for s in sal], np.float64),
        "sal_hi": col([s[1] for s in sal], np.float64),
        **_set_columns(vocab, "skill", "skill", [t.skills for t in talents]),
        **_set_columns(vocab, "cert", "certificate", [t.certificates for t in talents]),
        **_set_columns(vocab, "lang", "language", [t.languages for t in talents]),
        **_set_columns(vocab, "proj", "project", [t.project_keywords for t in talents]),
        **_set_columns(vocab, "benefit", "benefit", [t.desired_benefits for t in talents]),
        "title_level": col([t.title_level for t in talents], np.int8),
        "managed": col([t.managed_team_size for t in talents], np.int32),
        "employment": col([sum(EMPLOYMENT_BITS[e] for e in set(t.employment_types)) for t in talents], np.int8),
        "travel": col([t.travel_tolerance for t in talents], np.int8),
        "avail_day": col([_day(t.available_from) for t in talents], np.int32),
        "tier": col([t.tier for t in talents], np.int8),
        "ctype_bits": _bitsets(vocab, "company_type", [t.preferred_company_types for t in talents]),
        "ctype_count": col([len(t.preferred_company_types) for t in talents], np.int16),
        "size_lo": col([t.preferred_company_size[0] if t.preferred_company_size else -1 for t in talents], np.int32),
        "size_hi": col([t.preferred_company_size[1] if t.preferred_company_size else -1 for t in talents], np.int32),
        "intent": col([vocab.id("track", t.career_intent) for t in talents], np.int32),
        "has_intent": col([bool(t.career_intent) for t in talents], np.bool_),
    }


def _bitsets(vocab: Vocabulary, kind: str, rows: list[list[str]]) -> np.ndarray:
    out = np.zeros((len(rows), vocab.words(kind)), dtype=np.uint64)
    for r, values in enumerate(rows):
        out[r] = vocab.bits(kind, values)
    return out


def _set_columns(vocab: Vocabulary, prefix: str, kind: str, rows: list[list[str]]) -> Columns:
    """A bitset column and a count column (the count includes values unknown to the vocabulary)."""
    counts = np.asarray([len(set(values)) for values in rows], dtype=np.int16)
    return {f"{prefix}_bits": _bitsets(vocab, kind, rows), f"{prefix}_count": counts}
