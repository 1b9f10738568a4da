"""Helpers of the LLM-engine tests: reading what the scripted server received, and scripted replies."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from tests.chat.openai_server import ScriptedOpenAIServer, Turn

_FENCED_RE = re.compile(r"<(DATA-[0-9a-f]+)>\n(.*)\n</\1>", re.S)


def tool_messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool messages of a chat-completions request."""
    return [m for m in body["messages"] if m["role"] == "tool"]


def tool_data(message: dict[str, Any]) -> dict[str, Any]:
    """The JSON a tool message fences as data ({} for a tool error message)."""
    match = _FENCED_RE.search(message["content"])
    return json.loads(match.group(2)) if match else {}


def passage_number(body: dict[str, Any], containing: str) -> int:
    """The number [n] the model was shown for the passage containing `containing`."""
    for message in tool_messages(body):
        for passage in tool_data(message).get("passages", []):
            if containing in passage["text"]:
                return int(passage["n"])
    raise AssertionError(f"no passage contains {containing!r}")


def citing(template: str, containing: str) -> Callable[[dict[str, Any]], Turn]:
    """A final answer whose `{n}` is the number of the passage containing `containing`."""
    return lambda body: Turn(content=template.format(n=passage_number(body, containing)))


def llm_overrides(server: ScriptedOpenAIServer) -> dict[str, object]:
    """Settings that point the LLM engine at the scripted server."""
    return {"llm_provider": "openai", "llm_model": "scripted", "llm_base_url": server.base_url, "llm_timeout_s": 2.0}
