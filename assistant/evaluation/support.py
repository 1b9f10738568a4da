"""Does a passage support a sentence? Faithful paraphrase passes; a changed figure, an added or dropped condition, a
wrong audience or a flipped negation does not.

A sentence is supported by a passage when, after containment fails:

1. every figure of the sentence (amounts, shares, durations, counts, A–E categories, dates) occurs in one sentence
   of the passage, with the same bound ("最高/不超过…" vs "…以上/不少于") — a dropped cap is a changed claim;
2. every named programme (a quoted name, or a name ending in 计划/工程/行动/专项/基金) occurs in the passage;
3. every condition word (每年, 一次性, 全职, 首次, 连续…) and every universal word (所有, 均, 无论, 不设上限…) of the
   sentence occurs in the passage sentence it is aligned with, and that sentence's negations (暂不, 不予…) are kept;
4. no content word of the sentence belongs only to another figure's clause of the passage ("硕士…5万元" against
   "硕士研究生每人每年4万元，博士研究生每人每年5万元"): that is a wrong audience;
5. the sentence's content words are covered by the passage (share of its jieba words found there);
6. a condition clause of that passage sentence ("连续2年考核优秀的，", "参加急需紧缺职业（工种）培训并取得证书的，")
   is kept: its figures, and 30 % of its content words; dropping it widens who qualifies;
7. a sentence quoting a name ("追赶") is not supported by figures of a passage sentence that quotes another one
   ("领跑"…2至5个) and not it: those figures are the other group's.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

logging.getLogger("jieba").setLevel(logging.WARNING)

_NOISE_RE = re.compile(r"[\s\u3000“”\"'‘’《》「」『』*_`#>|]")
_UNIT_SPLIT_RE = re.compile(r"[。！？!?；;\n]")
_CLAUSE_SPLIT_RE = re.compile(r"[，,、：:（）()]")
_BIND_SPLIT_RE = re.compile(r"[，,、（）()]")  # "创新人才支持计划：2026年…" binds the label to its dates
_LIST_MARKER_RE = re.compile(
    r"(?m)^[^\S\n]*(?:\d{1,2}[.、)）](?!\d)|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十百零]{1,5}条)")
_ITEM_RE = re.compile(r"(?<!\s)\s*(?:\d{1,2}[.、)）](?!\d)|[（(][一二三四五六七八九十]{1,3}[）)]|[-•])")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_COUNT_RE = re.compile(
    r"(?<![一二两三四五六七八九十])([一二两三四五六七八九十])(?=(?:个月|年|名|项|家|次|倍|批|期|周岁|岁|天|类))")
_FIGURE_RE = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?(?:\s*(?:[%％‰]|万元|亿元|万|亿|千元|元|平方米|个工作日|工作日|个月|周岁|岁|年|月|日|天|"
    r"小时|分钟|个|名|项|家|次|人次|人|倍|批|期|级|类|分|:\d\d))?|(?<![A-Za-z])[A-E]类")
_UNIT_ALIASES = {"万元": "万", "亿元": "亿", "周岁": "岁", "个工作日": "工作日", "％": "%"}
_UPPER = ("最高", "不超过", "不高于", "至多", "最多", "上限", "封顶", "以内", "以下", "不足", "低于", "内")
_LOWER = ("以上", "不少于", "不低于", "至少", "超过", "满", "高于", "起")
_CONDITIONS = (
    "每年", "每月", "每人", "每项", "每家", "每个", "每次", "一次性", "1次性", "全职", "柔性", "首次", "连续", "累计",
    "分期", "分年", "分别", "免费", "减半", "同等", "优先", "应届", "在读", "在站", "出站", "留渝", "来渝", "新引进",
    "市级", "区县", "个人", "团队", "企业", "单位", "高校", "依托单位", "用人单位",
)
_UNIVERSAL = ("所有", "任何", "一律", "均可", "都可", "无论", "不论", "不限", "不设上限", "没有上限", "无上限", "全部",
              "人人", "凡是")
_NEGATIONS = ("暂不", "不予", "不得", "不再", "不纳入", "不重复", "不可", "不能", "不属于", "不适用", "不受", "未",
              "禁止", "取消", "无需", "不需要", "不需", "不用", "不设", "不经过")
_PROGRAMME_SUFFIXES = ("计划", "工程", "行动", "专项", "基金")
_QUOTED_RE = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")
# Words that carry no claim of their own: connectives and the verbs a paraphrase swaps freely.
_LIGHT = frozenset(" ".join([
    "可以 可获 获得 给予 享受 按照 根据 依据 其中 以及 或者 并且 而且 如果 需要 进行 对于 关于 相关",
    "有关 符合 条件 能够 可获得 提供 支持 政策 规定 办法 文件 本办法 本市 我市 重庆 重庆市 申请",
    "申领 领取 发放 拨付 标准 为 是 有 和 与 及 或 的 了 在 按 给 对 将 被 把 从 向 到 至 于 由",
    "等 可 能 会 须 应 应当 要 还 也 都 就 即 则 并 且 又 再 已 其 该 此 这 那 您 你 我们 采用 方式",
    "时间 申报 截至 截止 通过 实行 实施 他们 一个 一种 这些 那些 具体 主要 包括 分为 属于 以 以便",
    "用于 同时 另外 此外 另 所 之 每 元 万 年 月",
]).split())


@dataclass(frozen=True)
class _Passage:
    text: str
    units: tuple[str, ...]  # sentences (。；\n) with the lead-in of their list ("…标准给予补助：") in front
    unit_figures: tuple[frozenset[str], ...]
    rows: tuple[bool, ...]  # a table row: its cells are bound to its figures
    leads: tuple[str, ...]


CONDITION_KEPT = 0.3  # share of a condition clause's content words the sentence must keep (else it was dropped)
COVERAGE = 0.85  # share of the sentence's content words (by characters) found in the passage
CLAUSE_COVERAGE = 0.85  # for a sentence without figures: share found within one passage sentence
_BOUND_CHARS = 16  # text before a figure, up to this long, names what the figure is for ("硕士研究生每人每年4万元")


def is_supported(sentence: str, passage: str) -> bool:
    """True when `passage` supports `sentence` (see the module docstring for the rule)."""
    names = _named(sentence)
    clean = _normalize(sentence)
    if not clean:
        return True
    parsed = _parse(passage)
    if clean in parsed.text and not _negated_at(parsed.text, clean):
        return True
    if any(_normalize(name) not in parsed.text for name in names):
        return False
    figures = _figures(clean)
    if figures:
        candidates = [i for i, found in enumerate(parsed.unit_figures) if set(figures) <= found]
    else:
        candidates = list(range(len(parsed.units)))
    words = _content_words(clean)
    if not words or _coverage(words, parsed.text) < COVERAGE:
        return False
    if any(word in clean and word not in parsed.text for word in _UNIVERSAL):
        return False
    quoted = {_normalize(name) for name in _QUOTED_RE.findall(sentence)}
    if figures and quoted:  # figures in a passage sentence that quotes another name ("领跑"…2至5个) are not "追赶"'s
        others = {_normalize(name) for name in _QUOTED_RE.findall(passage)} - quoted
        candidates = [i for i in candidates if not any(name in parsed.units[i] for name in others)
                      or all(name in parsed.units[i] for name in quoted)]
    return any(_aligned(clean, figures, words, parsed, i) for i in candidates)


def _aligned(sentence: str, figures: list[str], words: list[str], parsed: _Passage, index: int) -> bool:
    """Checks 1, 3 and 4 against passage sentence `index`."""
    unit = parsed.units[index]
    if not figures and _coverage(words, unit) < CLAUSE_COVERAGE:  # it must rest on one passage sentence
        return False
    for figure in figures:
        if not any(_bound(sentence, at) == _bound(unit, other)
                   for at in _positions(sentence, figure) for other in _positions(unit, figure)):
            return False
    for word in _CONDITIONS:
        if word in sentence and word not in unit and not _in_figureless(word, parsed):
            return False
    for word in _NEGATIONS:
        if word in parsed.leads[index] and word not in sentence:  # "有下列情形之一的，不予支持：" governs its items
            return False
        if (word in unit) != (word in sentence) and _near_claim(word, unit, words):
            return False
    lead = parsed.leads[index]
    for condition in _condition_clauses(unit[len(lead) + 1 :] if lead else unit):  # a list's lead-in is not one
        if any(figure not in figures for figure in _figures(condition)):
            return False
        if _coverage(_content_words(condition), sentence) < CONDITION_KEPT:
            return False
    return not figures or not _conflicts(figures, words, parsed, index)


def _condition_clauses(unit: str) -> list[str]:
    """The unit's condition clauses: a clause ending in 的 before a comma ("连续2年考核优秀的，", "劳动者参加急需紧缺
    职业（工种）培训并取得证书的，")."""
    clauses = re.split(r"[，,；;：:]", unit)
    return [clause for clause in clauses[:-1] if clause.endswith("的")]


def _conflicts(figures: list[str], words: list[str], parsed: _Passage, index: int) -> bool:
    """True when a content word of the sentence sits only in text bound to figures the sentence does not state.

    The short text just before a figure is bound to it ("硕士研究生每人每年4万元", "、技师3000元"), and so is a whole
    table row; longer text, text after a clause's last figure and sentences without figures are shared context.
    """
    shared: list[str] = []
    other: list[str] = []
    for i, unit in enumerate(parsed.units):
        if parsed.rows[i] and i != index and parsed.unit_figures[i]:
            other.append(unit)
            continue
        for clause in _BIND_SPLIT_RE.split(unit):
            start = 0
            for match in _FIGURE_RE.finditer(clause):
                bound = clause[start : match.end()]
                mine = i == index and _figure_key(match.group(0)) in figures
                (shared if mine or len(bound) > _BOUND_CHARS else other).append(bound)
                start = match.end()
            shared.append(clause[start:])
    own = "\n".join(shared)
    rest = "\n".join(other)
    return any(word not in own and word in rest for word in words)


def _bound(text: str, at: int) -> str:
    """'upper', 'lower' or '' for the figure at `at`: the qualifier in the few characters before or after it."""
    before = _CLAUSE_SPLIT_RE.split(text[max(0, at - 8) : at])[-1]
    previous = list(_FIGURE_RE.finditer(before))
    if previous:  # the qualifier of an earlier figure ("每月不少于2次可提前3天") is not this one's
        before = before[previous[-1].end() :]
    match = _FIGURE_RE.match(text, at)
    end = match.end() if match else at
    after = re.split(r"[，,、；;。]", text[end : end + 4])[0]
    if any(q in before for q in _UPPER[:7]) or any(after.startswith(q) for q in ("以内", "以下", "为限", "封顶")):
        return "upper"
    if any(q in before for q in ("不少于", "不低于", "至少", "超过", "满")) or after.startswith(("以上", "起")):
        return "lower"
    return ""


def _positions(text: str, figure: str) -> list[int]:
    return [m.start() for m in _FIGURE_RE.finditer(text) if _figure_key(m.group(0)) == figure]


def _near_claim(word: str, unit: str, words: list[str]) -> bool:
    """A negation of the passage sentence matters when it sits in a clause that shares words with the sentence."""
    for clause in _CLAUSE_SPLIT_RE.split(unit):
        if word in clause and any(w in clause for w in words):
            return True
    return word not in unit  # the sentence adds a negation the passage does not have


def _in_figureless(word: str, parsed: _Passage) -> bool:
    return any(word in unit and not figures for unit, figures in zip(parsed.units, parsed.unit_figures, strict=True))


def _negated_at(text: str, fragment: str) -> bool:
    """True when a contained fragment follows a negation in the passage ("纳入范围" inside "暂不纳入范围")."""
    at = text.find(fragment)
    return at > 0 and text[max(0, at - 2) : at].endswith(("不", "暂不", "未", "无", "非"))


def _coverage(words: list[str], text: str) -> float:
    total = sum(len(w) for w in words)
    return sum(len(w) for w in words if w in text) / total if total else 1.0


def _content_words(text: str) -> list[str]:
    stripped = _FIGURE_RE.sub(" ", text)
    return [w for w in _tokens(stripped) if len(w) >= 2 and w not in _LIGHT and not w.isdigit()]


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(w for w in jieba.cut(text) if re.search(r"[\u4e00-\u9fffA-Za-z]", w))


def _figures(text: str) -> list[str]:
    return [_figure_key(m.group(0)) for m in _FIGURE_RE.finditer(text)]


def _figure_key(figure: str) -> str:
    figure = figure.replace(" ", "")
    for alias, unit in _UNIT_ALIASES.items():
        figure = figure.replace(alias, unit)
    return figure


def _named(sentence: str) -> list[str]:
    """Quoted names and programme names (the word before 计划/工程/… with its suffix): they must occur verbatim."""
    names = _QUOTED_RE.findall(sentence)
    tokens = _tokens(_NOISE_RE.sub("", sentence))
    for i, token in enumerate(tokens):
        if token in _PROGRAMME_SUFFIXES and i > 0:
            names.append(tokens[i - 1] + token)
        elif token.endswith(_PROGRAMME_SUFFIXES) and len(token) > 2:
            names.append(token)
    return names


@lru_cache(maxsize=512)
def _parse(passage: str) -> _Passage:
    units: list[str] = []
    rows: list[bool] = []
    leads: list[str] = []
    lead = ""
    for line in passage.split("\n"):
        if not _ITEM_RE.match(line) and line.strip():
            lead = ""  # a paragraph that is not a list item ends the list
        row = line.count("|") >= 2
        pieces = [line] if row else _UNIT_SPLIT_RE.split(line)
        for piece in pieces:
            text = _normalize(piece)
            if not text:
                continue
            units.append(f"{lead}，{text}" if lead else text)
            rows.append(row)
            leads.append(lead)
        last = _normalize(line)
        if last.endswith(("：", ":")):
            lead = last
    whole = _normalize(passage)
    return _Passage(text=whole, units=tuple(units), unit_figures=tuple(frozenset(_figures(u)) for u in units),
                    rows=tuple(rows), leads=tuple(leads))


def _normalize(text: str) -> str:
    text = text.replace("|", "，")  # table cells are clauses
    text = _LIST_MARKER_RE.sub("", text)  # "1." "（一）" "第十一条" are not figures
    text = _CN_COUNT_RE.sub(lambda m: str(_CN_DIGITS[m.group(1)]), text)
    return _NOISE_RE.sub("", text)
