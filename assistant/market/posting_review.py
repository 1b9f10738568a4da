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
from assistant.jobs.fairness import PostingCheck, PostingIssue, check_posting, clauses
from assistant.jobs.generation import load_catalogue
from assistant.jobs.models import EmploymentType, JobPosting
from assistant.labels import ai_generated_field, ai_label_field
from assistant.skills.lexicon import Lexicon

IssueSeverity = Literal["block", "confirm"]
CONFIRMABLE_KINDS = frozenset({"age", "appearance"})
KIND_LABELS = {"gender": "性别", "age": "年龄", "marital_childbearing": "婚育", "hukou": "户籍/籍贯/地域",
               "ethnicity": "民族", "religion": "宗教信仰", "health": "病原携带/健康", "disability": "残疾",
               "appearance": "外貌身高"}
# the skills field: one skill per item, items separated by these (not by spaces: "Spring Boot" is one skill)
_SKILL_SPLIT = re.compile(r"[，,、;；/|｜\n\r]+")
_SOFT = "，,、；;"  # separators inside a sentence
_ENUMERATOR = re.compile(r"^\s*(?:[（(]?\d{1,2}\s*[.．、)）]|[（(]?[一二三四五六七八九十]{1,2}\s*[、.．)）]"
                         r"|[-*•·●■◆])\s*")
_NUMBERED = re.compile(r"^(\s*[（(]?)(\d{1,2})(\s*[.．、)）])")
# what a clause may begin with before its requirement: an item number and/or a heading ("任职要求：", "2. 年龄：")
_LEAD = re.compile(r"^\s*(?:[（(]?(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[.．、)）]\s*)?"
                   r"(?:[^：:，。；\d]{1,10}[：:]\s*)?")
# What is left of a clause once the flagged words are gone and that carries no requirement of its own.
_FILLER = re.compile(r"优先|者|为主|为佳|即可|勿扰|要求|限|仅|只|以上|以下|以内|之间|左右|年龄|性别|身高|体重|周?岁|"
                     r"cm|CM|厘米|公斤|kg|斤|[:：\s（）()]")
# words a clause cannot end or start with once a requirement has been cut out of it ("入职体检包含", "且能出差")
_DANGLING_END = re.compile(r"(?:包含|包括|含|需|须|必须|要求|提供|出具|为|是|有|的|及|和|或|与|并|且|、|：|:)$")
_DANGLING_START = re.compile(r"^(?:且|并且|并|和|及|或|与|、)")
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_MIN_CONTENT = 4  # meaningful characters a publishable description has at least


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
            return split_skills(value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return split_skills("\n".join(value))
        return value

    def with_canonical_skills(self, lexicon: Lexicon) -> PostingDraft:
        """The draft with each skill named by the lexicon's canonical name ("springboot" → "Spring Boot")."""
        return self.model_copy(update={"skills": canonical_skills(self.skills, lexicon)})

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


def split_skills(text: str) -> list[str]:
    """The items of a skills field: split at ，、,;；/ and line ends; spaces inside an item are kept ("Spring Boot")."""
    items = (" ".join(part.split()) for part in _SKILL_SPLIT.split(text))
    return list(dict.fromkeys(item for item in items if item))


def canonical_skills(skills: list[str], lexicon: Lexicon) -> list[str]:
    """Each skill by its canonical name where the lexicon knows it (kept as typed otherwise), without repeats."""
    named = []
    for skill in skills:
        found = lexicon.find(skill)
        named.append(found.name if found is not None else skill)
    return list(dict.fromkeys(named))


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
    rewrite: str = Field(description="The description with every flagged clause removed or reworded, the rest "
                                     "unchanged; '' when nothing usable would be left (see rewrite_note).")
    rewrite_note: str | None = Field(default=None, description="Why no rewrite is offered, in Chinese.")
    incomplete: str | None = Field(default=None, description="Why the description cannot be published as it "
                                                             "stands (empty, only numbering, a broken line).")
    skills: list[str] = Field(default_factory=list, description="The required skills as they will be published.")
    publishable: bool
    ai_generated: bool = ai_generated_field()
    ai_label: str = ai_label_field()


def review_draft(draft: PostingDraft, acknowledged: list[str]) -> PostingVerdict:
    """Check the draft's wording; it is publishable when nothing blocks, every confirmable issue is confirmed and
    the description is a complete text (not empty, no line left with only its number or a dangling comma)."""
    check = check_posting(draft.text())
    issues = [FlaggedIssue(issue=issue, label=KIND_LABELS.get(issue.kind, issue.kind),
                           severity="confirm" if issue.kind in CONFIRMABLE_KINDS else "block",
                           clause_rewrite=_clause_without(issue)) for issue in check.issues]
    blocking = sorted({f.issue.kind for f in issues if f.severity == "block"})
    unconfirmed = sorted({f.issue.kind for f in issues if f.severity == "confirm"} - set(acknowledged))
    offset = len(draft.title) + 1 if draft.title.strip() and draft.description.strip() else 0
    in_description = [i for i in check.issues if i.start >= offset]
    shifted = [i.model_copy(update={"start": i.start - offset}) for i in in_description]
    rewrite = neutral_rewrite(draft.description, shifted) if shifted else draft.description.strip()
    rewrite_note = None
    if shifted and description_problem(rewrite) is not None:
        rewrite, rewrite_note = "", "删除违规要求后，岗位描述没有剩下可发布的内容：请补充岗位职责与任职要求后再检查。"
    incomplete = description_problem(draft.description)
    return PostingVerdict(check=check, issues=issues, blocking=blocking, unconfirmed=unconfirmed, rewrite=rewrite,
                          rewrite_note=rewrite_note, incomplete=incomplete, skills=draft.skills,
                          publishable=not blocking and not unconfirmed and incomplete is None)


def description_problem(text: str) -> str | None:
    """Why a description is not a publishable text (Chinese), or None when it is."""
    if len(_CONTENT.findall(_strip_enumerators(text))) < _MIN_CONTENT:
        return "岗位描述为空或只剩编号、标点：请填写岗位职责与任职要求后再发布。"
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        body = _ENUMERATOR.sub("", line, count=1).strip()
        if not _CONTENT.search(body):
            return f"岗位描述第 {number} 行“{line.strip()}”只有编号或标点：请补充内容或删除这一行后再发布。"
        if body[-1] in "，,、":
            return f"岗位描述第 {number} 行“{line.strip()}”句子不完整：请补全或删除后再发布。"
    return None


def neutral_rewrite(text: str, issues: list[PostingIssue]) -> str:
    """`text` with each flagged requirement taken out and the rest of the ad kept as written.

    Only the clauses holding a flag change: the flagged words go, and a clause left with no requirement of its own
    goes whole, with one separator beside it; a line left empty goes, and the numbered lines after it are
    renumbered.
    """
    flagged = sorted((i.start, i.start + len(i.text)) for i in issues if text[i.start:i.start + len(i.text)] == i.text)
    lines = text.splitlines(keepends=True)
    out: list[str | None] = []
    position = 0
    for line in lines:
        spans = [(a - position, b - position) for a, b in flagged if position <= a < position + len(line)]
        out.append(_rewrite_line(line, spans) if spans else line)
        position += len(line)
    return _renumbered(lines, out).strip()


def _rewrite_line(line: str, spans: list[tuple[int, int]]) -> str | None:
    """One line with its flagged clauses rewritten; None when nothing of it is left."""
    ending = line[len(line.rstrip("\r\n")):]
    body = line[: len(line) - len(ending)]
    pieces: list[list[str]] = []  # [clause, separator after it]
    cursor = 0
    for start, end in clauses(body):
        if pieces:
            pieces[-1][1] += body[cursor:start]
        else:
            pieces.append(["", body[cursor:start]])
        pieces.append([body[start:end], ""])
        cursor = end
    if pieces:
        pieces[-1][1] += body[cursor:]
    kept: list[list[str]] = []
    heading = ""  # the heading of a dropped clause ("任职要求："): the next clause takes it
    number: re.Match[str] | None = None  # the item number of the last dropped clause, if it had one
    pending = 0  # numbered clauses dropped since the last kept clause
    shift = 0  # numbered items gone so far on this line ("1.…；2.…；3.…" counts on without a gap)
    offset = 0
    for clause, separator in pieces:
        mine = [(a - offset, b - offset) for a, b in spans if offset <= a < offset + len(clause)]
        offset += len(clause) + len(separator)
        new, prefix = _clause_rest(clause, mine) if mine else (clause, "")
        if not new.strip():
            if not clause:
                kept.append([new, separator])
                continue
            dropped = _NUMBERED.match(prefix)
            if dropped is not None:
                number, pending = dropped, pending + 1
            heading = heading or _NUMBERED.sub("", prefix, count=1).lstrip()
            hard = separator.strip()[:1]
            if hard and hard not in _SOFT and kept and kept[-1][1].strip()[:1] in tuple(_SOFT):
                kept[-1][1] = separator  # "招聘，限男性。" → "招聘。": the sentence end stays
            continue
        own = _NUMBERED.match(new)
        if own is None and number is not None:  # this clause goes on with the last dropped item: it takes its number
            shift += pending - 1
            new = number.group() + " " * bool(number.string[number.end():number.end() + 1] == " ") + new.lstrip()
            own = _NUMBERED.match(new)
        elif own is not None:
            shift += pending
        if own is not None and shift:
            new = f"{own.group(1)}{int(own.group(2)) - shift}{own.group(3)}{new[own.end():]}"
            own = _NUMBERED.match(new)
        if heading:
            at = own.end() if own is not None else 0
            new = new[:at] + (" " if own is not None and new[at:at + 1] == " " else "") + heading + new[at:].lstrip()
        heading, number, pending = "", None, 0
        kept.append([new, separator])
    rebuilt = "".join(clause + separator for clause, separator in kept).strip()
    if not _CONTENT.search(_strip_enumerators(rebuilt)):
        return None
    rebuilt = rebuilt.lstrip(_SOFT + " ")
    if rebuilt and rebuilt[-1] in _SOFT and body.rstrip()[-1:] not in tuple(_SOFT):
        rebuilt = rebuilt.rstrip(_SOFT + " ")
    indent = body[: len(body) - len(body.lstrip())]
    return indent + rebuilt + ending


def _clause_rest(clause: str, spans: list[tuple[int, int]]) -> tuple[str, str]:
    """A clause without its flagged words ('' when what is left says nothing of its own), and the item number or
    heading ("2.", "任职要求：") it began with, for the next clause to take when this one goes."""
    rest, last = [], 0
    for start, end in sorted(spans):
        rest.append(clause[last:max(start, last)])
        last = max(last, end)
    rest.append(clause[last:])
    text = re.sub(r"([、，,；;])(?:\s*[、，,；;])+", r"\1", "".join(rest)).strip()
    first = min(start for start, _ in spans) if spans else len(clause)
    lead = _LEAD.match(clause[:first])
    prefix = lead.group().lstrip() if lead else ""
    body = text[len(prefix):] if prefix and text.startswith(prefix) else text
    previous = None
    while previous != body:
        previous = body
        body = _DANGLING_START.sub("", _DANGLING_END.sub("", body.strip(_SOFT + " ："))).strip()
    if len(_CONTENT.findall(_FILLER.sub("", body))) < 2:
        return "", prefix
    return prefix + body, prefix


def _renumbered(lines: list[str], out: list[str | None]) -> str:
    """Join the rewritten lines; a numbered list that lost an item counts on without a gap."""
    result: list[str] = []
    expected: int | None = None
    dropped = False
    for original, new in zip(lines, out, strict=True):
        if new is None:
            gone = _NUMBERED.match(original)
            if gone is not None:
                dropped = True
                expected = int(gone.group(2)) if expected is None else expected
            continue
        number = _NUMBERED.match(new)
        if number is None:
            expected, dropped = None, False
            result.append(new)
            continue
        if expected is None:
            expected = int(number.group(2))
        if dropped and int(number.group(2)) != expected:
            new = f"{number.group(1)}{expected}{number.group(3)}{new[number.end():]}"
        expected += 1
        result.append(new)
    return "".join(result)


def _strip_enumerators(text: str) -> str:
    return "\n".join(_ENUMERATOR.sub("", line, count=1) for line in text.splitlines())


def _clause_without(issue: PostingIssue) -> str:
    offset = issue.clause.find(issue.text)
    if offset < 0:
        return issue.clause
    return _clause_rest(issue.clause, [(offset, offset + len(issue.text))])[0]


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}：{first['msg']}" if where else str(first["msg"])
    return str(exc)
