"""The Dash application: one store in memory, boundary layers once, the page, its callbacks and plain routes.

``create_app(settings)`` builds an app; ``server`` (for ``gunicorn dashboard.app:server``) is built on first
access from ``Settings.from_env()``.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import dash

from dashboard import callbacks, figures, routes
from dashboard.events import EventData
from dashboard.layout import build_layout
from dashboard.settings import Settings
from geodata.boundaries import Boundaries
from geodata.schema import empty_events

ASSETS = Path(__file__).resolve().parent.parent / "assets"
TITLE = "Sahel Conflict Atlas"


class EventSource:
    """The event store in memory: read once per process, read again only when the file changes (an upload).

    Every callback and route asks :meth:`get`; the check is one ``stat`` call, so several worker processes
    all see an upload made through any one of them.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.problem: str | None = None
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._data: EventData | None = None

    def get(self) -> EventData:
        """The current events (an empty set, with :attr:`problem` saying why, when the store is missing)."""
        stamp = self._file_stamp()
        if self._data is None or stamp != self._stamp:
            with self._lock:
                if self._data is None or stamp != self._stamp:
                    self._data = self._read()
                    self._stamp = stamp
        return self._data

    @property
    def version(self) -> str:
        """Changes whenever the events do; callbacks use it to refresh after an upload."""
        self.get()
        return "missing" if self._stamp is None else f"{self._stamp[0]}-{self._stamp[1]}"

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _read(self) -> EventData:
        try:
            data = EventData.load(self.path)
        except (FileNotFoundError, ValueError) as error:
            self.problem = str(error)
            return EventData.from_frame(empty_events())
        self.problem = None
        # The free-text index takes a few seconds at a million events: build it now, off the request path.
        threading.Thread(target=data.prepare_search, name="search-index", daemon=True).start()
        return data


def create_app(settings: Settings) -> dash.Dash:
    """The whole dashboard for ``settings``: Dash serves its own scripts (no CDN) and ours from ``assets/``."""
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
    )
    app.layout = functools.partial(_page, source, settings)
    callbacks.register(app, source, layers, settings)
    routes.register(app.server, source, settings, layers)
    return app


def map_layers(settings: Settings) -> figures.BoundaryLayers:
    """The boundary layers as the app uses them: simplified once, and referred to by their address."""
    return figures.boundary_layers(Boundaries.load(settings.boundaries)).served_at(routes.BOUNDARIES_PREFIX)


def _page(source: EventSource, settings: Settings):
    """Built per page load so a reload after an upload offers the new values in the filters."""
    return build_layout(source.get().options(), settings.upload_limit_mb)


@functools.cache
def _default_app() -> dash.Dash:
    return create_app(Settings.from_env())


def __getattr__(name: str) -> object:
    # `gunicorn dashboard.app:server` reads this attribute; the app is built on that first access only.
    if name == "server":
        return _default_app().server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
