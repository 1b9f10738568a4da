"""Render the Jinja2 prompt files of `prompts/` (the folder named by settings); no prompt text lives in code."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from assistant.errors import BackendUnavailableError

_DECLARED_RE = re.compile(r"Variables:\s*(.+?)\.?\s*$", re.M)


@lru_cache(maxsize=8)
def _environment(prompts_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(prompts_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=False,
    )


def render_prompt(prompts_dir: Path, name: str, **variables: Any) -> str:
    """The prompt `name` (e.g. "system.j2") rendered with `variables`; a missing variable is an error."""
    try:
        template = _environment(prompts_dir.resolve()).get_template(name)
        return template.render(**variables).strip()
    except jinja2.TemplateNotFound as exc:
        raise BackendUnavailableError(f"找不到提示词文件 {name}（目录 {prompts_dir}）。") from exc
    except jinja2.UndefinedError as exc:
        raise BackendUnavailableError(f"提示词 {name} 缺少变量：{exc.message}") from exc


def declared_variables(prompts_dir: Path, name: str) -> set[str]:
    """The variables a prompt file declares in its header comment ("Variables: a (str), b (list) …")."""
    source = (prompts_dir / name).read_text(encoding="utf-8")
    match = _DECLARED_RE.search(source)
    if match is None:
        return set()
    return {part.strip().split(" ")[0] for part in re.split(r",\s*(?![^()]*\))", match.group(1)) if part.strip()}


def used_variables(prompts_dir: Path, name: str) -> set[str]:
    """The variables a prompt file actually reads (Jinja2's own analysis)."""
    environment = _environment(prompts_dir.resolve())
    source = (prompts_dir / name).read_text(encoding="utf-8")
    return set(meta.find_undeclared_variables(environment.parse(source)))
