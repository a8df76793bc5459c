"""The offline basemap: our glyphs and layers served by the app, spelled as the gazetteer spells them."""

from __future__ import annotations

import json

import pytest

from dashboard.app import create_app
from dashboard.render import basemap
from dashboard.settings import Settings
from geodata.rebuild.basemap import GLYPH_RANGES
from tests.fixtures.sample_events import write_sample_store


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = write_sample_store(tmp_path_factory.mktemp("basemap") / "events.parquet")
    return create_app(Settings(store=store)).server.test_client()


def test_glyph_ranges_are_served_for_any_font_stack(client):
    for glyph_range in GLYPH_RANGES:
        response = client.get(f"/glyphs/Noto Sans Regular/{glyph_range}.pbf")
        assert response.status_code == 200 and response.mimetype == "application/x-protobuf"
        assert response.data == (basemap.GLYPHS_DIR / f"{glyph_range}.pbf").read_bytes()
        assert len(response.data) > 10_000
    # Plotly's own default stack gets our font too; a range we do not ship is an empty, valid glyph set
    assert client.get("/glyphs/Open Sans Regular,Arial Unicode MS Regular/0-255.pbf").data == (
        basemap.GLYPHS_DIR / "0-255.pbf").read_bytes()
    empty = client.get("/glyphs/Noto Sans Regular/19968-20223.pbf")
    assert empty.status_code == 200 and empty.data == b""
    assert client.get("/glyphs/Noto Sans Regular/0-999.pbf").status_code == 404
    assert client.get("/glyphs/Noto Sans Regular/passwd.pbf").status_code == 404


def test_basemap_layers_are_small_and_named_like_the_gazetteer(client):
    towns = client.get("/basemap/towns.geojson")
    assert towns.status_code == 200 and towns.headers["Cache-Control"].startswith("public")
    names = {f["properties"]["name"]: f["properties"] for f in json.loads(towns.data)["features"]}
    assert {"Ménaka", "Tillabéri", "Niamey", "Ouagadougou", "Bamako", "Gao", "Djibo"} <= set(names)
    assert "Menaka" not in names and "Tillaberi" not in names
    assert names["Niamey"]["rank"] == 1 and names["Ménaka"]["rank"] == 2  # a region capital shows early
    rivers = {f["properties"]["name"] for f in json.loads(client.get("/basemap/rivers.geojson").data)["features"]}
    assert {"Niger", "Bani", "Mouhoun"} <= rivers
    lakes = {f["properties"]["name"] for f in json.loads(client.get("/basemap/lakes.geojson").data)["features"]}
    assert "Lac Débo" in lakes and "Lake Dbo" not in lakes
    for name in basemap.BASEMAP_LAYERS:
        assert (basemap.BASEMAP_DIR / f"{name}.geojson").stat().st_size < 200_000
    assert client.get("/basemap/nope.geojson").status_code == 404


def test_region_and_country_labels_are_served_with_the_boundaries(client):
    regions = json.loads(client.get("/boundaries/admin1_labels.geojson").data)
    assert "Tillabéri" in {f["properties"]["name"] for f in regions["features"]}
    countries = json.loads(client.get("/boundaries/country_labels.geojson").data)
    assert {"Mali", "Burkina Faso", "Niger"} <= {f["properties"]["name"] for f in countries["features"]}


def test_every_source_of_the_offline_style_is_served(client):
    style = json.loads(client.get(basemap.STYLE_URL).data)
    assert style == basemap.offline_style()
    for source in style["sources"].values():
        assert client.get(source["data"]).status_code == 200, source["data"]
    glyphs = style["glyphs"].replace("{fontstack}", basemap.FONT).replace("{range}", "0-255")
    assert client.get(glyphs).status_code == 200
