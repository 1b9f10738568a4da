"""Places: Chongqing's districts (from the catalogue), their pinyin (places.yaml), regions outside Chongqing, and
which places a set of document regions (a corpus's coverage) covers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from assistant.vocab._data import load_yaml
from assistant.vocab.catalogue import load_catalogue

PINYIN_DISTRICTS: dict[str, str] = {str(k): str(v) for k, v in load_yaml("places.yaml")["pinyin_districts"].items()}
OTHER_REGIONS: tuple[str, ...] = tuple(str(place) for place in load_yaml("places.yaml")["other_regions"])
CHONGQING = "重庆市"
# Every place name a question is searched for, longest first (so that 四川省 is found before a shorter name in it).
PLACE_NAMES: tuple[str, ...] = tuple(sorted({"重庆", *OTHER_REGIONS}, key=len, reverse=True))
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    str(region): tuple(str(a) for a in aliases)
    for region, aliases in load_yaml("places.yaml")["region_aliases"].items()
}
_ALIASES = {alias for aliases in REGION_ALIASES.values() for alias in aliases}
ENGLISH_PLACES: dict[str, str] = {str(k): str(v) for k, v in load_yaml("places.yaml")["english_places"].items()}
_ADMIN_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


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


def find_places(text: str) -> list[str]:
    """The place names of PLACE_NAMES a text names (in Chinese, or in English as ENGLISH_PLACES), in reading order,
    each once (a name inside a longer one that was found is that one)."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for place in PLACE_NAMES:
        for match in re.finditer(re.escape(place), text):
            start, end = match.span()
            if not any(start < b and a < end for a, b in taken):
                taken.append((start, end))
                found.append((start, place))
    lowered = text.lower()
    for word, place in ENGLISH_PLACES.items():  # "Shenzhen" in an English question is 深圳
        for match in re.finditer(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered):
            found.append((match.start(), place))
    return list(dict.fromkeys(place for _, place in sorted(found)))


def region_stem(region: str) -> str:
    """A region's name without its administrative suffix (四川省 → 四川, 香港特别行政区 → 香港)."""
    for suffix in _ADMIN_SUFFIXES:
        if region.endswith(suffix) and len(region) - len(suffix) >= 2:
            return region.removesuffix(suffix)
    return region


def coverage_names(regions: Iterable[str]) -> set[str]:
    """Every name under which a question can name a covered region: the regions, their stems, their aliases, and
    for a Chongqing district (两江新区, 重庆高新区) Chongqing and its districts as well."""
    names: set[str] = set()
    for region in {r.strip() for r in regions if r and r.strip()}:
        names |= {region, region_stem(region), *REGION_ALIASES.get(region, ())}
        if region == CHONGQING or "重庆" in region or find_district(region) is not None:
            names |= {CHONGQING, *REGION_ALIASES.get(CHONGQING, ()), *district_names()}
    return {name for name in names if name}


def is_covered(place: str, regions: Iterable[str]) -> bool:
    """True when one of the regions holds the place (广州 in 广东省广州市) or the place holds one (四川省 ⊃ 四川)."""
    stem = region_stem(place)
    return any(stem in region or (len(region_stem(region)) >= 2 and region_stem(region) in place)
               for region in coverage_names(regions))


def names_covered_region(text: str, regions: Iterable[str]) -> str | None:
    """A covered region's name the text states ("重庆", "渝", "璧山", "广东"), if any."""
    names = coverage_names(regions)
    for name in sorted(names, key=len, reverse=True):
        if (len(name) >= 2 or name in _ALIASES) and name in text:  # a one-character name only as an alias (渝)
            return name
    if CHONGQING in names:
        return find_district(text)
    return None


def display_regions(regions: Iterable[str]) -> list[str]:
    """The regions as a reader wants them listed: one region inside another (重庆高新区 in 重庆市, 广东省广州市 in
    广东省) is left out."""
    unique = sorted({r.strip() for r in regions if r and r.strip()})
    return [r for r in unique
            if not any(o != r and len(region_stem(o)) >= 2 and region_stem(o) in r and len(o) <= len(r)
                       for o in unique)]
