"""Places: Chongqing's districts (from the catalogue), their pinyin (places.yaml), and regions outside Chongqing."""

from __future__ import annotations

import re
from functools import cache

from assistant.vocab._data import load_yaml
from assistant.vocab.catalogue import load_catalogue

PINYIN_DISTRICTS: dict[str, str] = {str(k): str(v) for k, v in load_yaml("places.yaml")["pinyin_districts"].items()}
OTHER_REGIONS: tuple[str, ...] = tuple(str(place) for place in load_yaml("places.yaml")["other_regions"])


@cache
def district_names() -> list[str]:
    """The catalogue's districts, longest name first (for matching)."""
    return sorted(load_catalogue().districts, key=len, reverse=True)


def find_district(text: str) -> str | None:
    """The Chongqing district a text names ("渝北" or "Yubei" → 渝北区), if any."""
    lowered = text.lower()
    for word, name in PINYIN_DISTRICTS.items():
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered):
            return name
    for name in district_names():
        short = name.removesuffix("新区").removesuffix("区")
        if name in text or (len(short) >= 2 and short in text):
            return name
    return None


def find_other_region(text: str) -> str | None:
    """A place outside Chongqing that a text names (北京, 四川省 …), if any."""
    return next((place for place in OTHER_REGIONS if place in text), None)
