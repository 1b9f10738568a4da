"""PolicyService: the policy index and the one path from a question (and its history) to a cited answer."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.errors import AssistantError, IndexNotReadyError
from assistant.policy.answering import (
    Answer,
    OfflineAnswerer,
    clean_question,
    normalize_question,
    split_question,
)
from assistant.policy.context import (
    PersonContext,
    PersonReader,
    audience_asked,
    audience_in,
    career_of,
    split_person_clause,
    steer,
)
from assistant.policy.followup import rewrite_follow_up
from assistant.retrieval.embeddings import EmbeddingCache, build_embeddings
from assistant.retrieval.index import DenseIndex, IndexStore, chroma_client
from assistant.retrieval.ingest import Ingestor, IngestReport, Progress
from assistant.retrieval.search import Hit, HybridSearcher, SearchFilters, SearchResult
from assistant.retrieval.tokenizing import warm_up
from assistant.untrusted import looks_like_instruction

MAX_HISTORY = 10  # earlier questions read for a follow-up

log = logging.getLogger(__name__)


class SearchHitOut(BaseModel):
    """The contract of `search --json` and `POST /api/search`."""

    doc_id: str
    title: str
    kind: str
    text: str
    score: float


class AskContext(BaseModel):
    """What a question is asked with: earlier questions of the conversation, filters, a threshold to try."""

    history: list[str] = Field(default_factory=list, description="Earlier questions, oldest first (raw or rewritten).")
    filters: SearchFilters | None = None
    threshold: float | None = Field(default=None, description="Refusal threshold for this question only (staff, "
                                    "calibration); None = the configured one.")
    person: PersonContext | None = Field(default=None, description="Who is asking, from the session's résumé or "
                                         "the talent's profile; what the question itself says is laid over it.")


class AnswerTrace(BaseModel):
    """A question's whole path: what was searched, every hit with its scores, the threshold and the answer."""

    question: str = Field(description="the question as cleaned")
    search_text: str = Field(description="what was searched: a follow-up rewritten against the history")
    parts: list[str] = Field(description="the parts of a compound question, each searched on its own")
    result: SearchResult
    threshold: float
    answer: Answer
    milliseconds: float
    person: PersonContext | None = Field(default=None, description="the person context that steered the search")


class PolicyService:
    """Policy search, cited answers and ingestion over one index; the seam the CLI and web share."""

    def __init__(
        self,
        settings: Settings,
        store: IndexStore,
        searcher: HybridSearcher,
        answerer: OfflineAnswerer,
        ingestor: Ingestor,
    ) -> None:
        self.settings = settings
        self.store = store
        self.searcher = searcher
        self.answerer = answerer
        self.ingestor = ingestor
        self._vector_thread: threading.Thread | None = None
        self._vector_guard = threading.Lock()
        self._vectors_again = False
        self.vector_error: str | None = None
        # Called with every ingest's report (the composition root adds the eligibility sidecars and notices).
        self.ingest_listeners: list[Callable[[IngestReport], object]] = []
        # Reads a person's facts from a clause ("我是硕士毕业生"); the composition root sets the eligibility parser.
        self.person_reader: PersonReader | None = None

    def trace(self, question: str, context: AskContext | None = None) -> AnswerTrace:
        """The one path from a question to its answer, with everything that decided it (every entry point uses it)."""
        context = context or AskContext()
        started = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        # Only the last questions can shape a follow-up, each as long as a question may be: the cost stays bounded.
        limit = self.settings.max_question_chars
        history = [earlier[:limit] for earlier in map(normalize_question, context.history[-MAX_HISTORY:]) if earlier]
        query, person = self.read_person(text, context.person)
        search_text, result = self.gather(query, context.filters, history, person)
        threshold = self.answerer.threshold if context.threshold is None else context.threshold
        audience, lead, own = self.audience(search_text, person)
        answer = self.answerer.answer_from(search_text, result, self.settings.current_date(), threshold,
                                           audience=audience, lead=lead, lead_applies=own)
        update: dict[str, Any] = {"question": text}
        return AnswerTrace(question=text, search_text=search_text, parts=split_question(search_text), result=result,
                           threshold=threshold, answer=answer.model_copy(update=update),
                           milliseconds=round((time.perf_counter() - started) * 1000, 1), person=person)

    @staticmethod
    def audience(question: str, person: PersonContext | None) -> tuple[dict[str, str], str, bool]:
        """Whom the answer is for ({"education": "硕士", "skill": …}: a line listing figures for several is quoted
        for theirs), the words that open it ("按您的硕士学历") and whether the opening may say what applies to the
        person (not when the degree came from the question). The degree the question is about wins over a
        profile's or résumé's, not over what the person says; the opening then names no degree it does not use."""
        audience = person.audience() if person is not None else {}
        lead = person.describe() if person is not None else ""
        named = audience_asked(question)
        own = True
        if named is not None and (person is None or person.source != "stated" or "education" not in audience):
            if audience.get("education") not in (None, named.degree()):
                lead = ""
            own = audience.get("education") == named.degree()
            audience = {**audience, **named.audience()}
        return audience, lead, own

    def read_person(self, question: str, known: PersonContext | None = None) -> tuple[str, PersonContext | None]:
        """The question to search and who is asking: a clause about the speaker ("我是硕士毕业生，…") becomes a
        context laid over the known one (résumé, profile). The whole question is still searched (its clause
        holds words the answer needs: "34岁的博士" → "35周岁以下"); a question part that lost the person's
        category ("还能申请什么项目？") gets the words that name it."""
        clause, rest = split_person_clause(question)
        stated = None
        if clause and self.person_reader is not None:
            stated = self.person_reader(clause).model_copy(update={"career": career_of(clause)})
        if stated is None or stated.is_empty():
            return question, known if known is not None and not known.is_empty() else None
        person = known.merged(stated) if known is not None else stated
        if stated.district:  # a district steers (few documents name one); as a search word it would sink relevance
            question = question.replace(stated.district, "").replace(stated.district.removesuffix("区"), "")
        terms = [term for term in stated.search_terms() if term not in question]
        return (f"{' '.join(terms)} {question}" if terms else question), person

    def ask(self, question: str, filters: SearchFilters | None = None, history: list[str] | None = None) -> Answer:
        """Answer a question from the corpus with citations, or decline; `history` resolves "那博士呢？"."""
        return self.trace(question, AskContext(filters=filters, history=history or [])).answer

    def gather(self, question: str, filters: SearchFilters | None = None, history: list[str] | None = None,
               person: PersonContext | None = None) -> tuple[str, SearchResult]:
        """The rewritten question and the passages an answer is composed from (each part of a compound question
        is searched on its own; a person context re-ranks a wider set of candidates for their audience)."""
        self._require_index()
        text = rewrite_follow_up(question, history or [])
        # An instruction typed into the question ("SYSTEM OVERRIDE：…") is not searched for.
        parts = [part for part in split_question(text) if not looks_like_instruction(part)] or split_question(text)
        today = self.settings.current_date()
        top_k = self.settings.top_k
        # Who is asking ranks passages of their audience first; the one category a question is about ("那博士呢？"
        # → 博士) only sinks documents for another audience (博士后), the question's words decide the rest.
        audience = person or audience_in(text)
        results = [self.searcher.search(part, top_k * 2 if audience else top_k, filters, today) for part in parts]
        if audience is not None:
            results = [result.model_copy(update={"hits": steer(result.hits, audience, top_k, boost=person is not None)})
                       for result in results]
        if len(results) == 1:
            return text, results[0]
        merged: dict[str, Hit] = {}
        for rank in range(self.settings.top_k):  # round-robin, so that every part keeps its best passages
            for result in results:
                if rank < len(result.hits):
                    merged.setdefault(result.hits[rank].chunk.id, result.hits[rank])
        hits = list(merged.values())[: self.settings.top_k * 2]
        notices = list(dict.fromkeys(notice for r in results for notice in r.notices))
        return text, SearchResult(query=text, expanded_query=text, hits=hits,
                                  dense_used=all(r.dense_used for r in results),
                                  milliseconds=sum(r.milliseconds for r in results), notices=notices)

    def retrieve(self, question: str, filters: SearchFilters | None = None, top_k: int | None = None) -> SearchResult:
        """Hybrid search with every score exposed (staff page, evaluation)."""
        self._require_index()
        text = clean_question(question, self.settings.max_question_chars)
        return self.searcher.search(text, top_k or self.settings.top_k, filters, self.settings.current_date())

    def search(self, query: str, top_k: int | None = None, filters: SearchFilters | None = None) -> list[SearchHitOut]:
        """Ranked passages for a query."""
        result = self.retrieve(query, filters, top_k)
        return [
            SearchHitOut(doc_id=h.document.id, title=h.document.title, kind=h.document.kind, text=h.chunk.text,
                         score=round(h.fused, 6))
            for h in result.hits
        ]

    def ingest(self, progress: Progress | None = None, build_vectors: bool = True) -> IngestReport:
        """Bring the index up to date with the corpus folder."""
        report = self.ingestor.run(progress, build_vectors=build_vectors)
        for listener in self.ingest_listeners:
            listener(report)
        return report

    def status(self) -> dict[str, Any]:
        """Index facts for /health and the CLI."""
        generation = self.store.current()
        dense = self.ingestor.dense
        return {
            "indexed": generation is not None,
            "generation": generation.number if generation else None,
            "documents": len(generation.documents) if generation else 0,
            "chunks": len(generation.chunks) if generation else 0,
            "regions": list(self.answerer.covered_regions()),  # the corpus's coverage (documents' `region`)
            "vectors": dense.count() if dense is not None else 0,
            "embedding_provider": self.settings.embedding_provider,
            "building_vectors": bool(self._vector_thread and self._vector_thread.is_alive()),
            "vector_error": self.vector_error,
        }

    def prepare_for_serving(self) -> None:
        """Bring the BM25 index up to date now (cheap when nothing changed); build vectors in the background."""
        report = self.ingest(build_vectors=False)
        for failure in report.failed:
            log.warning("skipped %s", failure)
        warm_up()  # load jieba's dictionary now, not on the first user's question
        if self.settings.build_vectors_on_serve:
            self.build_vectors_later()

    def build_vectors_later(self) -> None:
        """Bring the vectors up to date on the one background vector thread (never a request's thread).

        At most one build runs; a call while it runs schedules one more pass after it, so any number of calls
        costs at most two builds and one thread. Questions meanwhile use the query encoder, which never waits
        for this build (and falls back to BM25 after a short wait, `HybridSearcher.dense_wait_s`).
        """
        if self.ingestor.dense is None:
            return
        with self._vector_guard:
            if self._vector_thread is not None:  # running: it makes one more pass when done
                self._vectors_again = True
                return
            self._vector_thread = threading.Thread(target=self._build_vectors, name="vector-build", daemon=True)
            self._vector_thread.start()

    def _build_vectors(self) -> None:
        again = True
        try:
            while again:
                try:
                    report = self.ingestor.build_vectors()
                    self.vector_error = None
                    log.info("vectors up to date: %d added, %d removed", report.vectors_added,
                             report.vectors_removed)
                except (AssistantError, OSError, RuntimeError) as exc:  # search keeps working with BM25
                    self.vector_error = str(exc)
                    log.warning("building vectors failed: %s", exc)
                with self._vector_guard:
                    again, self._vectors_again = self._vectors_again, False
                    if not again:
                        self._vector_thread = None
        finally:
            with self._vector_guard:
                if again:  # left by an unexpected error: a later call may start a new thread
                    self._vector_thread = None

    def _require_index(self) -> None:
        if self.store.current() is None:
            raise IndexNotReadyError("索引尚未建立：请先运行 `assistant ingest`。")


def build_policy_service(settings: Settings, embeddings: Embeddings | None = None) -> PolicyService:
    """Wire the stores, encoder, searcher and answerer described by `settings` (or the given encoder)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = IndexStore(settings.data_dir)
    if embeddings is None:
        embeddings = build_embeddings(settings)
    dense = cache = None
    if embeddings is not None:
        client = chroma_client(settings.data_dir, settings.chroma_url)
        dense = DenseIndex(client, settings.chroma_collection, identity=settings.chroma_url or "embedded")
        cache = EmbeddingCache(settings.data_dir / "embedding_cache.sqlite")
    reranker = None
    if settings.reranker_model_path is not None:
        from sentence_transformers import CrossEncoder

        reranker = CrossEncoder(str(settings.reranker_model_path), device="cpu", local_files_only=True)
    searcher = HybridSearcher(store, dense, embeddings, settings.candidate_k, settings.rrf_k, reranker)
    answerer = OfflineAnswerer(searcher, settings.refusal_threshold)
    ingestor = Ingestor(settings.corpus_dir, store, dense, embeddings, cache, settings.chunk_max_chars,
                        settings.embedding_batch_size, default_region=settings.corpus_region)
    return PolicyService(settings, store, searcher, answerer, ingestor)
