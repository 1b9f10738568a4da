"""The reviewable sidecar `<document file>.conditions.yaml` beside each corpus document.

Extraction writes it; staff may correct it (and mark it reviewed); a reviewed sidecar is never overwritten, and an
unreviewed one is rewritten only when the document's bytes change.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.eligibility.models import ConditionSet
from assistant.errors import InvalidInputError

SUFFIX = ".conditions.yaml"
HEADER = ("# Eligibility conditions read from the document beside this file (assistant eligibility extract).\n"
          "# Staff may correct them; set `reviewed: true` and re-ingest keeps them as they are.\n")


def sidecar_path(document: Path) -> Path:
    """Where a document's conditions live."""
    return document.with_name(document.name + SUFFIX)


def read_sidecar(path: Path) -> ConditionSet | None:
    """The sidecar's conditions, or None when there is none or it cannot be read (it is then re-extracted)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        return ConditionSet.model_validate(data)
    except ValidationError:
        return None


def parse_sidecar_text(text: str) -> ConditionSet:
    """A sidecar as staff typed it; a clear error when it is not valid YAML of the schema."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInputError(f"条件文件不是有效的 YAML：{str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise InvalidInputError("条件文件应是一个对象（doc_id、conditions …）。")
    try:
        return ConditionSet.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "（整体）"
        raise InvalidInputError(f"条件文件字段无效：{where}：{first['msg']}") from exc


def dump_sidecar(conditions: ConditionSet) -> str:
    """The YAML text of a condition set (unset fields left out, so that it stays short to review)."""
    data = conditions.model_dump(mode="json", exclude_none=True)
    for condition in data.get("conditions", []):
        for key in ("op", "role", "track", "group"):
            if condition.get(key) in ("", "required", "gate"):
                condition.pop(key)
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def write_sidecar(path: Path, conditions: ConditionSet) -> None:
    """Write atomically (a crash leaves the old sidecar or the new one, never half of one)."""
    text = dump_sidecar(conditions)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".conditions-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
