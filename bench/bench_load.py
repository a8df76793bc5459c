"""Load test: simulated users against gunicorn (``dashboard.app:server_from_env()``) on 127.0.0.1, pages to exports.

``python -m bench.bench_load [--sizes 1000000] [--store PATH] [--users 50] [--seconds 60] [--workers 2] [--threads 4]
[--uploads 8] [--quick]``.
Each user opens the page as the browser does (``/``, ``/_dash-layout``, ``/_dash-dependencies``, the
callbacks), then, after a think time each, moves the date slider, picks a country or an actor family, reloads, or
downloads the CSV of a narrow view. Callback bodies are built from the app's own layout and dependencies exactly as
Dash's renderer builds them, so the server does the real work of each change.

With ``--uploads N`` (default 8), N scripts each upload an ACLED export of UPLOAD_ROWS new events at once, a few
seconds in, with the bearer token (on a copy of the store): the imports queue and run one at a time off the request
threads, and the page and callback rows measure what users wait for meanwhile ("during imports" rows).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import requests

from bench.cases import Case, add_case_arguments, cases_from_args
from bench.dash_client import Callback, Page, Prop
from bench.report import Result, Target, markdown_table, number
from bench.servers import serving
from dashboard.page import ids

USERS, SECONDS, MAX_ACTIONS = 50, 60, 40
UPLOADS, UPLOAD_ROWS, UPLOAD_AT_S = 8, 5_000, 5.0
UPLOAD_TOKEN = "bench-load-upload-token"
QUICK_SECONDS = 20
WORKERS, THREADS = 2, 4
THINK_S = (3.0, 10.0)  # a person looks at the map between two changes
RAMP_S = 10.0  # users arrive over the first seconds, not all in the same millisecond
REQUEST_TIMEOUT_S = 60
EXPORT_MAX_EVENTS = 50_000  # a user only downloads views this small; wider ones are narrowed to 3 months first
ACTIONS = {"window": 30, "year": 10, "country": 20, "family": 20, "reload": 8, "export": 12}
VIEW, FILTERS = (ids.VIEW_STORE, "data"), (ids.FILTERS_STORE, "data")
# The stores the view callback writes, each only when it changes; the callbacks reading them follow.
PARTS = {(store, "data") for store in (ids.VIEW_STORE, ids.FILTERS_STORE, ids.TIMELINE_STORE, ids.REGIONS_STORE)}
GRID_REQUEST = (ids.GRID_REQUEST, "data")
FIRST_BLOCK = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
# Props the simulated user reads to choose and make its next actions; answers setting none of them are not parsed.
READ = {*PARTS, (ids.URL, "search"), (ids.SLIDER, "max"), (ids.COUNTER, "children"), (ids.EXPORT_CSV, "href"),
        *((cid, "options") for cid in ids.DROPDOWNS)}
CALLBACK_KINDS = {ids.URL: "callback: controls → view", ids.MAP: "callback: map", ids.TIMELINE:
                  "callback: timeline, counter, regions", ids.EVENTS_GRID: "callback: table block"}
COUNTRY = next(cid for cid, name in ids.DROPDOWNS.items() if name == "country")
FAMILY = next(cid for cid, name in ids.DROPDOWNS.items() if name == "group")
TARGET_P95 = Target("<", 1000, "ms", label="p95 < 1 s")
TARGET_ERRORS = Target("<", 1, "errors", label="0 errors")
DEFINITION = {
    "load": f"`gunicorn --workers {WORKERS} --threads {THREADS} --worker-class gthread --preload "
    "'dashboard.app:server_from_env()'` on the largest store; "
    f"{USERS} simulated users (threads with keep-alive sessions, arriving over {RAMP_S:.0f} s) for {SECONDS} s, at "
    f"most {MAX_ACTIONS} actions each, {THINK_S[0]:.0f}–{THINK_S[1]:.0f} s think time between actions. A page load = "
    "`/`, `/_dash-layout`, `/_dash-dependencies` and the callbacks; a change = the controls→view callback, then, "
    "in parallel, the callbacks of the parts whose store it rewrote (map; timeline/counter/regions, each part only "
    "when it changed; the table's first block when the filters changed), as the browser sends them. Mix: "
    + ", ".join(f"{name} {weight}%" for name, weight in ACTIONS.items())
    + f" (window = 3-month slider range, year = 12 months, export = `/export.csv` of the view, narrowed first to 3 "
    f"months when over {EXPORT_MAX_EVENTS:,} events). Latency is per request, from sending to the last byte; "
    "'wait' rows time what a user waits for: every callback of a change, or of a page's address. Errors = HTTP "
    "status ≥ 400, timeouts and broken connections.",
}


def gunicorn(workers: int, threads: int, port: int) -> list[str]:
    """Production serving: ``gunicorn 'dashboard.app:server_from_env()'`` with gthread workers on 127.0.0.1."""
    return [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
            "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--preload",
            "--no-control-socket", "dashboard.app:server_from_env()"]


@dataclass
class Recorder:
    """Latencies (and errors) by kind, from every user thread: one for requests, one for what users wait for."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # (kind, monotonic end, seconds) of every request, to pick those made while imports were running
    stamps: list[tuple[str, float, float]] = field(default_factory=list)

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.stamps.append((kind, time.monotonic(), seconds))
            if error:
                self.errors[kind].append(error)

    def retried(self) -> None:
        with self.lock:
            self.retries += 1


_sessions = threading.local()


def session() -> requests.Session:
    """One keep-alive session per thread (a user's own thread, or a pool thread sending its parallel callbacks)."""
    if not hasattr(_sessions, "session"):
        _sessions.session = requests.Session()
    return _sessions.session


class User:
    """One simulated person with one browser tab on the app."""

    def __init__(self, base: str, made: Recorder, waits: Recorder, pool: ThreadPoolExecutor,
                 rng: random.Random) -> None:
        self.base, self.made, self.waits, self.pool, self.rng = base, made, waits, pool, rng
        self.page: Page | None = None

    def run(self, deadline: float) -> None:
        self.open_page("")
        for _ in range(MAX_ACTIONS):
            pause = self.rng.uniform(*THINK_S)
            if time.monotonic() + pause >= deadline or self.page is None:
                return  # a user whose next action would fall after the end stops (no burst at the deadline)
            time.sleep(pause)
            action = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
            getattr(self, action)()

    # -- what the person does ---------------------------------------------------------------------------

    def window(self, months: int = 3) -> None:
        last = int(self.page.props.get((ids.SLIDER, "max")) or 0)
        start = self.rng.randint(0, max(last - months + 1, 0))
        self.change({(ids.SLIDER, "value"): [start, min(start + months - 1, last)]})

    def year(self) -> None:
        self.window(12)

    def country(self) -> None:
        self.change({(COUNTRY, "value"): self.pick(COUNTRY)})

    def family(self) -> None:
        self.change({(FAMILY, "value"): self.pick(FAMILY)})

    def reload(self) -> None:
        self.open_page(self.page.props.get((ids.URL, "search")) or "")

    def export(self) -> None:
        if shown_events(self.page.props.get((ids.COUNTER, "children"))) > EXPORT_MAX_EVENTS:
            self.window()
        href = self.page.props.get((ids.EXPORT_CSV, "href"))
        if href:
            self.get("export.csv", href)

    # -- what the browser sends -------------------------------------------------------------------------

    def open_page(self, search: str) -> None:
        """``/``, the layout and dependencies, then the callbacks the page fires for its address."""
        if self.get("page /", "/") is None:
            return
        layout, dependencies = self.get("bootstrap", "/_dash-layout"), self.get("bootstrap", "/_dash-dependencies")
        if layout is None or dependencies is None:
            return
        self.page = Page(layout.json(), dependencies.json())
        self.change({(ids.URL, "search"): search}, kind="wait: page's callbacks")

    def change(self, values: dict[Prop, Any], kind: str = "wait: filter change, all callbacks") -> None:
        """Set props as a control does, then send the callbacks they trigger, as the renderer does."""
        start = time.perf_counter()
        page = self.page
        page.props.update(values)
        writer = page.writer_of(VIEW)
        answer = self.post(writer, values)
        written = set() if answer is None else page.apply(answer) & PARTS
        if not written:
            return
        changed = list(written)
        if FILTERS in written:  # the grid's first block, asked for once the new filters exist (assets/flow.js)
            page.props[GRID_REQUEST] = {"request": dict(FIRST_BLOCK), **page.props[FILTERS]}
            changed.append(GRID_REQUEST)
        followers = [c for c in page.callbacks if c is not writer and set(changed) & set(c.inputs)]
        answers = [self.pool.submit(self.post, c, changed) for c in followers]
        for future in answers:
            answer = future.result()
            if answer is not None:
                page.apply(answer)
        self.waits.add(kind, time.perf_counter() - start)

    def post(self, callback: Callback, changed: Iterable[Prop]) -> dict[str, Any] | None:
        """Send one callback; its answer, parsed only when it sets a prop the user's next actions read."""
        kind = CALLBACK_KINDS.get(callback.name, f"callback: {callback.name}")
        response = self.send(kind, "POST", "/_dash-update-component", json=self.page.request(callback, changed))
        if response is None:
            return None
        # 204: the callback changed nothing; figures and table rows are read in full but not parsed, so the load
        # generator leaves the shared CPU to the server.
        return response.json() if response.status_code != 204 and READ & set(callback.outputs) else {}

    def get(self, kind: str, path: str) -> requests.Response | None:
        return self.send(kind, "GET", path)

    def send(self, kind: str, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        """One request, timed to its last byte and recorded; None when it failed.

        Like a browser, a request whose kept-alive connection the server had just closed is sent again once
        on a new connection (counted in ``made.retries``).
        """
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                response = session().request(method, self.base + path, timeout=REQUEST_TIMEOUT_S, **kwargs)
                error = None if response.status_code < 400 else f"HTTP {response.status_code}: {response.text[:200]}"
                break
            except requests.ConnectionError as problem:
                response, error = None, f"{type(problem).__name__}: {problem}"
                if attempt == 1 and "Connection aborted" in str(problem):
                    self.made.retried()
                    continue
                break
            except requests.RequestException as problem:
                response, error = None, f"{type(problem).__name__}: {problem}"
                break
        self.made.add(kind, time.perf_counter() - start, error)
        return None if error else response

    def pick(self, control: str) -> list[str]:
        """One of the control's options, or none (clearing it) one time in five."""
        options = [o["value"] if isinstance(o, dict) else o for o in self.page.props.get((control, "options")) or []]
        return [] if not options or self.rng.random() < 0.2 else [self.rng.choice(options)]


def shown_events(counter: Any) -> int:
    """The N of the counter's 'N events, …' (0 when it does not say)."""
    match = re.match(r"\s*([\d,]+) event", str(counter or ""))
    return int(match.group(1).replace(",", "")) if match else 0


@dataclass
class Run:
    """What one load test saw: every request, what users waited for, wall time and the generator's own CPU time."""

    made: Recorder
    waits: Recorder
    seconds: float
    client_cpu: float


@dataclass
class Imports:
    """The uploads sent during a run: when the first was sent and the last finished, and each one's outcome."""

    files: list[Path] = field(default_factory=list)
    first_sent: float | None = None
    last_done: float | None = None
    answers: list[float] = field(default_factory=list)  # seconds until the route answered (queued)
    done: list[float] = field(default_factory=list)  # seconds until the import had finished
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def upload(self, base: str, path: Path) -> None:
        """POST one export as a script does (bearer token), then poll its job until it is done."""
        started = time.monotonic()
        with self.lock:
            self.first_sent = started if self.first_sent is None else min(self.first_sent, started)
        try:
            with path.open("rb") as body:
                response = requests.post(f"{base}/upload?name={path.name}&kind=acled", data=body, timeout=120,
                                         headers={"Authorization": f"Bearer {UPLOAD_TOKEN}",
                                                  "Content-Type": "application/octet-stream"})
            answered = time.monotonic() - started
            result = response.json()
            while response.status_code == 202:
                time.sleep(1.0)
                response = requests.get(base + result["poll"], timeout=60)
                result = response.json()
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}: {result.get('message')}")
        except (requests.RequestException, RuntimeError, ValueError, KeyError) as problem:
            with self.lock:
                self.errors.append(f"{path.name}: {problem}")
            return
        with self.lock:
            self.answers.append(answered)
            self.done.append(time.monotonic() - started)
            self.last_done = max(self.last_done or 0.0, time.monotonic())


def upload_files(folder: Path, count: int, rows: int = UPLOAD_ROWS) -> list[Path]:
    """``count`` ACLED exports of ``rows`` new events each (distinct ids: a seed per file)."""
    from bench.make_synthetic import write_synthetic_acled

    return [write_synthetic_acled(folder / f"upload-{i}.csv", rows, seed=9_000 + i) for i in range(count)]


def drive(base: str, users: int, seconds: float, seed: int = 0, uploads: Imports | None = None) -> Run:
    """Run ``users`` users against ``base`` for ``seconds`` (and send ``uploads`` a few seconds in)."""
    made, waits = Recorder(), Recorder()
    deadline = time.monotonic() + seconds
    start, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=users * 3, thread_name_prefix="callbacks") as pool:
        threads = [threading.Thread(target=User(base, made, waits, pool, random.Random(seed + i)).run,
                                    args=(deadline,)) for i in range(users)]
        uploaders = [threading.Timer(UPLOAD_AT_S, uploads.upload, args=(base, path))
                     for path in (uploads.files if uploads else [])]
        for uploader in uploaders:
            uploader.start()
        for i, thread in enumerate(threads):
            time.sleep(RAMP_S / users if i else 0)
            thread.start()
        for thread in threads:
            thread.join()
        for uploader in uploaders:
            uploader.join()
    return Run(made, waits, time.perf_counter() - start, time.process_time() - cpu)


@dataclass(frozen=True)
class Worker:
    """One gunicorn worker process: memory in MB (PSS shares copy-on-write pages fairly) and CPU seconds so far."""

    pid: int
    rss: float
    pss: float
    cpu: float


def workers_of(master: int) -> list[Worker]:
    """The gunicorn master's child processes, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            rollup = (stat.parent / "smaps_rollup").read_text()
        except (OSError, IndexError, ValueError):
            continue
        kb = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.endswith("kB")}
        found.append(Worker(int(stat.parent.name), kb.get("Rss", 0) / 1024, kb.get("Pss", 0) / 1024,
                            (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")))
    return sorted(found, key=lambda w: w.pid)


def percentile(values: Sequence[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1] if len(values) > 1 \
        else values[0]


def latency_text(seconds: Sequence[float]) -> str:
    return f"p50 {number(percentile(seconds, 0.5) * 1000)} / p95 {number(percentile(seconds, 0.95) * 1000)} ms"


def load_results(case: Case, users: int = USERS, seconds: float | None = None, workers: int = WORKERS,
                 threads: int = THREADS, uploads: int = UPLOADS) -> list[Result]:
    """Serve ``case.store`` with gunicorn, drive ``users`` users for ``seconds`` and report the table's rows.

    With ``uploads``, the server gets a copy of the store (the imports change it) and the uploads are sent."""
    seconds = seconds or (QUICK_SECONDS if case.quick else SECONDS)
    scratch = Path(tempfile.mkdtemp(prefix="sca-bench-load-"))
    try:
        store = case.store
        imports = Imports()
        if uploads:
            store = scratch / case.store.name
            shutil.copyfile(case.store, store)
            imports.files = upload_files(scratch, uploads)
        with serving(partial(gunicorn, workers, threads), f"gunicorn-{case.events}",
                     env={"SCA_STORE": str(store), "SCA_UPLOAD_TOKEN": UPLOAD_TOKEN}) as server:
            before = sum(w.cpu for w in workers_of(server.process.pid))
            run = drive(server.url, users, seconds, uploads=imports if uploads else None)
            workers_after = workers_of(server.process.pid)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return _rows(case, users, run, server, workers_after, before, imports if uploads else None, (workers, threads))


def _rows(case: Case, users: int, run: Run, server: Any, workers_after: list[Worker], before: float,
          imports: Imports | None, shape: tuple[int, int]) -> list[Result]:
    workers, threads = shape
    server_cores = (sum(w.cpu for w in workers_after) - before) / run.seconds
    size = f"{case.size}, {users} users"
    every = [s for values in run.made.latencies.values() for s in values]
    errors = sum(len(v) for v in run.made.errors.values())
    for kind, messages in run.made.errors.items():
        print(f"load: {len(messages)} errors in {kind}, first: {messages[0]}", file=sys.stderr)
    setup = (f"{workers} workers × {threads} threads, ready {server.ready_s:.1f} s after start; per worker "
             + ", ".join(f"RSS {w.rss:,.0f} MB / PSS {w.pss:,.0f} MB" for w in workers_after)
             + f"; workers used {server_cores:.2f} cores, the load generator {run.client_cpu / run.seconds:.2f}")
    rows = [Result("load: every request", size, latency_text(every), target=TARGET_P95 if case.at_scale else None,
                   checked=percentile(every, 0.95) * 1000,
                   note=f"{len(every):,} requests in {run.seconds:.0f} s = {len(every) / run.seconds:.1f} req/s; "
                        f"{setup}"),
            Result("load: errors", size, f"{errors} errors", target=TARGET_ERRORS if case.at_scale else None,
                   checked=errors, note=f"of {len(every):,} requests; {run.made.retries} sent again after the server "
                                        "had closed their kept-alive connection")]
    for recorder in (run.waits, run.made):
        for kind, values in sorted(recorder.latencies.items()):
            failed = len(recorder.errors.get(kind, []))
            rows.append(Result(f"load: {kind}", size, latency_text(values),
                               note=f"{len(values):,} done{f', {failed} failed' if failed else ''}"))
    if imports is not None:
        rows.extend(import_rows(run, imports, size))
    return rows


def import_rows(run: Run, imports: Imports, size: str) -> list[Result]:
    """What users waited for while the imports ran (beside the same kinds outside that window), and the imports."""
    rows = []
    for message in imports.errors:
        print(f"load: upload failed: {message}", file=sys.stderr)
    label = f"{len(imports.files)} uploads × {UPLOAD_ROWS:,} rows"
    if imports.done:
        rows.append(Result("load: upload answered (queued)", size, latency_text(imports.answers),
                           note=f"{label}; the route answers 202 and the page polls"))
        rows.append(Result("load: upload imported", size, latency_text(imports.done),
                           note=f"{label}, one at a time; {len(imports.errors)} failed"))
    if imports.first_sent is None or imports.last_done is None:
        return rows
    window = (imports.first_sent, imports.last_done)
    for recorder in (run.waits, run.made):
        during: dict[str, list[float]] = defaultdict(list)
        outside: dict[str, list[float]] = defaultdict(list)
        for kind, end, seconds in recorder.stamps:
            (during if window[0] <= end - seconds and end <= window[1] else outside)[kind].append(seconds)
        for kind in sorted(during):
            if kind.startswith(("wait:", "page", "callback")):
                base = outside.get(kind)
                rows.append(Result(f"load: {kind} — during imports", size, latency_text(during[kind]),
                                   note=f"{len(during[kind]):,} done, max {max(during[kind]) * 1000:,.0f} ms; outside "
                                        f"imports {latency_text(base) if base else 'none'}"))
    return rows


def results(case: Case) -> list[Result]:
    return load_results(case)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_case_arguments(parser, (1_000_000,))
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--seconds", type=float, help=f"how long users keep acting (default {SECONDS}; quick "
                                                      f"{QUICK_SECONDS})")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--uploads", type=int, default=UPLOADS,
                        help=f"ACLED exports uploaded at once {UPLOAD_AT_S:.0f} s in (default {UPLOADS}; 0 for none)")
    ns = parser.parse_args(argv)
    rows = [row for case in cases_from_args(ns)
            for row in load_results(case, ns.users, ns.seconds, ns.workers, ns.threads, ns.uploads)]
    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
