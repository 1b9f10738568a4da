"""The `assistant` command line: ingest, search, ask, serve."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from assistant.cli import chat as cli_chat
from assistant.cli import eligibility as cli_eligibility
from assistant.cli import eval as cli_eval
from assistant.cli import insights as cli_insights
from assistant.cli import jobs as cli_jobs
from assistant.cli import llm as cli_llm
from assistant.cli import mcp as cli_mcp
from assistant.cli import resume as cli_resume
from assistant.cli import skills as cli_skills
from assistant.cli import tokens as cli_tokens
from assistant.cli import users as cli_users
from assistant.cli.common import services
from assistant.config import Settings, load_settings
from assistant.errors import AssistantError
from assistant.labels import AI_LABEL
from assistant.policy.service import PolicyService
from assistant.retrieval.search import SearchFilters

app = typer.Typer(
    help="人才 AI 管家：重庆人才政策问答、岗位匹配与简历优化（离线可用）。",
    no_args_is_help=True,
    add_completion=False,
)

def _register_subcommands() -> None:
    app.add_typer(cli_skills.app, name="skills")
    app.add_typer(cli_jobs.app, name="jobs")
    app.add_typer(cli_resume.app, name="resume")
    app.add_typer(cli_eval.app, name="eval")
    app.add_typer(cli_jobs.match_app, name="match")
    app.add_typer(cli_jobs.library_app, name="library")
    app.command("check-posting")(cli_jobs.check_posting_command)
    app.command("chat")(cli_chat.chat)
    app.command("mcp")(cli_mcp.mcp)
    app.add_typer(cli_users.app, name="users")
    app.add_typer(cli_llm.app, name="llm")
    app.add_typer(cli_tokens.app, name="tokens")
    app.add_typer(cli_insights.app, name="insights")
    app.add_typer(cli_eligibility.app, name="eligibility")


_register_subcommands()
console = Console()
err_console = Console(stderr=True)

KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        help="只检索该类文件：policy（政策）、notice（活动通知）、announcement（申报公告）；可重复。",
    ),
]
RegionOption = Annotated[
    list[str] | None, typer.Option("--region", help="只检索该地区的文件，如 重庆市、两江新区；可重复。")
]
AudienceOption = Annotated[
    list[str] | None, typer.Option("--audience", help="只检索面向该人群的文件，如 博士后；可重复。")
]
ActiveOption = Annotated[bool, typer.Option("--active-only", help="排除已过期、已截止或已被取代的文件。")]
JsonOption = Annotated[bool, typer.Option("--json", help="输出一个 JSON 对象/列表，便于程序读取。")]


def _assistant(**overrides: object) -> PolicyService:
    return services(**overrides).policy


def _filters(
    kind: list[str] | None, region: list[str] | None, audience: list[str] | None, active: bool
) -> SearchFilters:
    kinds = kind or []
    unknown = sorted(set(kinds) - {"policy", "notice", "announcement"})
    if unknown:
        raise typer.BadParameter(f"未知的文件类型：{', '.join(unknown)}", param_hint="--kind")
    return SearchFilters(kinds=kinds, regions=region or [], audiences=audience or [], active_only=active)


@app.command()
def ingest(
    no_vectors: Annotated[
        bool, typer.Option("--no-vectors", help="只建 BM25 索引，跳过向量（稍后再运行一次 ingest 即补齐）。")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """把语料目录（ASSISTANT_CORPUS_DIR）增量写入索引：未变的文件不重算，删除的文件移出索引。"""
    assistant = _assistant()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=True, disable=as_json or not err_console.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            label = {"files": "读取文件", "vectors": "计算向量"}[stage]
            if stage not in tasks:
                tasks[stage] = progress.add_task(label, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        result = assistant.ingest(report, build_vectors=not no_vectors)
    if as_json:
        print(json.dumps(vars(result), ensure_ascii=False))
        return
    console.print(
        f"文件 {result.files} 个：新增 {len(result.added)}，更新 {len(result.changed)}，删除 {len(result.removed)}，"
        f"未变 {result.unchanged}；共 {result.chunks} 个段落；向量新增 {result.vectors_added}、"
        f"移除 {result.vectors_removed}；用时 {result.seconds:.2f} 秒。"
    )
    if result.vectors_pending:
        console.print(f"尚有 {result.vectors_pending} 个段落没有向量，检索暂用 BM25；再次运行 ingest 即补齐。")
    for failure in result.failed:
        err_console.print(f"[yellow]跳过[/yellow] {escape(failure)}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="检索内容，中文或英文。")],
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=50, help="返回的段落数。")] = 5,
    kind: KindOption = None,
    region: RegionOption = None,
    audience: AudienceOption = None,
    active_only: ActiveOption = False,
    as_json: JsonOption = False,
) -> None:
    """混合检索（BM25 + 向量，倒数排名融合），列出最相关的段落。"""
    hits = _assistant().search(query, top_k, _filters(kind, region, audience, active_only))
    if as_json:
        print(json.dumps([hit.model_dump() for hit in hits], ensure_ascii=False))
        return
    if not hits:
        console.print("没有找到相关段落。")
    for rank, hit in enumerate(hits, 1):
        console.print(f"[bold]{rank}. {escape(hit.title)}[/bold]  "
                      f"[dim]{hit.kind} · {hit.doc_id} · {hit.score:.4f}[/dim]")
        console.print(escape(hit.text), highlight=False)
        console.print()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="想咨询的问题，如：博士后留渝率是多少？")],
    kind: KindOption = None,
    region: RegionOption = None,
    audience: AudienceOption = None,
    active_only: ActiveOption = False,
    history: Annotated[
        list[str] | None,
        typer.Option("--history", help="此前的提问（按先后顺序，可重复），用于理解“那博士呢？”这类追问。"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """根据政策文件回答问题，每句标注出处编号；文件中没有的内容会明确说明无法回答。"""
    answer = _assistant().ask(question, _filters(kind, region, audience, active_only), history or [])
    if as_json:
        print(answer.model_dump_json())
        return
    console.print(escape(answer.answer), highlight=False)
    for citation in answer.citations:
        console.print(f"\n[bold][{citation.n}] {escape(citation.title)}[/bold] "
                      f"[dim]{citation.kind} · {citation.doc_id}[/dim]")
        console.print(f"[dim]{escape(citation.snippet)}[/dim]", highlight=False)
    console.print(f"\n[dim]{AI_LABEL}[/dim]")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="监听地址（默认 ASSISTANT_HOST）。")] = None,
    port: Annotated[int | None, typer.Option(help="监听端口（默认 ASSISTANT_PORT）。")] = None,
    demo: Annotated[
        bool | None, typer.Option("--demo/--no-demo", help="演示模式：创建三个演示账号（默认 ASSISTANT_DEMO）。")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=32, help="工作进程数（默认 ASSISTANT_WEB_WORKERS，即 1）。")
    ] = None,
) -> None:
    """启动 Web 服务：对话、简历、岗位、招聘方、人才洞察与工作人员页面，JSON 接口与 /docs 文档；首次启动自动建索引。"""
    from web.serving import serve as run_server

    overrides = {key: value for key, value in {"demo": demo, "web_workers": workers}.items() if value is not None}
    settings: Settings = load_settings(**overrides)
    run_server(settings, host or settings.host, port or settings.port, say=err_console.print)


@app.command()
def status(as_json: JsonOption = False) -> None:
    """显示索引状态：文件数、段落数、向量数。"""
    facts = _assistant().status()
    if as_json:
        print(json.dumps(facts, ensure_ascii=False))
        return
    for key, value in facts.items():
        console.print(f"{key}: {value}")


def main() -> None:
    """Console entry point: domain errors become one line and an exit code, never a traceback."""
    try:
        # Outside standalone mode click returns the code of a `typer.Exit` instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            raise SystemExit(code)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        err_console.print("已取消。")
        raise SystemExit(130) from None
    except typer.TyperException as exc:  # usage errors: bad option values, missing arguments
        exc.show()  # type: ignore[attr-defined]
        raise SystemExit(getattr(exc, "exit_code", 2)) from None
    except AssistantError as exc:
        err_console.print(f"[red]错误：[/red]{escape(str(exc))}")
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:  # last resort at the entry point: a readable line, not a traceback
        err_console.print(f"[red]内部错误：[/red]{escape(type(exc).__name__)}: {escape(str(exc))}")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
