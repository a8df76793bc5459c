#!/usr/bin/env bash
# Run the browser tests RUNS times (default 3) from a fresh clone of this repository's HEAD while two CPU-bound
# processes compete for the cores, as on a busy CI machine; print "N passed, F failed" for each run.
# Not run by CI. Usage: tests/stress.sh [RUNS] [pytest args...]   e.g. tests/stress.sh 3 -x
set -uo pipefail

runs=${1:-3}
shift || true
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sca-stress-XXXXXX")
burners=()

cleanup() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "fresh clone of $(git -C "$repo" rev-parse --short HEAD) in $work/clone"
git clone --quiet "$repo" "$work/clone" || exit 2
cd "$work/clone" || exit 2
started=$(date +%s)
make --quiet venv browser >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 2; }
echo "set-up (venv and Chromium) took $(( $(date +%s) - started )) s"

for _ in 1 2; do
  python3 -c "while True: pass" &
  burners+=($!)
done
echo "two CPU-bound processes running alongside: ${burners[*]}"

failed_runs=0
for run in $(seq 1 "$runs"); do
  started=$(date +%s)
  .venv/bin/python -m pytest tests/browser -q -p no:cacheprovider --junitxml="$work/run$run.xml" "$@" \
    >"$work/run$run.log" 2>&1
  seconds=$(( $(date +%s) - started ))
  counts=$(.venv/bin/python - "$work/run$run.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
total, failures, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
print(f"{total - failures - errors - skipped} passed, {failures + errors} failed")
PY
) || counts="0 passed, 1 failed (no test report: see $work/run$run.log)"
  echo "run $run of $runs: $counts in ${seconds} s"
  case "$counts" in
    *" 0 failed"*) ;;
    *) failed_runs=$((failed_runs + 1)); grep -E "^(FAILED|ERROR)" "$work/run$run.log" | sed 's/^/  /'
       cp "$work/run$run.log" "$repo/tests/stress-run$run.log" 2>/dev/null && echo "  log: tests/stress-run$run.log" ;;
  esac
done
exit $(( failed_runs > 0 ))
