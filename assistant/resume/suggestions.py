"""Line-level findings: weak verbs, vague duties, unquantified results, dates, sensitive data, format, length.

Every example rewrite is built from the line's own words plus 【placeholders】; nothing the résumé does not say
is added.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources

import yaml

from assistant.resume.dates import SINGLE_RE, find_ranges
from assistant.resume.lexicon import ACTION_VERBS, VAGUE_DUTY_WORDS, WEAK_OPENINGS
from assistant.resume.models import (
    EducationEntry,
    ParsedResume,
    ResumeFields,
    ResumeLine,
    Section,
    Suggestion,
    WorkEntry,
)

EXPERIENCE_KEYS = frozenset({"work", "internship", "project", "campus"})
_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万亿]+(?:个|名|人|项|次|家|倍|篇|场|期|万|亿)|%|％|倍"
                     r"|第[一二三四五六七八九十]+|[一二三特]等奖|[０-９]")
_CLAUSE_END = "。．.；;，,、！!？? "


def has_figure(text: str) -> bool:
    """A line states a figure: digits (8℃→4.5℃, 18 %, GPA 3.8, 2万元), Chinese counts (三项, 一篇), rankings (第一名,
    一等奖)."""
    return bool(_NUMBER.search(text))
_EN_WEAK = re.compile(r"^(?:helped|assisted|participated|was involved|involved in|supported|worked on)\b", re.I)
_EN_VAGUE = re.compile(r"^responsible for\b|\bvarious tasks\b|\bother duties\b|\bdaily work\b", re.I)
_INJECTION = re.compile(
    r"忽略(?:之前|以上|前面|上述)?的?(?:所有)?(?:指令|提示|要求)|无视(?:之前|以上)|打\s*100\s*分|给.{0,8}(?:满分|最高分)"
    r"|ignore (?:all )?(?:previous|prior|above) instructions|^\s*system\s*:|you are (?:now )?an? |as an ai",
    re.I,
)
_ID_NUMBER = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)")


# (pattern, message, severity): personal data that Chinese résumés often carry but employers may not ask for,
# read once from sensitive.yaml beside this module.
def _load_sensitive() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    text = resources.files("assistant.resume").joinpath("sensitive.yaml").read_text(encoding="utf-8")
    return tuple((re.compile(str(item["pattern"])), str(item["message"]), str(item["severity"]))
                 for item in yaml.safe_load(text))


_SENSITIVE: tuple[tuple[re.Pattern[str], str, str], ...] = _load_sensitive()


def line_suggestions(resume: ParsedResume, sections: list[Section], fields: ResumeFields,
                     today: dt.date) -> list[Suggestion]:
    """Findings on individual lines, in line order."""
    found: list[Suggestion] = []
    entry_lines = {entry.line for entry in fields.work} | {entry.line for entry in fields.education}
    if resume.has_photo:
        found.append(Suggestion(
            lines=[resume.lines[0].number], category="sensitive_data", severity="low",
            message="简历带有照片。除非岗位明确要求，照片可能带来外貌、年龄方面的偏见，可以不放。", example=None,
        ))
    for line in resume.lines:
        section = next((s for s in sections if s.start_line <= line.number <= s.end_line), None)
        found.extend(_sensitive(line))
        if _INJECTION.search(line.text):
            found.append(Suggestion(
                lines=[line.number], category="formatting", severity="high",
                message=("这一行像是写给 AI 筛选系统的指令，不是履历内容；"
                         "招聘方会视为作弊，本系统也不会执行它，建议删除。"),
                example=None,
            ))
            continue
        if section is None or section.key not in EXPERIENCE_KEYS or line.number == section.heading_line:
            continue
        if line.number in entry_lines or find_ranges(line.text):
            continue
        found.extend(_bullet(line))
    found.extend(_date_findings(resume, fields, today))
    found.extend(_bare_entries(resume, sections, fields))
    return found


def _bare_entries(resume: ParsedResume, sections: list[Section], fields: ResumeFields) -> list[Suggestion]:
    """Jobs listed with only their title line: nothing says what was done there."""
    out = []
    starts = sorted({entry.line for entry in fields.work} | {s.heading_line or s.start_line for s in sections})
    numbers = [line.number for line in resume.lines]
    for entry in fields.work:
        following = [n for n in starts if n > entry.line]
        stop = following[0] if following else numbers[-1] + 1
        if not any(entry.line < n < stop for n in numbers):
            out.append(Suggestion(
                lines=[entry.line], category="vague_duty", severity="medium",
                message="这段经历只有单位和职位，没有写做了什么、取得了什么结果。补充 2–3 条职责与成果（只写真实的）。",
                example="【主要职责，以动词开头】；【成果：具体数字】",
            ))
    return out


def _sensitive(line: ResumeLine) -> list[Suggestion]:
    out = []
    if _ID_NUMBER.search(line.text) and not re.search(r"身份证", line.text):
        out.append(Suggestion(lines=[line.number], category="sensitive_data", severity="high",
                              message="这一行含有疑似身份证号码，不应出现在简历中，建议删除。", example=None))
    for pattern, message, severity in _SENSITIVE:
        if pattern.search(line.text):
            out.append(Suggestion(lines=[line.number], category="sensitive_data", severity=severity,  # type: ignore[arg-type]
                                  message=message, example=None))
    return out


def _bullet(line: ResumeLine) -> list[Suggestion]:
    text = line.text.lstrip("-*•·●▪ ").strip()
    if len(text) < 4:
        return []
    has_number = has_figure(text)
    clause = text.rstrip(_CLAUSE_END)  # examples continue the line: "…流水线。，" never
    weak = next((w for w in WEAK_OPENINGS if text.startswith(w)), None)
    vague = next((w for w in VAGUE_DUTY_WORDS if w in text), None)
    english = text.isascii()
    out: list[Suggestion] = []
    if weak or (english and _EN_WEAK.match(text)):
        core = (clause[len(weak):] if weak else re.sub(r"^(?:with|in|on|to)\s+", "", _EN_WEAK.sub("", clause).strip()))
        core = core.lstrip("：:，, ")
        example = (f"【动词，如：负责/完成/组织】{core}，其中【你本人完成的部分】，【结果：具体数字】" if not english
                   else f"【Action verb you can stand behind, e.g. Built/Led】 {core}, "
                        "【result: e.g. cut X by 【number】%】")
        out.append(Suggestion(
            lines=[line.number], category="weak_verb", severity="medium",
            message=(f"以“{weak}”开头说不清你本人做了什么。改用能体现你贡献的动词（如 {'、'.join(ACTION_VERBS[:4])}），"
                     "并写出你负责的那一部分——只写你真正做过的。") if not english else
                    "Opening with a passive verb hides your own contribution; start with what you did yourself.",
            example=example,
        ))
    elif vague or (english and _EN_VAGUE.search(text)):
        out.append(Suggestion(
            lines=[line.number], category="vague_duty", severity="medium",
            message=(f"“{vague}”太笼统，招聘方看不出工作内容和规模。"
                     "请写明具体做什么、对象或规模、结果。") if not english else
                    "Too general: say what exactly you did, for whom or at what scale, and with what result.",
            example=(f"{clause.replace(vague, '【具体工作内容】')}，"
                     "【规模：如覆盖【具体数字】人/项】，【结果：具体数字】" if vague else
                     f"{clause} — 【what exactly】, 【scale: number】, 【result: number】"),
        ))
    elif not has_number and len(text) >= 6:
        out.append(Suggestion(
            lines=[line.number], category="unquantified_result", severity="low",
            message="这条经历没有任何数字。若有可核实的结果（规模、效率、金额、排名），写上具体数字更有说服力；没有就不要编。"
            if not english else "No number here: add a verifiable result (scale, time saved, revenue) if you have one.",
            example=(f"{clause}，"
                     f"{'使【指标】提升/降低【具体数字】' if not english else 'improving 【metric】 by 【number】'}"),
        ))
    return out


def _date_findings(resume: ParsedResume, fields: ResumeFields, today: dt.date) -> list[Suggestion]:
    out: list[Suggestion] = []
    now = (today.year, today.month)
    dated: list[WorkEntry | EducationEntry] = [*fields.work, *fields.education]
    for entry in dated:
        dates = entry.dates
        if dates and dates.start > now:
            out.append(Suggestion(lines=[entry.line], category="date_issue", severity="high",
                                  message=f"开始时间 {dates.text} 晚于今天，请核对是否写错。", example=None))
    jobs = sorted((e for e in fields.work if e.dates and not e.internship), key=lambda e: e.dates.start)  # type: ignore[union-attr]
    for before, after in zip(jobs, jobs[1:], strict=False):
        end = before.dates.end or now  # type: ignore[union-attr]
        start = after.dates.start  # type: ignore[union-attr]
        gap = (start[0] - end[0]) * 12 + start[1] - end[1] - 1
        if gap >= 6:
            out.append(Suggestion(
                lines=[before.line, after.line], category="date_issue", severity="medium",
                message=(f"两段工作之间有约 {gap} 个月的空档，面试时常被问到。"
                         "如有进修、项目或其他安排，可如实简短说明。"),
                example="【空档期间的真实安排，如：进修/自由职业/照顾家庭】（起止年月）",
            ))
        elif before.dates.end is None and gap < -1:  # type: ignore[union-attr]
            out.append(Suggestion(
                lines=[before.line, after.line], category="date_issue", severity="medium",
                message="标为“至今”的工作与后一段工作时间重叠，请核对结束时间。", example=None,
            ))
    for entry in fields.work:
        if entry.dates is None:
            out.append(Suggestion(lines=[entry.line], category="date_issue", severity="medium",
                                  message="这段经历没有起止时间，请补上（年.月-年.月）。",
                                  example="【起始年.月】-【结束年.月或至今】"))
    styles = {style for line in resume.lines if find_ranges(line.text) and (style := _date_style(line.text))}
    if len(styles) > 1:
        lines = [line.number for line in resume.lines if find_ranges(line.text)]
        out.append(Suggestion(lines=lines, category="formatting", severity="low",
                              message=f"日期写法不统一（{'、'.join(sorted(styles))}），建议全文统一为一种，如“年.月-年.月”。",
                              example=None))
    return out


def _date_style(text: str) -> str | None:
    match = SINGLE_RE.search(text)
    if not match:
        return None
    sep = text[match.start(1) + 4 : match.start(2)].strip()
    return {"年": "X年X月", ".": "X.X", "/": "X/X", "-": "X-X"}.get(sep[:1] if sep else "")
