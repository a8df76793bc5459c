"""Place lookup: names to points and admin units, points to admin units.

The entry point: :class:`Geocoder` (a name to a place), :class:`Boundaries` (a point to its region and admin-2
unit), :class:`Gazetteer` (the bundled place list). Inside: ``gazetteer`` (GeoNames plus our curated files),
``index`` (the geocoder's lookup arrays built from both), ``cache`` (the disk cache both the index and the
boundaries' join tiles use), ``boundaries`` (admin polygons) and ``geocode`` (the matching rules).

``Boundaries`` and ``Gazetteer`` are imported on first use: a geocoder over a cached index loads without pandas or
geopandas, and importing this package keeps it so.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from geodata.places.geocode import Geocoder, GeocodeResult, PlaceNotFound

if TYPE_CHECKING:
    from geodata.places.boundaries import Boundaries
    from geodata.places.gazetteer import Gazetteer

__all__ = ["Boundaries", "Gazetteer", "GeocodeResult", "Geocoder", "PlaceNotFound"]
_LAZY = {"Boundaries": "geodata.places.boundaries", "Gazetteer": "geodata.places.gazetteer"}


def __getattr__(name: str) -> object:
    """``Boundaries`` and ``Gazetteer`` on first access (they import geopandas / pandas)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'geodata.places' has no attribute {name!r}")
