"""Typed shapes of a résumé as it flows from parsing to fields, entities and review."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.retrieval.ocr import OcrReport
from assistant.vocab.education import Degree

ResumeFormat = Literal["pdf", "docx", "txt", "md"]
SectionKey = Literal[
    "basic",
    "intent",
    "education",
    "work",
    "internship",
    "project",
    "campus",
    "skills",
    "certificates",
    "self_evaluation",
    "other",
]
EntityType = Literal["NAME", "CONT", "RACE", "TITLE", "EDU", "ORG", "PRO", "LOC"]
DegreeLevel = Degree  # as a résumé reports it: 博士后 apart from 博士 (vocab/education.yaml)
Category = Literal[
    "missing_keyword",
    "unquantified_result",
    "weak_verb",
    "vague_duty",
    "date_issue",
    "missing_section",
    "formatting",
    "sensitive_data",
    "length",
]
Severity = Literal["high", "medium", "low"]


class ResumeLine(BaseModel):
    """One non-empty line of the résumé; `number` is what the user sees (1-based)."""

    number: int
    text: str
    page: int | None = None


class ParsedResume(BaseModel):
    """The résumé's text as numbered lines, with what the parser noticed about the file."""

    source: str
    format: ResumeFormat
    lines: list[ResumeLine]
    has_photo: bool = False
    warnings: list[str] = Field(default_factory=list)
    ocr: OcrReport | None = None  # scanned PDF pages read by OCR (also told in `warnings`)

    @property
    def text(self) -> str:
        """All lines joined by newlines."""
        return "\n".join(line.text for line in self.lines)


class Section(BaseModel):
    """A run of lines under one heading (or inferred from content when the heading is missing)."""

    key: SectionKey
    title: str
    heading_line: int | None
    start_line: int
    end_line: int
    inferred: bool = False


class DateRange(BaseModel):
    """A period as (year, month) pairs; `end` is None while ongoing (至今)."""

    start: tuple[int, int]
    end: tuple[int, int] | None
    text: str

    def months(self, today: tuple[int, int]) -> int:
        """Length in months, counting both ends; an ongoing period runs to `today`."""
        end = self.end or today
        return max(0, (end[0] - self.start[0]) * 12 + end[1] - self.start[1] + 1)


class EducationEntry(BaseModel):
    """One school attended."""

    school: str | None = None
    degree: DegreeLevel | None = None
    major: str | None = None
    dates: DateRange | None = None
    line: int


class WorkEntry(BaseModel):
    """One job or internship."""

    organization: str | None = None
    title: str | None = None
    dates: DateRange | None = None
    internship: bool = False
    line: int


class SkillItem(BaseModel):
    """A skill the skill lexicon found, with the résumé lines it appears on."""

    name: str
    category: str
    lines: list[int]


class ResumeFields(BaseModel):
    """Facts extracted from the résumé, each traceable to its lines."""

    name: str | None = None
    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    education: list[EducationEntry] = Field(default_factory=list)
    highest_degree: DegreeLevel | None = None
    work: list[WorkEntry] = Field(default_factory=list)
    total_years: float = 0.0
    certificates: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    skills: list[SkillItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Entity(BaseModel):
    """A ResumeNER entity: [start, end) character offsets into its line."""

    type: EntityType
    start: int
    end: int
    text: str


class Suggestion(BaseModel):
    """One concrete change to make, pointing at résumé lines; `example` only reuses the résumé's own facts."""

    lines: list[int]
    category: Category
    severity: Severity
    message: str
    example: str | None = None


class SkillCoverage(BaseModel):
    """Target skills split by how the résumé shows them."""

    present: list[str] = Field(default_factory=list)
    buried: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    note: str | None = None


class ResumeReview(BaseModel):
    """The full review: score with components, structure, fields, suggestions, skill coverage."""

    score: int
    components: dict[str, int]
    sections: list[Section]
    fields: ResumeFields
    suggestions: list[Suggestion]
    skills: SkillCoverage
    warnings: list[str] = Field(default_factory=list)
