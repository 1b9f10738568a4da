"""Hand-written word lists for résumé fields and entities.

They live in lexicon.yaml; written by us, not derived from any data set.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from assistant.resume.models import SectionKey
from assistant.vocab.education import DEGREE_RANK as DEGREE_RANK
from assistant.vocab.education import DEGREE_WORDS as DEGREE_WORDS

# DEGREE_RANK and DEGREE_WORDS come from the one education scale (vocab/education.yaml).


@cache
def _load() -> dict[str, Any]:
    return yaml.safe_load(resources.files("assistant.resume").joinpath("lexicon.yaml").read_text(encoding="utf-8"))


def _words(key: str) -> tuple[str, ...]:
    return tuple(str(word) for word in _load()[key])


def _longest_first(key: str) -> tuple[str, ...]:
    return tuple(sorted(_words(key), key=len, reverse=True))


SURNAMES = frozenset("".join(str(_load()["surnames"]).split()))
COMPOUND_SURNAMES = _words("compound_surnames")
ETHNIC_GROUPS = list(_words("ethnic_groups"))
COUNTRIES = list(_words("countries"))
PROVINCES = _words("provinces")
ORG_SUFFIXES = _longest_first("org_suffixes")
STRONG_ORG_SUFFIXES = _longest_first("strong_org_suffixes")
SPECIAL_ORGS = _words("special_orgs")
TITLE_HEADS = _longest_first("title_heads")
# title_heads plus the heads only the entity tagger uses.
ENTITY_TITLE_HEADS = tuple(sorted({*_words("title_heads"), *_words("entity_title_heads")}, key=lambda w: (-len(w), w)))
TITLE_MODIFIERS = _longest_first("title_modifiers")
SPECIAL_TITLES = _words("special_titles")
DEPARTMENT_STEMS = _longest_first("department_stems")
ACTION_VERBS = list(_words("action_verbs"))
WEAK_OPENINGS = _words("weak_openings")
VAGUE_DUTY_WORDS = _words("vague_duty_words")
# Section heading (lower-case) → the section it opens.
SECTION_HEADINGS: dict[str, SectionKey] = {
    str(word): key for key, words in _load()["section_headings"].items() for word in words}
