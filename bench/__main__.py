"""``python -m bench``: run every benchmark; each prints its figures beside the naive way."""

import runpy
from pathlib import Path

HERE = Path(__file__).parent

for script in sorted(HERE.glob("bench_*.py")):
    print(f"== {script.name}", flush=True)
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as stop:  # a benchmark's own sys.exit(main()) must not end the others
        if stop.code not in (None, 0):
            raise
