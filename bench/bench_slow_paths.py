"""The probe's slow paths, measured over HTTP against a real server on loopback (issues "one bad file must never
stop an ingest" and "one upload freezes the server"): while each heavy request runs, another client polls /health,
and the worst /health latency says whether one request stalled the others.

Run: `python -m bench.bench_slow_paths` (BM25 only, a small job library; about two minutes). Writes the section
"slow_paths" of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.bench_load import ROOT, free_port, prepare_data, start_server, wait_ready
from bench.report import write_section

QUESTION_ZH = ("我是在重庆工作的硕士毕业生，想了解人才引进、住房补贴、博士后资助、创业扶持、子女入学、医疗保障等政策，"
               "请问分别有什么条件、金额和申报方式？") * 30


@dataclass
class Probe:
    """/health latencies measured from another client while a heavy request runs."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def run(self, base: str, stop: threading.Event) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    client.get("/health").raise_for_status()
                except httpx.HTTPError:
                    self.errors += 1
                self.latencies.append(time.perf_counter() - started)
                time.sleep(0.05)


def timed_with_probe(base: str, send: Callable[[], int]) -> tuple[float, int, Probe]:
    """Run `send()` (returns a status code) while /health is polled; its seconds, status and the probe."""
    probe, stop = Probe(), threading.Event()
    poller = threading.Thread(target=probe.run, args=(base, stop), daemon=True)
    poller.start()
    started = time.perf_counter()
    status = send()
    seconds = time.perf_counter() - started
    stop.set()
    poller.join()
    return seconds, int(status), probe


def review(client: httpx.Client, text: str, name: str) -> int:
    files = {"file": (name, text.encode("utf-8"), "text/plain")}
    return client.post("/api/resume/review", files=files).status_code


def staff_token(data_dir: Path) -> str:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir)}
    out = subprocess.run([sys.executable, "-m", "assistant.cli.main", "tokens", "create", "--role", "staff",
                          "--name", "bench"], env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return next(word for word in out.split() if word.startswith("ta_"))


def ingest_headings(data_dir: Path) -> tuple[float, int]:
    """`assistant ingest` of a Markdown file with 20,000 headings (the probe's 18 s case)."""
    corpus = data_dir / "headings"
    corpus.mkdir()
    (corpus / "many-headings.md").write_text("".join(f"## 第{i}节\n政策内容第{i}条。\n" for i in range(20000)),
                                             encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir / "cli"), "ASSISTANT_CORPUS_DIR": str(corpus),
           "ASSISTANT_EMBEDDING_PROVIDER": "none"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ingest"], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    return time.perf_counter() - started, done.returncode


def row(name: str, before: str, seconds: float, status: int, probe: Probe) -> str:
    worst = max(probe.latencies, default=0.0) * 1000
    return (f"| {name} | {before} | {seconds * 1000:,.0f} ms (HTTP {status}) | {worst:,.0f} ms "
            f"({len(probe.latencies)} polls, {probe.errors} errors) |")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "data"
        prepare_data(data_dir, postings=2000, talents=2000)
        token = staff_token(data_dir)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(data_dir, port, workers=1)
        try:
            wait_ready(base, server)
            rows = []
            with httpx.Client(base_url=base, timeout=600) as client:
                freeze = "张三\n本科 计算机\n" + "a" * 30000
                rows.append(row("résumé text + 30,000 × a (`/api/resume/review`)", "20.5 s, /health blocked 20 s",
                                *timed_with_probe(base, lambda: review(client, freeze, "a.txt"))))
                million = "张三\n" + "字" * 1_000_000
                rows.append(row("résumé with a 1,000,000-character line", "10.7 s (CLI)",
                                *timed_with_probe(base, lambda: review(client, million, "long.txt"))))
                long_question: list[float] = []

                def ask_many() -> int:
                    status = 0
                    for i in range(20):  # each a different text: nothing is reused from the one before
                        started = time.perf_counter()
                        status = client.post("/api/ask", json={"question": QUESTION_ZH[i * 7:i * 7 + 2000]}).status_code
                        long_question.append(time.perf_counter() - started)
                    return status

                rows.append(row("20 different 2,000-character questions (`/api/ask`)", "2.6–4.7 s each",
                                *timed_with_probe(base, ask_many)))
                one_line = ("人才政策" * 750_000).encode("utf-8")[: 3 * 1024 * 1024]
                auth = {"Authorization": f"Bearer {token}"}

                def upload() -> int:
                    files = {"file": ("one-line.txt", one_line, "text/plain")}
                    return client.post("/api/staff/documents", files=files, data={"title": "一行", "kind": "policy"},
                                       headers=auth).status_code

                rows.append(row("staff upload of a 3 MB one-line text", "accepted; questions hung ~10 min",
                                *timed_with_probe(base, upload)))
                after: list[float] = []
                for _ in range(10):
                    started = time.perf_counter()
                    client.post("/api/ask", json={"question": "博士后有什么补贴？"})
                    after.append(time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait(timeout=30)
        headings_s, headings_rc = ingest_headings(Path(scratch))
    p95 = statistics.quantiles(long_question, n=20)[-1] * 1000
    load = os.getloadavg()[0]
    body = f"""## Slow paths over HTTP

`python -m bench.bench_slow_paths`: a real `assistant serve` on loopback (one uvicorn process, BM25 only, a
2,000 + 2,000 job library); while each request runs, a second client polls `/health` every 50 ms. Before-figures are
the probe's, quoted from the issues.

| request | before | now | worst `/health` meanwhile |
|---|---|---|---|
{chr(10).join(rows)}

- 2,000-character question: p50 {statistics.median(long_question) * 1000:,.0f} ms, p95 {p95:,.0f} ms over 20
  (target 300 ms p95).
- After the 3 MB upload, a short question: p50 {statistics.median(after) * 1000:,.0f} ms, worst
  {max(after) * 1000:,.0f} ms over 10.
- `assistant ingest` of a Markdown file with 20,000 headings: {headings_s:.1f} s, exit {headings_rc} (before: 18 s).

1-minute load average {load:.1f} on {os.cpu_count()} cores when it finished."""
    print(body)
    write_section("slow_paths", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
