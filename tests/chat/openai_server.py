"""A real HTTP server on loopback speaking the OpenAI chat-completions protocol, replying from a script.

Each POST /v1/chat/completions (or Ollama's POST /api/chat, newline-delimited JSON) takes the next scripted turn:
tool calls, a final answer, an HTTP error or a delay.
A turn may also be a function of the request body (to echo a passage the tool message carried). Both `stream: true`
(server-sent chunks, tool-call deltas included) and plain JSON replies are spoken; every request body is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Turn:
    """One scripted model reply."""

    content: str = ""
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (tool name, arguments)
    status: int = 200  # anything else: an error reply with this HTTP status
    delay_s: float = 0.0  # sleep before answering (timeouts)


Script = Turn | Callable[[dict[str, Any]], Turn]


class ScriptedOpenAIServer:
    """ThreadingHTTPServer on 127.0.0.1 at a free port; `base_url` ends in /v1."""

    def __init__(self) -> None:
        self.turns: deque[Script] = deque()
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="openai-script", daemon=True)
        self.running = False

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> ScriptedOpenAIServer:
        self._thread.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self._httpd.shutdown()
            self._httpd.server_close()
            self.running = False

    def script(self, *turns: Script) -> None:
        """Queue the next replies, in order."""
        with self._lock:
            self.turns.extend(turns)

    def next_turn(self, body: dict[str, Any]) -> Turn:
        with self._lock:
            self.requests.append(body)
            script = self.turns.popleft() if self.turns else Turn(status=500, content="script exhausted")
        if not callable(script):
            return script
        try:
            return script(body)
        except Exception as exc:  # a broken script shows up as the model's error, not a server traceback
            return Turn(status=500, content=f"script failed: {exc}")


def _handler_for(server: ScriptedOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

        def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
            ollama = self.path.rstrip("/") == "/api/chat"
            if not ollama and not self.path.rstrip("/").endswith("/chat/completions"):
                self._json(404, {"error": {"message": "not found"}})
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            turn = server.next_turn(body)
            if turn.delay_s:
                time.sleep(turn.delay_s)
            if turn.status != 200:
                message = turn.content or "scripted error"
                self._json(turn.status, {"error": message} if ollama else {"error": {"message": message}})
            elif ollama:
                self._ndjson(body, turn)
            elif body.get("stream"):
                self._stream(body, turn)
            else:
                self._json(200, _completion(body, turn))

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _ndjson(self, body: dict[str, Any], turn: Turn) -> None:
            lines = list(_ollama_lines(body, turn))
            if body.get("stream") is False:
                self._json(200, lines[-1] | {"message": {**lines[-1]["message"], "content": turn.content,
                                                          **_ollama_calls(turn)}})
                return
            data = b"".join(json.dumps(line, ensure_ascii=False).encode() + b"\n" for line in lines)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, body: dict[str, Any], turn: Turn) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for chunk in _chunks(body, turn):
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


_USAGE = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}


def _base(body: dict[str, Any], kind: str) -> dict[str, Any]:
    return {"id": "chatcmpl-script", "object": kind, "created": int(time.time()), "model": body.get("model", "m")}


def _tool_call(index: int, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"call_{index}_{name}", "type": "function",
            "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)}}


def _completion(body: dict[str, Any], turn: Turn) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": turn.content or None}
    if turn.tool_calls:
        message["tool_calls"] = [_tool_call(i, name, args) for i, (name, args) in enumerate(turn.tool_calls)]
    finish = "tool_calls" if turn.tool_calls else "stop"
    return {**_base(body, "chat.completion"), "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": _USAGE}


def _chunks(body: dict[str, Any], turn: Turn) -> Iterator[dict[str, Any]]:
    base = _base(body, "chat.completion.chunk")

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    yield chunk({"role": "assistant", "content": ""})
    for start in range(0, len(turn.content), 4):  # a few characters per chunk, as real models stream
        yield chunk({"content": turn.content[start : start + 4]})
    for index, (name, arguments) in enumerate(turn.tool_calls):
        call = _tool_call(index, name, arguments)
        text = call["function"]["arguments"]
        yield chunk({"tool_calls": [{"index": index, "id": call["id"], "type": "function",
                                     "function": {"name": name, "arguments": ""}}]})
        for start in range(0, len(text), 8):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": text[start : start + 8]}}]})
    yield chunk({}, "tool_calls" if turn.tool_calls else "stop")
    if (body.get("stream_options") or {}).get("include_usage"):
        yield {**base, "choices": [], "usage": _USAGE}


def _ollama_calls(turn: Turn) -> dict[str, Any]:
    if not turn.tool_calls:
        return {}
    return {"tool_calls": [{"function": {"name": name, "arguments": args}} for name, args in turn.tool_calls]}


def _ollama_lines(body: dict[str, Any], turn: Turn) -> Iterator[dict[str, Any]]:
    base = {"model": body.get("model", "m"), "created_at": "2026-11-22T09:00:00Z"}
    for start in range(0, len(turn.content), 4):
        yield {**base, "message": {"role": "assistant", "content": turn.content[start : start + 4]}, "done": False}
    if turn.tool_calls:
        yield {**base, "message": {"role": "assistant", "content": "", **_ollama_calls(turn)}, "done": False}
    yield {**base, "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
           "total_duration": 1000, "prompt_eval_count": 10, "eval_count": 5}
