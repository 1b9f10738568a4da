"""High-frequency skills of target postings: document share, keyness (log-likelihood G²) and example sentences."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.config import POSTINGS_JSONL, library_dir
from assistant.errors import DocumentLoadError, InvalidInputError
from assistant.skills.extraction import SkillMatcher, extract_skills
from assistant.skills.lexicon import default_lexicon
from assistant.skills.roles import Role, read_roles

_LATIN_WORD_RE = re.compile(r"[a-z][a-z0-9+#.]*|[0-9]+")
_HAN_RUN_RE = re.compile(r"[\u3400-\u9fff]+")
_SENTENCE_END = "。；;！!？?\n"


class Posting(BaseModel):
    """One job posting: its title (may be empty for pasted text) and full text."""

    title: str = ""
    text: str
    city: str = ""
    industry: str = ""


class SkillStat(BaseModel):
    """One skill of the target postings, with how often and how distinctively they ask for it."""

    name: str
    category: str
    postings: int = Field(description="Target postings that name the skill.")
    share: float = Field(description="postings / number of target postings.")
    required_share: float = Field(description="Share of the target postings that name it as a requirement.")
    keyness: float | None = Field(description="Signed log-likelihood G² against the reference postings.")
    examples: list[str]


class SkillReport(BaseModel):
    """The analysis of a set of target postings."""

    postings: int
    reference_postings: int
    skills: list[SkillStat]


def log_likelihood(target_hits: int, target_total: int, reference_hits: int, reference_total: int) -> float:
    """Dunning's G² on the 2×2 table of postings with/without a skill, negative when under-represented."""
    observed = [
        target_hits, target_total - target_hits, reference_hits, reference_total - reference_hits,
    ]
    total = target_total + reference_total
    if target_total <= 0 or reference_total <= 0 or total == 0:
        return 0.0
    with_skill = target_hits + reference_hits
    expected = [
        target_total * with_skill / total, target_total * (total - with_skill) / total,
        reference_total * with_skill / total, reference_total * (total - with_skill) / total,
    ]
    g2 = 2.0 * sum(o * math.log(o / e) for o, e in zip(observed, expected, strict=True) if o > 0)
    under = target_hits * reference_total < reference_hits * target_total
    return -g2 if under else g2


class _Document(BaseModel):
    skills: dict[str, tuple[int, int]]  # canonical name -> first span
    required: list[str]


class SkillIndex:
    """Every posting of a library with its extracted skills, so that a target is analysed without re-reading."""

    def __init__(self, postings: Sequence[Posting] = (), matcher: SkillMatcher | None = None) -> None:
        self.postings: list[Posting] = []
        self.documents: list[_Document] = []
        self.frequency: Counter[str] = Counter()
        self.categories: dict[str, str] = {}
        self.roles: list[Role] = []  # each posting's title read as a role
        self._title_tokens: list[set[str]] = []
        self.add(postings, matcher)

    def add(self, postings: Sequence[Posting], matcher: SkillMatcher | None = None) -> range:
        """Extract and index more postings; returns their positions."""
        first = len(self.postings)
        for posting in postings:
            spans: dict[str, tuple[int, int]] = {}
            required: set[str] = set()
            for mention in extract_skills(posting.text, matcher):
                spans.setdefault(mention.name, mention.span)
                self.categories[mention.name] = mention.category
                if mention.required:
                    required.add(mention.name)
            self.postings.append(posting)
            self.documents.append(_Document(skills=spans, required=sorted(required)))
            self.frequency.update(spans.keys())
            self._title_tokens.append(title_tokens(posting.title))
        self.roles.extend(read_roles([p.title for p in postings], matcher))
        return range(first, len(self.postings))

    def copy(self) -> SkillIndex:
        """A shallow copy that can take more postings without changing this index."""
        other = SkillIndex()
        other.postings, other.documents = list(self.postings), list(self.documents)
        other.frequency, other.categories = Counter(self.frequency), dict(self.categories)
        other._title_tokens, other.roles = list(self._title_tokens), list(self.roles)
        return other

    def select_role(self, role: Role, *, city: str = "", industry: str = "", level: str | None = None,
                    any_function: bool = False) -> list[int]:
        """Postings of `role` (or, with `any_function`, naming its subjects), optionally filtered."""
        chosen = []
        for index, other in enumerate(self.roles):
            if not (role.same_subject(other) if any_function else role.same_role(other)):
                continue
            posting = self.postings[index]
            if city in posting.city and industry in posting.industry and (level is None or other.level == level):
                chosen.append(index)
        return chosen

    def select(self, target: str, *, city: str = "", industry: str = "", limit: int | None = None) -> list[int]:
        """Postings whose title is most like `target` (token Dice ≥ 0.5), best first, optionally filtered: the
        fallback for a title that names no known role."""
        wanted = title_tokens(target)
        if not wanted:
            raise InvalidInputError("目标岗位名称不能为空。")
        scored = []
        for index, tokens in enumerate(self._title_tokens):
            overlap = len(wanted & tokens)
            if not overlap:
                continue
            score = 2 * overlap / (len(wanted) + len(tokens))
            posting = self.postings[index]
            if score >= 0.5 and city in posting.city and industry in posting.industry:
                scored.append((-score, index))
        scored.sort()
        return [index for _, index in scored[:limit]]

    def analyze(self, indices: Sequence[int], *, top_k: int = 30, examples: int = 2) -> SkillReport:
        """Skills of the postings at `indices`, ranked by share then keyness against the rest of the library."""
        chosen = [self.documents[i] for i in indices]
        counts = Counter(name for doc in chosen for name in doc.skills)
        required = Counter(name for doc in chosen for name in doc.required)
        n_target, n_reference = len(chosen), len(self.documents) - len(chosen)
        stats = []
        for name, hits in counts.items():
            keyness = log_likelihood(hits, n_target, self.frequency[name] - hits, n_reference) if n_reference else None
            stats.append((name, hits, keyness))
        stats.sort(key=lambda s: (-s[1], -(s[2] or 0.0), s[0]))
        return SkillReport(
            postings=n_target,
            reference_postings=n_reference,
            skills=[
                SkillStat(
                    name=name, category=self.categories[name], postings=hits, share=round(hits / n_target, 4),
                    required_share=round(required[name] / n_target, 4),
                    keyness=None if keyness is None else round(keyness, 2),
                    examples=self._examples(name, indices, examples),
                )
                for name, hits, keyness in stats[:top_k]
            ],
        )

    def _examples(self, name: str, indices: Sequence[int], count: int) -> list[str]:
        found: list[str] = []
        for i in indices:
            span = self.documents[i].skills.get(name)
            if span is not None:
                sentence = example_sentence(self.postings[i].text, span)
                if sentence not in found:
                    found.append(sentence)
                if len(found) == count:
                    break
        return found


def postings_library(skills_library: Path | None, data_dir: Path) -> Path | None:
    """The postings a target title is analysed against: the configured file, else the built job library's."""
    if skills_library is not None:
        return skills_library
    built = library_dir(data_dir) / POSTINGS_JSONL
    return built if built.is_file() else None


def load_library_index(path: Path, cache_dir: Path | None = None, matcher: SkillMatcher | None = None) -> SkillIndex:
    """The index of a postings library.

    Reuses the extraction cached in `cache_dir` while file and lexicon are unchanged.
    """
    postings = load_postings(path)
    if cache_dir is None:
        return SkillIndex(postings, matcher)
    lexicon = matcher.lexicon if matcher is not None else default_lexicon()
    try:
        key = hashlib.sha1(path.read_bytes() + lexicon.fingerprint().encode()).hexdigest()[:20]
    except OSError as exc:
        raise DocumentLoadError(f"无法读取岗位文件 {path}：{exc}") from exc
    cache = cache_dir / f"skills-index-{key}.json"
    index = SkillIndex()
    if cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        index.documents = [  # our own cache file: skip validation, it is the slow part of a warm start
            _Document.model_construct(skills={k: tuple(v) for k, v in doc["skills"].items()}, required=doc["required"])
            for doc in stored["documents"]
        ]
        index.categories = stored["categories"]
        index.postings = postings
        index.frequency = Counter(name for doc in index.documents for name in doc.skills)
        index._title_tokens = [title_tokens(p.title) for p in postings]
        index.roles = read_roles([p.title for p in postings], matcher)
        if len(index.documents) == len(postings):
            return index
    index = SkillIndex(postings, matcher)
    cache_dir.mkdir(parents=True, exist_ok=True)
    payload = {"documents": [doc.model_dump() for doc in index.documents], "categories": index.categories}
    cache.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return index


def title_tokens(title: str) -> set[str]:
    """Latin words and Chinese character bigrams of a job title, for title similarity."""
    lowered = title.lower()
    tokens = set(_LATIN_WORD_RE.findall(lowered))
    for run in _HAN_RUN_RE.findall(lowered):
        tokens.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return tokens


def example_sentence(text: str, span: tuple[int, int], width: int = 60) -> str:
    """The sentence around a span, cut to about `width` characters on each side."""
    start = max((text.rfind(ch, 0, span[0]) for ch in _SENTENCE_END), default=-1) + 1
    ends = [pos for ch in _SENTENCE_END if (pos := text.find(ch, span[1])) != -1]
    end = min(ends) if ends else len(text)
    start, end = max(start, span[0] - width), min(end, span[1] + width)
    return " ".join(text[start:end].split())


def analyze_postings(postings: Sequence[Posting], reference: SkillIndex | None = None, top_k: int = 30,
                     matcher: SkillMatcher | None = None) -> SkillReport:
    """Analyse pasted postings; with a reference library, keyness compares them with all of its postings."""
    if not postings:
        raise InvalidInputError("没有可分析的岗位描述。")
    index = reference.copy() if reference is not None else SkillIndex()
    return index.analyze(index.add(postings, matcher), top_k=top_k)


def read_postings(lines: Iterable[str]) -> list[Posting]:
    """Postings from text lines: JSON objects with a `text` field (and optional `title`), or one plain text per line."""
    postings = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                record = json.loads(line)
                postings.append(Posting(**{k: str(v) for k, v in record.items() if k in Posting.model_fields}))
            except (ValueError, TypeError) as exc:
                raise DocumentLoadError(f"第 {number} 行不是有效的 JSON 岗位记录（需要 text 字段）：{exc}") from exc
        else:
            postings.append(Posting(text=line))
    return postings


def load_postings(path: Path) -> list[Posting]:
    """Postings of a file in the format `read_postings` accepts."""
    try:
        with path.open(encoding="utf-8") as fh:
            return read_postings(fh)
    except OSError as exc:
        raise DocumentLoadError(f"无法读取岗位文件 {path}：{exc}") from exc


def split_postings(text: str) -> list[str]:
    """Pasted postings: JSON lines with a `text` field, or plain texts separated by blank lines or `---`."""
    if text.lstrip().startswith("{"):
        return [posting.text for posting in read_postings(text.splitlines())]
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or not line.strip().strip("-="):
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks
