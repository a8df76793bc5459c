"""Web apps as child processes on a free 127.0.0.1 port: start, wait until they answer, stop."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.cases import CACHE, REPO

LOGS = CACHE / "logs"
READY_TIMEOUT_S = 600  # the naive app draws its first map of every event before it listens


@dataclass
class Server:
    """One running app: where it answers, its process, its log and how long it took to answer."""

    url: str
    process: subprocess.Popen
    log: Path
    ready_s: float


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on at ``host`` now (the probe socket is closed before it returns)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def our_app(store: Path, port: int) -> list[str]:
    """``python -m dashboard``, the way ``make run`` serves."""
    return [sys.executable, "-m", "dashboard", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)]


def naive_app(store: Path, port: int, window: tuple[str, str] | None = None) -> list[str]:
    """``bench/naive_app.py``, its slider and first map on ``window`` (start, end) when given."""
    extra = ["--start", window[0], "--end", window[1]] if window else []
    return [sys.executable, "-m", "bench.naive_app", "--store", str(store), "--port", str(port), *extra]


@contextlib.contextmanager
def serving(command: Callable[[int], list[str]], name: str, env: dict[str, str] | None = None,
            path: str = "/") -> Iterator[Server]:
    """Run ``command(port)``, wait until ``path`` answers 200, yield the server, then stop it."""
    port = free_port()
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{name}.log"
    started = time.perf_counter()
    with log.open("wb") as handle:
        process = subprocess.Popen(command(port), cwd=REPO, stdout=handle, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_answering(url + path, process, log)
        yield Server(url=url, process=process, log=log, ready_s=time.perf_counter() - started)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the app exited with {process.returncode}; see {log}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {READY_TIMEOUT_S} s; see {log}:\n{tail(log)}")
        time.sleep(0.2)


def tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
