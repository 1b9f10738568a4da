"""An employer's draft posting: the posting check with a severity per issue, a neutral rewrite, and the publish gate.

Severity policy (docs/WEB_PAGES.md): requirements the law prohibits outright (gender, marriage/childbearing, 户籍,
ethnicity, religion, pathogen carriers, disability) block publishing until the wording is fixed; age and appearance
requirements can be lawful when the job itself demands them (e.g. a legal minimum age, cabin crew height), so they
are published only after the employer confirms that the requirement is necessary for the job.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from assistant.errors import InvalidInputError
from assistant.jobs.fairness import PostingCheck, PostingIssue, check_posting
from assistant.jobs.generation import load_catalogue
from assistant.jobs.models import EmploymentType, JobPosting

IssueSeverity = Literal["block", "confirm"]
CONFIRMABLE_KINDS = frozenset({"age", "appearance"})
KIND_LABELS = {"gender": "性别", "age": "年龄", "marital_childbearing": "婚育", "hukou": "户籍", "ethnicity": "民族",
               "religion": "宗教信仰", "health": "病原携带/健康", "disability": "残疾", "appearance": "外貌身高"}
_CLAUSE_END = "，。；;,.\n！!？?、"
# What is left of a clause once the flagged words are gone and that carries no requirement of its own.
_FILLER = re.compile(r"优先|者|为主|为佳|即可|勿扰|要求|限|仅|只|以上|以下|以内|之间|左右|年龄|性别|身高|体重|周?岁|"
                     r"cm|CM|厘米|公斤|kg|斤|[:：\s（）()]")


class PostingDraft(BaseModel):
    """The employer's form: the fields a job seeker and the matcher read."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20000)
    district: str = ""
    industry: str = ""
    education: str = Field(default="学历不限", description="e.g. 本科, 硕士, 学历不限")
    years_min: float = Field(default=0.0, ge=0, le=60)
    salary: str = Field(default="", max_length=40, description="e.g. 15-20K·14薪 or 面议")
    skills: list[str] = Field(default_factory=list, max_length=30)
    employment_type: EmploymentType = "全职"

    @field_validator("skills", mode="before")
    @classmethod
    def _split_skills(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in re.split(r"[,，、;；\s]+", value) if part.strip()]
        return value

    def text(self) -> str:
        """What the posting check reads: the title and the description."""
        return "\n".join(part for part in (self.title, self.description) if part.strip())

    def to_job(self, job_id: str = "draft") -> JobPosting:
        """The draft as a JobPosting; InvalidInputError with the field named when a value is unusable."""
        if self.district and self.district not in load_catalogue().districts:
            raise InvalidInputError(f"未知的区县「{self.district}」：请从列表中选择重庆的区县。")
        try:
            return JobPosting(id=job_id, title=self.title, description=self.description, district=self.district,
                              industry=self.industry, education_min=self.education or "学历不限",  # type: ignore[arg-type]
                              years_min=self.years_min, salary=self.salary or None,  # type: ignore[arg-type]
                              skills_required=self.skills, employment_type=self.employment_type)
        except (ValidationError, ValueError) as exc:
            raise InvalidInputError(f"岗位信息无效：{_first_error(exc)}") from exc


class FlaggedIssue(BaseModel):
    """A flagged requirement as the employer sees it."""

    issue: PostingIssue
    label: str
    severity: IssueSeverity
    clause_rewrite: str = Field(description="The clause without the flagged words ('' = drop the clause).")


class PostingVerdict(BaseModel):
    """The posting check of a draft and whether it may be published now."""

    check: PostingCheck
    issues: list[FlaggedIssue]
    blocking: list[str] = Field(description="Kinds that must be reworded before publishing.")
    unconfirmed: list[str] = Field(description="Kinds the employer has not yet confirmed as necessary for the job.")
    rewrite: str = Field(description="The description with every flagged requirement removed.")
    publishable: bool


def review_draft(draft: PostingDraft, acknowledged: list[str]) -> PostingVerdict:
    """Check the draft's wording; it is publishable when nothing blocks and every confirmable issue is confirmed."""
    check = check_posting(draft.text())
    issues = [FlaggedIssue(issue=issue, label=KIND_LABELS.get(issue.kind, issue.kind),
                           severity="confirm" if issue.kind in CONFIRMABLE_KINDS else "block",
                           clause_rewrite=_clause_without(issue)) for issue in check.issues]
    blocking = sorted({f.issue.kind for f in issues if f.severity == "block"})
    unconfirmed = sorted({f.issue.kind for f in issues if f.severity == "confirm"} - set(acknowledged))
    offset = len(draft.title) + 1 if draft.title.strip() and draft.description.strip() else 0
    in_description = [i for i in check.issues if i.start >= offset]
    shifted = [i.model_copy(update={"start": i.start - offset}) for i in in_description]
    rewrite = neutral_rewrite(draft.description, shifted)
    return PostingVerdict(check=check, issues=issues, blocking=blocking, unconfirmed=unconfirmed, rewrite=rewrite,
                          publishable=not blocking and not unconfirmed)


def neutral_rewrite(text: str, issues: list[PostingIssue]) -> str:
    """`text` with each flagged requirement removed; a clause left with nothing but filler words is dropped whole."""
    for issue in sorted(issues, key=lambda i: -i.start):
        start, end = issue.start, issue.start + len(issue.text)
        if text[start:end] != issue.text:
            continue
        left = max((text.rfind(ch, 0, start) for ch in _CLAUSE_END), default=-1) + 1
        ends = [pos for ch in _CLAUSE_END if (pos := text.find(ch, end)) != -1]
        right = min(ends) if ends else len(text)
        rest = text[left:start] + text[end:right]
        if _FILLER.sub("", rest):
            text = text[:start] + text[end:]
        elif right < len(text):
            text = text[:left] + text[right + 1 :]  # the clause and the separator after it
        else:
            text = text[: max(0, left - 1)] + text[right:] if left else text[right:]
    return text.strip()


def _clause_without(issue: PostingIssue) -> str:
    offset = issue.clause.find(issue.text)
    if offset < 0:
        return issue.clause
    rest = issue.clause[:offset] + issue.clause[offset + len(issue.text) :]
    return rest.strip() if _FILLER.sub("", rest) else ""


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}：{first['msg']}" if where else str(first["msg"])
    return str(exc)
