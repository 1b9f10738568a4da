"""Chinese-aware tokens for BM25: jieba with a talent-policy dictionary, plus English query expansion
(CC-CEDICT restricted to the corpus's vocabulary, `assistant.retrieval.english`)."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from functools import cache, lru_cache
from importlib import resources

import yaml

from assistant.retrieval.english import CorpusEnglish, corpus_english

_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*")
_KEEP_RE = re.compile(r"[\w\u4e00-\u9fff]")
STOPWORDS = frozenset(
    """的 了 和 与 及 或 是 在 我 你 他 她 它 们 有 吗 呢 吧 啊 呀 么 什么 怎么 怎样 如何 哪些 哪个
    哪里 多少 几 请问 请 一下 能 能否 可以 可不可以 是否 要 需要 这个 那个 这 那 也 都 就 还 又 给 对
    于 为 被 把 从 到 上 下 中 其 之 而 以 等 个 想 问 an a the of to in on for
    and or is are be what how which who when where can do does i
    my me you your it with about""".split()
)
# Words that shape a question but never occur in the answer ("什么时候", "多少钱"); left out of relevance.
QUESTION_WORDS = frozenset(
    """现在 目前 大概 大约 具体 一下 还能 能不能 有没有 是不是 可不可以 什么样 啥 咋 哪天 哪里 哪儿 哪 时候
    什么时候 几号 多久 多远 多大 多长 几年 几个 几次 几月 几天 几岁 多少岁 多少钱 多少人 多少名 多少项
    多少家 听说 我们 我 咱们 请问 想 还 都 能 要 怎么办 怎么样 哪些 哪个 谁 一共 分别 是多少 有 吗 呢
    么 不 没 给 算 才 里 去 来 说 成 做 搞 让 被 用 把 到 上""".split()
)
# Compounds that name another category than the shorter words inside them: a 博士后 is not a 博士 (the
# audience of a 博士 call), a 硕士点 is a degree programme, not a 硕士, a 博士生导师 supervises 博士 rather than
# being one. Search mode would emit those inner words as tokens, so "博士" would match every postdoc passage;
# for these compounds the inner words are left out (the compound itself stays a token).
DISTINCT_COMPOUNDS: dict[str, frozenset[str]] = {
    compound: frozenset(inner.split())
    for compound, inner in {
        "博士后": "博士",
        "博士后们": "博士",
        "博士生导师": "博士 博士生",
        "博士研究生导师": "博士 博士生 研究生 博士研究生",
        "硕士生导师": "硕士 硕士生",
        "硕士研究生导师": "硕士 硕士生 研究生 硕士研究生",
        "研究生导师": "研究生",
        "硕士点": "硕士",
        "博士点": "博士",
        "硕士学位授权点": "硕士 硕士学位",
        "博士学位授权点": "博士 博士学位",
        "本科院校": "本科",
        "高校教师": "高校",
        "高校毕业生": "高校",
    }.items()
}
_lock = threading.Lock()


@cache
def _tokenizer():  # noqa: ANN202 - jieba ships no types
    """One jieba tokenizer with the domain dictionary, built on first use (not at import)."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with resources.files("assistant.retrieval").joinpath("policy_terms.txt").open("r", encoding="utf-8") as fh:
        tokenizer.load_userdict(fh)
    tokenizer.initialize()
    return tokenizer


@cache
def tokenizer_fingerprint() -> str:
    """A short digest of what decides a passage's tokens (domain dictionary, distinct compounds): an index built
    with other tokens re-tokenizes its passages instead of keeping them."""
    terms = resources.files("assistant.retrieval").joinpath("policy_terms.txt").read_bytes()
    compounds = repr(sorted((k, sorted(v)) for k, v in DISTINCT_COMPOUNDS.items())).encode("utf-8")
    return hashlib.sha256(terms + b"\0" + compounds).hexdigest()[:12]


@cache
def _glossary() -> dict[str, list[str]]:
    return _mapping("query_glossary.yaml")


@cache
def _synonyms() -> dict[str, list[str]]:
    return _mapping("query_synonyms.yaml")


def _mapping(name: str) -> dict[str, list[str]]:
    text = resources.files("assistant.retrieval").joinpath(name).read_text(encoding="utf-8")
    return {str(key).lower(): [str(v) for v in values] for key, values in yaml.safe_load(text).items()}


@lru_cache(maxsize=20_000)
def token_set(text: str) -> frozenset[str]:
    """The distinct tokens of a passage or sentence, cached: the same passages are scored for many questions."""
    return frozenset(tokenize(text))


def tokenize(text: str) -> list[str]:
    """Search tokens of `text`: jieba's fine-grained words, lower-cased, without stopwords and punctuation."""
    tokenizer = _tokenizer()
    with _lock:  # jieba's lazy structures are not thread-safe while warming up
        words = _cut_for_search(tokenizer, text)
    tokens = []
    for word in words:
        word = word.strip().lower()
        if word and _KEEP_RE.search(word) and word not in STOPWORDS:
            tokens.append(word)
    return tokens


def _cut_for_search(tokenizer, text: str) -> list[str]:  # noqa: ANN001 - jieba ships no types
    """jieba's search mode (each word's dictionary 2- and 3-grams, then the word), except the inner words of a
    DISTINCT_COMPOUNDS entry."""
    out: list[str] = []
    freq = tokenizer.FREQ
    for word in tokenizer.cut(text, HMM=True):
        skip = DISTINCT_COMPOUNDS.get(word, frozenset())
        for size in (2, 3):
            if len(word) > size:
                out.extend(gram for i in range(len(word) - size + 1)
                           if freq.get(gram := word[i:i + size]) and gram not in skip)
        out.append(word)
    return out


def is_dictionary_word(token: str) -> bool:
    """True for a real Chinese word (in jieba's dictionary), false for a mis-segmented fragment like "营招"."""
    return len(token) >= 2 and bool(_tokenizer().FREQ.get(token))


def is_mostly_latin(text: str) -> bool:
    """True for a question written (mostly) in English."""
    latin = sum(len(m) for m in _LATIN_RE.findall(text))
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return latin > 2 * han


def expand_query(question: str, english: CorpusEnglish | None = None) -> str:
    """The question plus the Chinese corpus terms for the English words and phrases it contains (with `english`,
    the live corpus's mapping; without, the glossary of names only)."""
    extra = [term for _, terms, _ in _english_matches(question, english) for term in terms[:2]]
    return f"{question} {' '.join(dict.fromkeys(extra))}" if extra else question


# The distinct term groups of one question that count (golden questions have at most 18): a 2,000-character
# question costs a bounded BM25 query, sentence scoring and relevance, not one group per word it repeats.
MAX_QUERY_GROUPS = 32


def query_groups(question: str, english: CorpusEnglish | None = None) -> list[list[str]]:
    """The question's search terms as groups of alternatives: a group is matched when any of its tokens is.

    An English word or phrase becomes the group of the Chinese corpus terms it maps to (`english`: the live
    corpus's CC-CEDICT mapping, used for questions written mostly in English; the glossary of names otherwise);
    a Chinese word is grouped with its synonyms. Relevance counts groups, so offering alternatives never makes a
    question harder to match. Each distinct group once, in the question's order, at most MAX_QUERY_GROUPS.
    """
    return [list(group) for group in _grouped(question, english)[0]]


def search_tokens(question: str, english: CorpusEnglish | None = None) -> list[str]:
    """The BM25 query: the tokens of every group, then the terms of English words that fit a dictionary
    definition only loosely ("upper" → 上限): worth finding passages by, too unsure to demand of an answer."""
    groups, loose = _grouped(question, english)
    return [token for group in groups for token in group] + list(loose)


Grouped = tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]  # (term groups, loose BM25-only tokens)


def _grouped(question: str, english: CorpusEnglish | None) -> Grouped:
    """A search reads its question's groups several times (BM25, relevance, sentence picking): they are cached,
    an English question's with the corpus mapping it was grouped by (so a replaced index's mapping is freed)."""
    if english is None or not is_mostly_latin(question):
        return _chinese_groups(question)
    if (cached := english.memo.get(question)) is None:
        if len(english.memo) >= 1024:
            english.memo.clear()
        cached = english.memo[question] = _query_groups(question, english)
    return cached


@lru_cache(maxsize=1024)
def _chinese_groups(question: str) -> Grouped:
    return _query_groups(question, None)


def _query_groups(question: str, english: CorpusEnglish | None) -> Grouped:
    groups: list[list[str]] = []
    loose: list[str] = []
    consumed: set[str] = set()
    for phrase, terms, confident in _english_matches(question, english):
        consumed.update(phrase.split())
        tokens = [t for t in dict.fromkeys(t for term in terms for t in tokenize(term))
                  if english is None or t not in QUESTION_WORDS]
        if confident:
            groups.append(tokens)
        else:
            loose.extend(tokens)
    for token in dict.fromkeys(tokenize(question)):  # a repeated word is expanded once
        if token in consumed or _singular(token) in consumed or token in QUESTION_WORDS:
            continue
        if english is not None and token.isascii() and (len(token) < 2 or token not in english.frequency):
            continue  # an English word the mapping left out and the corpus lacks: no evidence either way
        alternatives = [token]
        expansions = _synonyms().get(token) or ([full] if (full := abbreviation_of(token)) else [])
        for synonym in expansions:
            # A synonym that is one word stands for itself, not for its parts ("安家补贴" is not any "补贴").
            terms = tokenize(synonym)
            alternatives.extend(t for t in ([synonym] if synonym in terms else terms) if t not in alternatives)
        groups.append(alternatives)
    unique = dict.fromkeys(tuple(group) for group in groups if group)
    kept = tuple(unique)[:MAX_QUERY_GROUPS]
    in_groups = {t for group in kept for t in group}
    return kept, tuple(t for t in dict.fromkeys(loose) if t not in in_groups)


@cache
def _domain_terms() -> tuple[str, ...]:
    """The corpus's own terms: the words of the domain dictionary (policy_terms.txt)."""
    text = resources.files("assistant.retrieval").joinpath("policy_terms.txt").read_text(encoding="utf-8")
    return tuple(line.split()[0] for line in text.splitlines() if line.strip())


@lru_cache(maxsize=4096)
def abbreviation_of(token: str) -> str | None:
    """The one domain term a short unknown word abbreviates by keeping some of its characters in order, first and
    last kept ("博后" → "博士后"); None for a real word or when no term, or several, fit."""
    if not 2 <= len(token) <= 3 or is_dictionary_word(token) or not all("\u4e00" <= ch <= "\u9fff" for ch in token):
        return None
    fits = [term for term in _domain_terms()
            if len(token) < len(term) <= 2 * len(token) and term[0] == token[0] and term[-1] == token[-1]
            and _in_order(token, term)]
    return fits[0] if len(fits) == 1 else None


def _in_order(short: str, term: str) -> bool:
    rest = iter(term)
    return all(ch in rest for ch in short)


def _english_matches(question: str, english: CorpusEnglish | None = None) -> list[tuple[str, list[str], bool]]:
    """(phrase, corpus terms, confident) for the English in the question: through the corpus's CC-CEDICT mapping
    for a question written in English, through the glossary of names otherwise."""
    if not re.search(r"[A-Za-z]", question):
        return []
    if english is not None and is_mostly_latin(question):
        return [(" ".join(m.words), list(m.terms), m.confident) for m in english.matches(question)]
    lowered = " ".join(_singular(word) for word in re.findall(r"[a-z0-9+#.\-]+|\S", question.lower()))
    glossary = _glossary()
    found = dict.fromkeys(match.group(1) for match in _glossary_pattern().finditer(lowered))
    return [(phrase, glossary[phrase], True) for phrase in found]


@cache
def _glossary_pattern() -> re.Pattern[str]:
    """One alternation of every glossary phrase, longest first, matched on word boundaries."""
    phrases = sorted((p for p in _glossary() if p.isascii()), key=len, reverse=True)
    return re.compile(rf"(?<![a-z])(?=({'|'.join(map(re.escape, phrases))})(?![a-z]))")


def _singular(word: str) -> str:
    """Crude English singular ("postdocs" → "postdoc") so the glossary needs one entry per word."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word[:-1] in _glossary():
        return word[:-1]
    return word


def english_mapping(frequency: dict[str, int]) -> CorpusEnglish:
    """The English mapping for a corpus whose index holds these tokens (token → passages holding it): CC-CEDICT
    reversed for them, plus the glossary of the corpus's own names (query_glossary.yaml)."""
    return corpus_english(frequency, _glossary())


def warm_up() -> None:
    """Load the tokenizer now (server start) rather than on the first request."""
    tokenize("重庆英才计划")
