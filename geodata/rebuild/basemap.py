"""Rebuild the offline basemap: towns, rivers, lakes (small GeoJSON) and the map-label glyph PBFs.

``python -m geodata.rebuild.basemap [--reference DIR] [--out DIR] [--glyphs-out DIR] [--skip-glyphs]``

- towns from our gazetteer (GeoNames cities500 plus the curated supplement, so names are spelt as the
  geocoder spells them: Ménaka, Tillabéri), ranked by population for zoom-dependent labels;
- rivers and lakes from the Natural Earth 10m Sahel subsets in ``--reference`` (default
  ``/work/shared/reference/basemap``), simplified;
- the Noto Sans Regular glyph ranges the labels need, from ``npm pack tileserver-gl-styles@2.0.0``.

Output is deterministic (sorted features, rounded coordinates). See geodata/PROVENANCE.md, "Basemap".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import shapely

from geodata.places.gazetteer import VILLAGE_PREFIX
from geodata.schema import FOCUS
from geodata.settings import DATA_DIR

DEFAULT_REFERENCE = Path("/work/shared/reference/basemap")
DEFAULT_OUT = DATA_DIR / "basemap"
DEFAULT_GLYPHS = DATA_DIR / "glyphs"
NPM_GLYPHS = "tileserver-gl-styles@2.0.0"
FONT = "Noto Sans Regular"
# Basic Latin + Latin-1 (é, è, ï), Latin Extended-A/B (ō, ţ) and General Punctuation (– ’ …): every character
# of our place, region, river and country names. Other ranges are answered with an empty glyph set.
GLYPH_RANGES = ("0-255", "256-511", "8192-8447")
RIVERS = "ne_10m_rivers_lake_centerlines_sahel.geojson"
LAKES = "ne_10m_lakes_sahel.geojson"
# This Natural Earth conversion mangles Lac Débo's name ("Lake Dbo").
LAKE_NAMES = {"Lake Dbo": "Lac Débo"}
SIMPLIFY = 0.005  # degrees; about 500 m, finer than a pixel below zoom 8
PRECISION = 1e-3
# Towns: every gazetteer place in ML/BF/NE with at least this many people, every curated place (the villages
# of the war), and the larger neighbouring towns.
MIN_FOCUS_POPULATION = 5_000
MIN_NEIGHBOUR_POPULATION = 250_000
# rank 1: capitals and cities of 500k+, 2: 100k+ or region capitals, 3: 20k+, 4: the rest (zoom-dependent).
RANK_POPULATION = ((1, 500_000), (2, 100_000), (3, 20_000))


def towns(places: pd.DataFrame) -> dict:
    """Gazetteer places as label points: name (the gazetteer's spelling), country, population, rank."""
    # The village tier (places_villages.csv) helps read text; it does not label the map.
    places = places[~places.index.astype(str).str.startswith(VILLAGE_PREFIX)]
    population = places["population"].fillna(0).astype("int64")
    focus = places["country_iso2"].isin(FOCUS)
    keep = (focus & ((population >= MIN_FOCUS_POPULATION) | places["supplement"].astype(bool))) | (
        ~focus & (population >= MIN_NEIGHBOUR_POPULATION))
    chosen = places[keep.to_numpy()].assign(population=population[keep.to_numpy()])
    chosen = chosen.dropna(subset=["latitude", "longitude"])
    # One label per name and country: the curated row (listed first) or the most populous GeoNames row.
    chosen = chosen.sort_values(["supplement", "population"], ascending=[False, False], kind="stable")
    chosen = chosen.drop_duplicates(["name", "country_iso2"])
    # A curated row pointing at a GeoNames id replaces that GeoNames row (same place, better name).
    ids = chosen["geonameid"]
    dup_id = ids.notna() & ids.duplicated(keep="first")
    chosen = chosen[~dup_id.to_numpy()]
    rank = pd.Series(4, index=chosen.index)
    for level, threshold in reversed(RANK_POPULATION):
        rank[chosen["population"] >= threshold] = level
    rank[(chosen["kind"] == "region_capital") & (rank > 2)] = 2
    chosen = chosen.assign(rank=rank).sort_values(["rank", "population", "name"], ascending=[True, False, True])
    features = [
        {"type": "Feature", "properties": {"name": str(row.name), "country": str(row.country_iso2),
                                           "population": int(row.population), "rank": int(row.rank)},
         "geometry": {"type": "Point", "coordinates": [round(float(row.longitude), 4), round(float(row.latitude), 4)]}}
        for row in chosen.itertuples(index=False)
    ]
    return {"type": "FeatureCollection", "features": features}


def natural_earth(path: Path, kind: str) -> dict:
    """A Natural Earth layer simplified and rounded, with only ``name`` (and ``scalerank``) kept."""
    source = json.loads(path.read_text(encoding="utf-8"))
    features = []
    for feature in source["features"]:
        props = feature.get("properties") or {}
        name = props.get("name")
        name = LAKE_NAMES.get(name, name)
        shape = shapely.geometry.shape(feature["geometry"])
        shape = shapely.set_precision(shapely.simplify(shape, SIMPLIFY, preserve_topology=True), PRECISION)
        if shape.is_empty:
            continue
        features.append({
            "type": "Feature",
            "properties": {"name": name or "", "scalerank": int(props.get("scalerank") or 10), "kind": kind},
            "geometry": json.loads(shapely.to_geojson(shape)),
        })
    features.sort(key=lambda f: (f["properties"]["scalerank"], f["properties"]["name"]))
    return {"type": "FeatureCollection", "features": features}


def fetch_glyphs(out: Path) -> list[Path]:
    """``npm pack`` the glyph package in a temporary folder and copy :data:`GLYPH_RANGES` of :data:`FONT`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="sca-glyphs-") as tmp:
        subprocess.run(["npm", "pack", NPM_GLYPHS, "--silent"], cwd=tmp, check=True, capture_output=True)
        tarball = next(Path(tmp).glob("tileserver-gl-styles-*.tgz"))
        with tarfile.open(tarball) as archive:
            for name in ("LICENSE.md", *(f"fonts/{FONT}/{r}.pbf" for r in GLYPH_RANGES)):
                member = archive.getmember(f"package/{name}")
                data = archive.extractfile(member).read()
                target = out / ("LICENSE.md" if name == "LICENSE.md" else Path(name).name)
                target.write_bytes(data)
                written.append(target)
    return written


def write_json(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geodata.rebuild.basemap", description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--glyphs-out", type=Path, default=DEFAULT_GLYPHS)
    parser.add_argument("--skip-glyphs", action="store_true", help="do not run npm pack")
    args = parser.parse_args(argv)
    from geodata.places.gazetteer import Gazetteer

    write_json(towns(Gazetteer.load().places), args.out / "towns.geojson")
    write_json(natural_earth(args.reference / RIVERS, "river"), args.out / "rivers.geojson")
    write_json(natural_earth(args.reference / LAKES, "lake"), args.out / "lakes.geojson")
    if not args.skip_glyphs:
        fetch_glyphs(args.glyphs_out)
    for path in sorted(args.out.glob("*.geojson")):
        print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
