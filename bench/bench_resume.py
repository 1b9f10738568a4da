"""Benchmark résumé review: latency and memory on a 2-page PDF, robustness on real English résumés, NER F1.

Run: `python -m bench.bench_resume [--write]` (needs reportlab from the dev extra; ../shared/data for the last two).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from assistant.app import build_app
from assistant.config import load_settings
from assistant.errors import DocumentLoadError
from assistant.resume.models import ResumeReview
from assistant.resume.service import ResumeService

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / ".." / "shared" / "data"
SAMPLES = ROOT / "tests" / "data" / "resume"
TODAY = dt.date(2026, 11, 1)


def two_page_pdf(path: Path) -> Path:
    """Our sample résumés one after another until the PDF fills two A4 pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    lines = []
    for name in ("engineer.txt", "manager.txt", "accountant.txt", "graduate.txt"):
        lines += (SAMPLES / name).read_text(encoding="utf-8").splitlines()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y, pages = A4[1] - 50, 1
    for line in lines:
        if y < 50:
            if pages == 2:
                break
            pdf.showPage()
            y, pages = A4[1] - 50, pages + 1
        pdf.setFont("STSong-Light", 10.5)
        pdf.drawString(50, y, line)
        y -= 15
    pdf.save()
    return path


def review_file(resumes: ResumeService, path: Path) -> ResumeReview:
    """Read and review one file as `assistant resume review` does (no target)."""
    return resumes.review(resumes.read_file(path))[0]


def latency(resumes: ResumeService, path: Path, runs: int) -> dict[str, float]:
    """Parse + review of one file, repeated: p50/p95 in ms and the traced peak memory in MB."""
    review_file(resumes, path)  # warm caches (skill lexicon, regexes)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        review_file(resumes, path)
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    review_file(resumes, path)
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    times.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))], "peak_mb": peak, "rss_mb": rss}


def english_robustness(resumes: ResumeService, path: Path) -> dict[str, float]:
    """Review every résumé of the English data set; count refusals and crashes."""
    csv.field_size_limit(10**7)
    reviewed = refused = crashed = 0
    seconds = 0.0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            start = time.perf_counter()
            try:
                resumes.review(resumes.read(row["Resume"].encode(), "resume.txt"))
                reviewed += 1
            except DocumentLoadError:
                refused += 1
            except Exception as exc:  # the point of this run is to find crashes
                crashed += 1
                print(f"crash: {type(exc).__name__}: {exc}", file=sys.stderr)
            seconds += time.perf_counter() - start
    total = reviewed + refused + crashed
    return {"total": total, "reviewed": reviewed, "refused": refused, "crashed": crashed,
            "mean_ms": 1000 * seconds / max(1, total)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="write the results into docs/PERFORMANCE.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        resumes = build_app(load_settings(data_dir=Path(tmp) / "data", today=TODAY)).resumes
        pdf = two_page_pdf(Path(tmp) / "two_pages.pdf")
        pages = len({line.page for line in resumes.read_file(pdf).parsed.lines})
        timing = latency(resumes, pdf, args.runs)
        notes = review_file(resumes, pdf).fields.notes
        skills = "shared lexicon loaded" if not notes else "lexicon unavailable, skipped"
    rows = [f"| review of a {pages}-page Chinese PDF (parse + sections + fields + suggestions), {args.runs} runs | "
            f"p50 {timing['p50']:.1f} ms, p95 {timing['p95']:.1f} ms; "
            f"Python allocations peak {timing['peak_mb']:.1f} MB "
            f"per review, process max RSS {timing['rss_mb']:.0f} MB; skills: {skills} |"]
    english = SHARED / "resumes_en" / "UpdatedResumeDataSet.csv"
    if english.is_file():
        result = english_robustness(resumes, english)
        rows.append(f"| {result['total']:.0f} English résumés (resumes_en) reviewed as text | "
                    f"{result['reviewed']:.0f} reviewed, {result['refused']:.0f} refused, "
                    f"{result['crashed']:.0f} crashed, "
                    f"mean {result['mean_ms']:.1f} ms |")
    dev = SHARED / "resume_ner_zh" / "dev.char.bmes"
    if dev.is_file():
        from assistant.resume.entity_eval import measure

        scores = measure(dev)
        per_type = ", ".join(f"{kind} {f1:.3f}" for kind, (_, _, f1) in scores.items() if kind != "ALL")
        rows.append(f"| ResumeNER dev entity F1 (exact spans), rules + hand-written lexicons | "
                    f"micro {scores['ALL'][2]:.3f} (P {scores['ALL'][0]:.3f}, R {scores['ALL'][1]:.3f}); {per_type} |")
    body = "## Résumé review\n\n| measurement | result |\n|---|---|\n" + "\n".join(rows) + "\n"
    print(body)
    if args.write:
        from bench.report import write_section

        write_section("resume", body)


if __name__ == "__main__":
    main()
