"""Benchmark the chat's injection defences: the suite's safe counts per engine and channel, the instruction
detector's false alarms on real benign text, and the LLM engine's own overhead per turn.

Run: `nice -n 10 python -m bench.bench_injection` (the false-alarm part reads ../shared/data and is skipped
without it; the LLM part talks to the scripted OpenAI-protocol server of the tests on loopback).
"""

from __future__ import annotations

import csv
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from assistant.app import build_app
from assistant.tools.models import SessionState
from assistant.untrusted import looks_like_instruction
from bench.report import write_section
from tests.chat.injection_suite import InjectionHarness, load_cases
from tests.chat.llm_support import citing
from tests.chat.openai_server import Turn

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+")


def suite(workdir: Path) -> tuple[str, InjectionHarness]:
    """The suite's table: safe cases per engine and channel, and the unsafe ones by name."""
    cases = load_cases()
    harness = InjectionHarness(workdir, cases)
    outcomes = [harness.run(case, engine) for case in cases for engine in ("offline", "llm")]
    channels = sorted(Counter(case["channel"] for case in cases).items())
    lines = ["| channel | cases | offline: handled safely | LLM (scripted, complying model): handled safely "
             "| same model text without the output checks: safe |", "|---|---|---|---|---|"]
    llm = [o for o in outcomes if o.engine == "llm"]
    for channel, count in [*channels, ("**all**", len(cases))]:
        mine = [o for o in outcomes if channel == "**all**" or o.channel == channel]
        offline = sum(o.safe for o in mine if o.engine == "offline")
        safe = sum(o.safe for o in mine if o.engine == "llm")
        raw = sum(not o.raw_failures for o in mine if o.engine == "llm")
        lines.append(f"| {channel} | {count} | {offline} | {safe} | {raw} |")
    reached = sum(o.reached for o in llm)
    lines.append(f"\nThe injected text reached the model (in the message or a tool's output) in {reached} of "
                 f"{len(llm)} LLM runs.")
    unsafe = [f"- {o.engine} · `{o.case}`: {'; '.join(o.failures)}" for o in outcomes if not o.safe]
    return "\n".join(lines) + ("\n\nNot handled safely:\n" + "\n".join(unsafe) if unsafe else ""), harness


def benign_texts() -> dict[str, list[str]]:
    """Sentences of real benign text: job ads, statutes, government service guides, English résumés."""
    csv.field_size_limit(1 << 30)
    texts: dict[str, list[str]] = {}
    jobs = SHARED / "jobs_2019_boss_liepin_lagou"
    ads = []
    for name in ("boss_zhipin_all_sheets.csv", "liepin_all_sheets.csv"):
        with (jobs / name).open(encoding="utf-8", newline="") as fh:
            ads += [max((v for k, v in row.items() if k and isinstance(v, str)), key=len) for row in csv.DictReader(fh)]
    texts["job ads (BOSS, 猎聘)"] = ads
    texts["statutes (laws_zh)"] = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "laws_zh").rglob("*.md"))]
    guides = []
    for line in (SHARED / "gd_service_guides" / "policy.json").read_text(encoding="utf-8").splitlines():
        if line.strip():
            guides.append(" \n".join(str(v) for v in json.loads(line).values() if isinstance(v, str)))
    texts["service guides (gd)"] = guides
    with (SHARED / "resumes_en" / "UpdatedResumeDataSet.csv").open(encoding="utf-8", newline="") as fh:
        texts["English résumés"] = [row.get("Resume", "") for row in csv.DictReader(fh)]
    return texts


def false_alarms() -> str:
    """How many benign sentences the instruction detector flags (each would be redacted before the model)."""
    lines = ["| benign text | sentences | flagged as instructions | rate |", "|---|---|---|---|"]
    examples: list[str] = []
    for label, documents in benign_texts().items():
        sentences = [s for d in documents for s in _SENTENCE_RE.findall(d) if s.strip()]
        flagged = [s.strip() for s in sentences if looks_like_instruction(s)]
        lines.append(f"| {label} | {len(sentences):,} | {len(flagged)} | {len(flagged) / len(sentences):.4%} |")
        examples += [f"- {label}: “{s[:60]}”" for s in flagged[:3]]
    return "\n".join(lines) + ("\n\nExamples of flagged benign sentences:\n" + "\n".join(examples) if examples else "")


def faithful_kept(workdir: Path) -> str:
    """Over-removal check: the offline answers to the golden questions are verbatim and cited, so the citation
    check should keep every one of their cited sentences."""
    import yaml

    from assistant.chat.grounding import ground_reply
    from assistant.config import load_settings
    from assistant.evaluation.metrics import cited_sentences
    from assistant.policy.service import build_policy_service
    from assistant.tools.policy_search import Passage

    repo = Path(__file__).resolve().parents[1]
    settings = load_settings(data_dir=workdir / "golden-data", corpus_dir=repo / "corpus" / "documents",
                             embedding_provider="none")
    assistant = build_policy_service(settings)
    assistant.ingest()
    questions = [q for q in yaml.safe_load((repo / "corpus" / "eval" / "golden.yaml").read_text(encoding="utf-8"))
                 if q.get("answerable") and not q.get("history")]
    total = kept = answers = 0
    for question in questions:
        answer = assistant.ask(question["question"])
        if not answer.grounded:
            continue
        answers += 1
        passages = [Passage(n=c.n, doc_id=c.doc_id, title=c.title, kind=c.kind, text=c.snippet, score=c.score)
                    for c in answer.citations]
        checked = ground_reply(answer.answer, passages, answer.answer, "", policy_searched=True)
        total += len(cited_sentences(answer.answer))
        kept += len(cited_sentences(checked.text))
    return (f"Citation check on faithful answers (the offline answers to {answers} answerable golden questions, BM25): "
            f"{kept} of {total} cited sentences kept ({kept / max(total, 1):.1%}).")


def llm_overhead(harness: InjectionHarness, turns: int = 30) -> str:
    """Per-turn time of the LLM engine with one tool call against the loopback server (no model time)."""
    question = "博士研究生有什么租房补贴？"
    timings = []
    for _ in range(turns):
        harness.server.script(Turn(tool_calls=[("search_policies", {"question": question})]),
                              citing("博士研究生每月补贴2000元，最长36个月[{n}]。", "2000元"))
        ctx = build_app(harness.settings, policy=harness.assistant).chat.tool_context(SessionState())
        started = time.perf_counter()
        events = list(harness.llm.stream(ctx, question, []))
        timings.append((time.perf_counter() - started) * 1000)
        assert events[-1].reply is not None and events[-1].reply.citations
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return (f"LLM engine overhead per turn (agent loop, tool call, search, grounding; two streamed model calls to the "
            f"scripted loopback server, so no model time): median {statistics.median(timings):.0f} ms, "
            f"p95 {p95:.0f} ms over {turns} turns.")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        table, harness = suite(Path(tmp))
        seconds = time.perf_counter() - started
        try:
            overhead = llm_overhead(harness)
        finally:
            harness.close()
        faithful = faithful_kept(Path(tmp))
    alarms = false_alarms() if SHARED.is_dir() else "(../shared/data absent: false alarms not measured)"
    body = "\n\n".join([
        "## Prompt-injection suite (chat)",
        f"`python -m bench.bench_injection` — the {len(load_cases())} cases of `tests/chat/data/injection_cases.yaml` "
        f"through both engines ({seconds:.1f} s); see docs/SAFETY.md for the cases and the defences.",
        table, "Instruction detector on real benign text (a flagged sentence is redacted before the model sees it):",
        alarms, faithful, overhead,
    ])
    write_section("injection", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
