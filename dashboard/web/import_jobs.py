"""Uploads are imported one at a time, off the request threads: a queue per app process feeds a child process.

The route saves the body into a private folder ``<tmp>/sca-upload-<server pid>-<random>/`` and answers at once
with a job id; the page polls ``GET /upload/<job>``. Each job runs as
``python -m dashboard.web.import_jobs <folder>`` at a lower CPU priority, holding ``<store>.import.lock`` for its
whole run, so across every worker process (and host sharing the store) only one import works at a time while the
readers keep their cores. The child writes
``status.json`` in its folder, which any worker on the host can read, so polling may land on any of them.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from geodata import store as event_store
from geodata.store.base import control_path
from geodata.store.parquet import file_lock

REPO_DIR = Path(__file__).resolve().parents[2]  # where `python -m dashboard.web.import_jobs` finds its packages
FOLDER_PREFIX = "sca-upload-"
JOB_ID = re.compile(r"^[0-9]{1,10}-[A-Za-z0-9_]{4,32}$")
# Finished jobs' status files are kept this long for the page to read, then removed.
KEEP_DONE_S = 3600
# A job that waits longer than this for another import to finish gives up with a 503-style message.
LOCK_WAIT_S = 900
NICE = 10


def uploads_root() -> Path:
    return Path(tempfile.gettempdir())


def new_folder() -> Path:
    """A private folder for one upload, named after this process so a later start knows whether it is stale."""
    return Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=uploads_root()))


def job_id(folder: Path) -> str:
    return folder.name[len(FOLDER_PREFIX):]


def folder_of(job: str) -> Path | None:
    """The folder of job ``job`` (None for anything that is not a well-formed id of an existing job)."""
    if not isinstance(job, str) or not JOB_ID.match(job):
        return None
    folder = uploads_root() / f"{FOLDER_PREFIX}{job}"
    return folder if folder.is_dir() else None


def read_status(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_status(folder: Path, status: dict) -> None:
    """Replace ``status.json`` atomically, so a reader never sees half of it."""
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(status), encoding="utf-8")
    os.replace(tmp, folder / "status.json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(now: float | None = None) -> list[Path]:
    """Remove upload folders left by processes that are gone (a killed server or import), and finished jobs
    older than :data:`KEEP_DONE_S`; return what was removed. Called when the app starts and at each upload."""
    now = time.time() if now is None else now
    removed = []
    for folder in uploads_root().glob(f"{FOLDER_PREFIX}*"):
        if not folder.is_dir():
            continue
        pid_text = folder.name[len(FOLDER_PREFIX):].split("-", 1)[0]
        status = read_status(folder) or {}
        owner_gone = not pid_text.isdigit() or not _alive(int(pid_text))
        child = status.get("child")
        child_running = isinstance(child, int) and status.get("state") == "running" and _alive(child)
        old_done = status.get("state") == "done" and now - float(status.get("finished", now)) > KEEP_DONE_S
        if (owner_gone and not child_running) or old_done:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


class ImportQueue:
    """One worker thread per process, started on first use (so it exists in each forked gunicorn worker)."""

    def __init__(self, store: Path, boundaries: Path | None) -> None:
        self.store = event_store.location(store)  # a PostGIS URL stays text
        self.boundaries = boundaries
        self._jobs: queue.Queue[Path] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def submit(self, folder: Path, upload: Path, filename: str, kind: str) -> str:
        """Queue the saved ``upload`` for import; returns the job id the page polls."""
        ahead = self._jobs.qsize()
        job = {"store": str(self.store), "boundaries": str(self.boundaries or ""), "upload": str(upload),
               "filename": filename, "kind": kind}
        (folder / "job.json").write_text(json.dumps(job), encoding="utf-8")
        write_status(folder, {"state": "queued", "ahead": ahead, "queued": time.time(),
                              "message": f"{filename}: waiting for {ahead} import(s) before it" if ahead
                              else f"{filename}: starting the import"})
        self._ensure_worker()
        self._jobs.put(folder)
        return job_id(folder)

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._work, name="sca-imports", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            folder = self._jobs.get()
            try:
                run_child(folder)
            finally:
                self._jobs.task_done()


def run_child(folder: Path) -> None:
    """Run one job in a child process at a lower priority; a child that dies leaves a clear message."""
    process = subprocess.Popen([sys.executable, "-m", "dashboard.web.import_jobs", str(folder)], cwd=REPO_DIR,
                               preexec_fn=lambda: os.nice(NICE), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, err = process.communicate()
    status = read_status(folder) or {}
    if status.get("state") != "done":
        # Killed mid-commit: finish or discard it now, so the store and its side files are whole again.
        job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
        recovered = [] if event_store.is_url(job["store"]) else event_store.recover_if_idle(Path(job["store"]))
        finished = any(step.startswith("finished") for step in recovered)
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        write_status(folder, {"state": "done", "finished": time.time(), "result": {
            "ok": False, "status": 503, "reasons": [], "kind": None, "new": 0,
            "message": "The import stopped before it finished (" + (tail[0] if tail else
                                                                  f"exit code {process.returncode}")
                       + ("); its events were committed whole: reload the page." if finished else
                          "); the store keeps its previous events. Try again.")}})


@contextlib.contextmanager
def import_lock(store: Path | str, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold ``<store>.import.lock`` for a whole import; TimeoutError when another holds it for ``wait_s``. (A
    PostGIS store needs no file: its import transaction holds the database's advisory lock.)"""
    if event_store.is_url(store):
        yield
        return
    with file_lock(control_path(Path(store), ".import.lock"), wait_s) as held:
        if not held:
            raise TimeoutError("another import holds the store")
        yield


def main(folder_arg: str) -> int:
    """The child: import the job in ``folder`` and write its result to ``status.json``."""
    from dashboard.web.upload import UploadResult, import_upload, store_unavailable_message
    from geodata.settings import Settings as PipelineSettings

    folder = Path(folder_arg)
    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    store = event_store.location(job["store"])
    write_status(folder, {"state": "waiting", "child": os.getpid(),
                          "message": f"{job['filename']}: waiting for another import to finish"})
    try:
        with import_lock(store):
            write_status(folder, {"state": "running", "child": os.getpid(), "started": time.time(),
                                  "message": f"Importing {job['filename']} …"})
            settings = PipelineSettings.from_env(store=store, boundaries=job["boundaries"] or None, progress=False)
            result = import_upload(Path(job["upload"]), job["filename"], job["kind"], settings)
    except TimeoutError:
        result = UploadResult(ok=False, status=503, message="The event store is busy with another import; "
                              "nothing was imported. Try again in a few minutes.")
    except OSError as error:
        result = UploadResult(ok=False, status=503, message=store_unavailable_message(store, error))
    Path(job["upload"]).unlink(missing_ok=True)
    write_status(folder, {"state": "done", "finished": time.time(), "result": result.as_dict()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
