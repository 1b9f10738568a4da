"""Benchmark the insights: full supply–demand analytics over 30,000 + 30,000 records and the catalogue export.

Run: `python -m bench.bench_insights [--postings 30000] [--talents 30000] [--repeats 5] [--no-write]` (writes the
"insights" section of docs/PERFORMANCE.md). Budgets from issue 9: analytics ≤ 1 s, catalogue export ≤ 2 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assistant.insights.analysis import analyse
from assistant.insights.catalogue import build_catalogue
from assistant.insights.charts import report_charts
from assistant.insights.export import FORMATS, export_catalogue
from assistant.insights.frame import frame_from_library
from assistant.insights.models import InsightFilters
from assistant.insights.service import InsightStore
from assistant.jobs.library import build_library, load_library
from bench.report import write_section

ANALYTICS_BUDGET_S, EXPORT_BUDGET_S = 1.0, 2.0


def _time(call: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds) over `repeats` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def run(postings: int, talents: int, repeats: int) -> tuple[str, bool]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-insights-"))
    try:
        build_library(workdir / "jobs", postings, talents, seed=2024)
        load = _time(lambda: load_library(workdir / "jobs").close(), repeats)
        library = load_library(workdir / "jobs")
        frame = frame_from_library(library, "bench")
        library.close()
        to_frame = _time(lambda: frame_from_library(load_library(workdir / "jobs"), "bench"), repeats)
        full = _time(lambda: analyse(frame), repeats)
        filtered = _time(lambda: analyse(frame, InsightFilters(chain="智能网联新能源汽车", district="渝北区")), repeats)
        charts = _time(lambda: report_charts(analyse(frame)), repeats)
        catalogue = build_catalogue(frame)
        exports = {fmt: _time(lambda f=fmt: export_catalogue(build_catalogue(frame), f), repeats) for fmt in FORMATS}  # type: ignore[misc]
        store = InsightStore()
        cold = _time(lambda: InsightStore().report(workdir / "jobs", InsightFilters()), 1)
        store.report(workdir / "jobs", InsightFilters())
        warm = _time(lambda: store.report(workdir / "jobs", InsightFilters()), repeats)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    worst_export = max(wall for wall, _ in exports.values())
    ok = full[0] <= ANALYTICS_BUDGET_S and worst_export <= EXPORT_BUDGET_S

    def row(label: str, timing: tuple[float, float], budget: str = "") -> str:
        return f"| {label} | {timing[0] * 1000:.0f} | {timing[1] * 1000:.0f} | {budget} |"

    lines = [
        "## Insights (supply–demand analytics, shortage-talent catalogue)",
        "",
        f"Library of {postings:,} postings + {talents:,} talents (seed 2024); median of {repeats} runs; "
        f"the catalogue holds {len(catalogue.entries)} entries (top 20 functions + top 20 skills). "
        "`python -m bench.bench_insights`.",
        "",
        "| step | wall ms | CPU ms | budget |",
        "|---|---:|---:|---|",
        row("load library columns (npz + ids)", load),
        row("columns → analysis frame (incl. load)", to_frame),
        row("full analytics, all chains and districts", full, f"≤ {ANALYTICS_BUDGET_S:g} s"),
        row("analytics, one chain × one district", filtered),
        row("analytics + the 8 dashboard SVG charts", charts),
        *(row(f"catalogue build + {fmt.upper()} export", timing, f"≤ {EXPORT_BUDGET_S:g} s")
          for fmt, timing in exports.items()),
        row("page cache: first report of a library version (cold)", cold),
        row("page cache: same version again (warm)", warm),
        "",
        f"Budgets met: {'yes' if ok else 'NO'}.",
    ]
    return "\n".join(lines), ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postings", type=int, default=30000)
    parser.add_argument("--talents", type=int, default=30000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/PERFORMANCE.md alone")
    args = parser.parse_args()
    text, ok = run(args.postings, args.talents, args.repeats)
    print(text)
    if not args.no_write:
        print(f"written to {write_section('insights', text)}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
