"""The catalogue as CSV (UTF-8 with BOM, so Excel reads the Chinese), XLSX (with a header sheet) and JSON.

Each carries the AI-generated content label (assistant/labels.py): the implicit label of GB 45438-2025 under the key
`AIGC` — a custom document property of the XLSX, a top-level field of the JSON, a column of the CSV (which has no
metadata) — and the visible label in the XLSX header sheet and the JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Literal

from assistant.insights.catalogue import CatalogueEntry, ShortageCatalogue
from assistant.labels import AI_LABEL, METADATA_KEY, implicit_label, implicit_label_json

Format = Literal["csv", "xlsx", "json"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
COLUMNS = ("排名", "类别", "名称", "产业链", "紧缺指数", "岗位数", "合格人才数", "薪酬溢价", "学历要求",
           "经验要求（年）", "核心技能", "年薪范围（P25–P75）", "需求集中区县", METADATA_KEY, "数据日期")
_EXPLAINED = {
    "紧缺指数": "(岗位数 + 5) ÷ (合格人才数 + 5)；大于 1 表示需求多于合格供给",
    "合格人才数": "同产业链、同职能（技能类：具备该技能）且学历、年限达到该类岗位要求中位数的人才",
    "薪酬溢价": "该类岗位年薪中位数 ÷ 全市岗位年薪中位数 − 1",
    "学历要求": "该类岗位学历要求的中位数",
    "经验要求（年）": "该类岗位最低工作年限的中位数",
    "核心技能": "该类岗位最常要求、且比其他岗位更突出（G² > 0）的技能",
    "年薪范围（P25–P75）": "岗位年薪（区间中点 × 发薪月数）的四分位区间",
    "需求集中区县": "岗位最多的区县及其占比",
    METADATA_KEY: "人工智能生成合成内容的隐式标识（GB 45438-2025 元数据字段）",
}


def _label(catalogue: ShortageCatalogue) -> str:
    return implicit_label_json(catalogue.model_dump_json())


def _row(entry: CatalogueEntry, data_date: str, label: str) -> list[object]:
    premium = "" if entry.salary_premium is None else f"{entry.salary_premium:+.1%}"
    return [entry.rank, entry.kind, entry.name, entry.chain, entry.shortage_index, entry.postings,
            entry.qualified_talents, premium, entry.education, entry.years, "、".join(entry.core_skills),
            entry.salary_range, "、".join(entry.districts), label, data_date]


def catalogue_csv(catalogue: ShortageCatalogue) -> bytes:
    """CSV with a BOM; every row carries the data date, the method is in the XLSX/JSON and docs/INSIGHTS.md."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    label = _label(catalogue)
    writer.writerows(_row(entry, catalogue.data_date, label) for entry in catalogue.entries)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def catalogue_xlsx(catalogue: ShortageCatalogue) -> bytes:
    """A workbook: sheet 说明 (title, data date, source, scope, method, column meanings) and sheet 紧缺人才目录."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Font

    label = _label(catalogue)
    book = Workbook()
    book.custom_doc_props.append(StringProperty(name=METADATA_KEY, value=label))
    book.properties.description = AI_LABEL
    about = book.active
    assert about is not None
    about.title = "说明"
    scope = "、".join(x for x in (catalogue.chain, catalogue.district) if x) or "全市、全部产业链"
    lines: list[tuple[str, str]] = [
        ("标题", catalogue.title), ("数据日期", catalogue.data_date), ("数据来源", catalogue.source),
        ("范围", scope), ("方法", catalogue.method), ("条目数", str(len(catalogue.entries))),
        ("内容标识", AI_LABEL), (METADATA_KEY, label),
    ]
    lines += [(f"列：{name}", meaning) for name, meaning in _EXPLAINED.items()]
    for key, value in lines:
        about.append([key, value])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 120
    for cell in about["A"]:
        cell.font = Font(bold=True)
    sheet = book.create_sheet("紧缺人才目录")
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in catalogue.entries:
        sheet.append(_row(entry, catalogue.data_date, label))
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMNO", (6, 6, 22, 18, 10, 8, 10, 10, 10, 12, 48, 20, 36, 12, 12),
                             strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def catalogue_json(catalogue: ShortageCatalogue) -> bytes:
    """The catalogue model as indented JSON (UTF-8, Chinese unescaped), with the label fields."""
    body = catalogue.model_dump(mode="json")
    labelled = {**body, "ai_generated": True, "ai_label": AI_LABEL,
                METADATA_KEY: implicit_label(catalogue.model_dump_json())}
    return json.dumps(labelled, ensure_ascii=False, indent=2).encode("utf-8")


def export_catalogue(catalogue: ShortageCatalogue, fmt: Format) -> bytes:
    """The catalogue in `fmt`."""
    writers = {"csv": catalogue_csv, "xlsx": catalogue_xlsx, "json": catalogue_json}
    return writers[fmt](catalogue)
