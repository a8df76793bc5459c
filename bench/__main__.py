"""``python -m bench``: run every benchmark; each prints its figures beside the naive way."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent

for script in sorted(HERE.glob("bench_*.py")):
    print(f"== {script.name}", flush=True)
    runpy.run_path(str(script), run_name="__main__")
sys.exit(0)
