"""No 500 from input: every server callback and every route, driven with generated bodies (Hypothesis, bounded in
count and time), answers with an update, no update (204) or a 4xx message, never a 5xx."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.fixtures.sample_events import write_sample_store

EXAMPLES = 60  # per callback or route: ~10 callbacks and routes, a minute or two in all on a 2-core machine
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    store = write_sample_store(tmp_path_factory.mktemp("fuzz") / "events.parquet")
    return create_app(Settings(store=store, upload_limit_mb=1, max_points=10))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def callbacks(client) -> list[dict]:
    """The server-side callbacks as the page declares them to Dash's renderer."""
    return [d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")]


# Values that broke callbacks before (issue 13) plus everything JSON can carry.
odd_numbers = st.sampled_from([-1e6, 1e6, 10**12, -(10**18), 1e308, -1e308, 0.5, -0.0, 30, -1])
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63), odd_numbers,
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                    st.sampled_from(["abc", "", "<b>x</b>", "?query=5&start=1999-99-99", "ML|Gao", "desc",
                                     "\x00", "OR", "inRange", "contains", "2020-01-01"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(st.sampled_from(["range", "x", "points", "map", "query", "version", "startRow", "endRow",
                                     "sortModel", "filterModel", "colId", "sort", "conditions", "operator",
                                     "filterType", "type", "filter", "rowId", "rev", "relayout", "map.zoom",
                                     "map.center", "lon", "lat", "map._derived", "coordinates", "lassoPoints",
                                     "xaxis.range[0]", "xaxis.range[1]", "xaxis.range"]), inner, max_size=6),
), max_leaves=20)
grid_requests = st.fixed_dictionaries({}, optional={
    "startRow": json_values, "endRow": json_values,
    "sortModel": st.one_of(json_values, st.lists(st.fixed_dictionaries(
        {"colId": st.sampled_from(["date_start", "notes", "fatalities", "nope"]),
         "sort": st.sampled_from(["asc", "desc", 5])}), max_size=300)),
    "filterModel": st.one_of(json_values, st.dictionaries(st.sampled_from(["notes", "fatalities", "date_start"]),
                                                          json_values, max_size=3)),
})
viewports = st.fixed_dictionaries({"rev": json_values, "relayout": st.fixed_dictionaries({
    "map.zoom": st.one_of(odd_numbers, json_values),
    "map.center": st.fixed_dictionaries({"lon": st.floats(-1e9, 1e9), "lat": st.floats(-1e9, 1e9)}),
    "map._derived": st.fixed_dictionaries({"coordinates": st.lists(st.lists(
        st.floats(allow_nan=True, allow_infinity=True), min_size=2, max_size=2), min_size=4, max_size=4)}),
})})


def value_for(prop: str):
    if prop == "getRowsRequest":
        return st.one_of(grid_requests, json_values)
    if prop == "data":
        return st.one_of(viewports, json_values)
    return json_values


def body(dependency: dict, values: list) -> dict:
    output = dependency["output"]
    parts = [p for p in output.strip(".").split("...") if p]
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    inputs = [{**i, "value": v} for i, v in zip(dependency["inputs"], values, strict=False)]
    state = [{**s, "value": v} for s, v in zip(dependency["state"], values[len(inputs):], strict=False)]
    changed = [f"{i['id']}.{i['property']}" for i in dependency["inputs"][:1]]
    return {"output": output, "outputs": outputs if output.startswith("..") else outputs[0], "inputs": inputs,
            "state": state, "changedPropIds": changed}


def post_json(client, payload) -> int:
    text = json.dumps(payload, allow_nan=True)
    return client.post("/_dash-update-component", data=text, content_type="application/json").status_code


def test_every_callback_answers_generated_bodies_without_a_5xx(client, callbacks):
    assert len(callbacks) >= 6
    for dependency in callbacks:
        fuzz_one(client, dependency)()


def fuzz_one(client, dependency: dict):
    """A Hypothesis test for one callback: generated values for its inputs and state, one input as the trigger."""
    props = [d["property"] for d in dependency["inputs"] + dependency["state"]]

    @FUZZ
    @given(st.tuples(*[value_for(p) for p in props]), st.integers(0, len(dependency["inputs"]) - 1))
    def check(values, trigger):
        payload = body(dependency, list(values))
        first = dependency["inputs"][trigger]
        payload["changedPropIds"] = [f"{first['id']}.{first['property']}"]
        status = post_json(client, payload)
        assert status < 500, (dependency["output"][:60], payload)

    return check


@FUZZ
@given(json_values)
def test_malformed_callback_requests_get_a_4xx(client, callbacks, junk):
    assert post_json(client, junk) < 500
    dependency = callbacks[0]
    broken = {**body(dependency, [None] * 40), "inputs": junk}
    assert post_json(client, broken) < 500
    response = client.post("/_dash-update-component", data=b"{not json", content_type="application/json")
    assert response.status_code < 500


@FUZZ
@given(st.dictionaries(st.sampled_from(["start", "end", "country", "admin1", "group", "event_type", "dataset",
                                        "min_fatalities", "precision", "q", "bbox", "colour", "mode", "metric",
                                        "x"]),
                       st.one_of(st.text(max_size=30), st.sampled_from(["-1e6", "nan", "1e400", "ML,,", "%00",
                                                                        "-6,13,4,18", "999999999999"])),
                       max_size=6),
       st.sampled_from(["/export.csv", "/export.geojson", "/", "/boundaries/admin1.geojson", "/boundaries/x.geojson",
                        "/upload/1-abcd", "/upload/x"]))
def test_routes_answer_generated_queries_without_a_5xx(client, query, route):
    response = client.get(route, query_string=query)
    assert response.status_code < 500, (route, query)
    response.close()


@FUZZ
@given(st.text(max_size=300), st.binary(max_size=2000), st.sampled_from(["auto", "acled", "ucdp", "x", ""]))
def test_uploads_of_generated_names_and_bodies_never_5xx(client, name, data, kind):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    token = re.search(r'"data-csrf":\s*"([^"]+)"', layout).group(1)
    response = client.post("/upload", query_string={"name": name, "kind": kind, "wait": "1"}, data=data,
                           content_type="application/octet-stream",
                           headers={"Origin": "http://localhost", "X-CSRF-Token": token})
    assert response.status_code < 500 or response.status_code == 503, (name, data[:50])
    result = json.loads(response.data)
    assert isinstance(result["message"], str) and "<html" not in result["message"].lower()


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    from geodata import store
    from geodata.synthetic import synthetic_events

    path = tmp_path_factory.mktemp("big") / "events.parquet"
    store.write_store(synthetic_events(60_000, seed=13), path)
    return path


@pytest.mark.parametrize("zoom", [30, 22, 12, -1e6, 1e6, math.nan, 0])
def test_the_map_payload_stays_under_its_bound_for_made_up_viewports(big_store, zoom):
    """A made-up zoom with corners around the whole world: the zoom is clamped and bins coarsened, so the map
    stays under the README's 1.5 MB with the default SCA_MAX_POINTS."""
    from dashboard.app import map_layers
    from dashboard.model.events import EventData
    from dashboard.model.view import View
    from dashboard.model.viewport import Viewport
    from dashboard.render import parts
    from dashboard.render.figures import MAX_POINTS

    data = EventData.load(big_store)
    layers = map_layers(Settings(store=big_store))
    relayout = {"map.zoom": zoom, "map.center": {"lon": 0, "lat": 15},
                "map._derived": {"coordinates": [[-180, 85], [180, 85], [180, -85], [-180, -85]]}}
    viewport = Viewport.from_relayout(relayout)
    assert viewport is None or 0 <= viewport.zoom <= 22
    figure = parts.map_for(data, View(), layers, max_points=MAX_POINTS, viewport=viewport)
    drawn = sum(len(t.lon if t.lon is not None else ()) for t in figure.data if t.name != "regions")
    assert drawn <= MAX_POINTS + 1
    assert len(figure.to_json().encode()) < 1_500_000
