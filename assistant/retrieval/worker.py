"""ParseWorker: résumé and document parsing in a child process under a hard time limit.

A parse that runs past `FileLimits.timeout_s` is killed and answered with a Chinese `DocumentLoadError`; the
request (or ingest) thread only waits on a pipe, so other requests keep being served. One worker is built by the
composition root (`assistant/app.py`) and shared by `ResumeService` and the corpus ingest/upload.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from assistant.config import Settings
from assistant.errors import AssistantError, DocumentLoadError
from assistant.retrieval.limits import FileLimits

log = logging.getLogger(__name__)
T = TypeVar("T")
UNEXPECTED = "解析时出现意外错误"  # a parser bug rather than a bad file; logged with its traceback
# Imported once by the fork server, so each parse starts in milliseconds.
_PRELOAD = ["pypdf", "docx", "bs4", "charset_normalizer", "lxml.etree", "yaml", "pydantic",
            "assistant.retrieval.loading", "assistant.retrieval.worker"]


class ParseWorker:
    """Runs a parse function in a pool of `concurrency` child processes; one past the limit is killed (with the
    pool's other processes, whose jobs are retried once in a fresh pool).

    `concurrency=0` parses in the calling thread (no time limit; for debugging and platforms without processes).
    """

    def __init__(self, limits: FileLimits, concurrency: int = 4) -> None:
        self.limits = limits
        self.concurrency = concurrency
        self._slots = threading.BoundedSemaphore(max(concurrency, 1))
        self._preload = list(_PRELOAD)
        self._executor: ProcessPoolExecutor | None = None
        self._guard = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> ParseWorker:
        return cls(FileLimits.from_settings(settings), settings.parse_workers)

    def preload(self, module: str) -> None:
        """Have the fork server import `module` (the module of a parse function) before it starts."""
        if module not in self._preload:
            self._preload.append(module)

    def run(self, function: Callable[..., T], *args: Any, name: str, timeout: float | None = None,
            **kwargs: Any) -> T:
        """`function(*args, **kwargs)` in a child process; raises DocumentLoadError naming `name` on a timeout or
        a crash (and for an unexpected exception, which is logged with its traceback).

        `function` must be a module-level function (it is pickled by reference).
        """
        if self.concurrency == 0:
            status, value, details = _call(function, args, kwargs, name)
        else:
            status, value, details = self._in_child(function, args, kwargs, name, timeout or self.limits.timeout_s)
        if status == "ok":
            return value  # type: ignore[no-any-return,unused-ignore]
        if details:
            log.error("parsing %s failed unexpectedly:\n%s", name, details)
        raise value

    def _pool(self) -> ProcessPoolExecutor:
        with self._guard:
            if self._executor is None:
                methods = multiprocessing.get_all_start_methods()
                context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
                if "forkserver" in methods:
                    context.set_forkserver_preload(self._preload)
                self._executor = ProcessPoolExecutor(max_workers=self.concurrency, mp_context=context)
            return self._executor

    def _kill(self, executor: ProcessPoolExecutor) -> None:
        """Kill every process of `executor` (the only way to stop a running parse) and start afresh next time."""
        with self._guard:
            if self._executor is executor:
                self._executor = None
        processes = list((getattr(executor, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.kill()
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=5)

    def _in_child(self, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], name: str,
                  timeout: float) -> tuple[str, Any, str]:
        with self._slots:  # never more jobs than processes: the time limit counts parsing, not queueing
            for attempt in (1, 2):
                executor = self._pool()
                try:
                    future = executor.submit(_call, function, args, kwargs, name)
                    return future.result(timeout)  # type: ignore[no-any-return,unused-ignore]
                except FutureTimeout:
                    self._kill(executor)
                    raise DocumentLoadError(f"{name}: 解析超过 {timeout:g} 秒仍未完成，已中止"
                                            "（文件可能过于复杂或被刻意构造）。请精简文件后重试。") from None
                except (BrokenProcessPool, RuntimeError):
                    # A process died (killed for another file's time limit, or out of memory): retry once afresh.
                    self._kill(executor)
                    if attempt == 2:
                        raise DocumentLoadError(f"{name}: 解析进程意外退出（可能超出内存上限），已中止。") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop the worker processes (they are started again on the next parse)."""
        with self._guard:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _call(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
          name: str) -> tuple[str, Any, str]:
    try:
        return "ok", function(*args, **kwargs), ""
    except AssistantError as exc:
        return "error", exc, ""
    except Exception as exc:  # noqa: BLE001 - the boundary: one bad file never stops an ingest or a request
        return "error", DocumentLoadError(f"{name}: {UNEXPECTED}（{type(exc).__name__}），已跳过"), \
            traceback.format_exc()
    # The result travels back pickled; a parse result is plain pydantic models and a DocumentLoadError.
