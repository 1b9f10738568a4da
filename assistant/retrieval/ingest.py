"""Incremental, crash-safe ingestion: only changed files are re-read, the live index is swapped atomically."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from langchain_core.embeddings import Embeddings

from assistant.errors import DocumentLoadError, IndexBusyError
from assistant.retrieval.chunking import chunk_document
from assistant.retrieval.documents import DEFAULT_REGION, Chunk, DocumentMeta, LoadedDocument
from assistant.retrieval.embeddings import EmbeddingCache, embed_with_cache, model_name
from assistant.retrieval.index import DenseIndex, FileEntry, Generation, IndexStore
from assistant.retrieval.loading import discover, load_document, source_files
from assistant.retrieval.ocr import run_with_ocr
from assistant.retrieval.tokenizing import tokenize, tokenizer_fingerprint
from assistant.retrieval.worker import ParseWorker

# progress(stage, advanced, total): stage is "files" or "vectors"
Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """What an ingest run did; printed by the CLI and returned by the API."""

    files: int = 0
    unchanged: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "path: reason"
    chunks: int = 0
    vectors_added: int = 0
    vectors_removed: int = 0
    vectors_pending: int = 0
    generation: int | None = None
    seconds: float = 0.0

    @property
    def did_work(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.vectors_added or self.vectors_removed)


def chunk_index_text(chunk: Chunk, meta: DocumentMeta) -> str:
    """The text both BM25 and the encoder see: context line (title, headings) then the passage."""
    return f"{chunk.context_line(meta.title)}\n{chunk.text}"


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for part in source_files(path):
        digest.update(part.read_bytes())
    return digest.hexdigest()


class Ingestor:
    """Builds the index from the corpus folder into an `IndexStore` and an optional `DenseIndex`."""

    def __init__(
        self,
        corpus_dir: Path,
        store: IndexStore,
        dense: DenseIndex | None,
        embeddings: Embeddings | None,
        cache: EmbeddingCache | None,
        chunk_max_chars: int = 600,
        batch_size: int = 16,
        lock_timeout: float = 30.0,
        default_region: str = DEFAULT_REGION,
    ) -> None:
        self.corpus_dir = corpus_dir
        self.default_region = default_region  # a document's region when its metadata states none
        self.store = store
        self.dense = dense
        self.embeddings = embeddings
        self.cache = cache
        self.chunk_max_chars = chunk_max_chars
        self.batch_size = batch_size
        self.lock = FileLock(str(store.root.parent / "ingest.lock"))
        self.lock_timeout = lock_timeout
        # Set by the composition root: files are then parsed in a child process under a hard time limit.
        self.parsing: ParseWorker | None = None

    def load(self, path: Path, root: Path | None = None) -> LoadedDocument:
        """Parse one corpus file (under `root`, default the corpus folder) as ingest does; DocumentLoadError names
        the file and says why (corrupt, beyond the limits, parsing too long)."""
        root = root or self.corpus_dir
        if self.parsing is None:
            document = load_document(path, root)
        else:
            document = run_with_ocr(self.parsing, load_document, path, root, self.parsing.limits,
                                    name=path.relative_to(root).as_posix())
        if "region" not in document.meta.model_fields_set:  # stated in neither front matter nor sidecar
            document = document.model_copy(update={"meta": document.meta.model_copy(
                update={"region": self.default_region})})
        return document

    def run(self, progress: Progress | None = None, build_vectors: bool = True) -> IngestReport:
        """Ingest the corpus; holds an inter-process lock so two writers never interleave."""
        try:
            with self.lock.acquire(timeout=self.lock_timeout):
                return self._run(progress, build_vectors)
        except Timeout as exc:
            raise IndexBusyError("另一个进程正在更新索引，请稍后再试") from exc

    def build_vectors(self, progress: Progress | None = None) -> IngestReport:
        """Only bring the vector store up to date with the live generation (used in the background)."""
        with self.lock.acquire(timeout=self.lock_timeout):
            report = IngestReport()
            generation = self.store.current()
            if generation is not None:
                self._sync_vectors(generation, report, progress)
            return report

    def _run(self, progress: Progress | None, build_vectors: bool) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        self.store.remove_abandoned()  # staging folders of a killed writer: we hold the lock, nobody else writes
        previous = self.store.current()
        old_manifest = previous.manifest if previous else {}
        old_tokens: dict[str, list[str]] | None = None
        paths = discover(self.corpus_dir)
        report.files = len(paths)
        # A file's entry also records the tokenizer it was tokenized with: a new dictionary re-tokenizes it.
        # Another default region re-reads the files (the default one leaves existing entries as they were).
        region = "" if self.default_region == DEFAULT_REGION else f":{self.default_region}"
        hashes = {path.relative_to(self.corpus_dir).as_posix(): f"{file_hash(path)}:{tokenizer_fingerprint()}{region}"
                  for path in paths}
        if previous is not None and hashes == {key: entry.hash for key, entry in old_manifest.items()}:
            report.unchanged = len(paths)
            report.chunks = len(previous.chunks)
            report.generation = previous.number
            if build_vectors and not self._vectors_current(previous):
                self._sync_vectors(previous, report, progress)
            report.seconds = time.perf_counter() - started
            return report

        manifest: dict[str, FileEntry] = {}
        chunks: list[Chunk] = []
        tokens: dict[str, list[str]] = {}
        documents: dict[str, DocumentMeta] = {}
        seen_ids: dict[str, str] = {}
        for done, path in enumerate(paths, 1):
            relative = path.relative_to(self.corpus_dir).as_posix()
            digest = hashes[relative]
            old = old_manifest.get(relative)
            if old is not None and old.hash == digest and previous is not None:
                report.unchanged += 1
                if old_tokens is None:
                    old_tokens = previous.tokens()
                kept = [previous.chunks[previous.position[cid]] for cid in old.chunk_ids]
                self._accept(relative, old, kept, previous.documents[old.doc_id], old_tokens, manifest, chunks,
                             tokens, documents, seen_ids, report)
            else:
                try:
                    document = self.load(path)
                    new_chunks = chunk_document(document, self.chunk_max_chars)
                    if not new_chunks:
                        raise DocumentLoadError(f"{relative}: 没有可索引的正文（0 个段落），已跳过")
                except DocumentLoadError as exc:
                    report.failed.append(str(exc))
                    if old is not None and previous is not None:
                        # Keep the last good version rather than silently dropping a document from the index.
                        if old_tokens is None:
                            old_tokens = previous.tokens()
                        kept = [previous.chunks[previous.position[cid]] for cid in old.chunk_ids]
                        self._accept(relative, old, kept, previous.documents[old.doc_id], old_tokens, manifest,
                                     chunks, tokens, documents, seen_ids, report)
                    continue
                new_tokens = {c.id: tokenize(chunk_index_text(c, document.meta)) for c in new_chunks}
                entry = FileEntry(hash=digest, doc_id=document.meta.id, chunk_ids=[c.id for c in new_chunks])
                if self._accept(relative, entry, new_chunks, document.meta, new_tokens, manifest, chunks, tokens,
                                documents, seen_ids, report):
                    (report.changed if old is not None else report.added).append(relative)
            if progress:
                progress("files", done, len(paths))
        report.removed = sorted(set(old_manifest) - set(manifest) - {f.split(":", 1)[0] for f in report.failed})
        report.chunks = len(chunks)

        if previous is not None and not (report.added or report.changed or report.removed):
            generation = previous
        else:
            generation = self.store.commit(chunks, tokens, documents, manifest)
        report.generation = generation.number
        if build_vectors:
            self._sync_vectors(generation, report, progress)
        elif self.dense is not None:
            report.vectors_pending = len(set(generation.position) - self.dense.ids())
        report.seconds = time.perf_counter() - started
        return report

    def _accept(
        self,
        relative: str,
        entry: FileEntry,
        new_chunks: list[Chunk],
        meta: DocumentMeta,
        source_tokens: dict[str, list[str]],
        manifest: dict[str, FileEntry],
        chunks: list[Chunk],
        tokens: dict[str, list[str]],
        documents: dict[str, DocumentMeta],
        seen_ids: dict[str, str],
        report: IngestReport,
    ) -> bool:
        if meta.id in seen_ids:
            report.failed.append(f"{relative}: 文档 id {meta.id} 与 {seen_ids[meta.id]} 重复，已跳过")
            return False
        seen_ids[meta.id] = relative
        manifest[relative] = entry
        documents[meta.id] = meta
        for chunk in new_chunks:
            if chunk.id not in tokens:
                chunks.append(chunk)
                tokens[chunk.id] = source_tokens[chunk.id]
        return True

    def _vectors_current(self, generation: Generation) -> bool:
        """True when the vector store was last synced to this generation with the configured encoder."""
        if self.dense is None or self.embeddings is None:
            return True
        try:
            state = json.loads((self.store.root / "dense.json").read_text())
        except (FileNotFoundError, ValueError):
            return False
        return bool(state.get("generation") == generation.number and state.get("model") == self._vector_key())

    def _sync_vectors(self, generation: Generation, report: IngestReport, progress: Progress | None) -> None:
        """Add vectors the live generation lacks, then drop those no generation uses any more."""
        if self.dense is None or self.embeddings is None or self.cache is None:
            return
        stored = self.dense.ids()
        missing = [chunk for chunk in generation.chunks if chunk.id not in stored]
        if missing:
            texts = [chunk_index_text(c, generation.documents[c.doc_id]) for c in missing]
            done = 0

            def advance(n: int) -> None:
                nonlocal done
                done += n
                if progress:
                    progress("vectors", done, len(missing))

            for start in range(0, len(missing), 256):
                part = missing[start : start + 256]
                vectors = embed_with_cache(
                    self.embeddings, texts[start : start + 256], self.cache, self.batch_size, advance
                )
                metadatas = [{"doc_id": c.doc_id, "kind": generation.documents[c.doc_id].kind} for c in part]
                self.dense.add([c.id for c in part], vectors, metadatas)
                report.vectors_added += len(part)
        stale = sorted(stored - set(generation.position))
        if stale:
            self.dense.delete(stale)
            report.vectors_removed = len(stale)
        _write_state(self.store.root / "dense.json", {"model": self._vector_key(), "generation": generation.number})

    def _vector_key(self) -> str:
        """Encoder and vector store together: switching either means the vectors must be checked again."""
        assert self.embeddings is not None and self.dense is not None
        return f"{model_name(self.embeddings)}@{self.dense.identity}"


def _write_state(path: Path, state: dict[str, object]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(state))
    os.replace(temporary, path)
