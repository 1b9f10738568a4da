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
from collections.abc import Callable, Iterator
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool, StructuredTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from assistant.chat.grounding import EMPTY_REPLY, GroundedReply, SkillLists, ground_reply, leaks_prompt
from assistant.chat.local_format import render_tools
from assistant.chat.models import ChatEvent, ChatMessage, ChatReply
from assistant.chat.router import route
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
UNSOURCED_NOTICE = "大模型未调用查询工具就作答，以下改为离线检索的答案。"
UNUSED_NOTICE = "大模型的回答没有用上查询结果，以下改为离线整理的答案。"
FREE_INTENTS = ("chitchat", "help")  # what the model may answer without a tool (greetings, what it can do)
OVER_BUDGET = "（上下文已满：本轮不再提供更多工具数据，请依据已有结果作答。）"
MAX_TOOL_DATA_CHARS = 12000
_MARKER_RE = re.compile(r"\[(\d+)\]")
_CJK_RE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
_SENTENCE_END_RE = re.compile(r"[。！？；\n]")
RECURSION_LIMIT = 16  # graph steps: about seven tool rounds before the turn is given up
MAX_HISTORY_MESSAGES = 12  # earlier turns sent to the model; older ones are dropped to bound the prompt
MAX_HISTORY_CHARS = 2000
PASSAGE_MAX_CHARS = 600  # a passage shown to the model is cut at a sentence end below this
OFFLINE_ANSWER_MAX_CHARS = 300
SAFETY_TOKENS = 96  # margin for the chat template's own tokens and the estimate's error
CALL_TOKENS = 80  # what one tool-call message of the model costs
MIN_TOOL_TOKENS = 120  # below this, a tool result is replaced by OVER_BUDGET
CALL_FAILED = "调用失败"  # in the tool message of a call that failed (the model may correct it and call again)


def approx_tokens(text: str) -> int:
    """A token count that errs high for Qwen/Llama-style vocabularies: 0.8 per CJK character, 0.3 per other.

    Measured against the local Qwen2.5 tokenizer (docs/LLM.md): Chinese policy text runs 0.6–0.7 tokens per
    character, JSON and English 0.25–0.3.
    """
    cjk = len(_CJK_RE.findall(text))
    return int(cjk * 0.8 + (len(text) - cjk) * 0.3) + 1


def cut_text(text: str, max_chars: int) -> str:
    """`text` cut to at most `max_chars`, at the last sentence end when there is one in the second half."""
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(head)]
    return head[: ends[-1]] if ends and ends[-1] > max_chars // 2 else head


class _Turn:
    """What one turn's tools did: calls, results and the passages shown to the model (numbered across calls)."""

    def __init__(self, ctx: ToolContext, budget: int = 1 << 30) -> None:
        self.ctx = ctx
        self.budget = budget  # tokens left for tool messages (and the calls that ask for them) this turn
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
            return f"工具 {tool.name} {CALL_FAILED}：{exc}"
        with self._lock:
            self.calls.append(call)
            self.results.append(result)
            allowed = self.budget - CALL_TOKENS - approx_tokens(prompts(tool=tool.name, fence=self.fence, data=""))
            if allowed < MIN_TOOL_TOKENS:
                self.budget -= CALL_TOKENS
                return OVER_BUDGET
            data = redact_data(result.output, self.instructions)
            if tool.name == "search_policies":
                text = json.dumps(self._number_passages(data, allowed), ensure_ascii=False)
            else:
                text = _fit_json(data, allowed)
            self.shown.append(text)
            message = str(prompts(tool=tool.name, fence=self.fence, data=defuse_fence(text, self.fence)))
            self.budget -= CALL_TOKENS + approx_tokens(message)
        return message

    def _number_passages(self, data: dict[str, Any], allowed: int) -> dict[str, Any]:
        """The one passage format the model sees: {n, doc_id, title, text}, best first, as many as `allowed` holds.

        Passages of a second search get numbers after the first's, so that [n] stays unambiguous. A passage is cut
        at a sentence end to fit, and the grounding check compares the reply with the text as shown.
        """
        offset = len(self.passages)
        if self.offline_answer is None:
            self.offline_answer = {"answer": data.get("answer", ""), "citations": data.get("citations", [])}
        answer = _MARKER_RE.sub(lambda m: f"[{int(m.group(1)) + offset}]", str(data.get("answer", "")))
        shown: dict[str, Any] = {"question": data.get("question", ""),
                                 "offline_answer": cut_text(answer, OFFLINE_ANSWER_MAX_CHARS), "passages": []}
        left = allowed - approx_tokens(json.dumps(shown, ensure_ascii=False))
        for raw in data.get("passages", []):
            n = raw["n"] + offset
            head = approx_tokens(json.dumps({"n": n, "doc_id": raw.get("doc_id", ""), "title": raw.get("title", ""),
                                             "text": ""}, ensure_ascii=False))
            room = left - head
            if room < 40:
                break
            text = cut_text(str(raw.get("text", "")), min(PASSAGE_MAX_CHARS, int(room / 0.8)))
            passage = Passage.model_validate({**raw, "n": n, "text": text})
            self.passages[passage.n] = passage
            shown["passages"].append({"n": n, "doc_id": passage.doc_id, "title": passage.title, "text": text})
            left -= head + approx_tokens(text)
        return shown


class UnsourcedReplyError(BackendUnavailableError):
    """The model answered a question the tools exist for (a policy, a job, a skill…) without calling any of them.

    Its text then has no source: a small model answers "持金卡的人才每年体检…" or a lower figure from its own
    weights. The turn is answered by the offline engine instead, which does call the tool (a notice says so).
    """

    notice = UNSOURCED_NOTICE


class UnusedResultsError(UnsourcedReplyError):
    """The tools answered, but the model's checked reply uses none of it ("好的，我会根据你的反馈对简历进行修改。"
    after a résumé review, or nothing left after the check): the offline engine renders the same tools' results."""

    notice = UNUSED_NOTICE


class LLMEngine:
    """ChatEngine over a LangChain chat model; raises BackendUnavailableError when the model cannot answer."""

    name: Literal["offline", "llm"] = "llm"

    def __init__(self, settings: Settings, model: BaseChatModel,
                 observer: Callable[[str, GroundedReply, dict[int, str]], None] | None = None) -> None:
        self.settings = settings
        self.model = model
        # sees each turn's raw final text, its check and the passages as shown (the bench counts sentences)
        self.observer = observer

    def system_prompt(self, ctx: ToolContext) -> str:
        """The rendered system message; only trusted text (date, tool purposes, flags) goes into it."""
        tools = [{"name": t.name, "purpose": t.description.split("。")[0]} for t in TOOLS.values()]
        return render_prompt(self.settings.prompts_dir, "system.j2", today=ctx.settings.current_date().isoformat(),
                             tools=tools, has_resume=ctx.state.resume is not None)

    def stream(self, ctx: ToolContext, message: str, history: list[ChatMessage]) -> Iterator[ChatEvent]:
        """Run the agent: "tool" events as the model calls tools, "delta" tokens, then one checked "done"."""
        from langchain.agents import create_agent

        system = self.system_prompt(ctx)
        budget = (self.settings.llm_context_tokens - self.settings.llm_max_tokens - SAFETY_TOKENS
                  - approx_tokens(system) - tools_tokens() - approx_tokens(message))
        earlier = _history_messages(history, budget // 3)
        turn = _Turn(ctx, budget - sum(approx_tokens(_text(m)) + 4 for m in earlier))
        routed = route(message, ctx.state)
        needs_tool = routed.intent not in FREE_INTENTS
        # the first call: the tool the offline router would call; None (nothing routed: an out-of-scope message,
        # a question about an earlier result) leaves it to the model ("required" there made it call anything)
        first: str | None = None
        if self.settings.llm_require_tool and self.settings.llm_provider == "openai":
            first = next((name for name in routed.tools if name in TOOLS), None)
        agent = create_agent(self.model, _bind_tools(turn, self.settings), system_prompt=system,
                             middleware=[_tool_rounds(self.settings.llm_tool_rounds, first)])
        inputs: Any = {"messages": [*earlier, HumanMessage(content=message)]}
        final = ""
        called = 0
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
                            called += len(msg.tool_calls)  # also those whose arguments fail validation
                            for call in msg.tool_calls:
                                yield ChatEvent(type="tool", tool_call=ToolCall(tool=call["name"], input=call["args"]))
                            if not msg.tool_calls:
                                final = _text(msg)
        except provider_errors() as exc:  # a provider that fails degrades to the offline engine
            raise unavailable(exc) from exc
        if not called and not leaks_prompt(final, system) and needs_tool:
            log.info("the model answered without a tool; the offline engine answers instead")
            raise UnsourcedReplyError(UNSOURCED_NOTICE)
        checked = ground_reply(
            final, turn.passages.values(), "\n".join([message, *turn.shown]), system,
            policy_searched=any(c.tool == "search_policies" for c in turn.calls),
            other_tools_used=any(c.tool != "search_policies" for c in turn.calls),
            forbidden=[*turn.instructions, *instruction_sentences(message)],
            fallback_text=(turn.offline_answer or {}).get("answer"),
            fallback_citations=_citations((turn.offline_answer or {}).get("citations", [])),
            skills=SkillLists.from_outputs(r.output for r in turn.results if r.tool != "search_policies"),
        )
        if checked.text == EMPTY_REPLY and not turn.calls and needs_tool:
            # every call the model tried failed and it then said nothing usable ("malformed" in bench_llm c05, c16)
            raise UnsourcedReplyError(UNSOURCED_NOTICE)
        job_outputs = [r.output for r in turn.results if r.tool != "search_policies"]
        if needs_tool and job_outputs and not checked.fell_back and (
                checked.text == EMPTY_REPLY or not mentions_output(checked.text, job_outputs)):
            log.info("the model's reply uses none of the tools' results; the offline engine answers instead")
            raise UnusedResultsError(UNUSED_NOTICE)
        if checked.removed:
            log.info("grounding removed %d sentence(s)", len(checked.removed))
        if self.observer is not None:
            self.observer(final, checked, {n: p.text for n, p in turn.passages.items()})
        reply = ChatReply(session_id="", reply=checked.text, citations=checked.citations, tool_calls=turn.calls,
                          results=turn.results, engine="llm")
        yield ChatEvent(type="done", reply=reply)


def mentions_output(text: str, outputs: list[dict[str, Any]]) -> bool:
    """True when the reply names something of the tools' outputs: a title, skill, company, name or figure."""
    return any(value in text for value in _output_values(outputs))


def _output_values(data: Any) -> set[str]:
    if isinstance(data, dict):
        return {v for value in data.values() for v in _output_values(value)}
    if isinstance(data, list):
        return {v for value in data for v in _output_values(value)}
    if isinstance(data, str) and 2 <= len(data) <= 24 and _CJK_RE.search(data) or (
            isinstance(data, str) and 3 <= len(data) <= 24 and data.isascii() and data.strip()):
        return {data}
    if isinstance(data, int | float) and not isinstance(data, bool) and data >= 10:
        return {str(round(data)) if float(data).is_integer() else str(data)}
    return set()


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


def _tool_rounds(rounds: int, first: str | None) -> Any:
    """Middleware: the first reply is a call of the tool `first` unless it is None; after `rounds` rounds that
    returned data, no tools.

    The local 1.5B model answered 20 of 25 bench turns from its own weights ("中级工证书…每学时50元") when a tool
    call was optional, picked a wrong tool for 3 of the first 6 policy questions when any call was required, and,
    shown the passages it had asked for, mostly called the same search again (or answered "\n"). So its first
    reply is a call of the tool the offline router picked (tool_choice names it; the model writes the arguments),
    and once the tools have answered it is asked without tools, so that it answers from their messages. A
    round whose calls all failed (bad arguments) does not count: the model may still correct its call.
    """
    from langchain.agents.middleware import wrap_model_call

    @wrap_model_call
    def tool_rounds(request: Any, handler: Callable[[Any], Any]) -> Any:
        if request.tools:
            done = successful_rounds(request.messages)
            if done >= rounds:
                request = request.override(tools=[])
            elif first is not None and not _since_user(request.messages, AIMessage):  # its first reply of the turn
                request = request.override(tool_choice=first)
        return handler(request)

    return tool_rounds


def _since_user(messages: list[BaseMessage], kind: type[BaseMessage]) -> list[BaseMessage]:
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1) + 1
    return [m for m in messages[start:] if isinstance(m, kind)]


def successful_rounds(messages: list[BaseMessage]) -> int:
    """Tool-call rounds since the user's last message with at least one call that returned data."""
    ok_ids = {m.tool_call_id for m in _since_user(messages, ToolMessage)
              if isinstance(m, ToolMessage) and m.status != "error" and CALL_FAILED not in _text(m)[:40]}
    return sum(1 for m in _since_user(messages, AIMessage)
               if isinstance(m, AIMessage) and any(call.get("id") in ok_ids for call in m.tool_calls))


def _history_messages(history: list[ChatMessage], budget: int = 1 << 30) -> list[BaseMessage]:
    """The most recent earlier messages that fit `budget` tokens (the oldest dropped first)."""
    kept: list[BaseMessage] = []
    for m in reversed(history[-MAX_HISTORY_MESSAGES:]):
        content = m.content[:MAX_HISTORY_CHARS]
        cost = approx_tokens(content) + 4
        if cost > budget:
            break
        budget -= cost
        kept.append(HumanMessage(content=content) if m.role == "user" else AIMessage(content=content))
    return kept[::-1]


def tools_tokens() -> int:
    """What the tools' descriptions cost in the prompt, as the compact Qwen2.5 tool format renders them."""
    specs = [convert_to_openai_tool(StructuredTool.from_function(func=_noop, name=t.name, description=t.description,
                                                                 args_schema=t.input_model)) for t in TOOLS.values()]
    return approx_tokens(render_tools(specs))


def _noop(**_: Any) -> str:
    return ""


def _fit_json(data: Any, allowed: int) -> str:
    """A tool's JSON output, cut to `allowed` tokens (rarely needed: tool outputs are compact)."""
    text = json.dumps(data, ensure_ascii=False)[:MAX_TOOL_DATA_CHARS]
    while approx_tokens(text) > allowed and len(text) > 200:
        text = text[: int(len(text) * 0.8)]
    return text


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
                          max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
                          disable_streaming=not settings.llm_streaming, stream_usage=False)
    if settings.llm_provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url,
                          temperature=settings.llm_temperature, client_kwargs={"timeout": settings.llm_timeout_s},
                          num_ctx=settings.llm_context_tokens, num_predict=settings.llm_max_tokens,
                          disable_streaming=not settings.llm_streaming)
    raise BackendUnavailableError(f"未知的大模型提供方：{settings.llm_provider}")


def build_llm_engine(settings: Settings) -> LLMEngine | None:
    """The LLM engine for the configured provider, or None when ASSISTANT_LLM_PROVIDER is `none`."""
    if settings.llm_provider == "none":
        return None
    return LLMEngine(settings, build_chat_model(settings))
