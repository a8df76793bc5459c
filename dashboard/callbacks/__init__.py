"""The Dash callbacks, thin: each reads its inputs by name and calls the pure functions of model/, render/ and page/.

``register(app, source, layers, settings)`` attaches them all: the view flow (:mod:`.flow`: URL and controls ->
the view), the parts drawn from it (:mod:`.draw`), the event card (:mod:`.card`), the upload's status
(:mod:`.upload`) and the browser-side ones (:mod:`.clientside`). A new figure gets its callback in :mod:`.draw`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.callbacks import card, clientside, draw, flow, upload

if TYPE_CHECKING:
    import dash

    from dashboard.model.source import EventSource
    from dashboard.render.figures import BoundaryLayers
    from dashboard.settings import Settings


def register(app: dash.Dash, source: EventSource, layers: BoundaryLayers, settings: Settings) -> None:
    """Attach every callback of the page to ``app``."""
    flow.register(app, source)
    draw.register(app, source, layers, settings)
    card.register(app, source)
    upload.register(app)
    clientside.register(app)
