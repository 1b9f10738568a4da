"""Hybrid search: BM25 and dense candidates fused by reciprocal rank, filtered, scored for relevance."""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, Field

from assistant.retrieval.documents import Chunk, DocumentMeta
from assistant.retrieval.english import CorpusEnglish
from assistant.retrieval.index import DenseIndex, Generation, IndexStore
from assistant.retrieval.ingest import chunk_index_text
from assistant.retrieval.tokenizing import (
    english_mapping,
    expand_query,
    is_dictionary_word,
    is_mostly_latin,
    query_groups,
    search_tokens,
    token_set,
)

log = logging.getLogger(__name__)

# Cosine similarities of multilingual-e5 live in a narrow band; this maps it onto 0–1 for the relevance score.
DENSE_FLOOR, DENSE_CEILING = 0.80, 0.95
LEXICAL_WEIGHT = 0.6
# Expired notices and superseded policies rank a little lower, so the current version of a call comes first.
STALE_PENALTY = 0.85
# One long document should not fill every slot the answerer reads.
MAX_CHUNKS_PER_DOCUMENT = 2
# A query waits this long for its dense vector, then is answered from BM25 alone (the encoder may be busy).
DENSE_WAIT_S = 2.0
DENSE_TIMEOUT_NOTICE = "向量编码超时（{seconds:g} 秒内未完成），本次仅按关键词（BM25）检索。"
# What of a query is encoded (golden questions with their English expansion reach 144 characters): the encoder's
# cost grows with the text's windows, and a 2,000-character question took seconds, holding the one query encoder.
MAX_ENCODED_QUERY_CHARS = 192


class SearchFilters(BaseModel):
    """Metadata filters; an empty list means no restriction."""

    kinds: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    audiences: list[str] = Field(default_factory=list)
    active_only: bool = False


class Hit(BaseModel):
    """One retrieved passage with every score that went into its rank."""

    chunk: Chunk
    document: DocumentMeta
    bm25: float | None = None
    bm25_rank: int | None = None
    dense: float | None = None
    dense_rank: int | None = None
    fused: float = 0.0
    coverage: float = 0.0
    relevance: float = 0.0


class SearchResult(BaseModel):
    """The hits of one query plus how it was processed."""

    query: str
    expanded_query: str
    hits: list[Hit]
    dense_used: bool
    milliseconds: float
    notices: list[str] = Field(default_factory=list, description="how this search was degraded, for the staff trace")


class HybridSearcher:
    """Searches the live generation; reads a newer generation as soon as an ingest commits it."""

    def __init__(
        self,
        store: IndexStore,
        dense: DenseIndex | None,
        embeddings: Embeddings | None,
        candidate_k: int = 50,
        rrf_k: int = 60,
        reranker: Any = None,
        dense_wait_s: float = DENSE_WAIT_S,
    ) -> None:
        self.store = store
        self.dense = dense
        self.embeddings = embeddings
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k
        self.reranker = reranker
        self.dense_wait_s = dense_wait_s
        self._pool: ThreadPoolExecutor | None = None
        self._pool_guard = threading.Lock()
        # The English mapping of the generation it was built for (held weakly: a replaced one is freed).
        self._english: tuple[weakref.ref[Generation], CorpusEnglish] | None = None
        self._english_guard = threading.Lock()

    def search(
        self, query: str, top_k: int = 5, filters: SearchFilters | None = None, today: dt.date | None = None
    ) -> SearchResult:
        started = time.perf_counter()
        generation = self.store.current()
        english = self._english_for(generation, query)
        expanded = expand_query(query, english)
        if generation is None or not generation.chunks:
            return SearchResult(query=query, expanded_query=expanded, hits=[], dense_used=False, milliseconds=0.0)
        mask = _filter_mask(generation, filters or SearchFilters(), today or dt.date.today())
        query_tokens = search_tokens(query, english)
        # The query is encoded on a worker thread while BM25 runs here: the encoder is native code that releases
        # the GIL, so the two overlap and hybrid search costs about max(encode, BM25) rather than their sum.
        encoding = (self._encoder().submit(self.embeddings.embed_query, expanded[:MAX_ENCODED_QUERY_CHARS])
                    if self.dense and self.embeddings else None)
        candidates: dict[str, Hit] = {}
        for rank, (position, score) in enumerate(self._bm25(generation, query_tokens, mask), 1):
            hit = self._hit(generation, position, candidates)
            hit.bm25, hit.bm25_rank = score, rank
        dense_used = False
        notices: list[str] = []
        vector = self._wait_for(encoding, notices) if encoding is not None else None
        if vector is not None:
            dense_hits = self._dense(generation, vector, mask)
            dense_used = bool(dense_hits)
            for rank, (position, similarity) in enumerate(dense_hits, 1):
                hit = self._hit(generation, position, candidates)
                hit.dense, hit.dense_rank = similarity, rank
        hits = list(candidates.values())
        today = today or dt.date.today()
        for hit in hits:
            hit.fused = sum(1.0 / (self.rrf_k + r) for r in (hit.bm25_rank, hit.dense_rank) if r is not None)
            if hit.document.validity(today) != "active":
                hit.fused *= STALE_PENALTY
        hits.sort(key=lambda h: (-h.fused, h.chunk.id))
        if self.reranker is not None and hits:
            hits = self._rerank(query, hits[: self.candidate_k])
        hits = _diversify(hits, top_k)
        weights = group_weights(generation, query_groups(query, english))
        for hit in hits:
            hit.coverage = round(coverage(weights, token_set(chunk_index_text(hit.chunk, hit.document))), 4)
            hit.relevance = relevance(hit.coverage, hit.dense if dense_used else None)
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(query=query, expanded_query=expanded, hits=hits, dense_used=dense_used,
                            milliseconds=elapsed, notices=notices)

    def term_weights(self, text: str) -> list[tuple[list[str], float]]:
        """The query's term groups with their IDF weights in the live index."""
        generation = self.store.current()
        if generation is None or generation.retriever is None:
            return []
        return group_weights(generation, query_groups(text, self._english_for(generation, text)))

    def _english_for(self, generation: Generation | None, text: str) -> CorpusEnglish | None:
        """The English mapping of the live corpus for a question written in English (built on the first such
        question after each ingest, ~1 s); None for other questions."""
        if generation is None or generation.retriever is None or not is_mostly_latin(text):
            return None
        with self._english_guard:
            if self._english is None or self._english[0]() is not generation:
                self._english = (weakref.ref(generation), english_mapping(token_frequencies(generation)))
            return self._english[1]

    def _hit(self, generation: Generation, position: int, candidates: dict[str, Hit]) -> Hit:
        chunk = generation.chunks[position]
        if chunk.id not in candidates:
            candidates[chunk.id] = Hit(chunk=chunk, document=generation.documents[chunk.doc_id])
        return candidates[chunk.id]

    def _bm25(self, generation: Generation, tokens: list[str], mask: np.ndarray | None) -> list[tuple[int, float]]:
        retriever = generation.retriever
        known = [t for t in tokens if t in retriever.vocab_dict]
        if not known:
            return []
        k = min(self.candidate_k, len(generation.chunks))
        weight_mask = mask.astype(np.float32) if mask is not None else None
        documents, scores = retriever.retrieve(
            [known], k=k, show_progress=False, n_threads=0, weight_mask=weight_mask
        )
        return [(int(d), float(s)) for d, s in zip(documents[0], scores[0], strict=True) if s > 0]

    def _encoder(self) -> ThreadPoolExecutor:
        """The query encoder's own pool (never the web server's threads, never the ingest's encoder)."""
        with self._pool_guard:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-encoder")
            return self._pool

    def _wait_for(self, encoding: Future[list[float]], notices: list[str]) -> list[float] | None:
        """The query's vector within `dense_wait_s`; None (and a notice) when it is late or the encoder failed."""
        try:
            return encoding.result(timeout=self.dense_wait_s)
        except FutureTimeout:
            encoding.cancel()  # still queued: never encoded; running: its result is dropped
            log.warning("query encoding took over %.1f s; answering from BM25 only", self.dense_wait_s)
            notices.append(DENSE_TIMEOUT_NOTICE.format(seconds=self.dense_wait_s))
        except Exception as exc:  # the encoder is optional: a broken one must not fail the question
            log.warning("query encoding failed; answering from BM25 only: %s", exc)
            notices.append("向量编码失败，本次仅按关键词（BM25）检索。")
        return None

    def _dense(self, generation: Generation, vector: list[float], mask: np.ndarray | None) -> list[tuple[int, float]]:
        assert self.dense is not None
        wanted = self.candidate_k if mask is None else min(self.candidate_k * 8, len(generation.chunks))
        results = []
        for chunk_id, similarity in self.dense.query(vector, wanted):
            position = generation.position.get(chunk_id)
            # Vectors of a generation being built, or of one just replaced, are not part of the live index.
            if position is None or (mask is not None and not mask[position]):
                continue
            results.append((position, similarity))
        return results[: self.candidate_k]

    def _rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        pairs = [(query, chunk_index_text(h.chunk, h.document)) for h in hits]
        scores = self.reranker.predict(pairs)
        order = np.argsort(-np.asarray(scores), kind="stable")
        return [hits[i] for i in order]


def _diversify(hits: list[Hit], top_k: int) -> list[Hit]:
    """The best `top_k` hits with at most MAX_CHUNKS_PER_DOCUMENT from one document (others fill in after)."""
    chosen: list[Hit] = []
    overflow: list[Hit] = []
    per_document: dict[str, int] = {}
    for hit in hits:
        count = per_document.get(hit.document.id, 0)
        (chosen if count < MAX_CHUNKS_PER_DOCUMENT else overflow).append(hit)
        per_document[hit.document.id] = count + 1
        if len(chosen) == top_k:
            return chosen
    return chosen + overflow[: top_k - len(chosen)]


def relevance(coverage: float, dense: float | None) -> float:
    """0–1 evidence that a passage answers the query: lexical coverage, averaged with dense similarity."""
    if dense is None:
        return round(coverage, 4)
    dense_part = min(1.0, max(0.0, (dense - DENSE_FLOOR) / (DENSE_CEILING - DENSE_FLOOR)))
    return round(LEXICAL_WEIGHT * coverage + (1 - LEXICAL_WEIGHT) * dense_part, 4)


def token_frequencies(generation: Generation) -> dict[str, int]:
    """Each BM25 token of the generation with the number of passages holding it."""
    retriever = generation.retriever
    counts = np.diff(retriever.scores["indptr"])
    return {token: int(counts[i]) for token, i in retriever.vocab_dict.items() if token and i < len(counts)}


def group_weights(generation: Generation, groups: list[list[str]]) -> list[tuple[list[str], float]]:
    """Each term group with the inverse document frequency of its rarest alternative in the live index.

    An unknown Chinese word weighs most (the corpus lacks what the question is about); an unknown English word
    or a fragment that is no word at all (a segmentation slip such as "营招") is left out.
    """
    retriever = generation.retriever
    total = len(generation.chunks)
    weighted = []
    for group in groups:
        best = 0.0
        known = [t for t in group if t in retriever.vocab_dict or (not t.isascii() and is_dictionary_word(t))]
        for token in known:
            index = retriever.vocab_dict.get(token)
            frequency = 0 if index is None else int(
                retriever.scores["indptr"][index + 1] - retriever.scores["indptr"][index]
            )
            best = max(best, math.log(1 + (total - frequency + 0.5) / (frequency + 0.5)))
        if known:
            weighted.append((known, best))
    return weighted


def coverage(weights: list[tuple[list[str], float]], words: frozenset[str],
             context: frozenset[str] = frozenset()) -> float:
    """IDF-weighted share of the term groups found in `words` (a group found only in `context` counts 0.8)."""
    total = sum(w for _, w in weights)
    if not total:
        return 0.0
    found = 0.0
    for group, weight in weights:
        if any(t in words for t in group):
            found += weight
        elif any(t in context for t in group):
            found += 0.8 * weight
    return found / total


def _filter_mask(generation: Generation, filters: SearchFilters, today: dt.date) -> np.ndarray | None:
    if not (filters.kinds or filters.regions or filters.audiences or filters.active_only):
        return None
    allowed_docs = {
        doc_id
        for doc_id, meta in generation.documents.items()
        if (not filters.kinds or meta.kind in filters.kinds)
        and (not filters.regions or meta.region in filters.regions)
        and (not filters.audiences or set(meta.audience) & set(filters.audiences))
        and (not filters.active_only or meta.validity(today) == "active")
    }
    return np.fromiter((chunk.doc_id in allowed_docs for chunk in generation.chunks), dtype=bool)
