"""Boundary files and the point join, on the committed shapefiles and real temp files written from them."""

from __future__ import annotations

import os
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geodata.places.boundaries import (
    BOUNDARIES_DIR,
    Boundaries,
    admin1_disagreements,
    admin_key,
    difference_lines,
    load_boundaries,
    source_differences,
)
from geodata.rebuild.boundaries import build_layers, write_layers
from geodata.settings import DATA_DIR

MENAKA = (15.91985, 2.39609)


def events(points: dict[str, tuple[float, float] | None], index: list | None = None, crs: str = "EPSG:4326"):
    """A GeoDataFrame of named (lat, lon) points; None gives a row without geometry."""
    names = list(points)
    geometry = [None if p is None else shapely.Point(p[1], p[0]) for p in points.values()]
    frame = gpd.GeoDataFrame({"location": names}, geometry=geometry, crs="EPSG:4326", index=index)
    return frame.to_crs(crs)


@pytest.fixture(scope="module")
def bounds() -> Boundaries:
    return Boundaries.load()


def as_records(frame: pd.DataFrame) -> list[tuple]:
    cols = ["location", "country_iso2", "admin1", "admin2"]
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame[cols].itertuples(index=False)]


def test_known_towns_join_to_their_country_region_and_province(bounds):
    points = {
        "Djibo": (14.09864, -1.62665),
        "Niono": (14.25054, -5.98679),
        "Ouallam": (14.31641, 2.08597),
        "Ménaka": MENAKA,
        "Fassala": (15.5571, -5.516),
        "Atlantic": (12.0, -30.0),
        "Paris": (48.8566, 2.3522),
        "no point": None,
    }
    joined = bounds.join(events(points, index=[70, 3, 5, 11, 2, 40, 9, 1]))
    assert list(joined.index) == [70, 3, 5, 11, 2, 40, 9, 1]
    assert as_records(joined) == [
        ("Djibo", "BF", "Sahel", "Soum"),
        ("Niono", "ML", "Ségou", "Niono"),
        ("Ouallam", "NE", "Tillabéri", "Ouallam"),
        ("Ménaka", "ML", "Ménaka", "Menaka"),
        ("Fassala", "MR", None, None),
        ("Atlantic", None, None, None),
        ("Paris", None, None, None),
        ("no point", None, None, None),
    ]
    for column in ("country_iso2", "admin1", "admin2"):
        assert joined[column].dtype == "string"


def test_every_reference_place_lands_in_its_reference_region(bounds):
    ref = pd.read_csv(DATA_DIR / "places_reference.csv")
    pts = gpd.GeoDataFrame(ref, geometry=gpd.points_from_xy(ref.longitude, ref.latitude), crs="EPSG:4326")
    joined = bounds.join(pts)
    assert (joined["country_iso2"] == ref["country_iso2"]).all()
    # The reference admin1 is Natural Earth's polygon name: the province for Burkina Faso, the region elsewhere
    # (Mali's old frame: Ménaka region is the former Ménaka cercle of Gao).
    ours = joined["admin2"].where(joined["country_iso2"] == "BF", joined["admin1"])
    ours = ours.where(ours != "Ménaka", "Gao")
    focus = ref["country_iso2"].isin(["ML", "BF", "NE"])
    assert (ours[focus] == ref.loc[focus, "admin1"]).all()
    assert joined.loc[focus, "admin2"].notna().all()


def test_join_keeps_duplicate_index_order_and_other_columns(bounds):
    frame = events({"Djibo": (14.09864, -1.62665), "Niono": (14.25054, -5.98679)}, index=[4, 4])
    frame["admin1"] = "stale"
    joined = bounds.join(frame)
    assert list(joined["admin1"]) == ["Sahel", "Ségou"]
    assert list(joined["location"]) == ["Djibo", "Niono"]
    assert list(frame["admin1"]) == ["stale", "stale"], "the input frame must not be modified"


def test_join_reprojects_projected_points(bounds):
    joined = bounds.join(events({"Djibo": (14.09864, -1.62665)}, crs="EPSG:3857"))
    assert as_records(joined) == [("Djibo", "BF", "Sahel", "Soum")]


def test_join_of_empty_frame(bounds):
    joined = bounds.join(events({}))
    assert len(joined) == 0 and {"country_iso2", "admin1", "admin2"} <= set(joined.columns)


def test_point_on_a_shared_border_gives_exactly_one_row(bounds):
    units = bounds.units.set_index("admin2")
    border = shapely.intersection(units.geometry["Soum"].boundary, units.geometry["Oudalan"].boundary)
    vertex = shapely.get_coordinates(border)[0]
    frame = events({"on the Soum/Oudalan line": (vertex[1], vertex[0]), "Djibo": (14.09864, -1.62665)})
    joined = bounds.join(frame)
    assert len(joined) == 2
    assert joined["admin2"].iloc[0] in {"Soum", "Oudalan"}
    assert bounds.join(frame)["admin2"].iloc[0] == joined["admin2"].iloc[0]


def test_point_on_a_corner_of_the_join_grid_gives_one_row(bounds):
    segou = bounds.admin1.set_index("admin1").geometry["Ségou"]
    minx, miny = segou.bounds[:2]
    corners = [(minx + 0.5 * i, miny + 0.5 * j) for i in range(1, 12) for j in range(1, 12)]
    x, y = next((x, y) for x, y in corners if segou.buffer(-0.01).contains(shapely.Point(x, y)))
    joined = bounds.join(events({"grid corner": (y, x)}))
    assert as_records(joined)[0][:3] == ("grid corner", "ML", "Ségou")
    assert len(joined) == 1 and joined["admin2"].notna().all()


def test_join_matches_a_plain_point_in_polygon_test(bounds):
    """The tiled, deduplicated join against an obvious reference: first layer polygon that covers the point."""
    minx, miny, maxx, maxy = bounds.admin0.total_bounds
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(minx, maxx, 5000), rng.uniform(miny, maxy, 5000)
    joined = bounds.join(gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"))
    points = shapely.points(lon, lat)
    expected_units = np.full(len(points), None, dtype=object)
    expected_country = np.full(len(points), None, dtype=object)
    for country, admin1, polygon in zip(
        bounds.units["country_iso2"], bounds.units["admin1"], bounds.units.geometry, strict=True
    ):
        inside = shapely.covers(polygon, points) & (expected_country == None)  # noqa: E711
        expected_units[inside], expected_country[inside] = admin1, country
    for country, polygon in zip(bounds.admin0["country_iso2"], bounds.admin0.geometry, strict=True):
        expected_country[shapely.covers(polygon, points) & (expected_country == None)] = country  # noqa: E711
    assert joined["country_iso2"].astype(object).where(joined["country_iso2"].notna(), None).tolist() == list(
        expected_country
    )
    assert joined["admin1"].astype(object).where(joined["admin1"].notna(), None).tolist() == list(expected_units)
    assert joined["admin1"].notna().sum() > 500 and joined["country_iso2"].isna().sum() > 500


def test_layers_have_the_documented_fields_and_rows(bounds):
    assert list(bounds.admin0.columns) == ["country_iso2", "name", "geometry"]
    assert sorted(bounds.admin0["country_iso2"]) == sorted(
        ["ML", "BF", "NE", "MR", "DZ", "SN", "GN", "CI", "GH", "TG", "BJ", "NG", "TD", "LY"]
    )
    assert list(bounds.admin1.columns) == ["country_iso2", "admin1", "geometry"]
    assert bounds.admin1.groupby("country_iso2").size().to_dict() == {"BF": 13, "ML": 10, "NE": 8}
    assert "Ménaka" in set(bounds.admin1["admin1"])
    assert list(bounds.units.columns) == ["country_iso2", "admin1", "admin2", "geometry"]
    assert bounds.units.groupby("country_iso2").size().to_dict() == {"BF": 45, "ML": 50, "NE": 67}
    assert bounds.units["admin2"].notna().all()
    assert bounds.admin0.crs.equals("EPSG:4326")
    assert shapely.coverage_is_valid(bounds.admin0.geometry.values)
    # The units tile each country exactly (fitted to admin0) and do not overlap.
    for iso in ("ML", "BF", "NE"):
        units = bounds.units.loc[bounds.units["country_iso2"] == iso].geometry.values
        country = bounds.admin0.loc[bounds.admin0["country_iso2"] == iso].geometry.iloc[0]
        assert shapely.area(shapely.symmetric_difference(shapely.union_all(units), country)) < 1e-9
        assert abs(shapely.area(units).sum() - country.area) < 1e-6


def test_load_is_cached(bounds):
    assert Boundaries.load() is bounds


def test_bundled_files_are_small():
    total = sum(p.stat().st_size for p in BOUNDARIES_DIR.iterdir() if p.is_file())
    assert 0 < total < 5 * 1024 * 1024


# --- load_boundaries: formats and schemas -------------------------------------------------------------------


def ocha_mali(bounds: Boundaries) -> gpd.GeoDataFrame:
    """An OCHA COD-AB-like admin-2 file for Mali (each region cut into a west and an east half), in EPSG:3857."""
    ml = bounds.admin1[bounds.admin1["country_iso2"] == "ML"].set_index("admin1").geometry
    shapes = dict(ml.items())
    rows = []
    for i, (region, geom) in enumerate(sorted(shapes.items()), start=1):
        west, east = (geom.intersection(half) for half in _halves(geom))
        for j, part in enumerate((west, east), start=1):
            rows.append(
                {
                    "ADM0_PCODE": "ML",
                    "ADM0_FR": "Mali",
                    "ADM1_PCODE": f"ML{i:02d}",
                    "ADM1_FR": region,
                    "ADM2_PCODE": f"ML{i:02d}{j:02d}",
                    "ADM2_FR": f"{region} {'ouest' if j == 1 else 'est'}",
                    "geometry": part,
                }
            )
    return gpd.GeoDataFrame(rows, crs="EPSG:4326").to_crs("EPSG:3857")


def _halves(geom):
    minx, miny, maxx, maxy = geom.bounds
    mid = (minx + maxx) / 2
    return shapely.box(minx - 1, miny - 1, mid, maxy + 1), shapely.box(mid, miny - 1, maxx + 1, maxy + 1)


def test_load_committed_shapefile():
    units = load_boundaries(BOUNDARIES_DIR / "units.shp")
    assert list(units.columns) == ["country_iso2", "admin1", "admin2", "geometry"]
    assert len(units) == 162 and units.crs.equals("EPSG:4326")
    assert units.loc[units["admin2"] == "Soum", "admin1"].tolist() == ["Sahel"]


def test_load_zipped_shapefile(tmp_path):
    archive = tmp_path / "admin1.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in sorted(BOUNDARIES_DIR.glob("admin1.*")):
            z.write(part, part.name)
    frame = load_boundaries(archive)
    assert len(frame) == 31 and frame["admin2"].isna().all()
    assert "Tillabéri" in set(frame["admin1"])


def test_ocha_geopackage_override_fills_menaka_and_admin2(tmp_path, bounds):
    path = tmp_path / "mli_adm2.gpkg"
    ocha_mali(bounds).to_file(path, layer="mli_admbnda_adm2", engine="pyogrio")
    frame = load_boundaries(path, layer="mli_admbnda_adm2")
    assert frame.crs.equals("EPSG:4326")
    assert set(frame["country_iso2"]) == {"ML"} and "Ménaka" in set(frame["admin1"])

    custom = Boundaries.load(path)
    assert Boundaries.load(path) is custom
    assert set(custom.admin1.loc[custom.admin1["country_iso2"] == "ML", "admin1"]) >= {"Ménaka", "Gao", "Kidal"}
    assert len(custom.admin1[custom.admin1["country_iso2"] == "ML"]) == 10
    joined = custom.join(
        events(
            {"Ménaka": MENAKA, "Gao": (16.27167, -0.04472), "Djibo": (14.09864, -1.62665), "Fassala": (15.5571, -5.516)}
        )
    )
    assert as_records(joined) == [
        ("Ménaka", "ML", "Ménaka", "Ménaka ouest"),
        ("Gao", "ML", "Gao", "Gao ouest"),
        ("Djibo", "BF", "Sahel", "Soum"),
        ("Fassala", "MR", None, None),
    ]


def test_edited_override_file_is_reloaded(tmp_path, bounds):
    path = tmp_path / "mali.geojson"
    ocha = ocha_mali(bounds)
    ocha.to_file(path, driver="GeoJSON", engine="pyogrio")
    first = Boundaries.load(path)
    ocha.assign(ADM1_FR=ocha["ADM1_FR"].replace({"Ménaka": "Menaka region"})).to_file(
        path, driver="GeoJSON", engine="pyogrio"
    )
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = Boundaries.load(path)
    assert second is not first
    assert second.join(events({"Ménaka": MENAKA}))["admin1"].tolist() == ["Menaka region"]


def test_shapefile_without_crs_is_read_as_lon_lat_and_points_are_refused(tmp_path):
    # `iso2`: the 10-character DBF name our own shapefiles use for country_iso2.
    shapes = gpd.GeoDataFrame({"iso2": ["ML"], "admin1": ["Gao"]}, geometry=[shapely.box(0, 15, 1, 16)], crs=None)
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        shapes.to_file(tmp_path / "nocrs.shp", engine="pyogrio")
    assert load_boundaries(tmp_path / "nocrs.shp").crs.equals("EPSG:4326")
    points = gpd.GeoDataFrame({"country_iso2": ["ML"], "admin1": ["Gao"]}, geometry=[shapely.Point(0, 15)], crs=4326)
    points.to_file(tmp_path / "points.gpkg", engine="pyogrio")
    with pytest.raises(ValueError, match=r"points\.gpkg.*must be polygons, found Point"):
        load_boundaries(tmp_path / "points.gpkg")


def test_gadm_geojson_and_natural_earth_schemas(tmp_path, bounds):
    bf = bounds.units[bounds.units["country_iso2"] == "BF"]
    gadm = gpd.GeoDataFrame(
        {"GID_0": "BFA", "NAME_0": "Burkina Faso", "NAME_1": bf["admin1"], "NAME_2": bf["admin2"]},
        geometry=bf.geometry.values,
        crs="EPSG:4326",
    )
    gadm.to_file(tmp_path / "gadm41_BFA_2.json", driver="GeoJSON", engine="pyogrio")
    frame = load_boundaries(tmp_path / "gadm41_BFA_2.json")
    assert set(frame["country_iso2"]) == {"BF"}
    assert frame.loc[frame["admin2"] == "Soum", "admin1"].tolist() == ["Sahel"]

    natural_earth = gpd.GeoDataFrame(
        {
            "iso_a2": bounds.units["country_iso2"],
            "name": bounds.units["admin2"].fillna(bounds.units["admin1"]),
            "region": bounds.units["admin2"].where(bounds.units["admin2"].isna(), bounds.units["admin1"]),
        },
        geometry=bounds.units.geometry.values,
        crs="EPSG:4326",
    )
    natural_earth.to_file(tmp_path / "ne.geojson", driver="GeoJSON", engine="pyogrio")
    frame = load_boundaries(tmp_path / "ne.geojson")
    pd.testing.assert_frame_equal(
        frame.drop(columns="geometry"), bounds.units.drop(columns="geometry").reset_index(drop=True)
    )


def test_missing_file_names_the_path(tmp_path):
    missing = tmp_path / "nowhere.shp"
    with pytest.raises(FileNotFoundError, match="nowhere.shp"):
        load_boundaries(missing)
    with pytest.raises(FileNotFoundError, match="nowhere.shp"):
        Boundaries.load(missing)


def test_file_without_admin_fields_names_file_and_fields(tmp_path):
    path = tmp_path / "shapes.geojson"
    gpd.GeoDataFrame({"id": [1], "colour": ["red"]}, geometry=[shapely.box(0, 10, 1, 11)], crs="EPSG:4326").to_file(
        path, driver="GeoJSON", engine="pyogrio"
    )
    with pytest.raises(ValueError, match=r"shapes\.geojson.*no admin fields.*id, colour"):
        load_boundaries(path)


def test_override_outside_the_three_countries_is_refused(tmp_path, bounds):
    path = tmp_path / "ghana.geojson"
    gpd.GeoDataFrame(
        {"country_iso2": ["GH"], "admin1": ["Upper East"]}, geometry=[shapely.box(-1, 10.5, 0, 11)], crs="EPSG:4326"
    ).to_file(path, driver="GeoJSON", engine="pyogrio")
    with pytest.raises(ValueError, match="covers none of ML, BF, NE"):
        Boundaries.load(path)


# --- border points ------------------------------------------------------------------------------------------


def test_border_point_lies_on_the_shared_border(bounds):
    lat, lon = bounds.border_point("GH", "BF")
    point = shapely.Point(lon, lat)
    countries = bounds.admin0.set_index("country_iso2").geometry
    one_km = 1 / 111.0
    for code in ("GH", "BF"):
        assert shapely.distance(point, countries[code].boundary) < one_km
    assert shapely.distance(point, countries["GH"].intersection(countries["BF"].buffer(one_km / 10))) < one_km
    assert bounds.border_point("bf", "gh") == pytest.approx((lat, lon), abs=0.002)


def test_border_point_of_non_neighbours_raises(bounds):
    with pytest.raises(ValueError, match="share no border"):
        bounds.border_point("GH", "ML")
    with pytest.raises(ValueError, match="no country 'FR'"):
        bounds.border_point("FR", "ML")


# --- admin1 disagreements -----------------------------------------------------------------------------------


def test_admin1_disagreements_ignores_accents_and_missing_values():
    frame = pd.DataFrame(
        {
            "event_id": ["a:1", "a:2", "a:3", "a:4", "a:5"],
            "location": ["Ouallam", "Ménaka", "Djibo", "Gao", "Kidal"],
            "country_iso2": ["NE", "ML", "BF", "ML", "ML"],
            "admin1": ["Tillabéri", "Gao", "Sahel", pd.NA, "Kidal"],
            "source_admin1": ["Tillaberi", "Menaka", "Sahel", "Gao", pd.NA],
            "fatalities": [1, 2, 3, 4, 5],
        },
        index=[10, 20, 30, 40, 50],
    ).astype({"admin1": "string", "source_admin1": "string"})
    out = admin1_disagreements(frame)
    assert out[["event_id", "location", "country_iso2", "admin1", "source_admin1"]].values.tolist() == [
        ["a:2", "Ménaka", "ML", "Gao", "Menaka"]
    ]
    assert out["reason"].tolist() == ["admin-1: ours Gao, source Menaka"]
    assert admin1_disagreements(frame.iloc[:0]).empty


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Région de Ségou", "segou"),
        ("Segou region", "segou"),
        ("Province du Soum", "soum"),
        ("Soum province", "soum"),
        ("Ansongo cercle", "ansongo"),
        ("Tillabéri department", "tillaberi"),
        ("Centre-Nord region", "centrenord"),
        ("Plateau Central", "plateaucentral"),
        ("Est", "est"),
    ],
)
def test_admin_key_drops_accents_case_and_unit_words(name, key):
    assert admin_key(name) == key


def test_source_differences_use_aliases_and_cover_country_admin1_admin2():
    rows = [
        # event_id, ours (country, admin1, admin2), the source's (country, admin1, admin2), geo_note
        ("same:1", "ML", "Timbuktu", "Tombouctou", "ML", "Tombouctou", "Tombouctou cercle", None),
        ("same:2", "NE", "Tillabéri", "Ouallam", "NE", "Tillabery", "Ouallam department", None),
        ("same:3", "BF", "Sahel", "Soum", "BF", "Sahel region", "Soum province", None),
        ("same:4", "ML", "Ménaka", "Menaka", "ML", "Menaka", "Inekar", None),  # a 2016 cercle of the old one
        ("same:5", "BF", "Boucle du Mouhoun", "Mou Houn", "BF", "Boucle du Mouhoun", "Mouhoun", None),
        ("same:6", "ML", "Timbuktu", "Goundam", "ML", "Taoudenit", None, None),  # old frame, documented
        ("same:7", "ML", "Timbuktu", "Tombouctou", "ML", "Taoudeni", "Araouane", None),  # a cercle we lack
        ("diff:1", "ML", "Gao", "Gao", "ML", "Kidal", "Kidal", None),
        ("diff:2", "BF", "Sahel", "Soum", "BF", "Sahel", "Oudalan", None),
        ("diff:3", "DZ", None, None, "ML", "Kidal", "Tessalit", "source says Mali; the point lies in Algeria"),
    ]
    columns = ["event_id", "country_iso2", "admin1", "admin2", "source_country_iso2", "source_admin1",
               "source_admin2", "geo_note"]
    frame = pd.DataFrame(rows, columns=columns).astype("string")
    report = source_differences(frame)
    assert report["event_id"].tolist() == ["diff:1", "diff:2", "diff:3"]
    assert report["kinds"].tolist() == ["admin-1", "admin-2", "country"]
    assert report["reason"].tolist() == [
        "admin-1: ours Gao, source Kidal",
        "admin-2: ours Soum, source Oudalan",
        "country: source says Mali; the point lies in Algeria",
    ]
    lines = difference_lines(frame, report)
    assert lines == [
        "country differs for 1 of 10 events (10.0%): DZ for ML 1",
        "admin-1 differs for 1 of 9 events (11.1%): Gao for Kidal 1",
        "admin-2 differs for 1 of 8 events (12.5%): Soum for Oudalan 1",
    ]


# --- rebuild ------------------------------------------------------------------------------------------------


def test_rebuild_dissolves_provinces_and_writes_identical_bytes(tmp_path):
    square = shapely.box
    source = gpd.GeoDataFrame(
        {
            "iso_a2": ["BF", "BF", "BF", "ML", "MR"],
            "admin": ["Burkina Faso", "Burkina Faso", "Burkina Faso", "Mali", "Mauritania"],
            "name": ["Soum", "Oudalan", "Kadiogo", "Gao", "Hodh ech Chargui"],
            "region": ["Sahel", "Sahel", "Centre", "", ""],
            "adm1_code": ["BFA-2806", "BFA-2805", "BFA-2815", "MLI-2690", "MRT-1"],
        },
        geometry=[
            square(0, 0, 1, 1),
            square(1, 0, 2, 1),
            shapely.Polygon([(0, -1), (2, -1), (2, 0), (1, 0), (0, 0)]),
            shapely.Polygon([(0, 1), (1, 1), (2, 1), (2, 2), (0, 2)]),
            shapely.Polygon([(-1, 0), (0, 0), (0, 1), (0, 2), (-1, 2)]),
        ],
        crs="EPSG:4326",
    )
    layers = build_layers(source)
    assert layers["admin1"][["country_iso2", "admin1"]].values.tolist() == [
        ["BF", "Centre"],
        ["BF", "Sahel"],
        ["ML", "Gao"],
    ]
    assert layers["admin1"].geometry.iloc[1].equals(square(0, 0, 2, 1))
    units = layers["units"].astype({"admin2": object}).where(layers["units"].notna(), None)
    assert units[["country_iso2", "admin1", "admin2"]].values.tolist() == [
        ["BF", "Centre", "Kadiogo"],
        ["BF", "Sahel", "Oudalan"],
        ["BF", "Sahel", "Soum"],
        ["ML", "Gao", None],
    ]
    assert layers["admin0"]["country_iso2"].tolist() == ["BF", "ML", "MR"]
    assert layers["admin0"].geometry.iloc[0].equals(square(0, -1, 2, 1))
    assert shapely.coverage_is_valid(layers["admin0"].geometry.values)

    first = write_layers(layers, tmp_path / "a")
    second = write_layers(build_layers(source), tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    loaded = load_boundaries(tmp_path / "a" / "units.shp")
    assert loaded["admin2"].isna().tolist() == [False, False, False, True]
    assert np.isclose(shapely.area(loaded.geometry.values).sum(), 6.0)


def test_rebuild_refuses_overlapping_source():
    source = gpd.GeoDataFrame(
        {"iso_a2": ["ML", "ML"], "admin": ["Mali", "Mali"], "name": ["Gao", "Kidal"], "region": ["", ""]},
        geometry=[shapely.box(0, 0, 2, 2), shapely.box(1, 1, 3, 3)],
        crs="EPSG:4326",
    )
    with pytest.raises(ValueError, match="not a clean polygon coverage"):
        build_layers(source)


def test_fit_units_clips_to_the_outline_fills_gaps_and_names_regions():
    from geodata.rebuild.boundaries import fit_units

    outline = shapely.box(0, 0, 4, 2)
    # West overshoots the outline to the west; a 0.1-wide gap between the two units; East overshoots north.
    finer = gpd.GeoDataFrame(
        {"name": ["West", "East", "Menaka"]},
        geometry=[shapely.box(-1, 0, 1.9, 2), shapely.box(2, 0, 3, 2.5), shapely.box(3, 0, 4, 2)],
        crs="EPSG:4326",
    )
    regions = gpd.GeoDataFrame(
        {"admin1": ["A", "B"]}, geometry=[shapely.box(0, 0, 2.2, 2), shapely.box(2.2, 0, 4, 2)], crs="EPSG:4326"
    )
    fitted = fit_units(finer, outline, regions, {"Menaka": "Ménaka"})
    assert fitted[["admin1", "admin2"]].values.tolist() == [["A", "West"], ["B", "East"], ["Ménaka", "Menaka"]]
    assert shapely.union_all(fitted.geometry.values).equals(outline)
    assert abs(shapely.area(fitted.geometry.values).sum() - outline.area) < 1e-9
    assert fitted.geometry.iloc[0].bounds[0] == 0


def test_border_rule_keeps_the_source_country_within_10_km(bounds):
    points = {
        "Tin Zaouaten": ((19.9625, 2.8575), "ML"),  # 0.3 km inside Algeria
        "near Diffa": ((13.27, 12.65), "NE"),  # 2 km inside Nigeria
        "south of Diffa": ((13.10, 12.70), "NE"),  # 18 km inside Nigeria
        "Djibo": ((14.09864, -1.62665), "BF"),
        "Kerawa": ((11.18, 13.91), "CM"),  # not a covered country: nothing to keep
        "unnamed": ((19.9625, 2.8575), None),
        "Cameroon side": ((11.0, 13.78), "NG"),  # 3 km outside the covered area, from Nigeria
    }
    frame = events({name: p for name, (p, _) in points.items()})
    frame["source_country_iso2"] = pd.array([c for _, c in points.values()], dtype="string")
    out = bounds.keep_source_country(bounds.join(frame))
    assert as_records(out) == [
        ("Tin Zaouaten", "ML", "Kidal", "Abeibara"),
        ("near Diffa", "NE", "Diffa", "Diffa"),
        ("south of Diffa", "NG", None, None),
        ("Djibo", "BF", "Sahel", "Soum"),
        ("Kerawa", None, None, None),
        ("unnamed", "DZ", None, None),
        ("Cameroon side", "NG", None, None),
    ]
    notes = out["geo_note"].tolist()
    assert notes[0] == "source's country kept (Mali): the point lies in Algeria, 0.3 km from it"
    assert notes[1].startswith("source's country kept (Niger): the point lies in Nigeria, 2.")
    assert notes[2] == "source says Niger; the point lies in Nigeria, more than 10 km away: join kept"
    assert pd.isna(notes[3]) and pd.isna(notes[4]) and pd.isna(notes[5])
    assert notes[6] == "source's country kept (Nigeria): the point lies outside the covered area, 3.1 km from it"
    assert out["country_iso2"].dtype == "string" and out["geo_note"].dtype == "string"
