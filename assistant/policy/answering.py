"""The offline answerer: picks the sentences of the top passages that answer the question, and cites them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from assistant.errors import InvalidInputError
from assistant.policy.compose import (
    LIST_QUESTION_RE,
    Audience,
    Quote,
    cited_chunks,
    for_audience,
    list_run,
    merge_quotes,
    quotes_of,
    render,
    section_keywords,
    section_quotes,
)
from assistant.retrieval.documents import DocumentMeta
from assistant.retrieval.loading import LIST_ITEM_RE
from assistant.retrieval.search import Hit, HybridSearcher, SearchResult, coverage
from assistant.retrieval.tokenizing import is_mostly_latin, token_set
from assistant.untrusted import looks_like_instruction
from assistant.vocab.places import display_regions, find_places, is_covered, names_covered_region

DECLINE_MESSAGE = (
    "抱歉，现有的人才政策、活动通知和项目申报文件中没有找到能回答这个问题的内容，我不能凭空作答。"
    "建议换个说法再问，或咨询 12333 人社服务热线、“渝才荟”人工客服。"
)
OTHER_REGION_MESSAGE = (
    "抱歉，我的知识库只收录{covered}的人才政策、活动和申报文件，没有{region}的相关文件，无法回答。"
    "如需了解{region}的政策，请查阅当地人社部门或人才工作部门发布的官方信息。"
)
MAX_LISTED_REGIONS = 5
# Characters that do not make a place's surroundings a name: "上海的" / "上海市、" is still the place 上海.
_NOT_NAME_CHARS = set("的之和与及或、，,。.？?！!：:；;等地市省区 （）()“”\"'《》")
MIN_NAME_EXTRA_CHARS = 2  # 香港籍人才 (籍人才), 上海轨道交通, 河南建业: the place plus ≥ 2 characters of a name
_TITLE_NOTE_RE = re.compile(r"[(（][^()（）]*+[)）]$")  # "成都道 (香港)": the note after a title's name
MAX_PHRASE_SIDE, MAX_PLACE_MENTIONS = 40, 3  # bounds the phrase search whatever the question's length
ENGLISH_NOTE = "（您用英文提问，以下依据中文原文作答。）"
_NUMERIC_QUESTION_RE = re.compile(
    r"多少|几|金额|比例|补贴|奖励|资助|多少钱|额度|标准|时间|截止|什么时候|何时|哪天|日期|期限|名额")
_WHEN_QUESTION_RE = re.compile(r"什么时候|啥时候|何时|哪天|几号|几月几[日号]|哪一天|日期|截止")
_DATE_RE = re.compile(r"\d{1,2}月\d{1,2}日")
_OLD_VERSION_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?版|旧版|老版|原政策|原来的政策|以前的政策|之前的政策")
# Questions asking where / how long, and what a sentence answering them names.
_ANSWER_CUES = [
    (re.compile(r"在哪|哪里|哪儿|什么地方|何处|地点|地址"),
     re.compile(r"地点|地址|位于|地处|坐落|[路街道巷]\d+号|(?<!\d)\d+室")),
    (re.compile(r"时限|多久|多长时间|几天|几个工作日|多少天|多少个工作日"),
     re.compile(r"时限|工作日|(?<!\d)\d+\s*个?(?:天|日|月)(?!\d)|即办|当场办结")),
]
MAX_FOCUS_CLAUSES = 3  # the person's clauses the opening repeats before the quoted lines
_TIMING_HEADINGS = ("时间", "日期", "安排")
_HAS_FIGURE_RE = re.compile(r"\d|[一二三四五六七八九十百千万亿]+[名个项人元%]")
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Citation(BaseModel):
    """A numbered source passage of an answer."""

    n: int
    doc_id: str
    title: str
    kind: str
    snippet: str
    score: float


class Answer(BaseModel):
    """The answer contract of `ask --json` and `POST /api/ask`."""

    question: str
    answer: str
    grounded: bool
    citations: list[Citation]


@dataclass
class _Sentence:
    hit_index: int
    position: int
    text: str
    score: float


def normalize_question(question: str) -> str:
    """NFKC, no control characters, single spaces: the form questions are searched and remembered in."""
    text = unicodedata.normalize("NFKC", question or "")
    text = _CONTROL_RE.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def clean_question(question: str, max_chars: int) -> str:
    """Normalise a question; empty or over-long input is a clear error, never a traceback."""
    text = normalize_question(question)
    if not text:
        raise InvalidInputError("问题不能为空，请输入想咨询的内容。")
    if len(text) > max_chars:
        raise InvalidInputError(f"问题太长（{len(text)} 字），请精简到 {max_chars} 字以内。")
    return text


RegionReason = Literal["no_place", "covered", "named_in_passages", "outside"]


@dataclass(frozen=True)
class RegionCheck:
    """Whether a question asks about a region the corpus does not cover, and what decided it.

    The corpus's coverage is the set of its documents' `region`s (front matter, else ASSISTANT_CORPUS_REGION).
    A question naming a place outside it is declined unless the passages retrieved for it contain the phrase
    around the place (香港籍人才, 上海轨道交通16号线): then the question is about that thing, not that place's policy.
    """

    reason: RegionReason
    covered: tuple[str, ...]
    place: str | None = None  # the place the question names (covered, or outside the coverage)
    phrase: str = ""  # for named_in_passages: the question's phrase found in a passage

    @property
    def declines(self) -> bool:
        return self.reason == "outside"

    def covered_text(self) -> str:
        """The coverage as a reader wants it: "重庆市", "广东省", or the first few and 等."""
        shown = display_regions(self.covered)
        text = "、".join(shown[:MAX_LISTED_REGIONS]) or "（无）"
        return f"{text}等{len(shown)}个地区" if len(shown) > MAX_LISTED_REGIONS else text


def check_region(question: str, hits: list[Hit], covered: tuple[str, ...]) -> RegionCheck:
    """The region decision for a question and the passages usable for its answer (see RegionCheck)."""
    places = find_places(question)
    if not places:
        return RegionCheck("no_place", covered)
    named = names_covered_region(question, covered) or next((p for p in places if is_covered(p, covered)), None)
    if named is not None:  # a question naming a covered region is about it, whatever else it names
        return RegionCheck("covered", covered, named)
    outside = places
    phrases = [name_in_passages(question, place, hits) for place in outside]
    for place, phrase in zip(outside, phrases, strict=True):
        if not phrase:
            return RegionCheck("outside", covered, place)
    return RegionCheck("named_in_passages", covered, outside[0], phrases[0])


def name_in_passages(question: str, place: str, hits: list[Hit]) -> str:
    """The longest phrase of the question around `place` that a passage states, when it is more than the place
    (香港籍人才, 广东广播电视台珠江频道); else the place when a passage's title or heading names it, or the title
    when the question names a passage's document (羗山道位于香港什么地方 → 羗山道): the passage is about it; ""
    otherwise."""
    best = ""
    for hit in hits:
        context = hit.chunk.context_line(hit.document.title)
        if place in context:
            best = best or place
        subject = _TITLE_NOTE_RE.sub("", hit.document.title.strip()).strip()
        if len(subject) >= MIN_NAME_EXTRA_CHARS and place not in subject and subject in question:
            best = best or subject
        text = f"{context}\n{hit.chunk.text}"
        for match in list(re.finditer(re.escape(place), question))[:MAX_PLACE_MENTIONS]:
            phrase = _longest_around(question, match.start(), match.end(), text)
            extra = phrase.replace(place, "", 1)
            if sum(ch not in _NOT_NAME_CHARS for ch in extra) >= MIN_NAME_EXTRA_CHARS and len(phrase) > len(best):
                best = phrase
    return best


def _longest_around(question: str, start: int, end: int, text: str) -> str:
    """The longest substring question[a:b] (a ≤ start, b ≥ end, at most MAX_PHRASE_SIDE characters either side)
    that occurs in text; "" when the place does not."""
    best = ""
    a = start
    while a >= max(0, start - MAX_PHRASE_SIDE) and question[a:end] in text:
        b = end
        while b < min(len(question), end + MAX_PHRASE_SIDE) and question[a:b + 1] in text:
            b += 1
        if b - a > len(best):
            best = question[a:b]
        a -= 1
    return best


class OfflineAnswerer:
    """Extractive, cited answers from hybrid search; declines below the relevance threshold."""

    def __init__(
        self,
        searcher: HybridSearcher,
        threshold: float = 0.54,
        max_sentences: int = 5,
        max_answer_chars: int = 480,
        min_sentence_coverage: float = 0.25,
        keep_ratio: float = 0.6,
    ) -> None:
        self.keep_ratio = keep_ratio
        self.min_sentence_coverage = min_sentence_coverage
        self.searcher = searcher
        self.threshold = threshold
        self.max_sentences = max_sentences
        self.max_answer_chars = max_answer_chars
        self._coverage: tuple[int, tuple[str, ...]] | None = None  # (generation number, its regions)

    def covered_regions(self) -> tuple[str, ...]:
        """The regions the indexed corpus covers: its documents' `region`s, computed once per index generation."""
        generation = self.searcher.store.current()
        if generation is None:
            return ()
        cached = self._coverage
        if cached is None or cached[0] != generation.number:
            regions = tuple(sorted({d.region.strip() for d in generation.documents.values() if d.region.strip()}))
            cached = self._coverage = (generation.number, regions)
        return cached[1]

    def check_region(self, question: str, hits: list[Hit], threshold: float | None = None) -> RegionCheck:
        """The region decision `answer_from` makes for these hits (those at or above the threshold count)."""
        threshold = self.threshold if threshold is None else threshold
        return check_region(question, [hit for hit in hits if hit.relevance >= threshold], self.covered_regions())

    def answer_from(self, question: str, result: SearchResult, today: dt.date | None = None,
                    threshold: float | None = None, audience: Audience | None = None, lead: str = "",
                    lead_applies: bool = True) -> Answer:
        """Compose the answer for already retrieved passages; `threshold` overrides the configured one for this call.

        `audience` is what the person asking is ({"education": "硕士"}, or the degree the question is about): a line
        that gives figures for several degrees, skill levels or kinds of employer is quoted for theirs. `lead` opens
        the answer ("按您的硕士学历"), with the person's clauses when a line was narrowed to them (unless
        `lead_applies` is off: the audience came from the question, not from who the person is)."""
        today = today or dt.date.today()
        threshold = self.threshold if threshold is None else threshold
        usable = [hit for hit in result.hits if hit.relevance >= threshold]
        region = check_region(question, usable, self.covered_regions())
        if region.declines:
            message = OTHER_REGION_MESSAGE.format(covered=region.covered_text(), region=region.place)
            return Answer(question=question, answer=message, grounded=False, citations=[])
        if not usable:
            return Answer(question=question, answer=DECLINE_MESSAGE, grounded=False, citations=[])
        picked: list[_Sentence] = []
        unanswered: list[str] = []
        parts = split_question(question)
        for part in parts:
            found = self._pick_sentences(part, usable, self.max_sentences if len(parts) == 1 else 2)
            picked += [s for s in found if not any(_redundant(s.text, p.text) for p in picked)]
            if not found and not looks_like_instruction(part):  # an order typed into the question is not echoed
                unanswered.append(part)
        if not picked:
            return Answer(question=question, answer=DECLINE_MESSAGE, grounded=False, citations=[])
        quotes = self._compose(question, parts, picked, usable)
        focus: list[Quote] = []
        if audience:
            quotes, focus = for_audience(quotes, audience)
        lines, numbers = render(quotes)
        opening: list[str] = []
        if lead and focus and lead_applies:
            # The best document's clauses for the person (a clause that is its whole quoted line is not said twice).
            clauses = list(dict.fromkeys(q.text for q in focus if numbers[q.document.id] == 1))[:MAX_FOCUS_CLAUSES]
            clauses = [text for text in clauses if f"{text}[1]" not in lines]
            opening = ([f"{lead}，适用的是：", *(f"{text}[1]" for text in clauses)] if clauses
                       else [f"{lead}，适用的规定如下："])
        elif lead:
            opening = [f"{lead}，为您找到以下相关内容："]
        documents = {q.document.id: q.document for q in quotes}
        notes = self._validity_notes(list(documents.values()), usable, today)
        notes += self._predecessor_notes(question, list(documents.values()), usable)
        notes += [f"关于“{part}”，现有文件中没有找到相关内容。" for part in unanswered]
        if len(_distinct_parts(question)) > MAX_QUESTION_PARTS:
            notes.append(PARTS_DROPPED_NOTE.format(n=MAX_QUESTION_PARTS))
        prefix = [ENGLISH_NOTE] if is_mostly_latin(question) else []
        body = "\n".join([*opening, *prefix, "根据现有文件：", *lines, *notes])
        citations = [
            Citation(n=n, doc_id=doc_id, title=documents[doc_id].title, kind=documents[doc_id].kind,
                     snippet="\n".join(chunk.text for chunk in cited_chunks(quotes, doc_id)),
                     score=max(q.relevance for q in quotes if q.document.id == doc_id))
            for doc_id, n in numbers.items()
        ]
        return Answer(question=question, answer=body, grounded=True, citations=citations)

    def _compose(self, question: str, parts: list[str], picked: list[_Sentence], hits: list[Hit]) -> list[Quote]:
        """The quotes of the answer, best document first: whole list items and table rows, the whole list when
        the question asks which/what conditions, the whole section when it asks how to sign up or whom to call."""
        quotes = [q for s in picked for q in quotes_of(s.text, hits[s.hit_index].document, hits[s.hit_index].chunk,
                                                        hits[s.hit_index].relevance, s.position)]
        if not quotes:
            return quotes
        top = quotes[0]
        keywords = section_keywords(question)
        if keywords:
            generation = self.searcher.store.current()
            section = section_quotes(generation, top.document, top.relevance, keywords)
            if section:
                others = [q for q in quotes if q.document.id != top.document.id] if len(parts) > 1 else []
                return merge_quotes([*section, *others])
        if len(parts) == 1 and _WHEN_QUESTION_RE.search(question):
            # "什么时候举办": the best document's dated lines under 时间/日期 answer it, whatever else was picked.
            timing = section_quotes(self.searcher.store.current(), top.document, top.relevance, _TIMING_HEADINGS)
            dated = [q for q in timing if _DATE_RE.search(q.text)]
            if dated:  # the dates answer; lines without one are left out
                quotes = [*dated, *(q for q in quotes if _DATE_RE.search(q.text))]
        if LIST_QUESTION_RE.search(question):
            # The best quote's whole list, and any list two picked items belong to; then what else was picked.
            runs = [list_run(q) for q in quotes]
            counts: dict[tuple[str, int], int] = {}
            for run in runs:
                counts[(run[0].chunk.id, run[0].line)] = counts.get((run[0].chunk.id, run[0].line), 0) + 1
            wide = [q for i, run in enumerate(runs) for q in run
                    if i == 0 or (len(run) > 1 and counts[(run[0].chunk.id, run[0].line)] >= 2)]
            quotes = [*wide, *quotes]
        return merge_quotes(quotes)

    def _pick_sentences(self, query: str, hits: list[Hit], limit: int) -> list[_Sentence]:
        weights = self.searcher.term_weights(query)
        if not weights:
            return []
        wants_figures = bool(_NUMERIC_QUESTION_RE.search(query))
        wants_date = bool(_WHEN_QUESTION_RE.search(query))
        cue = next((answer for question, answer in _ANSWER_CUES if question.search(query)), None)
        candidates: list[_Sentence] = []
        best_coverage = 0.0
        for hit_index, hit in enumerate(hits):
            context = token_set(hit.chunk.context_line(hit.document.title))
            for position, sentence in enumerate(split_sentences(hit.chunk.text)):
                words = token_set(sentence)
                dated = wants_date and bool(_DATE_RE.search(sentence))
                if not words or not (dated or any(t in words for group, _ in weights for t in group)):
                    continue
                if looks_like_instruction(sentence) or hit.chunk.flagged(sentence):  # a planted order: never quoted
                    continue
                covered = coverage(weights, words, context)
                best_coverage = max(best_coverage, covered)
                score = covered + 0.3 * hit.relevance - 0.03 * hit_index
                if wants_figures and _HAS_FIGURE_RE.search(sentence):
                    score += 0.1
                if dated:  # "什么时候举办" is answered by the sentence with the date, whatever else it shares
                    score += 0.15
                # "在哪里办理" by the sentence naming a place, "办理时限是多久" by the one naming a duration.
                if cue is not None and cue.search(sentence):
                    score += 0.2
                candidates.append(_Sentence(hit_index, position, sentence, score))
        # No single sentence (with its heading) says most of what was asked: answering would stitch fragments.
        if not candidates or best_coverage < self.min_sentence_coverage:
            return []
        candidates.sort(key=lambda s: -s.score)
        best = candidates[0].score
        picked: list[_Sentence] = []
        used_chars = 0
        per_hit: dict[int, int] = {}
        for candidate in candidates:
            if candidate.score < self.keep_ratio * best or len(picked) >= limit:
                break
            if per_hit.get(candidate.hit_index, 0) >= 3 or any(_redundant(candidate.text, p.text) for p in picked):
                continue
            if picked and used_chars + len(candidate.text) > self.max_answer_chars:
                continue
            picked.append(candidate)
            used_chars += len(candidate.text)
            per_hit[candidate.hit_index] = per_hit.get(candidate.hit_index, 0) + 1
        return picked

    def _predecessor_notes(self, question: str, cited: list[DocumentMeta], hits: list[Hit]) -> list[str]:
        """A cited document that replaced one the question is about ("1.0版说…现在还是这样吗") says so."""
        generation = self.searcher.store.current()
        if generation is None:
            return []
        cited_ids = {document.id for document in cited}
        retrieved = {hit.document.id for hit in hits}
        asks_old = bool(_OLD_VERSION_RE.search(question))
        return [f"注意：《{old.title}》已被《{new.title}》取代，以上依据新版作答。"
                for new in cited for old in generation.documents.values()
                if old.superseded_by == new.id and old.id not in cited_ids and (asks_old or old.id in retrieved)]

    @staticmethod
    def _validity_notes(cited: list[DocumentMeta], hits: list[Hit], today: dt.date) -> list[str]:
        notes: list[str] = []
        titles = {hit.document.id: hit.document.title for hit in hits}
        for document in cited:
            state = document.validity(today)
            if state == "superseded":
                successor = titles.get(document.superseded_by or "", document.superseded_by or "新版文件")
                notes.append(f"注意：《{document.title}》已被《{successor}》取代，请以新版为准。")
            elif state == "expired":
                end = document.deadline or document.expires
                when = f"已于 {end.isoformat()} 截止/失效" if end else "已失效"
                what = "申报/报名" if document.kind != "policy" else "政策"
                notes.append(f"注意：《{document.title}》{when}，该{what}信息仅供参考，请关注最新通知。")
        return notes


_PART_SPLIT_RE = re.compile(r"(?<=[？?；;])|(?<=[。！!])")
# Each part costs a search and a sentence pick: a question's cost stays bounded however many parts it has
# (golden questions have at most 2). The rest are not answered, and the answer says so.
MAX_QUESTION_PARTS = 4
PARTS_DROPPED_NOTE = "问题包含的子问题较多，只回答了前 {n} 个；其余请分开提问。"


def split_question(question: str) -> list[str]:
    """The parts of a compound question ("…多少？…哪天？"), each answered on its own; short bits stay attached.

    At most MAX_QUESTION_PARTS parts, each once (a repeated part is one part).
    """
    return _distinct_parts(question)[:MAX_QUESTION_PARTS]


def _distinct_parts(question: str) -> list[str]:
    parts: list[str] = []
    for piece in (p.strip() for p in _PART_SPLIT_RE.split(question)):
        if not piece:
            continue
        if parts and (len(piece) < 6 or len(parts[-1]) < 6):
            parts[-1] += piece
        else:
            parts.append(piece)
    return list(dict.fromkeys(parts)) or [question]


def _redundant(candidate: str, kept: str) -> bool:
    """True when a sentence repeats one already picked (the same figures restated by another document)."""
    a, b = token_set(candidate), token_set(kept)
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= 0.7


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, exact substrings of it; a lead-in ending in '：' keeps its list items."""
    sentences: list[str] = []
    in_list = False  # the last sentence is a lead-in that is collecting its list items
    for line in text.split("\n"):
        parts = [m.group(0).strip() for m in _SENTENCE_RE.finditer(line)]
        parts = [p for p in parts if p and re.search(r"[\w\u4e00-\u9fff]", p)]
        if not parts:
            continue
        is_item = bool(LIST_ITEM_RE.match(line.strip()))
        if sentences and is_item and (in_list or sentences[-1].endswith(("：", ":"))):
            sentences[-1] = f"{sentences[-1]}\n{line.strip()}"
            in_list = True
            continue
        in_list = False
        sentences.extend(parts)
    # A lead-in left without its list ("各区县人力社保局：") carries no content of its own.
    return [s for s in sentences if not s.endswith(("：", ":")) or "\n" in s]
