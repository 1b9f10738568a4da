"""Load real job ads exported from BOSS直聘, 拉勾 and 猎聘 (CSV, one `sheet` column first) into JobPostings."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from assistant.errors import AssistantError, DocumentLoadError
from assistant.jobs.models import Education, JobPosting, ProtectedAttributes, SalaryRange
from assistant.jobs.parsing import parse_company_size, parse_education, parse_salary, parse_years
from assistant.skills.extraction import extract_skills

# Column positions by source and row width: the exports hold sheets whose rows carry more, or fewer, columns
# than the header (lagou's wage split into two extra numeric columns; liepin's Java sheet lacks a blank one).
_LAYOUTS: dict[str, dict[int, dict[str, int]]] = {
    "boss": {
        11: {"title": 1, "salary": 2, "education": 3, "years": 4, "welfare": 5, "description": 6, "company": 7,
             "city": 8, "size": 9, "industry": 10},
    },
    "lagou": {
        26: {"title": 1, "company": 2, "city": 3, "district": 4, "education": 5, "salary": 6, "years": 7,
             "industry": 8, "welfare": 9, "tags": 10, "size": 11},
        28: {"title": 1, "company": 2, "city": 3, "district": 4, "education": 5, "salary": 8, "years": 9,
             "industry": 10, "welfare": 11, "tags": 12, "size": 13},
    },
    "liepin": {
        15: {"title": 1, "company": 2, "city": 3, "education": 4, "salary": 5, "years": 6, "industry": 7,
             "welfare": 8, "description": 9, "size": 11, "language": 12, "age": 13},
        14: {"title": 1, "company": 2, "city": 3, "education": 4, "salary": 5, "years": 6, "industry": 7,
             "welfare": 8, "description": 9, "size": 10, "language": 11, "age": 12},
    },
}
_SOURCE_BY_PREFIX = {"boss": "boss", "lagou": "lagou", "liepin": "liepin"}
_WELFARE_SPLIT = re.compile(r"[,，、;；/\s]+")
_PLACE = re.compile(r"^([\u4e00-\u9fa5]{2,3}?)市?\s*([\u4e00-\u9fa5]{1,4}?[区县])?")
_MAX_WELFARE_ITEM = 16  # a longer "benefit" is description text that slid into the welfare column


class SkippedRow(BaseModel):
    """A row that could not be read, and why."""

    file: str
    line: int
    sheet: str
    reason: str


class JobAdLoad(BaseModel):
    """The postings read from a folder of job-ad CSVs, and the rows skipped."""

    postings: list[JobPosting] = Field(default_factory=list)
    skipped: list[SkippedRow] = Field(default_factory=list)
    realigned: int = Field(
        default=0, description="Rows whose swapped education/experience or size/industry were put back."
    )

    def skipped_by_reason(self) -> dict[str, int]:
        """Counts of skipped rows per reason, for the report."""
        counts: dict[str, int] = {}
        for row in self.skipped:
            key = row.reason.split("：")[0]
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))


def load_job_ads(folder: Path, skill_extractor: Callable[[str], list[str]] | None = None) -> JobAdLoad:
    """Read every known CSV in `folder`; rows with missing or misaligned columns are reported and skipped."""
    files = sorted(path for path in folder.glob("*.csv") if _source_of(path))
    if not files:
        raise DocumentLoadError(f"目录中没有可识别的招聘数据 CSV（boss/lagou/liepin）：{folder}")
    extract = skill_extractor or _default_skill_extractor()
    result = JobAdLoad()
    for path in files:
        source = _source_of(path)
        for line, row in _rows(path):
            try:
                posting, realigned = _posting_from_row(source, path.stem, line, row, extract)
            except ValueError as exc:
                reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
                result.skipped.append(SkippedRow(file=path.name, line=line, sheet=row[0] if row else "", reason=reason))
                continue
            result.postings.append(posting)
            result.realigned += realigned
    return result


def _source_of(path: Path) -> str:
    return next((source for prefix, source in _SOURCE_BY_PREFIX.items() if path.name.startswith(prefix)), "")


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            start = reader.line_num + 1
            for row in reader:
                yield start, row  # the line the record starts on: cells may span lines
                start = reader.line_num + 1
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DocumentLoadError(f"无法读取招聘数据文件 {path.name}：{exc}") from exc


def _posting_from_row(
    source: str, stem: str, line: int, row: list[str], extract: Callable[[str], list[str]]
) -> tuple[JobPosting, int]:
    layout = _LAYOUTS[source].get(len(row))
    if layout is None:
        raise ValueError(f"列数不符：{len(row)} 列，该来源只接受 {sorted(_LAYOUTS[source])} 列")
    cell = {name: _clean(row[index]) for name, index in layout.items()}
    realigned = 0
    if _swapped(cell, "education", "years", parse_education, parse_years):
        cell["education"], cell["years"] = cell["years"], cell["education"]
        realigned = 1
    if cell.get("size") and _swapped(cell, "size", "industry", parse_company_size, None):
        cell["size"], cell["industry"] = cell["industry"], cell["size"]
        realigned = 1
    if not cell["title"]:
        raise ValueError("缺少列：职位名称为空")
    try:
        salary = parse_salary(cell["salary"])
        education = parse_education(cell["education"])
        years_min, years_max = parse_years(cell["years"])
    except ValueError as exc:
        raise ValueError(f"列错位：{exc}") from exc
    welfare = [item for item in _WELFARE_SPLIT.split(cell.get("welfare", "")) if item]
    if any(len(item) > _MAX_WELFARE_ITEM for item in welfare):
        raise ValueError("列错位：福利列中是描述文字")
    size = _optional(parse_company_size, cell.get("size", ""))
    assert size is None or isinstance(size, tuple)
    company = "" if "查看地图" in cell.get("company", "") else cell.get("company", "")
    text = cell.get("description") or cell.get("tags", "")
    languages = [item.strip() for item in cell.get("language", "").split("+") if item.strip() and "不限" not in item]
    age = cell.get("age", "")
    posting = JobPosting(
        id=f"{source}-{line}",
        title=cell["title"][:200],
        company=company,
        industry=cell.get("industry", "").removeprefix("行业：").split("/")[0].split(",")[0],
        district=_place(cell["city"], cell.get("district", "")),
        company_size=size,
        education_min=Education(education),
        years_min=years_min,
        years_max=years_max,
        salary=None if salary is None else SalaryRange(low=salary[0], high=salary[1], months=salary[2]),
        skills_required=extract(text) if text else [],
        languages=languages,
        benefits=welfare,
        description=text[:20000],
        stated_protected=ProtectedAttributes(age=age if "岁" in age else None),
        source=f"{stem}:{row[0]}",
    )
    return posting, realigned


def _swapped(
    cell: dict[str, str], first: str, second: str, parse_first: Callable, parse_second: Callable | None
) -> bool:
    """True when `first` fails to parse at its column but parses at `second`'s (the two were swapped)."""
    if _optional(parse_first, cell.get(first, "")) is not None:
        return False
    if _optional(parse_first, cell.get(second, "")) is None:
        return False
    return parse_second is None or _optional(parse_second, cell.get(first, "")) is not None


def _optional(parse: Callable, text: str) -> object | None:
    try:
        return parse(text) if text else None
    except ValueError:
        return None


def _place(city: str, district: str) -> str:
    """'上海-江湾' / '北京海淀区辉煌国际1号楼' / ('重庆', '渝北区') → '上海江湾' / '北京海淀区' / '渝北区'."""
    if district:
        place = f"{city}{district}"
    elif "-" in city:
        place = city.replace("-", "")
    else:
        match = _PLACE.match(city)
        place = f"{match.group(1)}{match.group(2) or ''}" if match else city[:10]
    # Chongqing ads name the district the way the library does, so location matching works on them
    local = place.removeprefix("重庆市").removeprefix("重庆")
    return local if local and place != local else place


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _default_skill_extractor() -> Callable[[str], list[str]]:
    """The shared skill extractor when its lexicon is readable; otherwise no skills (the loader still works)."""
    try:
        extract_skills("Python")  # the lexicon may not be written yet in this deployment
    except AssistantError:
        return lambda _text: []

    def names(text: str) -> list[str]:
        return sorted({mention.name for mention in extract_skills(text)})

    return names
