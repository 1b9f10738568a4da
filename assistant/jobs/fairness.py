"""Posting check: flag discriminatory or unlawful requirements with the rule they conflict with.

Matching never reads protected attributes (they live in `ProtectedAttributes`, which no feature encodes);
this module is the other half: it tells an employer which words of a posting demand them.

A flag is composed, not listed: a clause names a protected ground (posting_rules.yaml `grounds`) and takes a
stance on it (`stances`: exclusion, restriction, preference, or a demanded document such as 孕检报告), or uses a
wording that is a requirement by itself ("35岁以下", "性别：男"); a lawful or neutral context (不限, a benefit, a
statutory minimum age, the team or the customers described) clears it. Each flag carries the article it conflicts
with and a neutral rewording.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jieba
import yaml
from pydantic import BaseModel, Field

from assistant.errors import InvalidInputError

MAX_POSTING_CHARS = 50_000
# clause ends; a numbered item ("…任务；4.同…", "要求1、…") starts a clause of its own
_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")
_ITEM = re.compile(r"(?<![\d.])(?=(?:\d{1,2}|[一二三四五六七八九十])\s*[.．、)）](?!\d))"
                   r"|(?<=[：:])(?=\s*\d{1,2}\s*[.．、)）])")  # after a colon "1.35周岁" is item 1
_LIABILITY = "就业促进法第六十二条：实施就业歧视的，劳动者可以向人民法院提起诉讼"
_STATUTORY_MINIMUM = 18  # 劳动法第十五条: 16; most employers write 18 (full civil capacity) — both lawful
_STATUTORY_MAXIMUM = 60  # a range reaching retirement age describes the working age, not a cap
_CANDIDATE_AGES = range(16, 71)
_LEADING_NUMBER = re.compile(r"^\s*[（(]?(?:\d{1,2}|[一二三四五六七八九十])\s*[.．、)）]")
_AGE_WITHOUT_QUALIFIER = 2  # index of the age form "35岁" whose bare figure needs a stance to be a requirement
logging.getLogger("jieba").setLevel(logging.WARNING)


@dataclass(frozen=True)
class _Stances:
    exclusion_after: re.Pattern[str]
    exclusion_before: re.Pattern[str]
    restriction_before: re.Pattern[str]
    preference_after: re.Pattern[str]
    preference_before: re.Pattern[str]
    single: frozenset[str]
    single_words: frozenset[str]
    gap_block: re.Pattern[str]
    negation: re.Pattern[str]
    unrestricted: re.Pattern[str]
    negated_start: re.Pattern[str]
    negated_verb: re.Pattern[str]
    before: int
    after: int


@dataclass(frozen=True)
class _Ground:
    kind: str
    mentions: re.Pattern[str]
    forms: tuple[re.Pattern[str], ...]
    neutral: re.Pattern[str] | None
    rule: str
    suggestion: str
    others_after: re.Pattern[str] | None = None
    others_before: re.Pattern[str] | None = None
    team: re.Pattern[str] | None = None
    stance_kinds: frozenset[str] = frozenset({"exclusion", "restriction", "preference"})
    prefer_before: re.Pattern[str] | None = None  # a ground's own extra preference words before a mention…
    prefer_mentions: re.Pattern[str] | None = None  # …that bind to these mentions only


@dataclass(frozen=True)
class _Rules:
    stances: _Stances
    grounds: tuple[_Ground, ...]


def _pattern(value: Any, names: dict[str, str]) -> re.Pattern[str]:
    # YAML folds a long quoted value at line ends into a space: alternatives are joined back without it
    text = re.sub(r"\s*\|\s*", "|", str(value))
    for name, alternatives in names.items():
        text = text.replace("{" + name + "}", alternatives)
    return re.compile(text)


def _load_rules() -> _Rules:
    """posting_rules.yaml (beside this module): stance words, and per ground its mentions, forms and contexts."""
    text = resources.files("assistant.jobs").joinpath("posting_rules.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    names = {"region": re.sub(r"\s*\|\s*", "|", data["regions"]), "ethnic": re.sub(r"\s*\|\s*", "|", data["ethnic"])}
    s = data["stances"]
    stances = _Stances(
        exclusion_after=_pattern(s["exclusion_after"], names), exclusion_before=_pattern(s["exclusion_before"], names),
        restriction_before=_pattern(s["restriction_before"], names),
        preference_after=_pattern(s["preference_after"], names),
        preference_before=_pattern(s["preference_before"], names),
        single=frozenset(re.sub(r"\s", "", s["single"]).split("|")),
        single_words=frozenset(re.sub(r"\s", "", s["single_words"]).split("|")),
        gap_block=_pattern(s["gap_block"], names), negation=_pattern(s["negation"], names),
        unrestricted=_pattern(s["unrestricted"], names), negated_start=_pattern(s["negated_start"], names),
        negated_verb=_pattern(s["negated_verb"], names),
        before=int(data["window"]["before"]), after=int(data["window"]["after"]))

    def optional(entry: dict[str, Any], key: str) -> re.Pattern[str] | None:
        return _pattern(entry[key], names) if entry.get(key) else None

    grounds = tuple(
        _Ground(kind=str(entry["kind"]), mentions=_pattern(entry["mentions"], names),
                forms=tuple(_pattern(form, names) for form in entry.get("forms") or ()),
                neutral=optional(entry, "neutral"), rule=str(entry["rule"]), suggestion=str(entry["suggestion"]),
                others_after=optional(entry, "others_after"), others_before=optional(entry, "others_before"),
                team=optional(entry, "team"), prefer_before=optional(entry, "prefer_before"),
                prefer_mentions=optional(entry, "prefer_mentions"),
                stance_kinds=frozenset(entry.get("stances") or ("exclusion", "restriction", "preference")))
        for entry in data["grounds"])
    return _Rules(stances=stances, grounds=grounds)


# read once, at import: fixed data shipped beside the code
_RULES: _Rules = _load_rules()


class PostingIssue(BaseModel):
    """One flagged requirement."""

    kind: str = Field(
        description="gender, age, marital_childbearing, hukou, ethnicity, religion, health, disability, appearance"
    )
    text: str = Field(description="The words that demand the protected attribute.")
    clause: str = Field(description="The clause they stand in.")
    start: int = Field(description="Character offset of `text` in the posting.")
    rule: str = Field(description="The law it conflicts with.")
    suggestion: str


class PostingCheck(BaseModel):
    """The result of checking one posting."""

    issues: list[PostingIssue]
    liability: str = _LIABILITY


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause: split at punctuation, line ends and the start of a numbered item."""
    spans: list[tuple[int, int]] = []
    for piece in _CLAUSE.finditer(text):
        cuts = [piece.start()] + [piece.start() + m.start() for m in _ITEM.finditer(piece.group()) if m.start()]
        cuts.append(piece.end())
        spans.extend((a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip())
    return spans


def check_posting(text: str) -> PostingCheck:
    """Flag discriminatory requirements in a posting text, each with its law and a neutral rewording."""
    if not text.strip():
        raise InvalidInputError("岗位描述为空，无法检查")
    if len(text) > MAX_POSTING_CHARS:
        raise InvalidInputError(f"岗位描述过长（{len(text)} 字），上限 {MAX_POSTING_CHARS} 字")
    issues: list[PostingIssue] = []
    for start, end in clauses(text):
        clause = _Clause(text[start:end], _RULES.stances)
        found = [(a, b, ground) for ground in _RULES.grounds for a, b in _flags(clause, ground)]
        # "孕期女性请勿投递", "身高要求男175以上": a sex named within a childbearing or height demand is that demand
        within = [(a, b) for a, b, ground in found if ground.kind in ("marital_childbearing", "appearance")]
        found = [(a, b, g) for a, b, g in found
                 if g.kind != "gender" or not any(a < y and x < b for x, y in within)]
        for a, b, ground in _merged(found):
            issues.append(PostingIssue(kind=ground.kind, text=clause.original[a:b], clause=clause.original.strip(),
                                       start=start + a, rule=ground.rule, suggestion=ground.suggestion))
    return PostingCheck(issues=sorted(issues, key=lambda issue: (issue.start, issue.kind)))


class _Clause:
    """One clause, its jieba tokens (to tell a stand-alone 限 or 男 from one inside another word) and the stances."""

    def __init__(self, original: str, stances: _Stances) -> None:
        self.original = original
        # a leading item number is masked (same length) so that "2.35周岁以下" reads as "35周岁以下"
        number = _LEADING_NUMBER.match(original)
        self.text = " " * number.end() + original[number.end():] if number else original
        self.stances = stances
        self._tokens: list[tuple[str, int, int]] | None = None

    def token_at(self, position: int) -> str:
        if self._tokens is None:
            self._tokens = list(jieba.tokenize(self.text))
        return next((word for word, start, end in self._tokens if start <= position < end), "")

    def standalone(self, start: int, end: int) -> bool:
        """A single-character word counts where jieba keeps it apart, or inside one of the listed words."""
        if end - start != 1:
            return True
        token = self.token_at(start)
        return token == self.text[start] or token in self.stances.single_words

    def stance(self, mention: re.Match[str], *, team: re.Pattern[str] | None,
               kinds: frozenset[str] = frozenset({"exclusion", "restriction", "preference"}),
               extra: re.Pattern[str] | None = None) -> tuple[int, int] | None:
        """The span of a stance word bound to the mention (within the window, nothing else in between), or None."""
        s, text = self.stances, self.text
        after_from, before_to = mention.end(), mention.start()
        after = [(s.exclusion_after, False)] if "exclusion" in kinds else []
        after += [(s.preference_after, True)] if "preference" in kinds else []
        before = [s.restriction_before] if "restriction" in kinds else []
        before += [s.exclusion_before] if "exclusion" in kinds else []
        before += [s.preference_before] if "preference" in kinds else []
        before += [extra] if extra is not None else []
        for pattern, is_preference in after:
            for m in pattern.finditer(text, after_from, min(len(text), after_from + s.after + 8)):
                gap = text[after_from:m.start()]
                if m.start() - after_from > s.after or s.gap_block.search(gap):
                    break
                if not self._valid_stance(m):
                    continue
                if is_preference and team is not None and team.match(text, m.end()) is not None:
                    break  # "90后为主的团队" describes the team
                return m.start(), m.end()
        window_start = max(0, before_to - s.before - 8)
        for pattern in before:
            found = [m for m in pattern.finditer(text, window_start, before_to)
                     if before_to - m.end() <= s.before and self._valid_stance(m)
                     and not s.gap_block.search(text[m.end():before_to])]
            if found:
                if text[found[-1].end():found[-1].end() + 1] in ("：", ":"):
                    return before_to, before_to  # "任职要求：男性": a heading stays out of the flagged words
                return found[-1].start(), found[-1].end()
        return None

    def negated(self, start: int, end: int) -> bool:
        """Whether the clause says it does not make the requirement at start:end ("不询问婚育状况")."""
        s, before = self.stances, self.text[:start]
        return bool(s.negation.search(before) or s.unrestricted.search(before)) or (
            bool(s.negated_start.search(before)) and s.negated_verb.match(self.text, start, end) is not None)

    def _valid_stance(self, m: re.Match[str]) -> bool:
        word = m.group()
        if word in self.stances.single:
            return self.standalone(m.start(), m.end())
        return True


def _flags(clause: _Clause, ground: _Ground) -> list[tuple[int, int]]:
    text = clause.text
    if ground.neutral is not None and ground.neutral.search(text):
        return []
    spans: list[tuple[int, int]] = []
    for index, form in enumerate(ground.forms):
        for m in form.finditer(text):
            if not m.group().strip() or clause.negated(m.start(), m.end()):
                continue
            if ground.kind == "age" and not _is_age_requirement(clause, ground, m, index):
                continue
            spans.append(_trimmed(text, m.start(), m.end()))
    team_after = re.compile(r"(?:的)?(?:" + ground.team.pattern + ")") if ground.team is not None else None
    for m in ground.mentions.finditer(text):
        if not clause.standalone(m.start(), m.end()):
            continue
        if ground.others_before is not None and ground.others_before.search(text, 0, m.start()) and \
                ground.kind == "age" and m.group().startswith("年龄"):
            continue
        extra = ground.prefer_before if ground.prefer_mentions is None or ground.prefer_mentions.search(m.group()) \
            else None
        bound = clause.stance(m, team=team_after, kinds=ground.stance_kinds, extra=extra)
        if bound is not None and not clause.negated(min(m.start(), bound[0]), max(m.end(), bound[1])):
            spans.append((min(m.start(), bound[0]), max(m.end(), bound[1])))
    return spans


def _is_age_requirement(clause: _Clause, ground: _Ground, m: re.Match[str], form_index: int) -> bool:
    """Whether an age figure is a requirement on the candidate (not a statutory minimum, the team or customers)."""
    groups = m.groupdict()
    text = clause.text
    if ground.others_after is not None and ground.others_after.search(text[m.end():]):
        return False
    if ground.others_before is not None and ground.others_before.search(text[:m.start()]):
        return False
    figures = [int(groups[key]) for key in ("a", "b") if groups.get(key)]
    if any(age not in _CANDIDATE_AGES for age in figures):
        return False
    qualifier = groups.get("q") or ""
    if not figures:
        return True  # "年龄不超过" without a figure
    if len(figures) == 1 and (qualifier.endswith("以上") or m.group().startswith("年满")):
        return figures[0] > _STATUTORY_MINIMUM
    if len(figures) == 2 and figures[0] <= _STATUTORY_MINIMUM and figures[1] >= _STATUTORY_MAXIMUM:
        return False
    if form_index == _AGE_WITHOUT_QUALIFIER and not qualifier:
        return clause.stance(m, team=None) is not None  # "35岁" alone is a number; "限35岁" is a requirement
    return True


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _merged(spans: list[tuple[int, int, _Ground]]) -> list[tuple[int, int, _Ground]]:
    """Overlapping spans of one kind as one flag (cited with the rule of the first)."""
    merged: list[tuple[int, int, _Ground]] = []
    for start, end, ground in sorted(spans, key=lambda span: (span[2].kind, span[0], -span[1])):
        last = merged[-1] if merged else None
        if last is not None and last[2].kind == ground.kind and start < last[1]:
            merged[-1] = (last[0], max(end, last[1]), last[2])
        else:
            merged.append((start, end, ground))
    return merged
