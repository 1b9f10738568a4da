"""The analysis of the built library, kept per library version (the manifest's mtime) for the page, CLI and chat."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from assistant.config import Settings
from assistant.errors import IndexNotReadyError
from assistant.insights.analysis import analyse
from assistant.insights.catalogue import ShortageCatalogue, build_catalogue
from assistant.insights.chat import ShortageAnswer, ShortageQuery, shortage_answer
from assistant.insights.frame import Frame, frame_from_library
from assistant.insights.models import InsightFilters, InsightReport
from assistant.jobs.library import library_dir, load_library

_MAX_REPORTS = 64


def library_version(directory: Path) -> int:
    """The manifest's mtime in ns: a rebuilt library writes a new manifest, so this changes with it."""
    try:
        return (directory / "manifest.json").stat().st_mtime_ns
    except OSError as exc:
        raise IndexNotReadyError(f"岗位人才库尚未建立（{directory}）：请先运行 assistant jobs build") from exc


def _describe(directory: Path, version: int) -> tuple[str, str]:
    """(data date, source description) of a library: the date it was built and what it holds."""
    built = dt.datetime.fromtimestamp(version / 1e9, tz=dt.UTC).date().isoformat()
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    source = (f"岗位人才库（{manifest.get('postings', '?')} 个岗位、{manifest.get('talents', '?')} 位人才，"
              f"种子 {manifest.get('seed', '?')}）")
    return built, source


class InsightStore:
    """One frame per library version and an LRU of reports and catalogues per filter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frames: dict[Path, tuple[int, Frame]] = {}
        self._results: OrderedDict[tuple, object] = OrderedDict()

    def frame(self, directory: Path) -> tuple[int, Frame]:
        """The frame of the library in `directory`, reloaded when its manifest changed."""
        version = library_version(directory)
        with self._lock:
            cached = self._frames.get(directory)
            if cached and cached[0] == version:
                return cached
        library = load_library(directory)
        try:
            data_date, source = _describe(directory, version)
            frame = frame_from_library(library, data_date, source)
        finally:
            library.close()
        with self._lock:
            self._frames[directory] = (version, frame)
        return version, frame

    def _memo(self, key: tuple, compute: Callable[[], object]) -> object:
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
        value = compute()
        with self._lock:
            self._results[key] = value
            while len(self._results) > _MAX_REPORTS:
                self._results.popitem(last=False)
        return value

    def report(self, directory: Path, filters: InsightFilters) -> InsightReport:
        """The report of `filters` over the current library version."""
        version, frame = self.frame(directory)
        key = ("report", str(directory), version, filters.chain, filters.district)
        result = self._memo(key, lambda: analyse(frame, filters))
        assert isinstance(result, InsightReport)
        return result

    def catalogue(self, directory: Path, filters: InsightFilters, top: int = 20) -> ShortageCatalogue:
        """The catalogue of `filters` (top functions and top skills) over the current library version."""
        version, frame = self.frame(directory)
        key = ("catalogue", str(directory), version, filters.chain, filters.district, top)
        result = self._memo(key, lambda: build_catalogue(frame, filters, top, top))
        assert isinstance(result, ShortageCatalogue)
        return result


class InsightService:
    """The analytics of the data directory's library for the page, CLI and chat: one store, owned here."""

    def __init__(self, settings: Settings) -> None:
        self.directory = library_dir(settings.data_dir)
        self.store = InsightStore()

    def frame(self) -> tuple[int, Frame]:
        """The current library version and its frame (chains, districts … for the page's pickers)."""
        return self.store.frame(self.directory)

    def report(self, filters: InsightFilters | None = None) -> InsightReport:
        """The report of `filters` over the current library version."""
        return self.store.report(self.directory, filters or InsightFilters())

    def catalogue(self, filters: InsightFilters | None = None, top: int = 20) -> ShortageCatalogue:
        """The shortage-talent catalogue of `filters` over the current library version."""
        return self.store.catalogue(self.directory, filters or InsightFilters(), top)

    def shortage(self, query: ShortageQuery) -> ShortageAnswer:
        """The chat's shortage answer, from the same numbers as /insights."""
        return shortage_answer(self.report(InsightFilters(chain=query.chain, district=query.district)), query)
