"""The LLM chat engine: a LangChain agent over the chat tools, with every reply checked before it is shown.

Streaming note: "delta" events carry the model's raw tokens as they arrive; the "done" event's reply is the
*checked* text (unsupported sentences removed, citations renumbered, or the offline answer). A client must replace
the streamed text with `done.reply.reply` (the web does), since a streamed sentence may have been removed.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.tools import BaseTool, StructuredTool

from assistant.chat.grounding import ground_reply
from assistant.chat.models import ChatEvent, ChatMessage, ChatReply
from assistant.config import Settings
from assistant.errors import AssistantError, BackendUnavailableError
from assistant.policy.answering import Citation
from assistant.prompts import render_prompt
from assistant.tools.base import ChatTool, ToolContext
from assistant.tools.models import ToolCall, ToolResult
from assistant.tools.policy_search import Passage
from assistant.tools.registry import TOOLS, run_tool
from assistant.untrusted import defuse_fence, instruction_sentences, new_fence, redact_data

log = logging.getLogger(__name__)

UNAVAILABLE = "大模型服务暂不可用"
MAX_TOOL_DATA_CHARS = 12000
_MARKER_RE = re.compile(r"\[(\d+)\]")
RECURSION_LIMIT = 16  # graph steps: about seven tool rounds before the turn is given up
MAX_HISTORY_MESSAGES = 12  # earlier turns sent to the model; older ones are dropped to bound the prompt
MAX_HISTORY_CHARS = 2000


class _Turn:
    """What one turn's tools did: calls, results and the passages shown to the model (numbered across calls)."""

    def __init__(self, ctx: ToolContext) -> None:
        self.ctx = ctx
        self.fence = new_fence()
        self.calls: list[ToolCall] = []
        self.results: list[ToolResult] = []
        self.passages: dict[int, Passage] = {}
        self.offline_answer: dict[str, Any] | None = None
        self.shown: list[str] = []  # tool data as the model saw it (instructions redacted)
        self.instructions: list[str] = []  # instruction-like sentences found in tool data
        self._lock = threading.Lock()

    def run(self, tool: ChatTool, arguments: dict[str, Any], prompts: Any) -> str:
        call = ToolCall(tool=tool.name, input=arguments)
        try:
            result = run_tool(self.ctx, call)
        except AssistantError as exc:  # shown to the model, which may retry or explain; never a crash
            return f"工具 {tool.name} 调用失败：{exc}"
        with self._lock:
            self.calls.append(call)
            self.results.append(result)
            data = redact_data(result.output, self.instructions)
            if tool.name == "search_policies":
                data = self._number_passages(data)
            text = json.dumps(data, ensure_ascii=False)[:MAX_TOOL_DATA_CHARS]
            self.shown.append(text)
        return str(prompts(tool=tool.name, fence=self.fence, data=defuse_fence(text, self.fence)))

    def _number_passages(self, data: dict[str, Any]) -> dict[str, Any]:
        """Passages of a second search get numbers after the first's, so that [n] stays unambiguous."""
        offset = len(self.passages)
        passages = []
        for raw in data.get("passages", []):
            passage = Passage.model_validate({**raw, "n": raw["n"] + offset})
            self.passages[passage.n] = passage
            passages.append(passage.model_dump())
        if self.offline_answer is None:
            self.offline_answer = {"answer": data.get("answer", ""), "citations": data.get("citations", [])}
        answer = _MARKER_RE.sub(lambda m: f"[{int(m.group(1)) + offset}]", str(data.get("answer", "")))
        return {"question": data.get("question", ""), "offline_answer": answer, "passages": passages}


class LLMEngine:
    """ChatEngine over a LangChain chat model; raises BackendUnavailableError when the model cannot answer."""

    name: Literal["offline", "llm"] = "llm"

    def __init__(self, settings: Settings, model: BaseChatModel) -> None:
        self.settings = settings
        self.model = model

    def system_prompt(self, ctx: ToolContext) -> str:
        """The rendered system message; only trusted text (date, tool purposes, flags) goes into it."""
        tools = [{"name": t.name, "purpose": t.description.split("。")[0]} for t in TOOLS.values()]
        return render_prompt(self.settings.prompts_dir, "system.j2", today=ctx.settings.current_date().isoformat(),
                             tools=tools, has_resume=ctx.state.resume is not None)

    def stream(self, ctx: ToolContext, message: str, history: list[ChatMessage]) -> Iterator[ChatEvent]:
        """Run the agent: "tool" events as the model calls tools, "delta" tokens, then one checked "done"."""
        from langchain.agents import create_agent

        turn = _Turn(ctx)
        system = self.system_prompt(ctx)
        agent = create_agent(self.model, _bind_tools(turn, self.settings), system_prompt=system)
        inputs: Any = {"messages": [*_history_messages(history), HumanMessage(content=message)]}
        final = ""
        try:
            parts: Iterator[Any] = agent.stream(inputs, {"recursion_limit": RECURSION_LIMIT},
                                                stream_mode=["messages", "updates"])
            for mode, payload in parts:
                if mode == "messages":
                    chunk, meta = payload
                    if isinstance(chunk, AIMessageChunk | AIMessage) and meta.get("langgraph_node") == "model":
                        text = _text(chunk)
                        if text:
                            yield ChatEvent(type="delta", text=text)
                    continue
                for update in (payload or {}).values():
                    for msg in (update or {}).get("messages", []):
                        if isinstance(msg, AIMessage):
                            for call in msg.tool_calls:
                                yield ChatEvent(type="tool", tool_call=ToolCall(tool=call["name"], input=call["args"]))
                            if not msg.tool_calls:
                                final = _text(msg)
        except provider_errors() as exc:  # a provider that fails degrades to the offline engine
            raise unavailable(exc) from exc
        checked = ground_reply(
            final, turn.passages.values(), "\n".join([message, *turn.shown]), system,
            policy_searched=any(c.tool == "search_policies" for c in turn.calls),
            other_tools_used=any(c.tool != "search_policies" for c in turn.calls),
            forbidden=[*turn.instructions, *instruction_sentences(message)],
            fallback_text=(turn.offline_answer or {}).get("answer"),
            fallback_citations=_citations((turn.offline_answer or {}).get("citations", [])),
        )
        if checked.removed:
            log.info("grounding removed %d sentence(s)", len(checked.removed))
        reply = ChatReply(session_id="", reply=checked.text, citations=checked.citations, tool_calls=turn.calls,
                          results=turn.results, engine="llm")
        yield ChatEvent(type="done", reply=reply)


def provider_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "the model could not answer": network, timeouts, HTTP errors, bad replies, loops."""
    import httpx
    from langgraph.errors import GraphRecursionError

    errors: list[type[BaseException]] = [AssistantError, httpx.HTTPError, GraphRecursionError, OSError,
                                         TimeoutError, json.JSONDecodeError]
    try:
        import openai

        errors.append(openai.APIError)
    except ImportError:
        pass
    try:
        import ollama

        errors += [ollama.ResponseError, ollama.RequestError]
    except ImportError:
        pass
    return tuple(errors)


def unavailable(exc: BaseException) -> BackendUnavailableError:
    """The domain error for a provider failure (connection, timeout, 5xx, bad reply, runaway tool loop)."""
    if isinstance(exc, AssistantError) and not isinstance(exc, BackendUnavailableError):
        return BackendUnavailableError(f"{UNAVAILABLE}：{exc}")
    if isinstance(exc, BackendUnavailableError):
        return exc
    log.warning("LLM provider failed: %s: %s", type(exc).__name__, exc)
    return BackendUnavailableError(f"{UNAVAILABLE}（{type(exc).__name__}）")


def _bind_tools(turn: _Turn, settings: Settings) -> list[BaseTool]:
    def prompts(**variables: Any) -> str:
        return render_prompt(settings.prompts_dir, "tool_result.j2", **variables)

    def make(tool: ChatTool) -> BaseTool:
        def call(**arguments: Any) -> str:
            return turn.run(tool, arguments, prompts)

        return StructuredTool.from_function(func=call, name=tool.name, description=tool.description,
                                            args_schema=tool.input_model)

    return [make(tool) for tool in TOOLS.values()]


def _history_messages(history: list[ChatMessage]) -> list[BaseMessage]:
    recent = history[-MAX_HISTORY_MESSAGES:]
    return [HumanMessage(content=m.content[:MAX_HISTORY_CHARS]) if m.role == "user"
            else AIMessage(content=m.content[:MAX_HISTORY_CHARS]) for m in recent]


def _text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)


def _citations(raw: list[dict[str, Any]]) -> list[Citation]:
    return [Citation.model_validate(c) for c in raw]


def build_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model the settings name; each backend is imported only in its own branch."""
    if not settings.llm_model:
        raise BackendUnavailableError("已设置 ASSISTANT_LLM_PROVIDER，但未设置模型名 ASSISTANT_LLM_MODEL。")
    if settings.llm_provider == "openai":
        from langchain_openai import ChatOpenAI

        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=key,  # type: ignore[arg-type]
                          timeout=settings.llm_timeout_s, max_retries=1, temperature=settings.llm_temperature,
                          disable_streaming=not settings.llm_streaming, stream_usage=False)
    if settings.llm_provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url,
                          temperature=settings.llm_temperature, client_kwargs={"timeout": settings.llm_timeout_s},
                          disable_streaming=not settings.llm_streaming)
    raise BackendUnavailableError(f"未知的大模型提供方：{settings.llm_provider}")


def build_llm_engine(settings: Settings) -> LLMEngine | None:
    """The LLM engine for the configured provider, or None when ASSISTANT_LLM_PROVIDER is `none`."""
    if settings.llm_provider == "none":
        return None
    return LLMEngine(settings, build_chat_model(settings))
