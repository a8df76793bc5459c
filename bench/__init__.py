"""Benchmarks: each prints its figures beside the naive way, measured in the same run (``python -m bench``)."""

import os


def load_average() -> str:
    """The machine's 1/5/15-minute load, printed beside timings since this 2-core machine is shared."""
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "unknown"
