"""Index storage: immutable BM25 generations swapped atomically, and the Chroma vector collection."""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import BackendUnavailableError
from assistant.retrieval.documents import Chunk, DocumentMeta

CURRENT_FILE = "CURRENT"


@dataclass
class FileEntry:
    """What the manifest remembers of one corpus file."""

    hash: str
    doc_id: str
    chunk_ids: list[str]


@dataclass
class Generation:
    """One committed, immutable snapshot of the sparse index and its chunk table."""

    number: int
    path: Path
    chunks: list[Chunk]
    documents: dict[str, DocumentMeta]
    manifest: dict[str, FileEntry]
    retriever: Any  # bm25s.BM25

    def __post_init__(self) -> None:
        self.position = {chunk.id: i for i, chunk in enumerate(self.chunks)}

    def tokens(self) -> dict[str, list[str]]:
        """Stored BM25 tokens per chunk id (read on demand: only ingest needs them)."""
        with (self.path / "tokens.jsonl").open(encoding="utf-8") as fh:
            return {row["id"]: row["tokens"] for row in map(json.loads, fh)}


class IndexStore:
    """Generations under `<data_dir>/index`; `CURRENT` names the live one and is replaced atomically."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "index"
        self.root.mkdir(parents=True, exist_ok=True)
        self._cached: Generation | None = None
        self._lock = threading.Lock()

    def current_number(self) -> int | None:
        try:
            return int((self.root / CURRENT_FILE).read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def current(self) -> Generation | None:
        """The live generation, re-read only when another process has committed a newer one."""
        number = self.current_number()
        if number is None:
            return None
        with self._lock:
            if self._cached is None or self._cached.number != number:
                self._cached = self._read(number)
            return self._cached

    def _read(self, number: int) -> Generation:
        import bm25s

        path = self.root / f"gen-{number:06d}"
        with (path / "chunks.jsonl").open(encoding="utf-8") as fh:
            chunks = [Chunk.model_validate_json(line) for line in fh]
        documents = {
            key: DocumentMeta.model_validate(value)
            for key, value in json.loads((path / "documents.json").read_text(encoding="utf-8")).items()
        }
        manifest = {
            key: FileEntry(**value)
            for key, value in json.loads((path / "manifest.json").read_text(encoding="utf-8")).items()
        }
        retriever = bm25s.BM25.load(str(path / "bm25"), mmap=False, show_progress=False) if chunks else None
        return Generation(number, path, chunks, documents, manifest, retriever)

    def commit(
        self,
        chunks: list[Chunk],
        tokens: dict[str, list[str]],
        documents: dict[str, DocumentMeta],
        manifest: dict[str, FileEntry],
    ) -> Generation:
        """Write a new generation beside the live one, then switch `CURRENT` to it in one rename."""
        import bm25s

        number = (self.current_number() or 0) + 1
        final = self.root / f"gen-{number:06d}"
        staging = self.root / f".staging-{number:06d}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with (staging / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for chunk in chunks:
                fh.write(chunk.model_dump_json() + "\n")
        with (staging / "tokens.jsonl").open("w", encoding="utf-8") as fh:
            for chunk in chunks:
                fh.write(json.dumps({"id": chunk.id, "tokens": tokens[chunk.id]}, ensure_ascii=False) + "\n")
        _write_json(staging / "documents.json", {k: v.model_dump(mode="json") for k, v in documents.items()})
        _write_json(staging / "manifest.json", {k: vars(v) for k, v in manifest.items()})
        retriever = None
        if chunks:
            retriever = bm25s.BM25()
            retriever.index([tokens[chunk.id] or ["\u2205"] for chunk in chunks], show_progress=False)
            retriever.save(str(staging / "bm25"), show_progress=False)
        _fsync_tree(staging)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
        pointer = self.root / f".{CURRENT_FILE}.tmp-{os.getpid()}"
        pointer.write_text(str(number))
        _fsync_file(pointer)
        os.replace(pointer, self.root / CURRENT_FILE)
        generation = Generation(number, final, chunks, documents, manifest, retriever)
        with self._lock:
            self._cached = generation
        self.prune(keep={number})
        return generation

    def remove_abandoned(self) -> list[str]:
        """Delete staging folders and pointer files a killed writer left; call only while holding the ingest lock."""
        removed = []
        for path in self.root.iterdir():
            if path.name.startswith((".staging-", f".{CURRENT_FILE}.tmp-")):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed.append(path.name)
        return removed

    def prune(self, keep: set[int]) -> None:
        """Delete superseded generations and abandoned staging folders (a reader may hold the previous one)."""
        live = self.current_number()
        protected = keep | ({live, live - 1} if live else set())
        for path in self.root.iterdir():
            stale_staging = path.name.startswith(".staging-") and not path.name.endswith(f"-{os.getpid()}")
            if stale_staging or path.name.startswith("gen-") and int(path.name[4:]) not in protected:
                shutil.rmtree(path, ignore_errors=True)


class DenseIndex:
    """Chunk vectors in a Chroma collection (embedded or server); the Chroma client is passed in."""

    def __init__(self, client: Any, collection_name: str, identity: str = "embedded") -> None:
        self.identity = f"{identity}/{collection_name}"
        try:
            self._collection = client.get_or_create_collection(
                name=collection_name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        except Exception as exc:  # chromadb raises many transport- and version-specific errors
            raise BackendUnavailableError(f"无法连接向量库 Chroma：{exc}") from exc

    def ids(self) -> set[str]:
        result = self._collection.get(include=[])
        return set(result["ids"])

    def count(self) -> int:
        return int(self._collection.count())

    def add(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        for start in range(0, len(ids), 1000):
            end = start + 1000
            self._collection.upsert(
                ids=ids[start:end], embeddings=vectors[start:end].tolist(), metadatas=metadatas[start:end]
            )

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 1000):
            self._collection.delete(ids=ids[start : start + 1000])

    def query(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        """The `n` nearest chunk ids with their cosine similarity (fewer when the collection is smaller)."""
        result = self._collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)]


def chroma_client(data_dir: Path, url: str | None) -> Any:
    """An HTTP client for a `chroma run` server when `url` is set, else an embedded persistent client."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url)
        try:
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # connection refused, DNS, version mismatch
            raise BackendUnavailableError(f"无法连接 Chroma 服务器 {url}：{exc}") from exc
    path = data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _fsync_file(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            _fsync_file(path)
