"""The page as first served for an address (dashboard/page/opening.py): the layout the browser asks for already
holds the view of the page that asked (its Referer), drawn; the page's scripts ask for plotly.js themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.model.events import EventData
from dashboard.model.view import View
from dashboard.page import ids
from dashboard.page.controls import part_views
from dashboard.page.opening import address_query, with_props
from dashboard.settings import Settings
from tests.fixtures.sample_events import write_sample_store


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return write_sample_store(tmp_path / "events.parquet")


@pytest.fixture
def client(store: Path):
    return create_app(Settings(store=store, upload_limit_mb=1)).server.test_client()


def components(tree: dict) -> dict[str, dict]:
    """Each component with an id in a /_dash-layout answer: id -> its props."""
    found: dict[str, dict] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and "props" in node:
            props = node["props"]
            if isinstance(props.get("id"), str):
                found[props["id"]] = props
            stack.extend(v for v in props.values() if isinstance(v, dict | list))
    return found


def opened(client, referrer: str | None) -> dict[str, dict]:
    headers = {"Referer": referrer} if referrer else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    return components(json.loads(response.data))


def test_the_layout_holds_the_view_of_the_address_that_asked_for_it(client, store):
    page = opened(client, "http://127.0.0.1:8050/?country=NE&start=2021-01-01")
    query = "start=2021-01-01&country=NE"
    view, _ = View.from_query(query)
    assert page[ids.VIEW_STORE]["data"]["query"] == view.to_query()
    # every part store as the view callback would write it, with the store's version
    version = page[ids.VIEW_STORE]["data"]["version"]
    for store_id, data in part_views(view, version).items():
        assert page[store_id]["data"] == data
    country = next(cid for cid, field in ids.DROPDOWNS.items() if field == "country")
    assert page[country]["value"] == ["NE"]
    assert "NE" in [o["value"] for o in page[country]["options"]]
    # the map, timeline, counter and tables are drawn for that view, not the default one
    events = EventData.load(store)
    shown = len(events.rows(view))
    assert 0 < shown < len(events)
    assert page[ids.MAP]["figure"]["layout"]["meta"]["view"] == view.to_query()
    assert page[ids.TIMELINE]["figure"]["data"]
    assert page[ids.COUNTER]["children"].startswith(f"{shown:,} event")
    assert page[ids.EXPORT_CSV]["href"] == f"/export.csv?{view.to_query()}"
    assert page[ids.EMPTY]["hidden"] is True
    assert {row["country_iso2"] for row in page[ids.REGIONS_GRID]["rowData"]} >= {"NE"}
    assert page[ids.SLIDER]["value"][0] > 0  # the slider starts at 2021, not at the first month


def test_without_a_referrer_the_layout_holds_the_default_view(client):
    page = opened(client, None)
    assert page[ids.VIEW_STORE]["data"]["query"] == ""
    assert page[ids.MAP]["figure"]["layout"]["meta"]["view"] == ""
    # another site's page, or another path of ours, is not an address of the atlas
    assert opened(client, "http://127.0.0.1:8050/export.csv?country=NE")[ids.VIEW_STORE]["data"]["query"] == ""


def test_an_address_with_a_bad_parameter_opens_with_its_message(client):
    page = opened(client, "http://127.0.0.1:8050/?country=NE&min_fatalities=lots")
    assert page[ids.VIEW_STORE]["data"]["query"] == "country=NE"
    messages = json.dumps(page[ids.MESSAGES]["children"])
    assert "min_fatalities" in messages


def test_each_page_still_gets_its_own_upload_permission(client):
    first, second = opened(client, "http://x/"), opened(client, "http://x/")  # same address: same cached props
    assert first[ids.UPLOAD_STATUS]["data-csrf"] != second[ids.UPLOAD_STATUS]["data-csrf"]
    assert first[ids.MAP]["figure"] == second[ids.MAP]["figure"]


def test_the_page_asks_for_plotly_right_after_the_renderer(client):
    html = client.get("/").data.decode()
    renderer = html.index('id="_dash-renderer"')
    plotly = html.index('src="/_dash-component-suites/plotly/package_data/plotly.min.js"')
    assert plotly > renderer
    assert client.get("/_dash-component-suites/plotly/package_data/plotly.min.js").status_code == 200


@pytest.mark.parametrize(("referrer", "query"), [
    (None, ""),
    ("", ""),
    ("http://127.0.0.1:8050/", ""),
    ("http://127.0.0.1:8050/?country=ML", "country=ML"),
    ("http://127.0.0.1:8050?country=ML", "country=ML"),
    ("http://127.0.0.1:8050/export.csv?country=ML", ""),
    ("http://127.0.0.1:8050/?q=a%26b#frag", "q=a%26b"),
])
def test_address_query_reads_the_referring_page(referrer, query):
    assert address_query(referrer) == query


def test_with_props_sets_each_prop_on_its_component_and_skips_missing_ids():
    from dash import html

    tree = html.Div([html.Span(id="a"), html.Div(html.P(id="b"))])
    with_props(tree, {("a", "children"): "one", ("b", "title"): "two", ("missing", "children"): "x"})
    assert tree.children[0].children == "one"
    assert tree.children[1].children.title == "two"
