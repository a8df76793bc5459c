"""No 500 from input: callbacks that meet input they cannot use answer "no update", never an exception.

The pure parsers (view.py, tables.py, viewport.py, controls.py) validate what they read; :func:`guarded` is
the last line for anything they miss, and :func:`protect_dash_routes` answers malformed Dash requests with a
400 and unknown script or asset paths with a 404, instead of a 500 and a traceback. Both log what happened,
so a real bug is still seen by whoever runs the atlas.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import dash
import flask
from dash.exceptions import DependencyException, PreventUpdate
from werkzeug.exceptions import HTTPException

log = logging.getLogger("sca.guard")
F = TypeVar("F", bound=Callable[..., Any])
DASH_ROUTES = ("/_dash-update-component", "/_dash-layout", "/_dash-dependencies")


def guarded(function: F) -> F:
    """Wrap a Dash callback: an exception from odd input becomes "no update" (logged), never a 500."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except PreventUpdate:
            raise
        except Exception as error:  # noqa: BLE001 - input the parsers did not foresee must not become a 500
            log.warning("callback %s refused its input: %s: %s", function.__name__, type(error).__name__, error)
            log.debug("callback %s traceback", function.__name__, exc_info=True)
            raise PreventUpdate from None

    return wrapper  # type: ignore[return-value]


def protect_dash_routes(app: dash.Dash) -> None:
    """Malformed requests to Dash's own routes (bodies that are not a callback call) answer 400 with a line of
    text; other routes keep Flask's usual handling."""

    prefix = app.config.routes_pathname_prefix
    asset_paths = (f"{prefix}_dash-component-suites/", f"{prefix}{app.config.assets_url_path.strip('/')}/")

    @app.server.errorhandler(Exception)
    def _bad_request(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return error
        path = flask.request.path if flask.has_request_context() else ""
        if isinstance(error, DependencyException) or path.startswith(asset_paths):
            # Dash raises for a script path it never registered (/_dash-component-suites/dash/__init__.py):
            # that is a file we do not have, not a server fault, and not worth a traceback per probe.
            log.debug("no such asset %s: %s", path[:200], type(error).__name__)
            return flask.Response("No such file.\n", status=404, content_type="text/plain; charset=utf-8")
        if any(path.endswith(route) for route in DASH_ROUTES):
            log.warning("refused a malformed request to %s", path, exc_info=error)
            return flask.Response("This request is not one the page sends; nothing was changed.\n", status=400,
                                  content_type="text/plain; charset=utf-8")
        log.error("unhandled error on %s", path, exc_info=error)
        return flask.Response("The server could not answer this request.\n", status=500,
                              content_type="text/plain; charset=utf-8")
