"""Read the YAML data files packaged beside the vocabulary modules."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_yaml(name: str) -> Any:
    """The parsed content of assistant/vocab/`name`, read once (callers must not mutate it)."""
    return yaml.safe_load(resources.files("assistant.vocab").joinpath(name).read_text(encoding="utf-8"))
