"""The machine a run measured, for RESULTS.md: CPU, cores, memory, Python, Chromium and the date."""

from __future__ import annotations

import datetime
import os
import platform
from importlib.metadata import version
from pathlib import Path

from bench import load_average
from bench.bench_browser import chromium_version

PACKAGES = ("pandas", "numpy", "plotly", "dash", "geopandas", "gunicorn")


def describe() -> dict[str, str]:
    """Label -> value, in the order RESULTS.md lists them."""
    return {
        "CPU": _cpu_model(),
        "cores": f"{len(os.sched_getaffinity(0))} usable ({os.cpu_count()} logical)",
        "memory": _memory(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Chromium": chromium_version(),
        "packages": ", ".join(f"{name} {version(name)}" for name in PACKAGES),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load average at start": load_average(),
    }


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory() -> str:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    return "unknown"


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""
