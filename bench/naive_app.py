"""The naive Dash app the browser benchmark compares ours with: the whole store in pandas, a RangeSlider of months,
a country dropdown, and one map of every event of the chosen months and countries through ``px.scatter_map``, drawn
on a style that fetches nothing.

``python -m bench.naive_app --store PATH [--port 8060]``. It uses our page's ids for the map, the slider and the
country dropdown.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import dash
import pandas as pd
from dash import Input, Output, dcc, html

from bench.naive import naive_frame, naive_map, naive_mask
from dashboard.model.view import View
from dashboard.page.ids import DROPDOWNS, MAP, SLIDER

COUNTRY = next(cid for cid, field in DROPDOWNS.items() if field == "country")


def create_app(store: Path, window: tuple[str, str] | None = None) -> dash.Dash:
    """Read the store and draw the first map (every event, or those of ``window``: start and end dates), as a
    tutorial app does before serving."""
    frame = naive_frame(store)
    months = pd.period_range(frame["date_start"].min(), frame["date_start"].max(), freq="M")
    value = [0, len(months) - 1]
    first = frame
    if window:
        value = [int(months.searchsorted(pd.Period(day, freq="M"))) for day in window]
        value = [max(0, min(v, len(months) - 1)) for v in value]
        first = frame[naive_mask(frame, View(start=months[value[0]].start_time.date(),
                                             end=months[value[1]].end_time.date()))]
    app = dash.Dash(__name__, serve_locally=True)
    app.layout = html.Div([
        dcc.RangeSlider(id=SLIDER, min=0, max=len(months) - 1, step=1, value=value,
                        marks={i: str(m.year) for i, m in enumerate(months) if m.month == 1}),
        dcc.Dropdown(id=COUNTRY, options=sorted(frame["country_iso2"].dropna().unique()), multi=True,
                     placeholder="All"),
        dcc.Graph(id=MAP, figure=naive_map(first), style={"height": "520px"}),
    ])

    @app.callback(Output(MAP, "figure"), Input(SLIDER, "value"), Input(COUNTRY, "value"), prevent_initial_call=True)
    def redraw(value: list[int], countries: list[str] | None) -> object:
        view = View(start=months[value[0]].start_time.date(), end=months[value[1]].end_time.date(),
                    country=tuple(countries or ()))
        return naive_map(frame[naive_mask(frame, view)])

    return app


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8060)
    parser.add_argument("--start", help="open on this window: first day (YYYY-MM-DD)")
    parser.add_argument("--end", help="open on this window: last day (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    window = (args.start, args.end) if args.start and args.end else None
    create_app(args.store, window).run(host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
