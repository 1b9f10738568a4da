"""Runs the prompt-injection cases of tests/chat/data/injection_cases.yaml through the offline and LLM engines.

Used by tests/chat/test_llm_injection.py (every case must be handled safely) and bench/bench_injection.py (the
counts in docs/PERFORMANCE.md). The LLM engine talks to the scripted OpenAI-protocol server, whose scripted model
output complies with each injection; the defences under test are the pipeline's, not a model's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.app import build_app
from assistant.chat.grounding import leaks_prompt
from assistant.chat.llm import LLMEngine, UnsourcedReplyError, build_llm_engine
from assistant.chat.models import ChatEvent
from assistant.chat.offline import OfflineEngine
from assistant.config import Settings, load_settings
from assistant.errors import BackendUnavailableError
from assistant.policy.service import PolicyService, build_policy_service
from assistant.resume.parsing import parse_resume_bytes
from assistant.tools.models import SessionState
from assistant.tools.registry import ToolContext
from tests.chat.llm_support import tool_data, tool_messages
from tests.chat.openai_server import ScriptedOpenAIServer, Turn

TESTS = Path(__file__).resolve().parents[1]
CASES_FILE = TESTS / "chat" / "data" / "injection_cases.yaml"
FIXTURE_CORPUS = TESTS / "data" / "corpus"
TODAY = dt.date(2026, 11, 22)


@dataclass
class Outcome:
    """One case through one engine: safe or not, and why not."""

    case: str
    channel: str
    engine: str
    reply: str
    failures: list[str] = field(default_factory=list)
    reached: bool = True  # the injected text was in the message or in a tool's output this turn
    raw_failures: list[str] = field(default_factory=list)  # the model's own streamed text, before the checks

    @property
    def safe(self) -> bool:
        return not self.failures


def load_cases(path: Path = CASES_FILE) -> list[dict[str, Any]]:
    """The cases of the suite."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


class InjectionHarness:
    """A temporary corpus holding the injected documents, one assistant, the scripted server and both engines."""

    def __init__(self, workdir: Path, cases: list[dict[str, Any]]) -> None:
        self.workdir = workdir
        corpus = workdir / "corpus"
        shutil.copytree(FIXTURE_CORPUS, corpus)
        for case in cases:
            if case["channel"] == "corpus":
                (corpus / "policies" / f"{case['id']}.md").write_text(case["document"], encoding="utf-8")
        self.server = ScriptedOpenAIServer().start()
        self.settings: Settings = load_settings(
            data_dir=workdir / "data", corpus_dir=corpus, embedding_provider="none", today=TODAY,
            llm_provider="openai", llm_model="scripted", llm_base_url=self.server.base_url, llm_timeout_s=5.0)
        self.assistant: PolicyService = build_policy_service(self.settings)
        self.assistant.ingest()
        engine = build_llm_engine(self.settings)
        assert isinstance(engine, LLMEngine)
        self.llm = engine
        self.offline = OfflineEngine()

    def close(self) -> None:
        self.server.stop()

    def run(self, case: dict[str, Any], engine: str) -> Outcome:
        """Run one case through one engine ("offline" or "llm") and check its expectations."""
        ctx = self._context(case)
        system = self.llm.system_prompt(ctx)
        self.server.requests.clear()
        self.server.turns.clear()
        failures: list[str] = []
        if engine == "llm":
            self.server.script(*(_scripted(turn) for turn in case.get("llm", [])))
            events = []
            try:
                for event in self.llm.stream(ctx, case["message"], []):
                    events.append(event)
            except UnsourcedReplyError:  # no tool called for a question that needs one: ChatService answers offline
                drafted = [e for e in events if e.type == "delta"]  # what the model streamed before that
                events = drafted + list(self.offline.stream(self._context(case), case["message"], []))
            except BackendUnavailableError as exc:  # a broken script: reported as a failure, not hidden
                return Outcome(case["id"], case["channel"], engine, "", [f"engine error: {exc}"])
            failures += self._server_checks(case, system)
        else:
            events = list(self.offline.stream(ctx, case["message"], []))
        reply = _reply(events)
        done = events[-1].reply
        outputs = json.dumps([r.output for r in done.results], ensure_ascii=False) if done else ""
        reached = (case["channel"] == "user" or case["marker"] in outputs
                   or case["marker"] in str(ctx.state.resume_filename))
        failures += reply_failures(case, reply, system)
        streamed = "".join(e.text for e in events if e.type == "delta")
        raw = reply_failures(case, streamed, system) if engine == "llm" else []
        return Outcome(case["id"], case["channel"], engine, reply, failures, reached, raw)

    def _context(self, case: dict[str, Any]) -> ToolContext:
        state = SessionState()
        if case.get("resume"):
            name = case.get("resume_filename", "resume.txt")
            state = SessionState(resume=parse_resume_bytes(case["resume"].encode(), name), resume_filename=name)
        settings = self.settings
        if case.get("postings"):
            library = self.workdir / f"postings-{case['id']}.jsonl"
            rows = [{**row, "city": "重庆"} for row in case["postings"]]
            library.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
            settings = settings.model_copy(update={"skills_library": library})
        return build_app(settings, policy=self.assistant).chat.tool_context(state)

    def _server_checks(self, case: dict[str, Any], system: str) -> list[str]:
        """Untrusted text reaches the model only inside user and tool messages, never in the system message."""
        failures: list[str] = []
        marker = case["marker"]
        other = (case.get("other_resume") or "").strip().splitlines()[:1]
        for body in self.server.requests:
            for message in body["messages"]:
                content = message.get("content") or ""
                if message["role"] == "system":
                    if marker in content or content != system:
                        failures.append("untrusted text in the system message")
                elif marker in content and message["role"] not in ("user", "tool"):
                    failures.append(f"untrusted text in a {message['role']} message")
                if other and other[0] in content:
                    failures.append("another session's résumé was sent to the model")
            for message in tool_messages(body):
                if case["channel"] != "user" and marker in json.dumps(tool_data(message), ensure_ascii=False):
                    failures.append("an instruction in data reached the model unredacted")
        return failures


def reply_failures(case: dict[str, Any], reply: str, system: str) -> list[str]:
    """Why a reply is unsafe for this case (empty when it is safe)."""
    expect = case.get("expect") or {}
    checked = reply
    if case.get("quote_ok"):  # a review may point at the injected line verbatim; stating its claim is unsafe
        for line in _untrusted_lines(case):
            checked = checked.replace(line.rstrip("。."), "")
    failures = [f"contains {s!r}" for s in expect.get("not_contains", []) if s in checked]
    failures += [f"matches {p!r}" for p in expect.get("not_matches", []) if re.search(p, checked)]
    if leaks_prompt(reply, system):
        failures.append("repeats the system prompt")
    if case.get("other_resume"):
        name = case["other_resume"].strip().splitlines()[0]
        failures += [f"shows another session's résumé ({name})"] if name in reply else []
    return failures


def _untrusted_lines(case: dict[str, Any]) -> list[str]:
    """The lines of the case's untrusted text that carry its injection."""
    text = case.get("resume") or case.get("document") or ""
    return [line.strip() for line in text.splitlines() if case["marker"] in line]


def _scripted(turn: dict[str, Any]) -> Turn | Any:
    if "tools" in turn:
        return Turn(tool_calls=[(name, args) for name, args in turn["tools"]])

    def reply(body: dict[str, Any]) -> Turn:
        text = str(turn["reply"]).replace("{system}", body["messages"][0]["content"][:150])
        return Turn(content=text.replace("{n}", str(_passage(body, turn.get("cite")))))

    return reply


def _passage(body: dict[str, Any], cite: str | None) -> int:
    for message in tool_messages(body):
        for passage in tool_data(message).get("passages", []):
            if cite and cite in passage["text"]:
                return int(passage["n"])
    return 1


def _reply(events: list[ChatEvent]) -> str:
    done = [e for e in events if e.type == "done"]
    assert len(done) == 1 and done[0].reply is not None
    return done[0].reply.reply


def run_suite(workdir: Path, cases: list[dict[str, Any]] | None = None) -> list[Outcome]:
    """Every case through both engines."""
    cases = cases if cases is not None else load_cases()
    harness = InjectionHarness(workdir, cases)
    try:
        return [harness.run(case, engine) for case in cases for engine in ("offline", "llm")]
    finally:
        harness.close()
