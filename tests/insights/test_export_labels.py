"""Exported catalogues carry the AI-generated content label: implicit (GB 45438-2025 `AIGC`) and visible."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from assistant.insights.catalogue import build_catalogue
from assistant.insights.export import COLUMNS, export_catalogue
from assistant.insights.frame import Frame
from assistant.labels import AI_LABEL


def test_every_export_format_carries_the_label(hand_frame: Frame) -> None:
    catalogue = build_catalogue(hand_frame, min_postings=1)
    rows = list(csv.reader(io.StringIO(export_catalogue(catalogue, "csv").decode("utf-8-sig"))))
    column = COLUMNS.index("AIGC")
    labels = {row[column] for row in rows[1:]}
    assert len(labels) == 1 and json.loads(labels.pop())["Label"] == "1"

    book = load_workbook(io.BytesIO(export_catalogue(catalogue, "xlsx")))
    assert json.loads(book.custom_doc_props["AIGC"].value)["ContentProducer"] == "人才 AI 管家"
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert about["内容标识"] == AI_LABEL and book.properties.description == AI_LABEL

    body = json.loads(export_catalogue(catalogue, "json"))
    assert body["ai_generated"] is True and body["ai_label"] == AI_LABEL and body["AIGC"]["Label"] == "1"
    assert body["entries"]  # the catalogue itself is unchanged
