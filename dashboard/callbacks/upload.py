"""The upload's callback: the import's answer (sent by the browser, assets/app.js ``upload``) shown as text."""

from __future__ import annotations

import dash
from dash import Input, Output, html, no_update

from dashboard.page import ids
from dashboard.web.guard import guarded


def show_upload(result: dict | None) -> list:
    """The import's summary line, how it differs from the source, and the first quarantine reasons, or why
    nothing was imported (always as text)."""
    if not result:
        return no_update
    children: list = [html.P(str(result.get("message", "")), className="ok" if result.get("ok") else "error")]
    for key in ("notes", "reasons"):
        lines = result.get(key) or []
        if isinstance(lines, list) and lines:
            children.append(html.Ul([html.Li(str(line)) for line in lines], className=key))
    return children


def register(app: dash.Dash) -> None:
    """Attach :func:`show_upload` to the upload's result."""
    app.callback(Output(ids.UPLOAD_STATUS, "children"), inputs={"result": Input(ids.UPLOAD_RESULT, "data")},
                 prevent_initial_call=True)(guarded(show_upload))
