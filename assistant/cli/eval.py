"""`assistant eval …`: run the golden set, calibrate the refusal threshold, measure retrieval on CMRC2018."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.progress import Progress

from assistant.app import build_app
from assistant.cli.common import services
from assistant.config import load_settings
from assistant.errors import InvalidInputError
from assistant.evaluation.calibration import calibrate
from assistant.evaluation.golden import GoldenQuestion, load_cmrc, load_golden
from assistant.evaluation.report import HEADLINE, Comparison, compare, render_html, write_html
from assistant.evaluation.runner import EvalRun, run_questions
from assistant.policy.service import PolicyService
from assistant.retrieval.search import SearchResult

app = typer.Typer(help="评测：用标准问题集检验检索与回答质量，并生成报告。", invoke_without_command=True)
console = Console(stderr=True)

SetOption = Annotated[Path | None, typer.Option("--set", help="问题集 YAML（默认 corpus/eval/golden.yaml）。")]


def _golden_path(path: Path | None) -> Path:
    return path or load_settings().corpus_dir.parent / "eval" / "golden.yaml"


def _run_with_progress(
    assistant: PolicyService, questions: list[GoldenQuestion], name: str
) -> tuple[EvalRun, list[SearchResult]]:
    with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("评测中", total=len(questions))
        return run_questions(assistant, questions, name, lambda done, total: progress.update(task, completed=done))


@app.callback()
def run(
    ctx: typer.Context,
    question_set: SetOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="把完整结果（汇总与逐题明细）以 JSON 打印到标准输出。")
    ] = False,
    html: Annotated[Path | None, typer.Option("--html", help="写出 HTML 报告（含图表）的路径。")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="把 JSON 结果写入文件，供下次 --compare 使用。")] = None,
    previous: Annotated[Path | None, typer.Option("--compare", help="与之前保存的 JSON 结果对比。")] = None,
    gate: Annotated[
        Path | None, typer.Option("--gate", help="门槛文件（YAML）；任一指标低于门槛则退出码为 1。")
    ] = None,
) -> None:
    """运行标准问题集：hit@k、MRR、答案正确率、拒答 P/R/F1、引用支持率、延迟，以及每道失败题的明细。"""
    if ctx.invoked_subcommand is not None:
        return
    path = _golden_path(question_set)
    questions = load_golden(path)
    assistant = services().policy
    assistant.ingest(build_vectors=True)
    result, _ = _run_with_progress(assistant, questions, path.stem)
    comparison = (
        compare(EvalRun.model_validate_json(previous.read_text(encoding="utf-8")), result) if previous else None
    )
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(result.model_dump_json(indent=1), encoding="utf-8")
    if html:
        console.print(f"报告：{write_html(html, render_html(result, comparison))}")
    if as_json:
        print(result.model_dump_json())
    else:
        _print_summary(result, comparison)
    if gate and not _passes(result, gate):
        raise typer.Exit(1)


def _print_summary(result: EvalRun, comparison: Comparison | None) -> None:
    summary = result.summary.model_dump()
    for name in HEADLINE:
        console.print(f"{name:>18}: {summary[name]:.3f}")
    failed = [r for r in result.results if not r.correct]
    console.print(f"未通过 {len(failed)} / {len(result.results)} 题")
    for r in failed[:30]:
        console.print(f"  {r.id} [{r.kind}] {r.question} — {'；'.join(r.failures)}", highlight=False)
    if comparison:
        console.print(f"变好 {len(comparison.fixed)} 题：{' '.join(comparison.fixed)}")
        console.print(f"变差 {len(comparison.broken)} 题：{' '.join(comparison.broken)}")


def _passes(result: EvalRun, gate: Path) -> bool:
    limits = yaml.safe_load(gate.read_text(encoding="utf-8"))
    summary = result.summary.model_dump()
    ok = True
    for name, limit in limits.items():
        if name not in summary:
            raise InvalidInputError(f"门槛文件中的未知指标：{name}")
        passed = summary[name] <= limit if name.startswith("latency") else summary[name] >= limit
        console.print(f"门槛 {name}: {summary[name]:.3f} {'≥' if not name.startswith('latency') else '≤'} {limit} "
                      f"{'通过' if passed else '未通过'}")
        ok = ok and passed
    return ok


@app.command("calibrate")
def calibrate_command(
    question_set: SetOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 打印各阈值的结果。")] = False,
) -> None:
    """在标准问题集上选出使拒答 F1 最高的阈值，并列出阈值附近正确率与拒答的权衡。"""
    path = _golden_path(question_set)
    questions = load_golden(path)
    assistant = services().policy
    assistant.ingest(build_vectors=True)
    _, retrievals = _run_with_progress(assistant, questions, path.stem)
    best, points = calibrate(assistant, questions, retrievals)
    if as_json:
        print(json.dumps({"best": best.model_dump(), "points": [p.model_dump() for p in points]}, ensure_ascii=False))
        return
    console.print("阈值   拒答P   拒答R   拒答F1  正确率")
    for p in points:
        mark = " ←" if p.threshold == best.threshold else ""
        console.print(f"{p.threshold:.2f}  {p.refusal_precision:.3f}  {p.refusal_recall:.3f}  {p.refusal_f1:.3f}"
                      f"  {p.accuracy:.3f}{mark}")
    console.print(f"建议阈值 ASSISTANT_REFUSAL_THRESHOLD={best.threshold:.2f}"
                  f"（当前 {assistant.answerer.threshold:.2f}）")


@app.command("cmrc")
def cmrc_command(
    data: Annotated[Path, typer.Option(help="CMRC2018 dev 集（SQuAD 格式 JSON）。")] = Path(
        "../shared/data/retrieval_cmrc2018/cmrc2018_dev.json"),
    limit: Annotated[int | None, typer.Option(help="只用前 N 个问题。")] = None,
    dense: Annotated[
        bool, typer.Option("--dense/--no-dense", help="是否使用向量检索（首次需数分钟编码段落）。")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 打印汇总。")] = False,
) -> None:
    """只评检索：在 CMRC2018 段落上建临时索引，报告 hit@k 与 MRR@10（他人撰写的真实中文数据）。"""
    if not data.is_file():
        raise InvalidInputError(f"找不到 CMRC2018 数据：{data}")
    paragraphs, questions = load_cmrc(data, limit)
    base = load_settings()
    with tempfile.TemporaryDirectory() as corpus:
        for doc_id, text in paragraphs.items():
            body = yaml.safe_dump({"id": doc_id, "title": doc_id, "kind": "policy"}, allow_unicode=True)
            (Path(corpus) / f"{doc_id}.md").write_text(f"---\n{body}---\n{text}\n", encoding="utf-8")
        settings = load_settings(data_dir=base.data_dir / "eval-cmrc", corpus_dir=Path(corpus),
                                 embedding_provider=base.embedding_provider if dense else "none",
                                 max_question_chars=max(base.max_question_chars, 500))
        assistant = build_app(settings).policy
        assistant.ingest(build_vectors=True)
        result, _ = _run_with_progress(assistant, questions, "cmrc2018")
    summary = result.summary
    if as_json:
        print(summary.model_dump_json())
        return
    console.print(f"CMRC2018：{summary.questions} 题；hit@1 {summary.hit_at_1:.3f}  hit@5 {summary.hit_at_5:.3f}  "
                  f"hit@10 {summary.hit_at_10:.3f}  MRR@10 {summary.mrr_at_10:.3f}  "
                  f"p95 {summary.latency_p95_ms:.1f} 毫秒")
