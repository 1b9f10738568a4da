"""AI-generated content labels (《人工智能生成合成内容标识办法》, in force since 2025-09-01; GB 45438-2025).

The one place that defines the visible label (显式标识) shown with generated answers, rewrites and reports, the label
fields of the API responses, and the implicit label (隐式标识) written into the metadata of exported files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from pydantic import BaseModel, Field

AI_LABEL = "以上内容由人工智能生成，请以原文为准"
"""The visible label, shown after every generated answer, rewrite and report."""

PRODUCER = "人才 AI 管家"
"""The service named as ContentProducer in implicit labels."""

METADATA_KEY = "AIGC"
"""The metadata key GB 45438-2025 uses for the implicit label."""


def ai_generated_field() -> Any:
    """The `ai_generated` field of a response model (declared last, so existing fields keep their order)."""
    return Field(default=True, description="本内容由人工智能生成（《人工智能生成合成内容标识办法》）")


def ai_label_field() -> Any:
    """The `ai_label` field of a response model: the text pages and clients show."""
    return Field(default=AI_LABEL, description="页面与客户端应显示的标识文字")


class AiLabelled(BaseModel):
    """Label fields of an API response that carries generated content."""

    ai_generated: bool = ai_generated_field()
    ai_label: str = ai_label_field()


def label_fields() -> dict[str, Any]:
    """The label fields as a plain dict, for responses built by hand (`{"ai_generated": true, "ai_label": …}`)."""
    return AiLabelled().model_dump()


def with_label(text: str) -> str:
    """`text` followed by the visible label on its own paragraph (once; an empty text stays empty)."""
    stripped = text.rstrip()
    if not stripped or stripped.endswith(AI_LABEL):
        return stripped
    return f"{stripped}\n\n{AI_LABEL}"


def implicit_label(content: bytes | str, *, produced: dt.datetime | None = None,
                   producer: str = PRODUCER) -> dict[str, str]:
    """The implicit label of one generated file: GB 45438-2025's metadata fields under the key `AIGC`.

    `ProduceID` is derived from the content (SHA-256 prefix) so the same export always gets the same id.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    when = (produced or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return {
        "Label": "1",  # 1 = generated or synthesised by AI
        "ContentProducer": producer,
        "ProduceID": f"{hashlib.sha256(data).hexdigest()[:24]}-{when}",
        "ReservedCode1": "",
        "ContentPropagator": producer,
        "PropagateID": "",
        "ReservedCode2": "",
    }


def implicit_label_json(content: bytes | str, **kwargs: Any) -> str:
    """`implicit_label` as compact JSON (for metadata values that must be strings)."""
    return json.dumps(implicit_label(content, **kwargs), ensure_ascii=False, separators=(",", ":"))
