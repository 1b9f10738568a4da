"""The offline answerer: picks the sentences of the top passages that answer the question, and cites them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel

from assistant.errors import InvalidInputError
from assistant.retrieval.loading import LIST_ITEM_RE
from assistant.retrieval.search import Hit, HybridSearcher, SearchResult, coverage
from assistant.retrieval.tokenizing import is_mostly_latin, token_set
from assistant.untrusted import looks_like_instruction
from assistant.vocab.places import OTHER_REGIONS

DECLINE_MESSAGE = (
    "抱歉，现有的人才政策、活动通知和项目申报文件中没有找到能回答这个问题的内容，我不能凭空作答。"
    "建议换个说法再问，或咨询 12333 人社服务热线、“渝才荟”人工客服。"
)
OTHER_REGION_MESSAGE = (
    "抱歉，我的知识库只收录重庆市的人才政策、活动和申报文件，没有{region}的相关文件，无法回答。"
    "如需了解{region}的政策，请查阅当地人社部门或人才工作部门发布的官方信息。"
)
ENGLISH_NOTE = "（您用英文提问，以下依据中文原文作答。）"
_NUMERIC_QUESTION_RE = re.compile(
    r"多少|几|金额|比例|补贴|奖励|资助|多少钱|额度|标准|时间|截止|什么时候|何时|哪天|日期|期限|名额")
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


def other_region(question: str) -> str | None:
    """A non-Chongqing place the question is about, if it names one and not Chongqing."""
    if "重庆" in question or "渝" in question:
        return None
    return next((place for place in OTHER_REGIONS if place in question), None)


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

    def answer_from(self, question: str, result: SearchResult, today: dt.date | None = None,
                    threshold: float | None = None) -> Answer:
        """Compose the answer for already retrieved passages; `threshold` overrides the configured one for this call."""
        today = today or dt.date.today()
        threshold = self.threshold if threshold is None else threshold
        region = other_region(question)
        if region is not None:
            return Answer(question=question, answer=OTHER_REGION_MESSAGE.format(region=region), grounded=False,
                          citations=[])
        usable = [hit for hit in result.hits if hit.relevance >= threshold]
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
        numbers: dict[int, int] = {}
        for sentence in picked:  # best first: the passage holding the best sentence is cited as [1]
            numbers.setdefault(sentence.hit_index, len(numbers) + 1)
        lines: list[str] = []
        for hit_index, n in numbers.items():
            own = sorted((s for s in picked if s.hit_index == hit_index), key=lambda s: s.position)
            lines.append("".join(f"{s.text}[{n}]" for s in own))
        notes = self._validity_notes([usable[i] for i in numbers], usable, today)
        notes += [f"关于“{part}”，现有文件中没有找到相关内容。" for part in unanswered]
        if len(_distinct_parts(question)) > MAX_QUESTION_PARTS:
            notes.append(PARTS_DROPPED_NOTE.format(n=MAX_QUESTION_PARTS))
        prefix = [ENGLISH_NOTE] if is_mostly_latin(question) else []
        body = "\n".join([*prefix, "根据现有文件：", *lines, *notes])
        citations = [
            Citation(n=n, doc_id=usable[i].document.id, title=usable[i].document.title, kind=usable[i].document.kind,
                     snippet=usable[i].chunk.text, score=usable[i].relevance)
            for i, n in numbers.items()
        ]
        return Answer(question=question, answer=body, grounded=True, citations=citations)

    def _pick_sentences(self, query: str, hits: list[Hit], limit: int) -> list[_Sentence]:
        weights = self.searcher.term_weights(query)
        if not weights:
            return []
        wants_figures = bool(_NUMERIC_QUESTION_RE.search(query))
        candidates: list[_Sentence] = []
        best_coverage = 0.0
        for hit_index, hit in enumerate(hits):
            context = token_set(hit.chunk.context_line(hit.document.title))
            for position, sentence in enumerate(split_sentences(hit.chunk.text)):
                words = token_set(sentence)
                if not words or not any(t in words for group, _ in weights for t in group):
                    continue
                if looks_like_instruction(sentence) or hit.chunk.flagged(sentence):  # a planted order: never quoted
                    continue
                covered = coverage(weights, words, context)
                best_coverage = max(best_coverage, covered)
                score = covered + 0.3 * hit.relevance - 0.03 * hit_index
                if wants_figures and _HAS_FIGURE_RE.search(sentence):
                    score += 0.1
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

    @staticmethod
    def _validity_notes(cited: list[Hit], hits: list[Hit], today: dt.date) -> list[str]:
        notes: list[str] = []
        titles = {hit.document.id: hit.document.title for hit in hits}
        for document in dict((hit.document.id, hit.document) for hit in cited).values():
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
