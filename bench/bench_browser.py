"""Benchmark: what the user waits for in headless Chromium: page load until the map has drawn and until the page has
settled, a slider move and a filter change until settled, and Play's steps per second.

``python -m bench.bench_browser [--sizes 100000] [--store PATH] [--quick]``. Ours is ``python -m dashboard``; the
naive way is ``bench/naive_app.py``. Both serve the same store from 127.0.0.1.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from bench.cases import Case, run_alone
from bench.chromium import CHROMIUM, CHROMIUM_ARGS, RECORD_JS  # launched and recorded as the browser tests do
from bench.report import Measure, Result, Target
from bench.servers import naive_app, our_app, serving
from dashboard.page.ids import DROPDOWNS, MAP, PLAY, PLAY_SPEED, PLAY_TICK, SLIDER
from dashboard.page.layout import SPEEDS

VIEWPORT = {"width": 1400, "height": 1100}
TIMEOUT_MS = 600_000  # the naive page at 1M events takes most of a minute per load
QUIET_MS = 1000  # "settled": no callback request and no draw for this long
FULL_RUNS, NAIVE_RUNS_AT_SCALE = 3, 1
COUNTRY = next(cid for cid, name in DROPDOWNS.items() if name == "country")
CHOSEN_COUNTRY = "NE"  # the filter change: this country added to the (empty) country filter
PLAY_SPEED_NAME = "Fast"  # Play at the page's fastest speed, so the rate shows what drawing allows
PLAY_SECONDS = 10
STEPS = ("cold", "warm", "warm settled", "slider", "slider settled", "filter settled")
TARGET_WARM_MS = Target("<", 2000, "ms")
TARGET_SETTLED_MS = Target("<=", 1500, "ms")
TARGET_FILTER_MS = Target("<=", 800, "ms")
TARGET_SLIDER_MS = Target("<=", 500, "ms")
TARGET_PLAY = Target(">=", 1, "steps/s", label="≥ 1 step/s, no queue")
DEFINITION = {
    "page load → map drawn": "headless Chromium (software WebGL), from navigation start (`performance.now()` "
    "origin) to the map having drawn: the first MapLibre `idle` event after a `plotly_afterplot` of the map graph "
    "whose figure holds event points (any scattermap trace but the region markers, with at least one point); "
    "`idle` is awaited after forcing a repaint, so the points are on screen; a relayout of the same figure does "
    "not count. Cold = a new browser context (empty "
    "cache); warm = the same page loaded again in that context. One unmeasured load first warms each server.",
    "page load / slider move / filter change → settled": f"from navigation start, the slider's keydown or the "
    f"pointerdown on the dropdown option, to the page having settled: the map drawn with points after the action, "
    f"no callback request on its way or running and Dash not loading, and then nothing (no callback request, no "
    f"map draw) for {QUIET_MS} ms; the figure is the time of the last answer or draw before that quiet second. "
    f"Filter change = choosing {CHOSEN_COUNTRY} in the country dropdown after the slider move. The notes give the "
    "callback requests the action sent (ours: one per callback; the naive app has one callback).",
    "slider move → map redrawn": "ArrowRight on the slider's start handle (start one month later), from the "
    "keydown to the first new figure drawn after it, measured in the page once the page's start-up requests are "
    "over.",
    "Play": f"ours only (the naive app has no Play): Play pressed at speed {PLAY_SPEED_NAME} "
    f"({SPEEDS[PLAY_SPEED_NAME]} ms a step) on the whole store for {PLAY_SECONDS} s: steps whose map was drawn per "
    "second; 'no queue' = every step was sent only after the map of the step before it had drawn. Notes: the "
    "median time from a step sent to its map drawn.",
}

# Installed in every page before its scripts: records each time the map graph has drawn (see DEFINITION) and the
# last key press and pointer press (the user's action).
DRAW_JS = """
(() => {
  const state = window.__draws = {draws: [], keydown: null, pressed: null};
  addEventListener("keydown", () => { state.keydown = performance.now(); }, true);
  addEventListener("pointerdown", () => { state.pressed = performance.now(); }, true);
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
# The page has settled after ``since`` (see DEFINITION): {t, requests, outputs}, or null ("not yet") meanwhile.
SETTLED_AFTER = """
([since, quiet, drawNeeded]) => {
  try {
    const drawn = window.__draws.draws.filter(d => d.at > since);
    if (drawNeeded && !drawn.some(d => d.points > 0)) return null;
    const stores = window.dash_stores, dash = stores && stores.length && stores[stores.length - 1].getState();
    if (!dash || dash.isLoading) return null;
    const calls = window.__record.callbacks.filter(c => c.start > since);
    if (calls.some(c => c.end === null)) return null;
    const last = Math.max(since, ...calls.map(c => c.end), ...drawn.map(d => d.t));
    if (performance.now() - last < quiet) return null;
    return {t: last, requests: calls.length, outputs: calls.map(c => c.output)};
  } catch (e) {
    return null;
  }
}
"""


def chromium_version() -> str:
    """'Chromium 156.0.…' as the browser reports itself."""
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return "not found"
    return out.strip() or "unknown"


def settled_after(page: object, since: float, draw: bool = True) -> dict:
    """Wait until the page has settled after ``since`` (with a new map drawn, unless ``draw`` is false);
    {t, requests, outputs}."""
    return page.wait_for_function(SETTLED_AFTER, arg=[since, QUIET_MS, draw], polling=50).json_value()


def load_ms(page: object, url: str) -> float:
    """Open ``url`` and wait until the map has drawn; milliseconds from navigation start."""
    page.goto(url, wait_until="commit")
    return page.wait_for_function(FIRST_DRAW_AFTER, arg=0).json_value()["t"]


def move_slider(page: object) -> float:
    """ArrowRight on the slider's start handle; when the key went down (ms since navigation start)."""
    handle = page.locator(f"#{SLIDER} [role=slider]").first
    handle.focus()
    handle.press("ArrowRight")
    return page.evaluate("() => window.__draws.keydown")


def choose_country(page: object) -> float:
    """Add CHOSEN_COUNTRY to the country dropdown; when the option was pressed (ms since navigation start)."""
    page.click(f"#{COUNTRY}")
    page.get_by_role("option", name=CHOSEN_COUNTRY, exact=True).click()
    pressed = page.evaluate("() => window.__draws.pressed")
    page.keyboard.press("Escape")
    return pressed


@dataclass
class Timings:
    """Milliseconds of each step over the runs, the callback requests each step sent, and how a step failed when
    it did (a crashed tab, a timeout)."""

    ms: dict[str, list[float]] = field(default_factory=lambda: {step: [] for step in STEPS})
    requests: dict[str, list[int]] = field(default_factory=lambda: {step: [] for step in STEPS})
    failures: dict[str, str] = field(default_factory=dict)

    def cell(self, step: str) -> Measure | str:
        return Measure.of(self.ms[step], "ms") if self.ms[step] else self.failures.get(step, "not measured")

    def sent(self, step: str) -> str:
        counts = sorted(set(self.requests[step]))
        return "/".join(map(str, counts)) if counts else "?"


def run_steps(page: object, url: str) -> dict[str, Callable[[], tuple[float, int | None]]]:
    """The measured steps of one run, in order: each returns (milliseconds, callback requests or None)."""
    marks: dict[str, float] = {}

    warm_load = partial(warm_up, page, url)

    def settled(since_mark: str) -> tuple[float, int]:
        since = marks.get(since_mark, 0.0)
        found = settled_after(page, since)
        return found["t"] - since, found["requests"]

    def slider() -> tuple[float, None]:
        marks["slider"] = move_slider(page)
        return page.wait_for_function(FIRST_DRAW_AFTER, arg=marks["slider"]).json_value()["t"] - marks["slider"], None

    def country() -> tuple[float, int]:
        marks["filter"] = choose_country(page)
        return settled("filter")

    return {"cold": warm_load, "warm": warm_load, "warm settled": partial(settled, "load"), "slider": slider,
            "slider settled": partial(settled, "slider"), "filter settled": country}


def warm_up(page: object, url: str) -> tuple[float, None]:
    return load_ms(page, url), None


def app_timings(browser: object, url: str, runs: int) -> Timings:
    """Every step of STEPS, ``runs`` times each, after one unmeasured warm-up load."""
    from playwright.sync_api import Error as PlaywrightError

    timings = Timings()
    for run in range(runs + 1):
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(DRAW_JS)
        context.add_init_script(RECORD_JS)
        page = context.new_page()
        steps = run_steps(page, url) if run else {"warm-up": partial(warm_up, page, url)}
        for step, measure in steps.items():
            started = time.perf_counter()
            try:
                value, sent = measure()
            except PlaywrightError as error:  # the naive page can run the tab out of memory
                reason = "tab crashed" if "crashed" in str(error) else str(error).splitlines()[0][:100]
                timings.failures[step] = f"{reason} after {time.perf_counter() - started:.0f} s"
                break
            if run:
                timings.ms[step].append(value)
                if sent is not None:
                    timings.requests[step].append(sent)
        context.close()
    return timings


@dataclass
class PlayRun:
    """Play's steps over the measured seconds: how many were drawn, whether any was sent before the step before it
    was drawn, and each step's time from sent to drawn."""

    steps_per_s: float
    queued: int
    latencies: list[float]


def play_run(browser: object, url: str) -> PlayRun:
    """Load ``url``, set the speed, press Play, let it run PLAY_SECONDS and pause; read the page's records."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(DRAW_JS)
    context.add_init_script(RECORD_JS)
    page = context.new_page()
    try:
        load_ms(page, url)
        settled_after(page, 0)
        page.click(f"#{PLAY_SPEED}")
        page.get_by_role("option", name=PLAY_SPEED_NAME, exact=True).click()
        page.click(f"#{PLAY}")
        pressed = page.evaluate("() => window.__draws.pressed")
        page.wait_for_timeout(PLAY_SECONDS * 1000)
        page.click(f"#{PLAY}")
        stopped = page.evaluate("() => window.__draws.pressed")
        settled_after(page, stopped, draw=False)
        callbacks = page.evaluate("() => window.__record.callbacks")
        draws = page.evaluate("() => window.__record.draws")
    finally:
        context.close()
    return play_summary(callbacks, draws, pressed, stopped)


def play_summary(callbacks: list[dict], draws: list[dict], pressed: float, stopped: float) -> PlayRun:
    """Steps drawn per second between the press and the pause, steps sent before the step before them had drawn,
    and each step's milliseconds from sent to drawn."""
    ticks = [c for c in callbacks if f"{PLAY_TICK}.data" in c["changed"] and pressed < c["start"] < stopped]
    maps = [c for c in callbacks if c["output"] == f"{MAP}.figure" and c["start"] > pressed]

    def drawn_at(view: str | None, after: float) -> float | None:
        return min((d["t"] for d in draws if d["view"] == view and d["t"] >= after), default=None)

    queued, latencies, shown = 0, [], 0
    for tick in ticks:
        before = [m for m in maps if m["start"] < tick["start"]]
        if before and (drawn_at(before[-1]["view"], before[-1]["start"]) or float("inf")) > tick["start"]:
            queued += 1
        after = next((m for m in maps if m["start"] > tick["start"]), None)
        done = drawn_at(after["view"], after["start"]) if after else None
        if done is not None and done <= stopped:
            shown += 1
            latencies.append(done - tick["start"])
    return PlayRun(steps_per_s=shown / ((stopped - pressed) / 1000), queued=queued, latencies=latencies)


def results(case: Case) -> list[Result]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    measured: dict[str, Timings] = {}
    play: PlayRun | str = "not measured"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # the naive page of a whole million runs the tab out of memory or close to it: once is enough there
            whole_million = case.at_scale and case.window is None
            address = f"/?{case.query}" if case.query else "/"
            for name, command, runs in (
                ("ours", partial(our_app, case.store), case.runs(FULL_RUNS)),
                ("naive", partial(naive_app, case.store, window=case.window),
                 case.runs(NAIVE_RUNS_AT_SCALE if whole_million else FULL_RUNS)),
            ):
                tag = f"browser-{name}-{case.events}" + ("-window" if case.window else "")
                with serving(command, tag) as server:
                    measured[name] = app_timings(browser, server.url + address, runs)
                    if name == "ours":
                        try:
                            play = play_run(browser, server.url + address)
                        except PlaywrightError as error:
                            play = f"failed: {str(error).splitlines()[0][:100]}"
        finally:
            browser.close()

    def row(benchmark: str, step: str, target: Target | None = None, requests: bool = False) -> Result:
        notes = [f"{name} {t.failures[step]} once" for name, t in measured.items() if step in t.failures and t.ms[step]]
        if requests:
            notes.append(f"callback requests: ours {measured['ours'].sent(step)}, naive {measured['naive'].sent(step)}")
        return Result(benchmark, case.size, measured["ours"].cell(step), measured["naive"].cell(step),
                      target if case.at_scale and case.window is None else None, note="; ".join(notes))

    if isinstance(play, PlayRun):
        latency = f"{statistics.median(play.latencies):,.0f} ms" if play.latencies else "—"
        play_cell: Measure | str = Measure.of([play.steps_per_s], "steps/s")
        play_note = (f"{'no queue' if not play.queued else f'{play.queued} steps sent before the last was drawn'}; "
                     f"step sent → map drawn: median {latency}")
    else:
        play_cell, play_note = play, ""
    return [
        row("page load → map drawn, cold cache", "cold"),
        row("page load → map drawn, warm cache", "warm", TARGET_WARM_MS),
        row("page load → settled, warm cache", "warm settled", TARGET_SETTLED_MS, requests=True),
        row("slider move → map redrawn", "slider"),
        row("slider move → settled", "slider settled", TARGET_SLIDER_MS, requests=True),
        row("filter change → settled", "filter settled", TARGET_FILTER_MS, requests=True),
        Result("Play: steps drawn per second", case.size, play_cell, "no Play",
               TARGET_PLAY if case.at_scale and case.window is None else None,
               note=play_note, checked=0.0 if isinstance(play, PlayRun) and play.queued else None),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone(results, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
