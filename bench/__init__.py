"""Benchmarks: our hot paths beside the naive way, measured in the same run (``python -m bench``)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def load_average() -> str:
    """The machine's 1/5/15-minute load, printed beside timings since this 2-core machine is shared."""
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """Wall-clock seconds ``work()`` took, and what it returned."""
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value
