"""The AI-generated content label: one text, appended once, and GB 45438-2025's implicit-label fields."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

from assistant.chat.models import ChatReply
from assistant.evaluation.golden import load_golden
from assistant.evaluation.report import render_html
from assistant.evaluation.runner import run_questions
from assistant.labels import AI_LABEL, implicit_label, implicit_label_json, label_fields, with_label
from assistant.policy.service import PolicyService

MINI = Path(__file__).resolve().parent / "data" / "golden-mini.yaml"


def test_the_visible_label_is_the_measures_wording_and_is_added_once() -> None:
    assert AI_LABEL == "以上内容由人工智能生成，请以原文为准"
    labelled = with_label("博士研究生每月补贴2000元[1]。\n")
    assert labelled == f"博士研究生每月补贴2000元[1]。\n\n{AI_LABEL}"
    assert with_label(labelled) == labelled and with_label("  ") == ""


def test_api_models_carry_the_label_fields() -> None:
    assert label_fields() == {"ai_generated": True, "ai_label": AI_LABEL}
    body = ChatReply(session_id="s", reply="你好").model_dump()
    assert body["ai_generated"] is True and body["ai_label"] == AI_LABEL


def test_implicit_label_has_the_standards_fields_and_a_stable_content_id() -> None:
    when = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)
    label = implicit_label("目录内容", produced=when)
    assert list(label) == ["Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator",
                           "PropagateID", "ReservedCode2"]
    assert label["Label"] == "1" and label["ContentProducer"] == "人才 AI 管家"
    assert label["ProduceID"] == implicit_label("目录内容".encode(), produced=when)["ProduceID"]
    assert label["ProduceID"] != implicit_label("别的内容", produced=when)["ProduceID"]
    assert label["ProduceID"].endswith("20261203T080000Z")
    assert json.loads(implicit_label_json("目录内容", produced=when)) == label


def test_the_evaluation_report_is_labelled(bm25_assistant: PolicyService) -> None:
    run, _ = run_questions(bm25_assistant, load_golden(MINI), "mini")
    page = render_html(run)
    meta = re.search(r'<meta name="AIGC" content="([^"]+)">', page)
    assert meta is not None and json.loads(html.unescape(meta.group(1)))["Label"] == "1"
    assert f'<p class="ai-label">{AI_LABEL}</p>' in page
