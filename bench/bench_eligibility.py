"""Eligibility: one profile against the whole corpus, and the notices an ingest sends to 30,000 opted-in talents.

    python -m bench.bench_eligibility [--profiles 30000] [--changed 3] [--write]

Targets (issue 17): one profile vs the corpus ≤ 100 ms; notices for 30,000 opted-in profiles after an ingest ≤ 10 s.
The profiles are generated (seeded) over the facts the evaluator reads; the notice run evaluates the documents an
ingest added or changed (`--changed` of them, the largest first) for every opted-in profile and writes the inbox.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from assistant.config import load_settings
from assistant.eligibility.models import PersonFacts
from assistant.eligibility.service import EligibilityService
from assistant.eligibility.store import NoticeStore
from assistant.policy.service import build_policy_service
from bench.report import write_section

REPO = Path(__file__).resolve().parents[1]
DISTRICTS = ["渝北区", "两江新区", "璧山区", "沙坪坝区", "江北区", "九龙坡区", "渝中区", "永川区"]


def profile(rng: random.Random) -> PersonFacts:
    """A talent's facts as a saved profile holds them (some facts left unknown, as in life)."""
    values: dict[str, object] = {
        "birth_date": f"{rng.randint(1966, 2003)}-{rng.randint(1, 12):02d}",
        "education": rng.choice(["本科", "硕士", "博士", "博士", "博士后"]),
        "district": rng.choice(DISTRICTS), "residence": "在渝",
        "work_years": float(rng.randint(0, 25)), "chongqing_years": float(rng.randint(0, 20)),
        "contract_years": float(rng.choice([1, 3, 5])),
        "title": rng.choice(["初级", "中级", "副高级", "正高级"]),
        "employer_type": rng.choice(["企业", "高校", "科研院所", "医疗卫生机构"]),
        "gender": rng.choice(["男", "女"]),
    }
    if values["education"] == "博士后":
        values["postdoc"] = rng.choice(["在站", "出站"])
    dropped = rng.sample(sorted(values), k=rng.randint(0, 3))
    return PersonFacts.model_validate({k: {"value": v, "source": "profile"} for k, v in values.items()
                                       if k not in dropped})


def run(profiles: int, changed: int) -> str:
    root = Path(tempfile.mkdtemp(prefix="bench-eligibility-"))
    try:
        shutil.copytree(REPO / "corpus" / "documents", root / "corpus")
        settings = load_settings(data_dir=root / "data", corpus_dir=root / "corpus", embedding_provider="none")
        policy = build_policy_service(settings)
        service = EligibilityService(settings, policy, NoticeStore(root / "data" / "notices.sqlite"))
        started = time.perf_counter()
        documents = service.documents()
        first_load = time.perf_counter() - started
        rng = random.Random(17)
        samples = [profile(rng) for _ in range(50)]
        service.evaluate(samples[0])  # warm
        times, cpu_times = [], []
        for facts in samples:
            started, cpu = time.perf_counter(), time.process_time()
            report = service.evaluate(facts)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
        assert report.verdicts
        store_rows = [(user_id, profile(rng)) for user_id in range(1, profiles + 1)]
        started = time.perf_counter()
        service.store.subscribe_many(store_rows)
        subscribe_s = time.perf_counter() - started
        biggest = sorted(documents, key=lambda d: -len(d[1].conditions))[:changed]
        ids = [meta.id for meta, _ in biggest]
        started, cpu = time.perf_counter(), time.process_time()
        written = service.notify(ids)
        notify_s, notify_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        again = service.notify(ids)
        repeat_s = time.perf_counter() - started
        conditions = sum(len(c.conditions) for _, c in documents)
        return (
            "## Eligibility (`bench/bench_eligibility.py`)\n\n"
            f"Corpus: the demonstration corpus, {len(documents)} documents with {conditions} conditions "
            f"(first read and extraction {first_load:.1f} s; later calls re-read only changed files).\n\n"
            "| measure | result | target |\n|---|---|---|\n"
            f"| one profile vs the whole corpus, median of {len(times)} | {statistics.median(times):.1f} ms "
            f"(p95 {sorted(times)[int(0.95 * (len(times) - 1))]:.1f} ms; "
            f"CPU median {statistics.median(cpu_times):.1f} ms)"
            " | ≤ 100 ms |\n"
            f"| notices after an ingest that changed {len(ids)} documents, {profiles:,} opted-in profiles | "
            f"{notify_s:.1f} s wall, {notify_cpu:.1f} s CPU ({written:,} inbox entries) | ≤ 10 s |\n"
            f"| the same ingest again (nothing new to notify) | {repeat_s:.1f} s ({again} entries) | — |\n"
            f"| opting {profiles:,} profiles in (one transaction) | {subscribe_s:.1f} s | — |\n\n"
            f"Changed documents: {', '.join(ids)}. Profiles: seeded random facts (age, education, district, "
            "years, contract, title, employer type; 0–3 facts left unknown each).\n"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=30_000)
    parser.add_argument("--changed", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write the result into docs/PERFORMANCE.md")
    args = parser.parse_args()
    body = run(args.profiles, args.changed)
    print(body)
    if args.write:
        print(f"written to {write_section('eligibility', body)}")


if __name__ == "__main__":
    main()
