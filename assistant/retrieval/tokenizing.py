"""Chinese-aware tokens for BM25: jieba with a talent-policy dictionary, plus English query expansion."""

from __future__ import annotations

import logging
import re
import threading
from functools import cache, lru_cache
from importlib import resources

import yaml

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
        words = tokenizer.lcut_for_search(text)
    tokens = []
    for word in words:
        word = word.strip().lower()
        if word and _KEEP_RE.search(word) and word not in STOPWORDS:
            tokens.append(word)
    return tokens


def is_dictionary_word(token: str) -> bool:
    """True for a real Chinese word (in jieba's dictionary), false for a mis-segmented fragment like "营招"."""
    return len(token) >= 2 and bool(_tokenizer().FREQ.get(token))


def is_mostly_latin(text: str) -> bool:
    """True for a question written (mostly) in English."""
    latin = sum(len(m) for m in _LATIN_RE.findall(text))
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return latin > 2 * han


def expand_query(question: str) -> str:
    """The question plus the Chinese corpus terms for the English words and phrases it contains."""
    extra = [term for _, terms in _english_matches(question) for term in terms]
    return f"{question} {' '.join(dict.fromkeys(extra))}" if extra else question


# The distinct term groups of one question that count (golden questions have at most 18): a 2,000-character
# question costs a bounded BM25 query, sentence scoring and relevance, not one group per word it repeats.
MAX_QUERY_GROUPS = 32


def query_groups(question: str) -> list[list[str]]:
    """The question's search terms as groups of alternatives: a group is matched when any of its tokens is.

    An English word becomes the group of its Chinese glossary terms; a Chinese word is grouped with its
    synonyms. Relevance counts groups, so offering alternatives never makes a question harder to match.
    Each distinct group once, in the question's order, at most MAX_QUERY_GROUPS of them.
    """
    return [list(group) for group in _query_groups(question)]


@lru_cache(maxsize=1024)  # a search reads its question's groups three times (BM25, relevance, sentence picking)
def _query_groups(question: str) -> tuple[tuple[str, ...], ...]:
    groups: list[list[str]] = []
    consumed: set[str] = set()
    for phrase, terms in _english_matches(question):
        consumed.update(phrase.split())
        groups.append(list(dict.fromkeys(t for term in terms for t in tokenize(term))))
    for token in dict.fromkeys(tokenize(question)):  # a repeated word is expanded once
        if token in consumed or _singular(token) in consumed or token in QUESTION_WORDS:
            continue
        alternatives = [token]
        for synonym in _synonyms().get(token, []):
            alternatives.extend(t for t in tokenize(synonym) if t not in alternatives)
        groups.append(alternatives)
    unique = dict.fromkeys(tuple(group) for group in groups if group)
    return tuple(unique)[:MAX_QUERY_GROUPS]


def _english_matches(question: str) -> list[tuple[str, list[str]]]:
    if not re.search(r"[A-Za-z]", question):
        return []
    lowered = " ".join(_singular(word) for word in re.findall(r"[a-z0-9+#.\-]+|\S", question.lower()))
    glossary = _glossary()
    found = dict.fromkeys(match.group(1) for match in _glossary_pattern().finditer(lowered))
    return [(phrase, glossary[phrase]) for phrase in found]


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


def warm_up() -> None:
    """Load the tokenizer now (server start) rather than on the first request."""
    tokenize("重庆英才计划")
