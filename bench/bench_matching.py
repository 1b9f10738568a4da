"""Benchmark the job/talent library: build time, ranking latency over 30,000 and 1,000,000 records, memory.

Run: `python -m bench.bench_matching` (writes the "matching" section of docs/PERFORMANCE.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.config import load_settings
from assistant.jobs.features import encode_talents, title_vector
from assistant.jobs.library import Library, load_library
from assistant.jobs.matching import score_all, top_rows
from assistant.jobs.service import JobMatchRequest, JobService
from bench.report import write_section


def _percentiles(samples: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Wall p50, wall p95, CPU p50."""
    walls = sorted(wall for wall, _ in samples)
    p95 = walls[min(len(walls) - 1, int(round(0.95 * (len(walls) - 1))))]
    return statistics.median(walls), p95, statistics.median(cpu for _, cpu in samples)


def _time(call, repeats: int) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """(wall ms, CPU ms) per call: the CPU time shows the code's own cost when other work shares the cores."""
    samples = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        samples.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return samples


def _tiled(library: Library, rows: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Job columns repeated to `rows` records (the scoring cost depends on the count, not on the values)."""
    reps = -(-rows // len(library.job_ids))
    columns = {k: np.concatenate([v] * reps)[:rows] for k, v in library.job_columns.items()}
    return columns, columns["title_id"]


def run(postings: int, talents: int, big: int, queries: int) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    service = JobService(load_settings(data_dir=workdir))  # what the CLI, chat and pages rank with
    try:
        started = time.perf_counter()
        service.build(postings, talents, seed=2024)
        build_s = time.perf_counter() - started
        disk_mb = sum(p.stat().st_size for p in service.directory.iterdir()) / 2**20
        started = time.perf_counter()
        load_library(service.directory).close()
        load_ms = (time.perf_counter() - started) * 1000
        library, weights = service.library(), service.weights()
        column_mb = sum(v.nbytes for v in (*library.job_columns.values(), *library.talent_columns.values())) / 2**20
        people = library.talents_at(list(range(queries)))
        jobs = library.postings_at(list(range(queries)))

        def for_talent(person):  # type: ignore[no-untyped-def]
            return service.match(JobMatchRequest(direction="jobs_for_talent", talent=person, top_k=10))

        def for_job(job):  # type: ignore[no-untyped-def]
            return service.match(JobMatchRequest(direction="talents_for_job", job=job, top_k=10))

        jobs_for_talent = [t for person in people for t in _time(lambda p=person: for_talent(p), 1)]
        talents_for_job = [t for job in jobs for t in _time(lambda j=job: for_job(j), 1)]
        columns, title_ids = _tiled(library, big)
        tiled_mb = sum(v.nbytes for v in columns.values()) / 2**20

        def rank_big(person=people[0]):  # type: ignore[no-untyped-def]
            titles = [t for t in dict.fromkeys([person.current_title, *person.desired_titles]) if t]
            table = np.append((library.title_table @ np.stack([title_vector(t) for t in titles]).T).max(axis=1), 0.0)
            scores = score_all(columns, encode_talents([person], library.vocab), table[title_ids], weights)
            return top_rows(scores.total, scores.failed.any(axis=0), 10)

        big_samples = _time(rank_big, max(3, queries // 10))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        library.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows = [
        ("jobs for one talent, 10 best with evidence", f"{postings:,}", *_percentiles(jobs_for_talent), 30),
        ("talents for one job, 10 best with evidence", f"{talents:,}", *_percentiles(talents_for_job), 30),
        ("jobs for one talent, scores + top 10", f"{big:,}", *_percentiles(big_samples), 1000),
    ]
    table = "\n".join(f"| {name} | {n} | {p50:.1f} | {p95:.1f} | {cpu:.1f} | ≤ {target} |"
                      for name, n, p50, p95, cpu, target in rows)
    return (
        "## Job matching (22 dimensions, both directions)\n\n"
        f"`python -m bench.bench_matching`: {queries} different query records per direction, one process, numpy. "
        f"Load average when it started: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times include "
        "waiting for the CPU; CPU time is the code's own cost).\n\n"
        "| ranking | records | wall p50 ms | wall p95 ms | CPU p50 ms | target ms |\n|---|---|---|---|---|---|\n"
        f"{table}\n\n"
        f"- Library build (`assistant jobs build`, {postings:,} postings + {talents:,} talents, seed 2024): "
        f"{build_s:.1f} s; {disk_mb:.0f} MB on disk (SQLite records + .npz columns).\n"
        f"- Opening the library: {load_ms:.0f} ms; numeric columns in memory: {column_mb:.0f} MB "
        f"({big:,} postings tiled: {tiled_mb:.0f} MB); peak RSS of the benchmark: {peak_mb:.0f} MB.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postings", type=int, default=30000)
    parser.add_argument("--talents", type=int, default=30000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/PERFORMANCE.md alone")
    args = parser.parse_args()
    body = run(args.postings, args.talents, args.big, args.queries)
    print(body)
    if not args.no_write:
        print(f"written to {write_section('matching', body)}")


if __name__ == "__main__":
    main()
