"""Chinese-aware tokens for BM25: jieba with a talent-policy dictionary, plus English query expansion."""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from importlib import resources

import yaml

_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*")
_KEEP_RE = re.compile(r"[\w\u4e00-\u9fff]")
STOPWORDS = frozenset(
    """的 了 和 与 及 或 是 在 我 你 他 她 它 们 有 吗 呢 吧 啊 呀 么 什么 怎么 怎样 如何 哪些 哪个 哪里 多少 几 请问 请 一下
    能 能否 可以 可不可以 是否 要 需要 这个 那个 这 那 也 都 就 还 又 给 对 于 为 被 把 从 到 上 下 中 其 之 而 以 等 个 想 问
    an a the of to in on for and or is are be what how which who when where can do does i my me you your it with about""".split()
)
_lock = threading.Lock()


@cache
def _tokenizer():  # type: ignore[no-untyped-def]
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
    text = resources.files("assistant.retrieval").joinpath("query_glossary.yaml").read_text(encoding="utf-8")
    return {str(key).lower(): [str(v) for v in values] for key, values in yaml.safe_load(text).items()}


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


def is_mostly_latin(text: str) -> bool:
    """True for a question written (mostly) in English."""
    latin = sum(len(m) for m in _LATIN_RE.findall(text))
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return latin > 2 * han


def expand_query(question: str) -> str:
    """The question plus the Chinese corpus terms for the English words and phrases it contains."""
    lowered = question.lower()
    extra: list[str] = []
    for phrase, terms in _glossary().items():
        if re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", lowered):
            extra.extend(term for term in terms if term not in extra)
    return f"{question} {' '.join(extra)}" if extra else question


def warm_up() -> None:
    """Load the tokenizer now (server start) rather than on the first request."""
    tokenize("重庆英才计划")
