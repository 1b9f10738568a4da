"""Qwen2.5's own tool-calling chat format for the local llama.cpp server, as pure functions.

llama-cpp-python's `chatml-function-calling` format drops `tool` messages from the prompt and cannot stream a tool
call, so `assistant llm serve-local` registers this one instead: the prompt is rendered the way Qwen2.5-Instruct was
trained (tools inside `<tools>…</tools>` in the system message, calls as `<tool_call>{…}</tool_call>`, results as
`<tool_response>…</tool_response>` in a user turn), and the raw completion is parsed back into OpenAI `tool_calls`.

Nothing here imports llama.cpp: `complete_chat` takes the generation as a function, so the tests run recorded raw
completions of the real model through exactly the code the server runs.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

IM_START, IM_END = "<|im_start|>", "<|im_end|>"
STOP = [IM_END, "<|endoftext|>"]
FORMAT_NAME = "qwen2.5-tools"
DEFAULT_MAX_TOKENS = 512
_TOOLS_INTRO = (
    "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>"
)
_TOOLS_OUTRO = (
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}"
    "\n</tool_call>"
)
# Qwen2.5's call block; the 1.5B model sometimes writes the tools block's tag (<tools>…</tools>) instead, or leaves
# the closing tag out when it runs out of tokens: both are read the same way (an empty block is malformed).
_CALL_RE = re.compile(r"<(?:tool_call|tools)>\s*(.*?)\s*(?:</(?:tool_call|tools)>|$)", re.S)
_FENCE_RE = re.compile(r"^\s*```(?:json)?\s*(\{.*\})\s*```\s*$", re.S)


@dataclass
class Generation:
    """One raw completion and what it cost (llama.cpp's own timings when available)."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_ms: float = 0.0
    generation_ms: float = 0.0
    reused_tokens: int = 0


@dataclass
class ParsedCompletion:
    """A raw completion read back: the visible text, the tool calls, and call blocks that could not be read."""

    content: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)


Generate = Callable[[str, int, float], Generation]  # (prompt, max_tokens, temperature) -> generation


def compact_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema cut to what a small model needs: property names, types, enums and which are required.

    Pydantic schemas carry titles, `anyOf [T, null]`, length limits and `additionalProperties`; the validation
    still happens in the tool (`run_tool`), so the prompt only says what may be passed.
    """
    properties: dict[str, Any] = {}
    for name, prop in (schema.get("properties") or {}).items():
        options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"] or [prop]
        first = options[0]
        compact: dict[str, Any] = {"type": first.get("type", "string")}
        if first.get("type") == "array" and isinstance(first.get("items"), dict):
            items = first["items"]
            compact["items"] = {k: v for k, v in items.items() if k in ("type", "enum")}
        if "enum" in first:
            compact["enum"] = first["enum"]
        properties[name] = compact
    result: dict[str, Any] = {"type": "object", "properties": properties}
    if schema.get("required"):
        result["required"] = schema["required"]
    return result


def _open_arguments(tools: list[dict[str, Any]], name: str) -> str:
    """The start of a named call's arguments: "{", its first required property's key and, for a string, the quote.

    Given only `"arguments": ` the 1.5B model wrote `1}`, and given `{"question": ` it wrote `1, …`: opened down to
    the string's quote it writes the question.
    """
    for tool in tools:
        function = tool.get("function", tool)
        if function.get("name") == name:
            parameters = function.get("parameters") or {}
            required = parameters.get("required") or []
            if not required:
                return "{"
            spec = (parameters.get("properties") or {}).get(required[0]) or {}
            options = [spec, *spec.get("anyOf", [])]
            quote = '"' if any(option.get("type") == "string" for option in options) else ""
            return "{" + json.dumps(required[0]) + ": " + quote
    return "{"


def render_tools(tools: list[dict[str, Any]]) -> str:
    """The tool block of the system message: one compact JSON line per tool, its description's first sentence."""
    lines = []
    for tool in tools:
        function = tool.get("function", tool)
        description = function.get("description", "")
        spec = {"name": function["name"], "description": description.split("。")[0] + "。" if description else "",
                "parameters": compact_schema(function.get("parameters") or {})}
        lines.append(json.dumps({"type": "function", "function": spec}, ensure_ascii=False, separators=(",", ":")))
    return _TOOLS_INTRO + "\n" + "\n".join(lines) + _TOOLS_OUTRO


def render(messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> str:
    """The prompt for `messages` (OpenAI chat format) in Qwen2.5's template, ending with the assistant's turn."""
    parts: list[str] = []
    system = ""
    rest = messages
    if messages and messages[0].get("role") == "system":
        system, rest = _text(messages[0].get("content")), messages[1:]
    if tools:
        system = (system or "You are a helpful assistant.") + render_tools(tools)
    if system:
        parts.append(f"{IM_START}system\n{system}{IM_END}\n")
    index = 0
    while index < len(rest):
        message = rest[index]
        role = message.get("role")
        if role == "tool":  # consecutive tool results share one user turn, as Qwen's template does
            responses = []
            while index < len(rest) and rest[index].get("role") == "tool":
                responses.append(f"<tool_response>\n{_text(rest[index].get('content'))}\n</tool_response>")
                index += 1
            parts.append(f"{IM_START}user\n" + "\n".join(responses) + f"{IM_END}\n")
            continue
        if role == "assistant":
            text = _text(message.get("content"))
            calls = [_call_block(call) for call in message.get("tool_calls") or []]
            body = "\n".join(part for part in (text, *calls) if part)
            parts.append(f"{IM_START}assistant\n{body}{IM_END}\n")
        else:
            parts.append(f"{IM_START}{role or 'user'}\n{_text(message.get('content'))}{IM_END}\n")
        index += 1
    parts.append(f"{IM_START}assistant\n")
    return "".join(parts)


def parse_completion(text: str, tool_names: set[str]) -> ParsedCompletion:
    """Tool calls and visible text of a raw completion.

    A `<tool_call>` block whose JSON cannot be read, or which names no offered tool, is malformed: it is dropped
    (never shown to the user) and reported. A completion that is nothing but one JSON object naming a tool (small
    models sometimes leave out the tags or wrap the call in a ```json fence) is read as that call.
    """
    text = text.strip()
    for stop in STOP:
        text = text.replace(stop, "")
    calls: list[dict[str, Any]] = []
    malformed: list[str] = []
    blocks = _CALL_RE.findall(text)
    if not blocks:
        fenced = _FENCE_RE.match(text)
        candidate = fenced.group(1) if fenced else text
        if candidate.startswith("{") and candidate.endswith("}"):
            call = _read_call(candidate, tool_names)
            if call is not None:
                return ParsedCompletion(content="", tool_calls=[call])
    for block in blocks:
        call = _read_call(block, tool_names)
        if call is None:
            malformed.append(block)
        else:
            calls.append(call)
    content = _CALL_RE.sub("", text).strip() if blocks else text
    if calls:  # text around a call is the model thinking aloud; the answer comes after the tool result
        content = ""
    return ParsedCompletion(content=content, tool_calls=calls, malformed=malformed)


def complete_chat(request: dict[str, Any], generate: Generate, model: str = "local",
                  on_generation: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """An OpenAI chat-completions response for `request`, produced by `generate` on the rendered prompt.

    `on_generation` receives a record of the exchange (prompt, raw text, parsed calls, timings): the bench and the
    recorded-completion fixtures are made from it.
    """
    tools = request.get("tools") or []
    choice = request.get("tool_choice")
    if choice == "none":
        tools = []
    # "required" (or one named function): the assistant turn is begun as a call, so a small model that would
    # answer from its own weights has to name a tool first
    prefill = ""
    if tools and (choice == "required" or isinstance(choice, dict)):
        named = (choice.get("function") or {}).get("name") if isinstance(choice, dict) else None
        prefill = '<tool_call>\n{"name": "' + (f'{named}", "arguments": ' + _open_arguments(tools, named)
                                                if named else "")
    prompt = render(request.get("messages") or [], tools) + prefill
    max_tokens = int(request.get("max_tokens") or request.get("max_completion_tokens") or DEFAULT_MAX_TOKENS)
    requested = request.get("temperature")
    temperature = float(requested) if requested is not None else 0.2
    generation = generate(prompt, max_tokens, temperature)
    parsed = parse_completion(prefill + generation.text, {t.get("function", t)["name"] for t in tools})
    if on_generation is not None:  # `raw` is what the model wrote (a replay adds the same prefill again)
        on_generation({"prompt": prompt, "prefill": prefill, "raw": generation.text, "tool_calls": parsed.tool_calls,
                       "malformed": parsed.malformed, "prompt_tokens": generation.prompt_tokens,
                       "completion_tokens": generation.completion_tokens, "reused_tokens": generation.reused_tokens,
                       "prompt_ms": round(generation.prompt_ms, 1),
                       "generation_ms": round(generation.generation_ms, 1)})
    message: dict[str, Any] = {"role": "assistant", "content": parsed.content or None}
    if parsed.tool_calls:
        message["tool_calls"] = parsed.tool_calls
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None,
                     "finish_reason": "tool_calls" if parsed.tool_calls else "stop"}],
        "usage": {"prompt_tokens": generation.prompt_tokens, "completion_tokens": generation.completion_tokens,
                  "total_tokens": generation.prompt_tokens + generation.completion_tokens},
    }


def as_chunks(response: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A complete response as streamed chunks (the text is generated whole first: a tool call is only known then)."""
    base = {k: response[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
    choice = response["choices"][0]
    message = choice["message"]

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    yield chunk({"role": "assistant", "content": ""})
    content = message.get("content") or ""
    for start in range(0, len(content), 8):
        yield chunk({"content": content[start : start + 8]})
    for index, call in enumerate(message.get("tool_calls") or []):
        yield chunk({"tool_calls": [{"index": index, **call}]})
    yield chunk({}, choice["finish_reason"])


def _read_call(block: str, tool_names: set[str]) -> dict[str, Any] | None:
    try:
        data = json.loads(block)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or data.get("name") not in tool_names:
        return None
    arguments = data.get("arguments", data.get("parameters", {}))
    if isinstance(arguments, str):  # some completions encode the arguments as a JSON string
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError:
            return None
    if not isinstance(arguments, dict):
        return None
    return {"id": f"call_{uuid.uuid4().hex[:12]}", "type": "function",
            "function": {"name": data["name"], "arguments": json.dumps(arguments, ensure_ascii=False)}}


def _call_block(call: dict[str, Any]) -> str:
    function = call.get("function", {})
    arguments = function.get("arguments") or "{}"
    try:
        parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
    except json.JSONDecodeError:
        parsed = {}
    payload = json.dumps({"name": function.get("name", ""), "arguments": parsed}, ensure_ascii=False)
    return f"<tool_call>\n{payload}\n</tool_call>"


def _text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
