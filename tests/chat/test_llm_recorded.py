"""Recorded raw completions of the real local model, replayed through the code the local server runs.

`tests/data/llm_recorded/*.json` hold what Qwen2.5-Coder-1.5B-Instruct (4-bit, llama.cpp) generated in
`bench.bench_llm` for a few conversations: raw text, before any parsing. The scripted loopback server answers each
request by rendering it with `local_format.render` and parsing the recorded text with `local_format.parse_completion`
(`complete_chat`, exactly as `assistant llm serve-local` does), so the real ChatOpenAI client, the agent loop, the
tools and the grounding check see what they saw against the model. No model is needed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.app import build_app
from assistant.chat.llm import UNSOURCED_NOTICE, LLMEngine, approx_tokens, build_llm_engine
from assistant.chat.local_format import Generation, complete_chat, parse_completion, render
from assistant.chat.local_model import fill_null_content
from assistant.chat.service import ChatService
from assistant.config import load_settings
from assistant.jobs.library import build_library, library_dir
from assistant.policy.service import PolicyService, build_policy_service
from tests.chat.openai_server import ScriptedOpenAIServer, Turn

REPO = Path(__file__).resolve().parents[2]
RECORDED = REPO / "tests" / "data" / "llm_recorded"
FIXTURES = sorted(RECORDED.glob("*.json"))
TOOLS = {"search_policies", "match_jobs", "match_talents", "analyze_skills", "review_resume", "talent_shortage"}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def replay(raw: str, prompts: list[str]) -> Callable[[dict[str, Any]], Turn]:
    """A scripted turn that renders the request and parses `raw` as the local server would."""

    def turn(body: dict[str, Any]) -> Turn:
        response = complete_chat(body, lambda prompt, max_tokens, temperature: Generation(text=raw))
        prompts.append(render(body["messages"], body.get("tools")))
        message = response["choices"][0]["message"]
        calls = [(c["function"]["name"], json.loads(c["function"]["arguments"])) for c in message.get("tool_calls", [])]
        return Turn(content=message["content"] or "", tool_calls=calls)

    return turn


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> PolicyService:
    """The bench's world: the demo corpus (BM25), a 400 + 400 library (seed 2024), the bench's date and top_k."""
    fixture = load(FIXTURES[0]) if FIXTURES else {"settings": {}}
    root = tmp_path_factory.mktemp("llm-recorded")
    size = int(fixture["settings"].get("library_size", 400))
    build_library(library_dir(root), size, size, seed=2024)
    settings = load_settings(data_dir=root, embedding_provider="none", corpus_dir=REPO / "corpus" / "documents",
                             **{k: v for k, v in fixture["settings"].items() if k != "library_size"})
    built = build_policy_service(settings)
    built.ingest(build_vectors=False)
    return built


@pytest.fixture
def service(world: PolicyService, server: ScriptedOpenAIServer) -> Iterator[ChatService]:
    settings = world.settings.model_copy(update={"llm_provider": "openai", "llm_model": "recorded",
                                                 "llm_base_url": server.base_url, "llm_timeout_s": 5.0,
                                                 "llm_streaming": False})
    engine = build_llm_engine(settings)
    assert isinstance(engine, LLMEngine)
    chat = build_app(settings, policy=world).chat.with_engine(engine)
    yield chat
    chat.store.close()


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_recorded_completions_give_the_same_tool_calls_and_answer(
    path: Path, service: ChatService, server: ScriptedOpenAIServer
) -> None:
    fixture = load(path)
    prompts: list[str] = []
    if fixture.get("engine_settings"):  # recorded under other engine settings (e.g. before tool calls were required)
        engine = service.llm
        assert isinstance(engine, LLMEngine)
        settings = engine.settings.model_copy(update=fixture["engine_settings"])
        service = service.with_engine(LLMEngine(settings, engine.model))
    server.script(*[replay(raw, prompts) for raw in fixture["completions"]])
    session = None
    if fixture.get("resume"):
        session, _ = service.upload_resume(None, "t", (REPO / fixture["resume"]).read_bytes(), "resume.txt")
    reply = service.turn(session, fixture["message"], "t")
    expect = fixture["expect"]

    assert [c.tool for c in reply.tool_calls] == expect["tools"]
    assert reply.engine == expect.get("engine", "llm")
    assert reply.notice == (UNSOURCED_NOTICE if expect.get("unsourced") else None)
    for text in expect.get("reply_contains", []):
        assert text in reply.reply
    for text in expect.get("reply_lacks", []):
        assert text not in reply.reply
    assert len(reply.citations) == expect.get("citations", 0)
    assert len(server.requests) == len(fixture["completions"])
    for later in prompts[1:]:  # the tool's result reaches the model inside Qwen's <tool_response> (the bug fixed)
        assert "<tool_response>" in later and "<tool_call>" in later
    for body in server.requests:  # the context budget: never more than the 4k-token window with the answer
        reserved = int(body.get("max_tokens") or body.get("max_completion_tokens") or 0)
        assert approx_tokens(render(body["messages"], body.get("tools"))) + reserved <= 4096


def test_recorded_fixtures_are_there() -> None:
    assert len(FIXTURES) >= 2, "tests/data/llm_recorded/ should hold the recorded completions"


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_each_recorded_completion_parses_as_the_model_meant(path: Path) -> None:
    fixture = load(path)
    calls = [parse_completion(raw, TOOLS) for raw in fixture["completions"]]
    model_tools = fixture["expect"].get("model_tools", fixture["expect"]["tools"])  # before any offline fallback
    assert [c.tool_calls[0]["function"]["name"] for c in calls if c.tool_calls] == model_tools
    assert not any(c.malformed for c in calls)
    assert calls[-1].content and not calls[-1].tool_calls  # the last completion is the answer


@pytest.mark.parametrize(("raw", "names", "content", "malformed"), [
    ('<tool_call>\n{"name": "search_policies", "arguments": {"question": "博士后补贴"}}\n</tool_call>',
     ["search_policies"], "", 0),
    ('```json\n{"name": "match_jobs", "arguments": {"target_role": "电池研发"}}\n```', ["match_jobs"], "", 0),
    ('<tool_call>\n{"name": "search_policies", "arguments": {"question": "博士后补贴"\n</tool_call>', [], "", 1),
    ('<tool_call>\n{"name": "delete_everything", "arguments": {}}\n</tool_call>', [], "", 1),
    ("博士后在站每年12万元[1]。", [], "博士后在站每年12万元[1]。", 0),
    ('<tool_call>\n{"name": "analyze_skills", "arguments": "{\\"target_job\\": \\"数据分析师\\"}"}', ["analyze_skills"],
     "", 0),
    # the real model's slips (bench/bench_llm.py, 2026-12-03): the tools block's tag instead of <tool_call>, cut off
    ('<tools>\n{"name": "match_jobs", "arguments": {"target_role": "电池研发", "degree": "硕士"}}',
     ["match_jobs"], "", 0),
    ("<tools></tools>", [], "", 1),
])
def test_parsing_of_raw_completions(raw: str, names: list[str], content: str, malformed: int) -> None:
    parsed = parse_completion(raw, TOOLS)
    assert [c["function"]["name"] for c in parsed.tool_calls] == names
    assert parsed.content == content and len(parsed.malformed) == malformed


def test_tool_messages_are_rendered_in_qwens_format() -> None:
    messages = [{"role": "system", "content": "系统"}, {"role": "user", "content": "博士后有什么补贴？"},
                {"role": "assistant", "content": None, "tool_calls": [
                    {"id": "c1", "type": "function",
                     "function": {"name": "search_policies", "arguments": '{"question": "博士后补贴"}'}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "段落[1]：每人每年12万元。"}]
    tools = [{"type": "function", "function": {"name": "search_policies", "description": "查询政策。更多说明。",
                                               "parameters": {"type": "object", "title": "X",
                                                              "properties": {"question": {"type": "string",
                                                                                          "title": "Q"}},
                                                              "required": ["question"]}}}]
    prompt = render(messages, tools)
    assert prompt.startswith("<|im_start|>system\n系统\n\n# Tools") and prompt.endswith("<|im_start|>assistant\n")
    assert '"description":"查询政策。"' in prompt and '"title"' not in prompt  # compact: first sentence, no titles
    assert '<tool_call>\n{"name": "search_policies", "arguments": {"question": "博士后补贴"}}\n</tool_call>' in prompt
    assert "<|im_start|>user\n<tool_response>\n段落[1]：每人每年12万元。\n</tool_response><|im_end|>" in prompt


def test_a_null_content_reaches_llama_cpp_as_empty_text() -> None:
    """LangChain sends `"content": null` with a tool call; llama-cpp-python's schema answered that with a 500."""
    body = json.dumps({"model": "m", "messages": [
        {"role": "user", "content": "博士后有什么补贴？"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
            "name": "search_policies", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "段落"}]}).encode()
    fixed = json.loads(fill_null_content(body))
    assert [m["content"] for m in fixed["messages"]] == ["博士后有什么补贴？", "", "段落"]
    assert fixed["messages"][1]["tool_calls"][0]["function"]["name"] == "search_policies"
    assert fill_null_content(b"not json") == b"not json"


def test_a_required_tool_call_is_begun_for_the_model() -> None:
    """tool_choice "required": the assistant turn starts as a call, the model only continues it (the 1.5B model
    answered most policy questions from its weights when the call was optional)."""
    prompts: list[str] = []

    def generate(prompt: str, max_tokens: int, temperature: float) -> Generation:
        prompts.append(prompt)
        return Generation(text='search_policies", "arguments": {"question": "博士后在站补贴"}}\n</tool_call>')

    tools = [{"type": "function", "function": {"name": "search_policies", "description": "查政策。",
                                               "parameters": {"type": "object", "properties": {}}}}]
    body = {"messages": [{"role": "user", "content": "博士后在站有补贴吗？"}], "tools": tools,
            "tool_choice": "required"}
    message = complete_chat(body, generate)["choices"][0]["message"]
    assert prompts[0].endswith('<|im_start|>assistant\n<tool_call>\n{"name": "')
    assert message["tool_calls"][0]["function"]["name"] == "search_policies"
    optional = complete_chat({**body, "tool_choice": None}, generate)
    assert prompts[1].endswith("<|im_start|>assistant\n") and not optional["choices"][0]["message"].get("tool_calls")


def test_a_named_tool_call_is_begun_with_its_first_argument() -> None:
    """Begun only as `"arguments": ` the 1.5B model wrote `1}`: the object and its first required key are given."""
    prompts: list[str] = []

    def generate(prompt: str, max_tokens: int, temperature: float) -> Generation:
        prompts.append(prompt)
        return Generation(text='博士后在站补贴"}}\n</tool_call>')

    tools = [{"type": "function", "function": {"name": "search_policies", "description": "查政策。", "parameters": {
        "type": "object", "properties": {"question": {"type": "string"}}, "required": ["question"]}}}]
    body = {"messages": [{"role": "user", "content": "博士后在站有补贴吗？"}], "tools": tools,
            "tool_choice": {"type": "function", "function": {"name": "search_policies"}}}
    message = complete_chat(body, generate)["choices"][0]["message"]
    assert prompts[0].endswith('<tool_call>\n{"name": "search_policies", "arguments": {"question": "')
    assert json.loads(message["tool_calls"][0]["function"]["arguments"]) == {"question": "博士后在站补贴"}
