"""Plain Flask routes next to the Dash app: streamed exports of a view and the upload of an ACLED/UCDP file.

Exports never go through a callback: the page's download links point here with the view's query string.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import flask

from dashboard.model.view import View
from dashboard.render import export
from dashboard.web import import_jobs
from dashboard.web.security import Guard, uploads_enabled, uploads_mode
from dashboard.web.upload import (
    KINDS,
    UploadError,
    UploadResult,
    UploadTooLarge,
    check_name,
    detect_kind,
    safe_name,
    save_stream,
    store_unavailable_message,
    too_large_message,
)

if TYPE_CHECKING:
    from dashboard.model.source import EventSource
    from dashboard.render.figures import BoundaryLayers
    from dashboard.settings import Settings

BOUNDARIES_PREFIX = "/boundaries/"
BOUNDARY_MAX_AGE_S = 3600  # the layers change only when the app restarts with other boundaries
# Full Content-Type values, passed as content_type= so Flask adds no second charset.
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json; charset=utf-8"}
# The longest a `?wait=1` upload (for scripts) holds its request before answering with the job to poll.
WAIT_S = 600
# A refusal lists this many of the view's problems, each cut to PROBLEM_CHARS, then says how many more there are:
# a 60 KB query of bad values gets a short answer, not every value echoed back.
SHOWN_PROBLEMS = 5
PROBLEM_CHARS = 300
# The longest text body any refusal here sends (a safety net over the limits above).
MAX_TEXT_BYTES = 8_000


def register(server: flask.Flask, source: EventSource, settings: Settings, layers: BoundaryLayers,
             guard: Guard | None = None) -> None:
    """Add ``/export.csv``, ``/export.geojson``, the map's boundary layers and, unless SCA_UPLOADS=off,
    ``POST /upload`` and ``GET /upload/<job>`` to ``server``."""
    encoded = {name: json.dumps(getattr(layers, name), separators=(",", ":")).encode() for name in layers.LAYERS}

    def boundary_layer(name: str) -> flask.Response:
        if name not in encoded:
            return _text(f"No boundary layer {name[:60]!r}; there are {', '.join(encoded)}", 404)
        response = flask.Response(encoded[name], mimetype="application/geo+json")
        response.cache_control.public = True
        response.cache_control.max_age = BOUNDARY_MAX_AGE_S
        return response

    server.add_url_rule(f"{BOUNDARIES_PREFIX}<name>.geojson", "boundary_layer", boundary_layer)

    def export_view(fmt: str) -> flask.Response:
        view, messages = View.from_query(flask.request.args)
        if messages:
            return _text("Cannot export this view: " + problems_text(messages), 400)
        data = source.get()
        chunks = export.iter_export(data, view, fmt)
        response = flask.Response(flask.stream_with_context(chunks), content_type=CONTENT_TYPES[fmt])
        filename = export.export_filename(view, fmt, data)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    server.add_url_rule("/export.csv", "export_csv", lambda: export_view("csv"))
    server.add_url_rule("/export.geojson", "export_geojson", lambda: export_view("geojson"))

    if uploads_mode(settings) == "off":
        return
    guard = guard or Guard(settings)
    jobs = import_jobs.ImportQueue(settings.store, settings.boundaries)
    limit = settings.upload_limit_mb * (1 << 20)

    def upload() -> flask.Response:
        request = flask.request
        if not uploads_enabled(settings, request.environ):
            return _result(UploadResult(ok=False, status=403, message=(
                "Uploads are off on this server: it listens on a non-loopback address and no SCA_UPLOAD_TOKEN "
                "is set; nothing was imported.")))
        refusal = guard.refusal(request)
        if refusal:
            return _result(UploadResult(ok=False, status=403, message=refusal))
        filename = safe_name(request.args.get("name"))
        kind = request.args.get("kind", "auto")
        if kind not in ("auto", "", *KINDS):
            return _result(UploadResult(ok=False, message=f"Unknown export type {kind[:40]!r}: choose ACLED or UCDP."))
        if request.content_length is not None and request.content_length > limit:
            return _result(UploadResult(ok=False, status=413, message=too_large_message(limit)))
        if not _store_writable(settings.store):
            return _result(UploadResult(ok=False, status=503, message=store_unavailable_message(settings.store)))
        import_jobs.clean_stale()
        folder = import_jobs.new_folder()
        try:
            check_name(filename)
            path = save_stream(request.stream, folder / filename, limit)
            detect_kind(path, filename)  # cheap header checks answer now; the import itself is queued
        except UploadError as error:
            shutil.rmtree(folder, ignore_errors=True)
            status = 413 if isinstance(error, UploadTooLarge) else 400
            return _result(UploadResult(ok=False, status=status, message=str(error)))
        except OSError as error:
            shutil.rmtree(folder, ignore_errors=True)
            return _result(UploadResult(ok=False, status=503, message=store_unavailable_message(settings.store,
                                                                                                error)))
        job = jobs.submit(folder, path, filename, kind or "auto")
        if request.args.get("wait") in ("1", "true", "yes"):
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline:
                status = import_jobs.read_status(folder) or {}
                if status.get("state") == "done":
                    return _finished(status)
                time.sleep(0.2)
        return _pending(job, import_jobs.read_status(folder) or {})

    def upload_status(job: str) -> flask.Response:
        folder = import_jobs.folder_of(job)
        status = import_jobs.read_status(folder) if folder else None
        if status is None:
            return _result(UploadResult(ok=False, status=404, message="No such upload on this server (it may "
                                        "have finished over an hour ago, or run on another host)."))
        if status.get("state") == "done":
            return _finished(status)
        return _pending(job, status)

    def _finished(status: dict) -> flask.Response:
        result = status.get("result") or {}
        if result.get("ok"):
            source.get()  # reload now so the page's next callbacks see the new events
        return flask.Response(json.dumps({**result, "state": "done"}), status=int(result.get("status") or 500),
                              mimetype="application/json")

    server.add_url_rule("/upload", "upload", upload, methods=["POST"])
    server.add_url_rule("/upload/<job>", "upload_status", upload_status, methods=["GET"])


def _store_writable(store: Path | str) -> bool:
    """Whether an import could replace the store: a probe file can be made beside it (catches read-only mounts
    and permissions alike), and the store file itself is writable when it exists. A PostGIS store answers for
    itself when the import runs."""
    if isinstance(store, str):
        return True
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".sca-probe-", suffix=".tmp", dir=store.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError:
        return False
    return not store.exists() or os.access(store, os.W_OK)


def _pending(job: str, status: dict) -> flask.Response:
    body = {"ok": None, "state": status.get("state", "queued"), "job": job, "poll": f"/upload/{job}",
            "message": status.get("message", "Queued for import"), "reasons": []}
    return flask.Response(json.dumps(body), status=202, mimetype="application/json")


def problems_text(messages: list[str]) -> str:
    """The first few problems, each cut short, and how many more there are."""
    shown = [m if len(m) <= PROBLEM_CHARS else m[:PROBLEM_CHARS] + "…" for m in messages[:SHOWN_PROBLEMS]]
    more = len(messages) - len(shown)
    return "; ".join(shown) + (f"; and {more} more problem{'s' if more > 1 else ''}" if more > 0 else "")


def _text(message: str, status: int) -> flask.Response:
    """A plain-text answer with one charset in its Content-Type, never longer than MAX_TEXT_BYTES."""
    body = (message + "\n").encode("utf-8")
    if len(body) > MAX_TEXT_BYTES:
        body = body[: MAX_TEXT_BYTES - 4].decode("utf-8", "ignore").encode("utf-8") + "…\n".encode()
    return flask.Response(body, status=status, content_type="text/plain; charset=utf-8")


def _result(result: UploadResult) -> flask.Response:
    return flask.Response(json.dumps({**result.as_dict(), "state": "done"}), status=result.status,
                          mimetype="application/json")
