"""`assistant skills …` commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.cli.common import services
from assistant.errors import InvalidInputError
from assistant.skills.analysis import Posting, SkillReport, load_postings, read_postings

app = typer.Typer(help="技能分析：从岗位描述中抽取技能，统计目标岗位的高频核心技能与行业术语。", no_args_is_help=True)
console = Console()

CATEGORY_LABELS = {
    "hard_skill": "专业技能", "tool": "工具/软件", "certificate": "证书/资格", "language": "语言",
    "soft_skill": "通用素质", "industry_term": "行业术语",
}
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON，便于程序读取。")]


def _read(path: Path | None) -> list[Posting]:
    postings = load_postings(path) if path is not None else read_postings(sys.stdin)
    if not postings:
        raise InvalidInputError("没有读到岗位描述：请每行一条，或每行一个带 text 字段的 JSON 对象。")
    return postings


@app.command()
def extract(
    file: Annotated[
        Path | None, typer.Argument(help="岗位描述文件：每行一条，或 JSONL（text 字段）；省略则读标准输入。")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """逐条抽取岗位描述中的技能：规范名称、类别、必需/加分、原文位置。"""
    skills = services().skills
    for number, posting in enumerate(_read(file), 1):
        mentions = skills.extract(posting.text)
        if as_json:
            print(json.dumps([{**m.model_dump(), "span": list(m.span)} for m in mentions], ensure_ascii=False))
            continue
        console.print(f"[bold]岗位 {number}[/bold] {escape(posting.title)}")
        for m in mentions:
            flag = "必需" if m.required else "加分"
            surface = posting.text[m.span[0] : m.span[1]]
            console.print(f"  {escape(m.name)}  "
                          f"[dim]{CATEGORY_LABELS[m.category]} · {flag} · “{escape(surface)}”[/dim]")


@app.command()
def analyze(
    target: Annotated[str | None, typer.Option("--target", help="目标岗位名称，如：自动驾驶算法工程师。")] = None,
    postings: Annotated[
        Path | None, typer.Option("--postings", help="要分析的岗位描述文件（每行一条或 JSONL）。")
    ] = None,
    library: Annotated[
        Path | None,
        typer.Option(
            "--library",
            help="岗位库 JSONL（title、text 字段）；默认 ASSISTANT_SKILLS_LIBRARY，"
            "再默认 library build 生成的库。",
        ),
    ] = None,
    city: Annotated[str, typer.Option("--city", help="只选该城市的岗位（与 --target 一起用）。")] = "",
    industry: Annotated[str, typer.Option("--industry", help="只选该行业的岗位（与 --target 一起用）。")] = "",
    level: Annotated[
        str | None,
        typer.Option("--level", help="只选该级别的岗位：实习、初级、中级、高级、专家（与 --target 一起用）。"),
    ] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=500, help="列出的技能数。")] = 30,
    as_json: JsonOption = False,
) -> None:
    """目标岗位的高频技能：出现比例、相对全部岗位的关键度（对数似然 G²）与例句。"""
    if (target is None) == (postings is None):
        raise InvalidInputError("请给出 --target（从岗位库中选岗位）或 --postings（自己的岗位描述文件），二选一。")
    skills = services(**({"skills_library": library} if library is not None else {})).skills
    note = None
    if postings is not None:
        report = skills.postings_report(_read(postings), top_k=top_k)
    else:
        if skills.index() is None:
            raise InvalidInputError(
                "按岗位名称分析需要岗位库：请先运行 `assistant library build`，"
                "或用 --library / ASSISTANT_SKILLS_LIBRARY 指定。"
            )
        found = skills.title_skills(target or "", city=city, industry=industry, level=level, top_k=top_k)
        if found.report is None:
            raise InvalidInputError(f"岗位库中没有与“{target}”相近的岗位。")
        report, note = found.report, found.note
        if not as_json:
            console.print(f"按“{escape(found.role)}”岗位分析。")
    if as_json:
        print(report.model_dump_json())
        return
    _print_report(report)
    if note:
        console.print(f"[dim]{escape(note)}[/dim]")


def _print_report(report: SkillReport) -> None:
    console.print(f"分析岗位 {report.postings} 条（对照岗位 {report.reference_postings} 条）。")
    for category, label in CATEGORY_LABELS.items():
        rows = [s for s in report.skills if s.category == category]
        if not rows:
            continue
        table = Table(title=label, title_justify="left")
        for column in ("技能", "出现比例", "必需比例", "关键度 G²", "例句"):
            table.add_column(column)
        for s in rows:
            keyness = "—" if s.keyness is None else f"{s.keyness:.1f}"
            table.add_row(
                escape(s.name), f"{s.share:.0%}", f"{s.required_share:.0%}", keyness,
                escape(s.examples[0] if s.examples else ""),
            )
        console.print(table)
