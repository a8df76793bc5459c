"""The process ``bench_coldstart`` measures: imports, then ``create_app``; prints both times as JSON.

``python -m bench.coldstart_child ours|naive STORE``. Only the standard library is imported before the clock starts.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def measure(kind: str, store: Path) -> dict[str, float]:
    """Seconds to import the app's modules, then seconds to build the app on ``store``."""
    start = time.perf_counter()
    if kind == "ours":
        from dashboard.app import create_app
        from dashboard.settings import Settings

        imported = time.perf_counter()
        create_app(Settings(store=store))
    else:
        from bench.naive_app import create_app

        imported = time.perf_counter()
        create_app(store)
    return {"imports": imported - start, "create_app": time.perf_counter() - imported}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]))))
