"""Benchmark: page load until the map has drawn, and one slider move until it has redrawn, in headless Chromium.

``python -m bench.bench_browser [--sizes 100000] [--store PATH] [--quick]``. Ours is ``python -m dashboard``; the
naive way is ``bench/naive_app.py``. Both serve the same store from 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from bench.cases import Case, run_alone
from bench.report import Measure, Result, Target
from bench.servers import naive_app, our_app, serving
from dashboard.layout import MAP, SLIDER
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # Debian's Chromium, launched as the browser tests do

VIEWPORT = {"width": 1400, "height": 1100}
TIMEOUT_MS = 600_000  # the naive page at 1M events takes most of a minute per load
FULL_RUNS, NAIVE_RUNS_AT_SCALE = 3, 1
STEPS = ("cold", "warm", "slider")
TARGET_WARM_MS = Target("<", 2000, "ms")
DEFINITION = {
    "page load → map drawn": "headless Chromium (software WebGL), from navigation start (`performance.now()` "
    "origin) to the map having drawn: the first MapLibre `idle` event after a `plotly_afterplot` of the map graph "
    "whose figure holds event points (any scattermap trace but the region markers, with at least one point); "
    "`idle` is awaited after forcing a repaint, so the points are on screen; a relayout of the same figure does "
    "not count. Cold = a new browser context (empty "
    "cache); warm = the same page loaded again in that context. One unmeasured load first warms each server.",
    "slider move → map redrawn": "ArrowRight on the slider's start handle (start one month later), from the "
    "keydown to the first new figure drawn after it, measured in the page once the page's start-up requests are "
    "over.",
}

# Installed in every page before its scripts: records each time the map graph has drawn (see DEFINITION).
DRAW_JS = """
(() => {
  const state = window.__draws = {draws: [], keydown: null};
  addEventListener("keydown", () => { state.keydown = performance.now(); }, true);
  const points = gd => (gd._fullData || [])
    .filter(t => t.type === "scattermap" && t.name !== "regions" && t.visible !== false)
    .reduce((n, t) => n + ((t.lon && t.lon.length) || 0), 0);
  const hook = () => {
    const gd = document.querySelector("#MAP_ID .js-plotly-plot");
    if (!gd || !gd.on || gd.__drawHooked) return;
    gd.__drawHooked = true;
    let shown = null;
    gd.on("plotly_afterplot", () => {
      const at = performance.now(), fresh = gd.data !== shown;
      shown = gd.data;
      const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      if (!fresh || !sub || !sub.map) return;
      sub.map.once("idle", () => state.draws.push({at: at, t: performance.now(), points: points(gd)}));
      sub.map.triggerRepaint();
    });
  };
  new MutationObserver(hook).observe(document, {subtree: true, childList: true, attributes: true,
                                                attributeFilter: ["class"]});
})();
""".replace("MAP_ID", MAP)
# The first drawn figure with points whose plotting began after ``since`` (ms since navigation start).
FIRST_DRAW_AFTER = "since => window.__draws.draws.find(d => d.at > since && d.points > 0)"


def chromium_version() -> str:
    """'Chromium 156.0.…' as the browser reports itself."""
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return "not found"
    return out.strip() or "unknown"


def load_ms(page: object, url: str) -> float:
    """Open ``url`` and wait until the map has drawn; milliseconds from navigation start."""
    page.goto(url, wait_until="commit")
    return page.wait_for_function(FIRST_DRAW_AFTER, arg=0).json_value()["t"]


def slider_ms(page: object) -> float:
    """Move the slider's start handle one month on; milliseconds from the key press until the map has redrawn."""
    page.wait_for_load_state("networkidle")  # the page's own start-up callbacks are done
    handle = page.locator(f"#{SLIDER} [role=slider]").first
    handle.focus()
    handle.press("ArrowRight")
    pressed = page.evaluate("() => window.__draws.keydown")
    return page.wait_for_function(FIRST_DRAW_AFTER, arg=pressed).json_value()["t"] - pressed


@dataclass
class Timings:
    """Milliseconds of each step over the runs, and how a step failed when it did (a crashed tab, a timeout)."""

    ms: dict[str, list[float]] = field(default_factory=lambda: {step: [] for step in STEPS})
    failures: dict[str, str] = field(default_factory=dict)

    def cell(self, step: str) -> Measure | str:
        return Measure.of(self.ms[step], "ms") if self.ms[step] else self.failures.get(step, "not measured")


def app_timings(browser: object, url: str, runs: int) -> Timings:
    """Cold load, warm load and a slider move, ``runs`` times each, after one unmeasured warm-up load."""
    from playwright.sync_api import Error as PlaywrightError

    timings = Timings()
    for run in range(runs + 1):
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(DRAW_JS)
        page = context.new_page()
        load = partial(load_ms, page, url)
        steps = {"cold": load, "warm": load, "slider": partial(slider_ms, page)} if run else {"warm-up": load}
        for step, measure in steps.items():
            started = time.perf_counter()
            try:
                value = measure()
            except PlaywrightError as error:  # the naive page can run the tab out of memory
                reason = "tab crashed" if "crashed" in str(error) else str(error).splitlines()[0][:100]
                timings.failures[step] = f"{reason} after {time.perf_counter() - started:.0f} s"
                break
            if run:
                timings.ms[step].append(value)
        context.close()
    return timings


def results(case: Case) -> list[Result]:
    from playwright.sync_api import sync_playwright

    measured: dict[str, Timings] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, command, runs in (
                ("ours", our_app, case.runs(FULL_RUNS)),
                ("naive", naive_app, case.runs(NAIVE_RUNS_AT_SCALE if case.at_scale else FULL_RUNS)),
            ):
                with serving(partial(command, case.store), f"browser-{name}-{case.events}") as server:
                    measured[name] = app_timings(browser, server.url + "/", runs)
        finally:
            browser.close()

    def row(benchmark: str, step: str, target: Target | None = None) -> Result:
        failed = "; ".join(f"{name} {t.failures[step]} once" for name, t in measured.items()
                           if step in t.failures and t.ms[step])
        return Result(benchmark, case.size, measured["ours"].cell(step), measured["naive"].cell(step),
                      target if case.at_scale else None, note=failed)

    return [
        row("page load → map drawn, cold cache", "cold"),
        row("page load → map drawn, warm cache", "warm", TARGET_WARM_MS),
        row("slider move → map redrawn", "slider"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone(results, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
