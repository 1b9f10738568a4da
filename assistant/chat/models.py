"""Typed shapes of a conversation: messages, replies and streamed events."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from assistant.labels import ai_generated_field, ai_label_field
from assistant.policy.answering import Citation
from assistant.tools.models import ToolCall, ToolResult


class ChatMessage(BaseModel):
    """One message of a session; assistant messages keep their citations, tool calls and results."""

    role: Literal["user", "assistant"]
    content: str
    created: dt.datetime
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    results: list[ToolResult] = Field(default_factory=list)


class ChatReply(BaseModel):
    """One turn's answer: the text, its policy citations, the tools called and their results."""

    session_id: str
    reply: str
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    results: list[ToolResult] = Field(default_factory=list)
    engine: Literal["offline", "llm"] = "offline"
    notice: str | None = None
    ai_generated: bool = ai_generated_field()
    ai_label: str = ai_label_field()


class ChatEvent(BaseModel):
    """A streamed event: a tool call, a text chunk, a notice, or the final reply ("done")."""

    type: Literal["tool", "delta", "notice", "done"]
    text: str = ""
    # a "delta" of the LLM's unchecked draft: shown as provisional, replaced by the checked reply in "done"
    draft: bool = False
    tool_call: ToolCall | None = None
    reply: ChatReply | None = None
