"""Plain Flask routes next to the Dash app: streamed exports of a view and the upload of an ACLED/UCDP file.

Exports never go through a callback: the page's download links point here with the view's query string.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import flask

from dashboard import export
from dashboard.upload import (
    UploadError,
    UploadResult,
    UploadTooLarge,
    check_name,
    import_upload,
    save_stream,
    too_large_message,
)
from dashboard.view import View

if TYPE_CHECKING:
    from dashboard.app import EventSource
    from dashboard.figures import BoundaryLayers
    from dashboard.settings import Settings

BOUNDARIES_PREFIX = "/boundaries/"
BOUNDARY_MAX_AGE_S = 3600  # the layers change only when the app restarts with other boundaries
MIMETYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json; charset=utf-8"}


def register(server: flask.Flask, source: EventSource, settings: Settings, layers: BoundaryLayers) -> None:
    """Add ``/export.csv``, ``/export.geojson``, ``POST /upload`` and the map's boundary layers to ``server``."""
    encoded = {name: json.dumps(getattr(layers, name), separators=(",", ":")).encode() for name in layers.LAYERS}

    def boundary_layer(name: str) -> flask.Response:
        if name not in encoded:
            return _text(f"No boundary layer {name!r}; there are {', '.join(encoded)}", 404)
        response = flask.Response(encoded[name], mimetype="application/geo+json")
        response.cache_control.public = True
        response.cache_control.max_age = BOUNDARY_MAX_AGE_S
        return response

    server.add_url_rule(f"{BOUNDARIES_PREFIX}<name>.geojson", "boundary_layer", boundary_layer)

    def export_view(fmt: str) -> flask.Response:
        view, messages = View.from_query(flask.request.args)
        if messages:
            return _text("Cannot export this view: " + "; ".join(messages), 400)
        data = source.get()
        chunks = export.iter_export(data, view, fmt)
        response = flask.Response(flask.stream_with_context(chunks), mimetype=MIMETYPES[fmt])
        filename = export.export_filename(view, fmt, data)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    server.add_url_rule("/export.csv", "export_csv", lambda: export_view("csv"))
    server.add_url_rule("/export.geojson", "export_geojson", lambda: export_view("geojson"))

    limit = settings.upload_limit_mb * (1 << 20)

    def upload() -> flask.Response:
        request = flask.request
        filename = Path(request.args.get("name", "") or "upload.csv").name
        kind = request.args.get("kind", "auto")
        if request.content_length is not None and request.content_length > limit:
            return _result(UploadResult(ok=False, message=too_large_message(limit)), 413)
        try:
            check_name(filename)
            with tempfile.TemporaryDirectory(prefix="sca-upload-") as directory:
                path = save_stream(request.stream, Path(directory) / filename, limit)
                result = import_upload(path, filename, kind, settings.pipeline())
        except UploadError as error:
            status = 413 if isinstance(error, UploadTooLarge) else 400
            return _result(UploadResult(ok=False, message=str(error)), status)
        if result.ok:
            source.get()  # reload now so the page's next callbacks see the new events
        return _result(result, 200 if result.ok else 400)

    server.add_url_rule("/upload", "upload", upload, methods=["POST"])


def _text(message: str, status: int) -> flask.Response:
    return flask.Response(message + "\n", status=status, mimetype="text/plain; charset=utf-8")


def _result(result: UploadResult, status: int) -> flask.Response:
    return flask.Response(json.dumps(result.as_dict()), status=status, mimetype="application/json")
