"""No compiled regular expression of the package takes super-linear time on text a user can send.

Every `re.Pattern` reachable from a module of `assistant` (module globals, class attributes, tuples, lists, dicts
and dataclasses held there, and what a module's zero-argument cached `…() -> re.Pattern` builder returns, such as
the patterns compiled from YAML tables) is run with `finditer` over long runs of letters, digits, punctuation,
spaces and CJK, alone and after a seed that starts a match ("2019" + spaces, "第" + digits …). Each size is four
times the last; a pattern fails when four times the text costs more than eight times the CPU time, or when one text
costs more than the absolute budget. The sizes climb from small to large so that a catastrophic pattern fails
fast instead of hanging the test; only cheap patterns climb to the largest size, to keep the test within seconds.
Times are CPU times of this thread, so other load on the machine does not count.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import pkgutil
import re
import time
from collections.abc import Iterator

import pytest

import assistant

# Runs that make a backtracking engine retry from every position, and seeds that open a match before the run.
UNITS = ("a", "A", "aB", "Sep", "1", "2019", "2019.", "2019-", "2019年", "年", "月", " ", "\t", "\n", " \n", ".", "-",
         ",", "，", "、", "(", "（", "中", "张三", "a1", "a ", "1 ", "a.", "1.", "第", "一、", "k", "元", "@", "a@",
         "/", "_", "。", "—", " - ", "ab12", "中1", "中 ", "…", "*", "[1]", "[", "我是")
SEEDS = ("", "2019", "第")  # each run also follows the previous one, which seeds it too
SIZES = (60, 250, 1_000, 4_000)  # characters per run; the text at each size holds every seed × unit run
TOP_SIZE_BELOW_S = 0.05  # the 4,000 step (580k characters) only for patterns this cheap at 1,000: mild quadratics
# show only there, and the costly alternations (whole lexicons) have shown their growth by then
MAX_GROWTH = 8.0  # 4× the text may cost at most this many times the time (linear ≈ 4×, quadratic → 16×)
NOISE_FLOOR_S = 0.02  # below this the growth ratio is timer noise
BUDGET_S_PER_RUN_CHAR = 0.5 / 20_000  # a 20,000-character line (the line cap) may cost at most 0.5 s
_SKIP_MODULES = ("assistant.storage.migrations",)  # alembic scripts, importable only under alembic


def _walk(value: object, where: str, found: dict[int, tuple[str, re.Pattern[str]]], depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            found.setdefault(id(value), (where, value))
        return
    if depth > 4:
        return
    if isinstance(value, (tuple, list, set, frozenset)):
        for index, item in enumerate(value):
            _walk(item, f"{where}[{index}]", found, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{where}[{key!r}]", found, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _walk(getattr(value, field.name), f"{where}.{field.name}", found, depth + 1)


def _cached_builder(value: object) -> bool:
    """A module's `@cache def _x() -> re.Pattern…`: patterns compiled once from data (YAML tables, vocabularies)."""
    if not isinstance(value, functools._lru_cache_wrapper):
        return False
    signature = inspect.signature(value)
    return not signature.parameters and "Pattern" in str(signature.return_annotation)


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: dict[int, tuple[str, re.Pattern[str]]] = {}
    for info in pkgutil.walk_packages(assistant.__path__, "assistant."):
        if info.name.startswith(_SKIP_MODULES):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            where = f"{info.name}.{name}"
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attribute, item in vars(value).items():
                    _walk(item, f"{where}.{attribute}", found)
            elif _cached_builder(value) and value.__module__ == module.__name__:
                _walk(value(), f"{where}()", found)
            else:
                _walk(value, where, found)
    return sorted(found.values(), key=lambda item: item[0])


PATTERNS = _patterns()


def _runs(size: int) -> Iterator[str]:
    for seed in SEEDS:
        for unit in UNITS:
            yield seed + unit * max(1, size // len(unit))


def _cpu_time(pattern: re.Pattern[str], text: str) -> float:
    start = time.thread_time()
    for _ in pattern.finditer(text):
        pass
    return time.thread_time() - start


def _worst_run(pattern: re.Pattern[str], size: int) -> str:
    """The run that costs most at `size`, for the failure message."""
    timed = ((_cpu_time(pattern, run), run) for run in _runs(size))
    cost, run = max(timed)
    return f"{run[:12]!r}… × {len(run)} chars: {cost:.3f} s"


def test_the_audit_finds_the_patterns_of_every_layer() -> None:
    names = {where.split(".")[1] for where, _ in PATTERNS}
    assert {"resume", "retrieval", "chat", "jobs", "policy", "untrusted", "privacy"} <= names
    wheres = {where for where, _ in PATTERNS}
    assert "assistant.resume.dates.RANGE_RE" in wheres
    assert any(where.startswith("assistant.jobs.fairness._RULES") for where in wheres)  # compiled from YAML
    assert any(where.startswith("assistant.resume.suggestions._SENSITIVE") for where in wheres)  # from YAML
    assert any(where.endswith("()") or "()[" in where for where in wheres)  # cached builders
    assert len(PATTERNS) > 150


@pytest.mark.parametrize(("where", "pattern"), PATTERNS, ids=[where for where, _ in PATTERNS])
def test_pattern_time_grows_linearly(where: str, pattern: re.Pattern[str]) -> None:
    runs_per_text = len(SEEDS) * len(UNITS)
    previous: float | None = None
    for size in SIZES:
        text = "".join(_runs(size))
        elapsed = _cpu_time(pattern, text)
        budget = BUDGET_S_PER_RUN_CHAR * size * runs_per_text
        if previous is not None and elapsed > NOISE_FLOOR_S and elapsed / previous > MAX_GROWTH:
            elapsed = min(elapsed, *(_cpu_time(pattern, text) for _ in range(2)))  # a second look before failing
        assert elapsed <= budget, f"{where} took {elapsed:.2f} s on {len(text):,} chars; {_worst_run(pattern, size)}"
        if previous is not None and elapsed > NOISE_FLOOR_S:
            growth = elapsed / max(previous, 1e-4)
            assert growth <= MAX_GROWTH, (
                f"{where}: 4× the text cost {growth:.0f}× the time ({previous:.3f} s → {elapsed:.3f} s); "
                f"{_worst_run(pattern, size)}")
        previous = elapsed
        if size == SIZES[-2] and elapsed > TOP_SIZE_BELOW_S:
            break
