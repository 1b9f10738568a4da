"""How an offline answer is laid out: source lines in document order, each table row under its header, a whole list
or section when the question asks for one, and every document cited once.

The answerer picks sentences (`answering.OfflineAnswerer._pick_sentences`); this module turns them into quotes of
source lines, widens them where the question asks for a list or a section, narrows a line or list that gives
figures for several audiences to the person's clause (`for_audience`), and renders the cited lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from assistant.retrieval.documents import Chunk, DocumentMeta
from assistant.retrieval.index import Generation
from assistant.retrieval.loading import LIST_ITEM_RE
from assistant.vocab.education import DEGREE_RANK, SKILL_RANK, degree_mentions, skill_mentions

# Questions whose answer is a list: all of its items, in the order of the document.
LIST_QUESTION_RE = re.compile(r"哪些|哪几[类种个项条方面]|有几[类种项]|什么条件|条件|材料|流程|步骤|程序")
# Questions answered by a whole section, with the words its heading has (most specific first).
_SECTION_INTENTS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"(怎么|如何|怎样|去哪|在哪|哪里)(报名|参赛|参加)|报名(方式|途径|渠道|流程)"), ("报名", "参赛")),
    (re.compile(r"(怎么|如何|怎样|去哪|在哪|哪里)(申请|申报|办理)|(申请|申报|办理)(方式|途径|渠道|流程|程序)"),
     ("申报", "申请", "办理", "报名")),
    (re.compile(r"(什么|哪些|啥)材料|材料清单|带.{0,4}材料|材料(有|包括)"), ("材料",)),
    (re.compile(r"(什么|哪些|啥|几)(样的)?(条件|资格)|(申报|报名|参赛|申请|资格)条件|条件是"),
     ("条件", "资格", "对象")),
    (re.compile(r"流程|步骤|(办理|申报|评审)程序"), ("程序", "流程", "步骤")),
    (re.compile(r"联系方式|联系电话|咨询电话|电话(是)?多少|找谁咨询|(哪里|哪儿|何处)咨询|咨询方式|联系人"),
     ("联系", "咨询")),
]
# A heading naming how to do something ("报名方式", "申报程序"), preferred over one that only shares the word.
_PROCEDURE_WORDS = ("方式", "程序", "流程", "途径", "办法", "渠道", "安排", "须知")
_PROCEDURAL_KEYWORDS = ("报名", "申报")
_NOT_PROCEDURE_WORDS = ("条件", "对象", "范围", "标准", "要求", "内容")
_SECTION_NUMBER_RE = re.compile(r"^([一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+[章节条]|\d+[.．、])\s*")
MAX_SECTION_CHARS = 900  # a longer section is not quoted whole: the picked sentences answer instead
MAX_RUN_LINES = 15
MAX_RUN_CHARS = 1000
MAX_ITEM_CHARS = 400  # a list item up to this long is quoted whole rather than its first clause


@dataclass(frozen=True)
class Quote:
    """A piece of one source line that the answer states, with what it is cited from."""

    document: DocumentMeta
    chunk: Chunk
    relevance: float
    line: int  # index of the source line in `chunk.text`
    order: int  # position of the piece within its source line
    text: str


def is_table_row(line: str) -> bool:
    """A table row as the loaders write it: cells joined by " | "."""
    return " | " in line


def _is_item(line: str) -> bool:
    return bool(LIST_ITEM_RE.match(line.strip())) or is_table_row(line)


def table_header(lines: list[str], index: int) -> str | None:
    """The header row of the table row at `index` (the first row of its run); None for the header itself."""
    start = index
    while start > 0 and is_table_row(lines[start - 1]):
        start -= 1
    return lines[start] if start < index else None


def quotes_of(sentence: str, document: DocumentMeta, chunk: Chunk, relevance: float, position: int) -> list[Quote]:
    """The quotes of a picked sentence: one per source line it spans; a list item or table row is quoted whole."""
    lines = chunk.text.split("\n")
    parts = [p.strip() for p in sentence.split("\n") if p.strip()]
    if not parts:
        return []
    first = next((i for i, line in enumerate(lines) if parts[0] in line), None)
    if first is None:
        return [Quote(document, chunk, relevance, 0, position, sentence)]
    quotes: list[Quote] = []
    for offset, part in enumerate(parts):
        index = min(first + offset, len(lines) - 1)
        source = lines[index].strip()
        whole = _is_item(source) and len(source) <= MAX_ITEM_CHARS
        quotes.append(Quote(document, chunk, relevance, index, 0 if whole else position, source if whole else part))
    return quotes


def list_run(quote: Quote) -> list[Quote]:
    """All items of the list or table the quote is an item of, in document order (the quote alone otherwise)."""
    lines = [line.strip() for line in quote.chunk.text.split("\n")]
    if not _is_item(lines[quote.line]):
        return [quote]
    table = is_table_row(lines[quote.line])

    def same_kind(line: str) -> bool:
        return is_table_row(line) if table else bool(LIST_ITEM_RE.match(line)) and not is_table_row(line)

    start = end = quote.line
    while start > 0 and same_kind(lines[start - 1]):
        start -= 1
    while end + 1 < len(lines) and same_kind(lines[end + 1]):
        end += 1
    if table:
        start += 1  # the header row is printed above the rows, not quoted as one
    run = range(start, end + 1)
    if len(run) > MAX_RUN_LINES or sum(len(lines[i]) for i in run) > MAX_RUN_CHARS:
        return [quote]
    return [Quote(quote.document, quote.chunk, quote.relevance, i, 0, lines[i]) for i in run]


def section_keywords(question: str) -> tuple[str, ...]:
    """The heading words of the section the question asks for whole ("怎么报名" → 报名方式), or ()."""
    return next((words for pattern, words in _SECTION_INTENTS if pattern.search(question)), ())


def section_quotes(generation: Generation | None, document: DocumentMeta, relevance: float,
                   keywords: tuple[str, ...]) -> list[Quote]:
    """Every line of the document's section whose heading answers the question, or [] when it has none."""
    if generation is None or not keywords:
        return []
    chunks = sorted((generation.chunks[generation.position[chunk_id]]
                     for entry in generation.manifest.values() if entry.doc_id == document.id
                     for chunk_id in entry.chunk_ids if chunk_id in generation.position), key=lambda c: c.ordinal)

    procedural = keywords[0] in _PROCEDURAL_KEYWORDS  # "怎么报名": 报名方式 before 报名条件

    def rank(chunk: Chunk) -> int | None:
        heading = chunk.heading_path[-1] if chunk.heading_path else ""
        for position, word in enumerate(keywords):
            if word in heading:
                if not procedural or any(w in heading for w in _PROCEDURE_WORDS):
                    return position
                if not any(w in heading for w in _NOT_PROCEDURE_WORDS):
                    return len(keywords) + position
        return None

    ranked = [(r, chunk) for chunk in chunks if (r := rank(chunk)) is not None]
    if not ranked:
        return []
    best = min(r for r, _ in ranked)
    path = next(chunk.heading_path for r, chunk in ranked if r == best)
    section = [chunk for chunk in chunks if chunk.heading_path == path]
    if sum(len(chunk.text) for chunk in section) > MAX_SECTION_CHARS:
        return []
    return [Quote(document, chunk, relevance, i, 0, line.strip())
            for chunk in section for i, line in enumerate(chunk.text.split("\n")) if line.strip()]


def merge_quotes(quotes: list[Quote]) -> list[Quote]:
    """Each piece once: a fragment of a line that is also quoted whole is dropped."""
    whole = {(q.chunk.id, q.line) for q in quotes if q.text == q.chunk.text.split("\n")[q.line].strip()}
    kept: dict[tuple[str, int, str], Quote] = {}
    for quote in quotes:
        key = (quote.chunk.id, quote.line, quote.text)
        if key in kept:
            continue
        if (quote.chunk.id, quote.line) in whole and quote.text != quote.chunk.text.split("\n")[quote.line].strip():
            continue
        kept[key] = quote
    return list(kept.values())


def render(quotes: list[Quote]) -> tuple[list[str], dict[str, int]]:
    """The answer's lines, one per source line, documents numbered by their first (best) quote, each cited once.

    Returns the lines and the citation number of each document id.
    """
    numbers: dict[str, int] = {}
    chunk_rank: dict[str, int] = {}
    for quote in quotes:
        numbers.setdefault(quote.document.id, len(numbers) + 1)
        chunk_rank.setdefault(quote.chunk.id, len(chunk_rank))
    out: list[str] = []
    for doc_id, n in numbers.items():
        # The passage holding the best quote first (the fact in the first line); within a passage, document order.
        own = sorted((q for q in quotes if q.document.id == doc_id),
                     key=lambda q: (chunk_rank[q.chunk.id], q.line, q.order))
        previous: Quote | None = None
        for quote in own:
            new_passage = previous is None or previous.chunk.id != quote.chunk.id
            lines = quote.chunk.text.split("\n")
            if new_passage and _is_item(lines[quote.line]) and quote.chunk.heading_path:
                out.append(f"{_SECTION_NUMBER_RE.sub('', quote.chunk.heading_path[-1])}：")
            same_line = previous is not None and previous.chunk.id == quote.chunk.id and previous.line == quote.line
            marker = "" if quote.text.endswith(("：", ":")) else f"[{n}]"  # a bare lead-in states nothing
            if same_line:
                out[-1] += f"{quote.text}{marker}"
            else:
                header = table_header([line.strip() for line in lines], quote.line) \
                    if is_table_row(lines[quote.line]) else None
                follows_row = (previous is not None and previous.chunk.id == quote.chunk.id
                               and is_table_row(lines[previous.line]) and previous.line < quote.line
                               and all(is_table_row(lines[i]) for i in range(previous.line, quote.line + 1)))
                if header is not None and not follows_row:
                    out.append(header)
                out.append(f"{quote.text}{marker}")
            previous = quote
    return out, numbers


def cited_chunks(quotes: list[Quote], doc_id: str) -> list[Chunk]:
    """The chunks a document's quotes come from, in document order, each once."""
    chunks = {q.chunk.id: q.chunk for q in quotes if q.document.id == doc_id}
    return sorted(chunks.values(), key=lambda c: c.ordinal)


def chinese_date(day: dt.date) -> str:
    """2025-10-15 → 2025年10月15日, as the documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- The person's clause of a sentence, row or list that gives figures for several audiences ---
# "本科及以下500元、硕士800元、博士1500元" to a 硕士 is "硕士800元": a clause (or sentence, or list item) that states a
# figure for exactly one category of a scale (degrees, vocational skill levels) is keyed to it; where a line or a list
# keys figures to several categories, the units for other categories are left out, as long as one unit fits the
# person (none fitting leaves the line whole).
_SENTENCE_UNIT_RE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_CLAUSE_SPLIT_RE = re.compile(r"([，,、：:])")
_SEPARATOR_STRENGTH = {"：": 3, ":": 3, "，": 2, ",": 2, "、": 1, "": 0}
_AT_LEAST_RE = re.compile(r"(?:学历|学位|研究生|生|职业资格|证书)?(?:及|或)?以上")
_AT_MOST_RE = re.compile(r"(?:学历|学位|研究生|生|职业资格|证书)?(?:及|或)?以下")
_HAS_DIGIT_RE = re.compile(r"\d")
# An item's or article's number is not a figure ("6. 博士后在站人员不在本项目申报范围内" states none).
_NUMBERING_RE = re.compile(
    r"^\s*(?:\d{1,2}[.．、)）](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]|第[一二三四五六七八九十百零\d]+[章节条])")
_FIGURE_END_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|万|名|人|项|个|%|倍)?")
_CELL_SEPARATOR = " | "
Bound = Literal["exact", "at_least", "at_most"]


@dataclass(frozen=True)
class Scale:
    """The audiences a line may give figures for, and how a text names them; on a ranked scale a figure may be for
    a floor or a ceiling (本科及以上), on an unranked one for several categories at once (高校、科研院所)."""

    name: str
    rank: Mapping[str, int]
    mentions: Callable[[str], list[tuple[str, int, int]]]  # (category, start, end) of each word naming one
    ranked: bool = True


# The kinds of employer a policy line may key figures to, with the words documents use for each.
_EMPLOYER_WORDS = {"企业": r"企业", "高校": r"高校|高等学校|高等院校", "科研院所": r"科研院所|科研机构",
                   "医疗卫生机构": r"医疗卫生机构|医疗机构|卫生机构|医院"}
_EMPLOYER_RE = re.compile("|".join(f"(?P<{key}>{words})" for key, words in
                                   zip(("e0", "e1", "e2", "e3"), _EMPLOYER_WORDS.values(), strict=True)))


def _employer_mentions(text: str) -> list[tuple[str, int, int]]:
    kinds = list(_EMPLOYER_WORDS)
    return [(kinds[int(str(m.lastgroup)[1:])], m.start(), m.end()) for m in _EMPLOYER_RE.finditer(text)]


SCALES: dict[str, Scale] = {
    "education": Scale("education", {str(k): v for k, v in DEGREE_RANK.items()},
                       lambda text: [(str(c), start, end) for c, start, end in degree_mentions(text)]),
    "skill": Scale("skill", {str(k): v for k, v in SKILL_RANK.items()},
                   lambda text: [(str(c), start, end) for c, start, end in skill_mentions(text)]),
    "employer": Scale("employer", {kind: 0 for kind in _EMPLOYER_WORDS}, _employer_mentions, ranked=False),
}
# What the person is, per scale name: {"education": "硕士"}, {"skill": "技师"}, {"employer": "高校"}.
Audience = Mapping[str, str]


@dataclass(frozen=True)
class AudienceKey:
    """The category a clause states a figure for (on an unranked scale: the categories), and whether it sets a
    floor or a ceiling (本科及以上/及以下)."""

    categories: frozenset[str]
    bound: Bound

    @property
    def category(self) -> str:
        return min(self.categories)


def audience_key(text: str, scale: Scale = SCALES["education"]) -> AudienceKey | None:
    """The category a unit states a figure for ("硕士800元" → 硕士; "本科及以上学历…1万元" → 本科 at least); None when
    it states no figure or names no category of the scale or several."""
    if not _HAS_DIGIT_RE.search(_NUMBERING_RE.sub("", text)):
        return None
    mentions = scale.mentions(text)
    named = frozenset(category for category, _, _ in mentions)
    if not named or (scale.ranked and len(named) != 1):
        return None
    if not scale.ranked:
        return AudienceKey(named, "exact")
    category, _, end = mentions[0]
    after = text[end:end + 6]
    bound: Bound = "at_least" if _AT_LEAST_RE.match(after) else "at_most" if _AT_MOST_RE.match(after) else "exact"
    return AudienceKey(named, bound)


def _fit(key: AudienceKey, scale: Scale, category: str) -> int | None:
    """How closely a keyed unit fits a person of `category`: 0 names it, more is a wider bound; None: not theirs."""
    if not scale.ranked:
        return 0 if category in key.categories else None
    have, named = scale.rank[category], scale.rank[key.category]
    if key.bound == "exact":
        return 0 if have == named else None
    if key.bound == "at_least":
        return have - named if have >= named else None
    return named - have if have <= named else None


def _chosen(keys: list[AudienceKey | None], scale: Scale, category: str) -> set[int] | None:
    """The keyed units that fit the person best, or None when the units key figures to fewer than two categories
    or none fits (then nothing is left out)."""
    keyed = {i: key for i, key in enumerate(keys) if key is not None}
    if len({key.categories for key in keyed.values()}) < 2:
        return None
    fits = {i: fit for i, key in keyed.items() if (fit := _fit(key, scale, category)) is not None}
    if not fits:
        return None
    best = min(fits.values())
    return {i for i, fit in fits.items() if fit == best}


def _clauses_for(sentence: str, scale: Scale, category: str) -> tuple[str, list[str]]:
    """The sentence without the clauses keyed to other categories, and the person's clauses (verbatim)."""
    body = sentence.rstrip("。；;！？!? ")
    end = sentence[len(body):]
    parts = _CLAUSE_SPLIT_RE.split(body)
    units, separators = parts[0::2], [*parts[1::2], ""]
    keys = [audience_key(unit, scale) for unit in units]
    chosen = _chosen(keys, scale, category)
    if chosen is None:
        return sentence, []
    kept = [i for i, key in enumerate(keys) if key is None or i in chosen]
    clauses = [units[i] for i in sorted(chosen)]  # verbatim, before shared words are joined on
    keyed = [i for i, key in enumerate(keys) if key is not None]
    first, last = keyed[0], keyed[-1]
    if first not in chosen:
        # The series' first clause may open with words all of them share ("申请指标硕士…、博士…"): they stay.
        shared = units[first][:scale.mentions(units[first])[0][1]]
        to = min(chosen)
        if shared.strip() and not any(first < i < to for i in kept):
            units = [*units[:to], shared + units[to], *units[to + 1:]]
    if last not in chosen:
        # …and the last may end with them ("…、高级技师4000元的标准给予补贴").
        figures = list(_FIGURE_END_RE.finditer(units[last]))
        shared = units[last][figures[-1].end():] if figures else ""
        to = max(chosen)
        if shared.strip() and not scale.mentions(shared) and not any(to < i < last for i in kept):
            units = [*units[:to], units[to] + shared, *units[to + 1:]]
    out = ""
    for n, i in enumerate(kept):
        following = kept[n + 1] if n + 1 < len(kept) else len(units)
        # A left-out clause takes its separator along; the strongest of the gap joins what is kept ("标准为：硕士…").
        separator = "" if following == len(units) else max(separators[i:following],
                                                             key=lambda s: _SEPARATOR_STRENGTH.get(s, 0))
        out += units[i] + separator
    return out + end, clauses


def _text_for(text: str, quoted: list[str], scale: Scale, category: str) -> tuple[str, list[str]] | None:
    """A source line's quoted sentences for the person: a sentence keyed to another category gives way to the
    line's sentence keyed to theirs, and within each sentence the clauses for other categories are left out;
    None when nothing in the line is for another category."""
    sentences = [m.group(0) for m in _SENTENCE_UNIT_RE.finditer(text) if m.group(0).strip()]
    was_quoted = [any(s.strip() in q or q in s for q in quoted) for s in sentences]
    keys = [audience_key(s, scale) for s in sentences]
    chosen = _chosen(keys, scale, category)
    keep = [i for i in range(len(sentences))
            if (was_quoted[i] and (chosen is None or keys[i] is None)) or (chosen is not None and i in chosen)]
    focus: list[str] = []
    out: list[str] = []
    for i in keep:
        pruned, clauses = _clauses_for(sentences[i], scale, category)
        out.append(pruned)
        focus += clauses
    if not focus and (chosen is None or keep == [i for i, q in enumerate(was_quoted) if q]):
        return None
    return "".join(out).strip(), focus or [sentences[i].strip() for i in sorted(chosen or ())]


def _run_bounds(lines: list[str], index: int) -> range:
    """The lines of the list or table the item at `index` belongs to."""
    table = is_table_row(lines[index])

    def same(i: int) -> bool:
        return _is_item(lines[i]) and is_table_row(lines[i]) == table

    start = end = index
    while start > 0 and same(start - 1):
        start -= 1
    while end + 1 < len(lines) and same(end + 1):
        end += 1
    return range(start, end + 1)


def _items_for(quotes: list[Quote], scale: Scale, category: str) -> tuple[list[Quote], list[Quote]]:
    """Items of one list or table keyed to several categories keep the person's item (added when not picked);
    returns the quotes and the person's items."""
    out = list(quotes)
    chosen_items: list[Quote] = []
    runs: dict[tuple[str, int], list[Quote]] = {}
    for quote in quotes:
        lines = [line.strip() for line in quote.chunk.text.split("\n")]
        if _is_item(lines[quote.line]):
            runs.setdefault((quote.chunk.id, _run_bounds(lines, quote.line).start), []).append(quote)
    for members in runs.values():
        first = members[0]
        lines = [line.strip() for line in first.chunk.text.split("\n")]
        items = list(_run_bounds(lines, first.line))
        keys = [audience_key(lines[i], scale) for i in items]
        chosen = _chosen(keys, scale, category)
        if chosen is None:
            continue
        wanted = {items[i] for i in chosen}
        unwanted = {items[i] for i, key in enumerate(keys) if key is not None and items[i] not in wanted}
        quoted = {q.line for q in members}
        out = [q for q in out if not (q.chunk.id == first.chunk.id and q.line in unwanted)]
        out += [Quote(first.document, first.chunk, first.relevance, i, 0, lines[i]) for i in sorted(wanted - quoted)]
        chosen_items += [Quote(first.document, first.chunk, first.relevance, i, 0, lines[i]) for i in sorted(wanted)]
    return out, chosen_items


def _lines_for(quotes: list[Quote], scale: Scale, category: str) -> tuple[list[Quote], list[Quote]]:
    """Each line's quotes narrowed to the person's sentences and clauses, and those clauses."""
    by_line: dict[tuple[str, int], list[Quote]] = {}
    for quote in quotes:
        by_line.setdefault((quote.chunk.id, quote.line), []).append(quote)
    result: list[Quote] = []
    focus: list[Quote] = []
    for members in by_line.values():
        first = min(members, key=lambda q: q.order)
        source = first.chunk.text.split("\n")[first.line].strip()
        pruned: tuple[str, list[str]] | None = None
        if is_table_row(source):
            if any(q.text == source for q in members):  # a row is narrowed cell by cell, its columns kept
                cells = [_text_for(cell, [cell], scale, category) or (cell, [])
                         for cell in source.split(_CELL_SEPARATOR)]
                clauses = [clause for _, found in cells for clause in found]
                pruned = (_CELL_SEPARATOR.join(text for text, _ in cells), clauses) if clauses else None
        else:
            pruned = _text_for(source, [q.text for q in members], scale, category)
        if pruned is None or not pruned[0]:
            result += members
            continue
        text, clauses = pruned
        result.append(Quote(first.document, first.chunk, first.relevance, first.line, first.order, text))
        focus += [Quote(first.document, first.chunk, first.relevance, first.line, first.order, c) for c in clauses]
    return result, focus


def for_audience(quotes: list[Quote], audience: Audience) -> tuple[list[Quote], list[Quote]]:
    """The quotes as a clerk answers this person, and the clauses that state their figures.

    For each scale the person has a category on (a degree, a skill level): items of one list or table keyed to
    several categories keep the person's item (added when it was not picked); within a line, sentences and clauses
    keyed to other categories are left out. Every kept clause is verbatim source text; a line is quoted as picked
    when nothing in it is keyed to several categories or nothing fits the person.
    """
    focus: list[Quote] = []
    for name, category in audience.items():
        scale = SCALES.get(name)
        if scale is None or category not in scale.rank:
            continue
        quotes, items = _items_for(quotes, scale, category)
        quotes, found = _lines_for(quotes, scale, category)
        focus += [*items, *found]
    return quotes, focus
