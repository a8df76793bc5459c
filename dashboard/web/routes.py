"""Plain Flask routes next to the Dash app, as module-level handlers: streamed exports of a view, the upload of an
ACLED/UCDP file and its status, the map's boundary layers and the offline basemap (style, layers, glyphs).

Exports never go through a callback: the page's download links point here with the view's query string. What the
handlers serve (the event source, the settings, the encoded layers) is one :class:`Served` per app, kept on the
Flask server (:func:`attach`); ``dashboard.app.ROUTES`` is the route table that names them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import flask

from dashboard.model.view import View
from dashboard.render import basemap, export
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

BOUNDARIES_PREFIX = basemap.BOUNDARIES_PREFIX
EXTENSION = "sahel_atlas"  # the key of this app's Served in flask.Flask.extensions
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


@dataclass
class Served:
    """What one app's routes serve, worked out once when the app is built."""

    source: EventSource
    settings: Settings
    boundaries: dict[str, bytes]  # each boundary layer as GeoJSON bytes, by name
    basemap: basemap.BasemapFiles
    guard: Guard
    jobs: import_jobs.ImportQueue | None  # None when uploads are off

    @property
    def upload_limit(self) -> int:
        return self.settings.upload_limit_mb * (1 << 20)


def attach(server: flask.Flask, source: EventSource, settings: Settings, layers: BoundaryLayers,
           guard: Guard | None = None) -> Served:
    """Keep what the handlers serve on ``server`` (the upload queue only when uploads are not off)."""
    served = Served(
        source=source, settings=settings,
        boundaries={name: json.dumps(getattr(layers, name), separators=(",", ":")).encode() for name in layers.LAYERS},
        basemap=basemap.bundled_files(), guard=guard or Guard(settings),
        jobs=None if uploads_mode(settings) == "off" else import_jobs.ImportQueue(settings.store, settings.boundaries),
    )
    server.extensions[EXTENSION] = served
    return served


def served() -> Served:
    """The app's :class:`Served`, for the request being handled."""
    return flask.current_app.extensions[EXTENSION]


def boundary_layer(name: str) -> flask.Response:
    """``GET /boundaries/<name>.geojson``: one of the map's boundary layers."""
    encoded = served().boundaries
    if name not in encoded:
        return _text(f"No boundary layer {name[:60]!r}; there are {', '.join(encoded)}", 404)
    return _cached(flask.Response(encoded[name], mimetype="application/geo+json"), BOUNDARY_MAX_AGE_S)


def export_csv() -> flask.Response:
    """``GET /export.csv?<view>``: the view's rows as CSV, streamed."""
    return _export("csv")


def export_geojson() -> flask.Response:
    """``GET /export.geojson?<view>``: the view's rows as GeoJSON, streamed."""
    return _export("geojson")


def _export(fmt: str) -> flask.Response:
    view, messages = View.from_query(flask.request.args)
    if messages:
        return _text("Cannot export this view: " + problems_text(messages), 400)
    data = served().source.get()
    chunks = export.iter_export(data, view, fmt)
    response = flask.Response(flask.stream_with_context(chunks), content_type=CONTENT_TYPES[fmt])
    filename = export.export_filename(view, fmt, data)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def upload() -> flask.Response:
    """``POST /upload?name=&kind=[&wait=1]``: save the body and queue its import; answers with the job to poll
    (or, with ``wait=1``, with the import's result once it is done)."""
    request, here = flask.request, served()
    refusal = _upload_refusal(request, here)
    if refusal is not None:
        return _result(refusal)
    filename = safe_name(request.args.get("name"))
    import_jobs.clean_stale()
    folder = import_jobs.new_folder()
    try:
        check_name(filename)
        path = save_stream(request.stream, folder / filename, here.upload_limit)
        detect_kind(path, filename)  # cheap header checks answer now; the import itself is queued
    except UploadError as error:
        shutil.rmtree(folder, ignore_errors=True)
        status = 413 if isinstance(error, UploadTooLarge) else 400
        return _result(UploadResult(ok=False, status=status, message=str(error)))
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        return _result(UploadResult(ok=False, status=503,
                                    message=store_unavailable_message(here.settings.store, error)))
    job = here.jobs.submit(folder, path, filename, request.args.get("kind") or "auto")
    if request.args.get("wait") in ("1", "true", "yes"):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            status = import_jobs.read_status(folder) or {}
            if status.get("state") == "done":
                return _finished(status)
            time.sleep(0.2)
    return _pending(job, import_jobs.read_status(folder) or {})


def _upload_refusal(request: flask.Request, here: Served) -> UploadResult | None:
    """Why this upload is refused before its body is read (uploads off, no permission, an unknown kind, too
    large, a store that cannot be written), or None."""
    if here.jobs is None or not uploads_enabled(here.settings, request.environ):
        return UploadResult(ok=False, status=403, message=(
            "Uploads are off on this server: it listens on a non-loopback address and no SCA_UPLOAD_TOKEN "
            "is set; nothing was imported."))
    refusal = here.guard.refusal(request)
    if refusal:
        return UploadResult(ok=False, status=403, message=refusal)
    kind = request.args.get("kind", "auto")
    if kind not in ("auto", "", *KINDS):
        return UploadResult(ok=False, message=f"Unknown export type {kind[:40]!r}: choose ACLED or UCDP.")
    if request.content_length is not None and request.content_length > here.upload_limit:
        return UploadResult(ok=False, status=413, message=too_large_message(here.upload_limit))
    if not _store_writable(here.settings.store):
        return UploadResult(ok=False, status=503, message=store_unavailable_message(here.settings.store))
    return None


def upload_status(job: str) -> flask.Response:
    """``GET /upload/<job>``: where an upload's import is (queued, running, done with its result)."""
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
        served().source.get()  # reload now so the page's next callbacks see the new events
    return flask.Response(json.dumps({**result, "state": "done"}), status=int(result.get("status") or 500),
                          mimetype="application/json")


def basemap_style() -> flask.Response:
    """``GET /basemap/style.json``: the offline MapLibre style."""
    return _cached(flask.Response(served().basemap.style, mimetype="application/json"))


def basemap_layer(name: str) -> flask.Response:
    """``GET /basemap/<name>.geojson``: towns, rivers or lakes."""
    files = served().basemap.layers
    if name not in files:
        return _text(f"No basemap layer {name[:60]!r}; there are {', '.join(files)}", 404)
    return _cached(flask.Response(files[name], mimetype="application/geo+json"))


def glyph_range(fontstack: str, glyph_range: str) -> flask.Response:
    """``GET /glyphs/<fontstack>/<range>.pbf``: every font stack gets our one font; a range we do not ship is an
    empty (valid) glyph set, so MapLibre simply draws no glyph for those characters instead of failing the map."""
    if not basemap.is_glyph_range(glyph_range):
        return _text("A glyph range is like 0-255", 404)
    return _cached(flask.Response(served().basemap.glyphs.get(glyph_range, b""), mimetype="application/x-protobuf"))


def _cached(response: flask.Response, max_age: int = basemap.MAX_AGE_S) -> flask.Response:
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response


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
