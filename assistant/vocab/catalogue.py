"""The job catalogue (catalogue.yaml): Chongqing's districts and regions, industries, chains, functions and titles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from assistant.vocab._data import load_yaml


@dataclass(frozen=True)
class Catalogue:
    """Districts, industries, functions, skills: the generator's and the lookups' vocabulary (from catalogue.yaml)."""

    raw: dict

    @property
    def districts(self) -> list[str]:
        return list(self.raw["districts"])

    def region(self, district: str) -> str:
        entry = self.raw["districts"].get(district)
        return entry[0] if entry else ""

    @property
    def industries(self) -> list[str]:
        return list(self.raw["industries"])

    def industry(self, name: str) -> dict:
        return self.raw["industries"][name]

    def role_skills(self, industry: str, function: str, title: str) -> dict[str, float]:
        """The skills a posting of this role names, with their probabilities (role_profiles.yaml)."""
        entry = load_yaml("role_profiles.yaml")[industry][function]
        if title in entry and isinstance(entry[title], dict):
            return dict(entry[title])
        return dict(entry)


@cache
def load_catalogue() -> Catalogue:
    """Read the packaged catalogue.yaml once."""
    return Catalogue(load_yaml("catalogue.yaml"))
