"""The offline router's tool choice on the labelled messages of tests/chat/data/router_cases.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.chat.router import route
from assistant.policy.answering import clean_question
from assistant.resume.models import ParsedResume, ResumeLine
from assistant.tools.models import JobBrief, SessionState, TalentBrief

CASES = yaml.safe_load((Path(__file__).parent / "data" / "router_cases.yaml").read_text(encoding="utf-8"))


def state_of(spec: dict[str, Any] | None) -> SessionState:
    """A session state as a case describes it."""
    state = SessionState()
    spec = spec or {}
    if spec.get("resume"):
        state.resume = ParsedResume(source="cv.txt", format="txt", lines=[ResumeLine(number=1, text="王一凡")])
    state.last_tools = spec.get("last_tools", [])
    state.last_jobs = [JobBrief(rank=i, id=f"J{i}", title="岗位", salary="面议", score=0.5)
                       for i in range(1, spec.get("last_jobs", 0) + 1)]
    state.last_talents = [TalentBrief(rank=i, id=f"T{i}", name="人才", score=0.5)
                          for i in range(1, spec.get("last_talents", 0) + 1)]
    if spec.get("last_match"):
        state.last_match_tool = spec["last_match"]
        state.last_match = (
            {"target_role": "电池系统工程师"} if spec["last_match"] == "match_jobs" else {"title": "工程师"}
        )
    state.policy_history = [clean_question(q, 2000) for q in spec.get("policy_history", [])]
    state.target_job = spec.get("target_job")
    return state


def correct(case: dict[str, Any]) -> bool:
    """True when the router chose exactly the labelled tools (or the labelled no-tool intent) and pinned inputs."""
    message = clean_question(case["message"], 2000)  # as ChatService hands it to the engine (NFKC)
    decision = route(message, state_of(case.get("state")))
    if "tools" in case:
        ok = sorted(decision.tools) == sorted(case["tools"])
    else:
        ok = decision.intent == case["intent"] and not decision.calls
    for tool, fields in (case.get("input") or {}).items():
        call = next((c for c in decision.calls if c.tool == tool), None)
        ok = ok and call is not None and all(call.input.get(k) == clean_question(v, 2000) if isinstance(v, str)
                                             else call.input.get(k) == v for k, v in fields.items())
    return ok


def test_the_labelled_set_is_large_and_varied() -> None:
    assert len(CASES) >= 80
    labels = {tool for case in CASES for tool in case.get("tools", [])} | {c["intent"] for c in CASES if "intent" in c}
    assert labels >= {"search_policies", "match_jobs", "match_talents", "analyze_skills", "review_resume",
                      "talent_shortage", "job_detail", "chitchat", "out_of_scope"}
    assert sum(len(case.get("tools", [])) > 1 for case in CASES) >= 5  # combined messages


def test_router_accuracy_is_at_least_95_percent() -> None:
    wrong = [case["message"] for case in CASES if not correct(case)]
    accuracy = 1 - len(wrong) / len(CASES)
    print(f"router accuracy {accuracy:.3f} on {len(CASES)} messages; wrong: {wrong}")
    assert accuracy >= 0.95, wrong


def test_a_combined_message_fills_both_tools_from_the_words() -> None:
    decision = route("我是机械专业硕士，想做新能源汽车电池研发，有什么岗位和政策？", SessionState())
    jobs, policy = decision.calls
    assert jobs.tool == "match_jobs" and jobs.input["degree"] == "硕士"
    assert jobs.input["target_role"] == "新能源汽车电池研发" and "机械" in jobs.input["major"]
    assert policy.tool == "search_policies" and "硕士" in policy.input["question"]


def test_a_standalone_question_is_not_rewritten() -> None:
    state = state_of({"last_tools": ["search_policies"], "policy_history": ["博士研究生租房补贴每月多少钱？"]})
    decision = route("本科毕业生购房有补贴吗？", state)
    assert decision.calls[0].input["question"] == "本科毕业生购房有补贴吗？"
