"""The offline engine: route the message, call the tools, stream the composed Chinese reply sentence by sentence."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import BaseModel

from assistant.chat import compose
from assistant.chat.models import ChatEvent, ChatMessage, ChatReply
from assistant.chat.router import Route, route
from assistant.errors import AssistantError, InvalidInputError
from assistant.policy.answering import Citation
from assistant.tools.base import ToolContext
from assistant.tools.eligibility import CheckEligibilityOutput, eligibility_text
from assistant.tools.models import ToolCall, ToolResult
from assistant.tools.policy_search import SearchPoliciesOutput
from assistant.tools.registry import TOOLS, run_tool

_TEXTS: dict[str, Callable[[BaseModel], str]] = {
    "search_policies": compose.policy_text,  # type: ignore[dict-item]
    "match_jobs": compose.jobs_text,  # type: ignore[dict-item]
    "match_talents": compose.talents_text,  # type: ignore[dict-item]
    "analyze_skills": compose.skills_text,  # type: ignore[dict-item]
    "review_resume": compose.review_text,  # type: ignore[dict-item]
    "talent_shortage": compose.shortage_text,  # type: ignore[dict-item]
    "check_eligibility": eligibility_text,  # type: ignore[dict-item]
}


class OfflineEngine:
    """No network, no model: rules pick the tools, templates phrase their results."""

    name: Literal["offline", "llm"] = "offline"

    def stream(self, ctx: ToolContext, message: str, history: list[ChatMessage]) -> Iterator[ChatEvent]:
        """Yield a "tool" event per call, "delta" chunks as each section is ready, then one "done"."""
        decision = route(message, ctx.state)
        calls: list[ToolCall] = []
        results: list[ToolResult] = []
        citations: list[Citation] = []
        parts: list[str] = []
        if not decision.calls:
            text = self._no_tool_text(decision, ctx, message)
            parts.append(text)
            yield from _deltas(text)
        for index, call in enumerate(decision.calls):
            calls.append(call)
            yield ChatEvent(type="tool", tool_call=call)
            prefix = compose.heading(call.tool) + "\n" if len(decision.calls) > 1 else ""
            try:
                result = run_tool(ctx, call)
            except AssistantError as exc:
                results.append(ToolResult(tool=call.tool, output={"error": type(exc).__name__, "detail": str(exc)}))
                text = prefix + compose.error_text(call.tool, str(exc), isinstance(exc, InvalidInputError))
            else:
                results.append(result)
                output = TOOLS[call.tool].output_model.model_validate(result.output)
                if isinstance(output, SearchPoliciesOutput | CheckEligibilityOutput):
                    citations = output.citations
                text = prefix + _TEXTS[call.tool](output)
            text = ("\n\n" if index else "") + text
            parts.append(text)
            yield from _deltas(text)
        if calls:
            ctx.state.last_tools = [call.tool for call in calls]
        reply = ChatReply(session_id="", reply="".join(parts), citations=citations, tool_calls=calls, results=results,
                          engine="offline")
        yield ChatEvent(type="done", reply=reply)

    @staticmethod
    def _no_tool_text(decision: Route, ctx: ToolContext, message: str) -> str:
        state = ctx.state
        if decision.intent == "job_detail":
            n = decision.ordinal or 0
            job = state.last_jobs[n - 1] if 1 <= n <= len(state.last_jobs) else None
            return compose.job_detail_text(job, n, len(state.last_jobs), message)
        if decision.intent == "talent_detail":
            n = decision.ordinal or 0
            talent = state.last_talents[n - 1] if 1 <= n <= len(state.last_talents) else None
            return compose.talent_detail_text(talent, n, len(state.last_talents))
        if decision.intent == "clarify" and decision.reply:
            return decision.reply
        if decision.intent == "help":
            return compose.HELP
        if decision.intent == "out_of_scope":
            return compose.OUT_OF_SCOPE
        lowered = message.lower()
        if any(word in lowered for word in ("谢", "thank")):
            return compose.THANKS
        if any(word in lowered for word in ("再见", "拜拜", "bye")):
            return "再见！祝你求职顺利。"
        return compose.GREETING


def _deltas(text: str) -> Iterator[ChatEvent]:
    for piece in compose.chunks(text):
        yield ChatEvent(type="delta", text=piece)
