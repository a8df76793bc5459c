"""The offline basemap: a MapLibre style with names, drawn from our own data and served by this app.

Nothing leaves 127.0.0.1: label glyphs (Noto Sans Regular PBFs, SIL OFL) are served at
``/glyphs/{fontstack}/{range}.pbf``, towns, rivers and lakes at ``/basemap/{name}.geojson`` and the boundary
and region-label layers at ``/boundaries/{name}.geojson`` (see :mod:`dashboard.web.routes`). The style refers to
every layer by its address, so a figure carries a few kilobytes of style, never the geometry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geodata.settings import DATA_DIR

BASEMAP_DIR = DATA_DIR / "basemap"
GLYPHS_DIR = DATA_DIR / "glyphs"
BASEMAP_PREFIX = "/basemap/"
GLYPHS_URL = "/glyphs/{fontstack}/{range}.pbf"
BOUNDARIES_PREFIX = "/boundaries/"  # where dashboard.web.routes serves the boundary layers
FONT = "Noto Sans Regular"
BASEMAP_LAYERS = ("towns", "rivers", "lakes")
# Figures name the style by this address (a few bytes) instead of carrying its 5 KB in every map update.
STYLE_URL = f"{BASEMAP_PREFIX}style.json"
MAX_AGE_S = 86_400  # glyphs and basemap files change only with a new release
_RANGE = re.compile(r"^(\d{1,5})-(\d{1,5})$")
# The id of the first label layer: event traces are drawn just below it, so names stay readable above points.
LABELS_START = "river-labels"

# Boundary lines, drawn in the style (below the events) so they load with the basemap, not after it:
# (source and layer name, colour, width in pixels), finest first.
BOUNDARY_LINES = (("admin1", "#b3aa98", 0.7), ("neighbours", "#a39b8c", 1.0), ("focus", "#4d473e", 1.6))

PAPER = "#f2efe9"
WATER = "#a9cbe0"
RIVER = "#7fb0cf"
HALO = "rgba(255,255,255,0.9)"
HALO_WIDTH = 1.8  # pixels: a name stays readable over a dark (ISGS black, JNIM blue) point under it
INK = "#3d3a35"


def _ranks_up_to(rank: int) -> list:
    return ["case", ["<=", ["get", "rank"], rank], 1, 0]


# From this zoom the second rank of towns (regional seats: Gao, Mopti, Dori, Ménaka) is named: a phone shows the
# three countries at about zoom 4.2, and the towns of the war must be named there too, not only on a desktop.
RANK2_MINZOOM = 3.8
# Town dots follow their labels' zoom thresholds (see _town_layer calls below): 1 from zoom 3, 2 from 3.8, ...
_TOWNS_SHOWN = ["step", ["zoom"], _ranks_up_to(1), RANK2_MINZOOM, _ranks_up_to(2), 6.5, _ranks_up_to(3), 8, 1]
# Where names collide, a town of Mali, Burkina Faso or Niger is placed before a bigger one across the border.
FOCUS_COUNTRIES = ["ML", "BF", "NE"]
FOCUS_WEIGHT = 10


def _source(url: str) -> dict[str, Any]:
    return {"type": "geojson", "data": url}


def _text(size: Any, colour: str = INK, **layout: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A symbol layer's layout and paint for a halo'd label of ``size``."""
    return (
        {"text-field": ["get", "name"], "text-font": [FONT], "text-size": size, **layout},
        {"text-color": colour, "text-halo-color": HALO, "text-halo-width": HALO_WIDTH},
    )


def _town_layer(rank: int, minzoom: float, size: float) -> dict[str, Any]:
    layout, paint = _text(size, "#2b2925", **{
        "text-variable-anchor": ["left", "right", "top", "bottom"], "text-radial-offset": 0.45,
        "text-justify": "auto", "symbol-sort-key": ["-", 0, ["*", ["get", "population"], [
            "match", ["get", "country"], FOCUS_COUNTRIES, FOCUS_WEIGHT, 1]]], "text-optional": False,
    })
    return {"id": f"town-labels-{rank}", "type": "symbol", "source": "towns", "minzoom": minzoom,
            "filter": ["==", ["get", "rank"], rank], "layout": layout, "paint": paint}


def offline_style() -> dict[str, Any]:
    """The offline MapLibre style: paper, lakes, rivers, town dots, then (above the events) river, region, town
    and country names. Boundary lines come from the figure's own layers, below the events."""
    river_layout, river_paint = _text(11, "#3f7aa3", **{"symbol-placement": "line", "text-letter-spacing": 0.1,
                                                         "symbol-spacing": 400})
    region_layout, region_paint = _text(["interpolate", ["linear"], ["zoom"], 4, 10, 8, 14], "#7b6f5d", **{
        "text-transform": "uppercase", "text-letter-spacing": 0.12, "text-max-width": 8})
    country_layout, country_paint = _text(["interpolate", ["linear"], ["zoom"], 3, 12, 7, 18], "#4d473e", **{
        "text-transform": "uppercase", "text-letter-spacing": 0.25, "text-max-width": 10})
    return {
        "version": 8,
        "name": "sca-offline",
        "transition": {"duration": 0, "delay": 0},
        "glyphs": GLYPHS_URL,
        "sources": {
            "towns": _source(f"{BASEMAP_PREFIX}towns.geojson"),
            "rivers": _source(f"{BASEMAP_PREFIX}rivers.geojson"),
            "lakes": _source(f"{BASEMAP_PREFIX}lakes.geojson"),
            **{name: _source(f"{BOUNDARIES_PREFIX}{name}.geojson") for name, _, _ in BOUNDARY_LINES},
            "admin1-labels": _source(f"{BOUNDARIES_PREFIX}admin1_labels.geojson"),
            "country-labels": _source(f"{BOUNDARIES_PREFIX}country_labels.geojson"),
        },
        "layers": [
            {"id": "background", "type": "background", "paint": {"background-color": PAPER}},
            {"id": "lakes", "type": "fill", "source": "lakes", "paint": {"fill-color": WATER}},
            {"id": "rivers", "type": "line", "source": "rivers",
             "layout": {"line-cap": "round", "line-join": "round"},
             "paint": {"line-color": RIVER, "line-width": ["interpolate", ["linear"], ["zoom"], 3, 0.8, 8, 2.5]}},
            {"id": "town-dots", "type": "circle", "source": "towns",
             "paint": {"circle-radius": ["interpolate", ["linear"], ["zoom"], 3, 1.6, 9, 3.2],
                       "circle-color": "#ffffff", "circle-stroke-color": "#4d473e", "circle-stroke-width": 1,
                       "circle-opacity": _TOWNS_SHOWN, "circle-stroke-opacity": _TOWNS_SHOWN}},
            *[{"id": f"{name}-lines", "type": "line", "source": name, "paint": {"line-color": colour,
                                                                                "line-width": width}}
              for name, colour, width in BOUNDARY_LINES],
            {"id": LABELS_START, "type": "symbol", "source": "rivers", "minzoom": 5,
             "filter": ["!=", ["get", "name"], ""], "layout": river_layout, "paint": river_paint},
            {"id": "lake-labels", "type": "symbol", "source": "lakes", "minzoom": 6,
             "filter": ["!=", ["get", "name"], ""], "layout": river_layout | {"symbol-placement": "point"},
             "paint": river_paint},
            {"id": "admin1-labels", "type": "symbol", "source": "admin1-labels", "minzoom": 4.5, "maxzoom": 9,
             "layout": region_layout, "paint": region_paint},
            _town_layer(4, 8.0, 11),
            _town_layer(3, 6.5, 11.5),
            _town_layer(2, RANK2_MINZOOM, 12.5),
            _town_layer(1, 3.0, 13.5),
            {"id": "country-labels", "type": "symbol", "source": "country-labels", "maxzoom": 7,
             "layout": country_layout, "paint": country_paint},
        ],
    }


@dataclass(frozen=True)
class BasemapFiles:
    """The bundled basemap as served: the style, the towns/rivers/lakes layers and the glyph ranges, as bytes."""

    style: bytes
    layers: dict[str, bytes]
    glyphs: dict[str, bytes]


def bundled_files(basemap_dir: Path = BASEMAP_DIR, glyphs_dir: Path = GLYPHS_DIR) -> BasemapFiles:
    """Read the bundled basemap once (dashboard.web.routes serves it)."""
    return BasemapFiles(
        style=json.dumps(offline_style(), ensure_ascii=False, separators=(",", ":")).encode(),
        layers={name: (basemap_dir / f"{name}.geojson").read_bytes() for name in BASEMAP_LAYERS},
        glyphs={path.stem: path.read_bytes() for path in sorted(glyphs_dir.glob("*.pbf"))},
    )


def is_glyph_range(name: str) -> bool:
    """Whether ``name`` is a MapLibre glyph range such as ``0-255`` (256 code points from a multiple of 256)."""
    match = _RANGE.match(name)
    return bool(match) and int(match.group(2)) - int(match.group(1)) == 255 and int(match.group(1)) % 256 == 0
