"""The composition root: one store in memory, boundary layers once, the page, its callbacks and plain routes.

``create_app(settings)`` builds an app; ``server_from_env()`` builds one from the SCA_* environment variables for
``gunicorn 'dashboard.app:server_from_env()'``. Nothing is built on import.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
import flask

from dashboard import callbacks
from dashboard.model.source import EventSource
from dashboard.model.startup import check_store
from dashboard.model.view import View
from dashboard.page import opening
from dashboard.page.layout import build_layout
from dashboard.render import basemap, figures
from dashboard.settings import Settings
from dashboard.web import guard, import_jobs, routes, security
from geodata.places.boundaries import Boundaries

OPENING_CACHE_SIZE = 8  # addresses whose opening props are kept (dashboard.page.opening)
ASSETS = Path(__file__).resolve().parent.parent / "assets"
TITLE = "Sahel Conflict Atlas"
# plotly.js (4.6 MB) is loaded by the first graph to render, after the layout has arrived; asked for by the page
# itself, right after the renderer has sent for the layout, it is read before the layout is drawn. The graphs find
# it loaded (dcc fetches it only when window.Plotly is missing). (Doing the same for the graph, dropdown, slider
# and AG Grid chunks measured no faster: their reading delays the layout request as much as it saves.)
PLOTLY_NOW = '<script src="{prefix}_dash-component-suites/plotly/package_data/plotly.min.js"></script>'

# The plain routes beside Dash's own, one row each: (rule, handler in dashboard.web.routes, methods). The upload
# rows are left out when uploads are off (SCA_UPLOADS=off).
ROUTES: tuple[tuple[str, Callable[..., flask.Response], tuple[str, ...]], ...] = (
    ("/export.csv", routes.export_csv, ("GET",)),
    ("/export.geojson", routes.export_geojson, ("GET",)),
    (f"{routes.BOUNDARIES_PREFIX}<name>.geojson", routes.boundary_layer, ("GET",)),
    (basemap.STYLE_URL, routes.basemap_style, ("GET",)),
    (f"{basemap.BASEMAP_PREFIX}<name>.geojson", routes.basemap_layer, ("GET",)),
    ("/glyphs/<fontstack>/<glyph_range>.pbf", routes.glyph_range, ("GET",)),
)
UPLOAD_ROUTES: tuple[tuple[str, Callable[..., flask.Response], tuple[str, ...]], ...] = (
    ("/upload", routes.upload, ("POST",)),
    ("/upload/<job>", routes.upload_status, ("GET",)),
)


def create_app(settings: Settings) -> dash.Dash:
    """The whole dashboard for ``settings``: Dash serves its own scripts (no CDN) and ours from ``assets/``.

    Refuses to start (StoreSchemaError) on a store without the canonical columns; finishes or rolls back an
    interrupted import and removes stale temporary files and upload folders first.
    """
    check_store(settings.store)
    import_jobs.clean_stale()
    source = EventSource(settings.store)
    source.get()
    layers = map_layers(settings)
    app = dash.Dash(
        __name__,
        title=TITLE,
        assets_folder=str(ASSETS),
        serve_locally=True,
        external_scripts=[],
        external_stylesheets=[],
        update_title=None,
        # The upload form is left out of pages whose listener may not upload (dashboard/web/security.py), so its
        # callbacks may name components a page does not have.
        suppress_callback_exceptions=True,
    )
    security.check_hosts(app.server, settings)  # first: a foreign Host is refused before anything else runs
    app.index_string = app.index_string.replace(
        "{%renderer%}", "{%renderer%}" + PLOTLY_NOW.format(prefix=app.config.requests_pathname_prefix))
    keeper = security.Guard(settings)
    app.layout = functools.partial(_page, source, settings, keeper, _opening(source, layers, settings),
                                   app.config.requests_pathname_prefix)
    callbacks.register(app, source, layers, settings)
    served = routes.attach(app.server, source, settings, layers, keeper)
    for rule, handler, methods in ROUTES + (UPLOAD_ROUTES if served.jobs is not None else ()):
        app.server.add_url_rule(rule, handler.__name__, handler, methods=list(methods))
    guard.protect_dash_routes(app)
    security.protect(app.server, app.csp_hashes())
    return app


def map_layers(settings: Settings) -> figures.BoundaryLayers:
    """The boundary layers as the app uses them: simplified once, and referred to by their address."""
    return figures.boundary_layers(Boundaries.load(settings.boundaries)).served_at(routes.BOUNDARIES_PREFIX)


def _opening(source: EventSource, layers: figures.BoundaryLayers, settings: Settings
             ) -> Callable[[str, str], dict[opening.Prop, Any]]:
    """The props a page opened at an address starts with, for (store version, query): the last few are kept, as
    most pages open on the same few addresses (``/`` above all) and a million events take a tenth of a second."""

    @functools.lru_cache(maxsize=OPENING_CACHE_SIZE)
    def props(version: str, query: str) -> dict[opening.Prop, Any]:
        data = source.get()
        view, messages = View.from_query(query)
        view = data.canonical(view)
        return {**opening.address_props(data, view, messages, version, source.problem),
                **opening.drawn_props(data, view, layers, settings)}

    return props


def _page(source: EventSource, settings: Settings, keeper: security.Guard,
          props: Callable[[str, str], dict[opening.Prop, Any]], path: str = "/"):
    """Built per page load, drawn for the address the page was opened at (the query of its Referer when that is
    the atlas at ``path``, see dashboard.page.opening), so a reload after an upload shows the new events; the page gets
    its own upload permission, or no upload form when uploads are off for this listener."""
    request = flask.request if flask.has_request_context() else None
    csrf = keeper.new_token() if security.uploads_enabled(settings, request and request.environ) else None
    data = source.get()
    query = opening.address_query(request and request.referrer, path)
    return opening.with_props(build_layout(data.options(), settings.upload_limit_mb, csrf),
                              props(source.version, query))


def server_from_env() -> flask.Flask:
    """The Flask server of an app built from ``Settings.from_env()``: gunicorn's application factory
    (``gunicorn 'dashboard.app:server_from_env()'``)."""
    return create_app(Settings.from_env()).server
