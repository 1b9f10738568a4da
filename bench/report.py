"""Write one benchmark's section of docs/PERFORMANCE.md, leaving the other sections as they are."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"
HEADER = (
    "# Performance\n\nWritten by the benchmarks in `bench/` (see the README for the command). "
    "Each section names its machine and date.\n"
)


def machine() -> str:
    """A one-line description of the machine the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, {platform.system()}"


def write_section(name: str, body: str, path: Path = PERFORMANCE_MD) -> Path:
    """Replace (or append) the section `name` of `path` (docs/PERFORMANCE.md) with `body`, stamped with machine
    and date."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    stamped = (f"<!-- bench:{name} -->\n{body.rstrip()}\n\n"
               f"_Machine: {machine()}. Date: {dt.date.today().isoformat()}._\n<!-- /bench:{name} -->")
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: stamped, text) if pattern.search(text) else f"{text.rstrip()}\n\n{stamped}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
