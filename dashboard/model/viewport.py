"""Where the user is looking on the map: read from the map's ``relayoutData``, or implied by where it opens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# The zooms a map can show; a reported zoom outside them is clamped (MapLibre's own range).
MIN_ZOOM, MAX_ZOOM = 0.0, 22.0
# Assumed map size in pixels when the browser has not reported its viewport yet.
MAP_PIXELS = (1100, 620)
# Events just outside the viewport are drawn too (this share of its width/height on each side), so a small pan
# does not leave an empty margin while the next figure is on its way.
MARGIN = 0.25


@dataclass(frozen=True)
class Viewport:
    """A zoom level, the longitude/latitude bounds the map shows and its centre."""

    zoom: float
    west: float
    south: float
    east: float
    north: float
    lon: float
    lat: float

    @property
    def center(self) -> dict[str, float]:
        return {"lon": self.lon, "lat": self.lat}

    @classmethod
    def around(cls, center: dict[str, float], zoom: float, pixels: tuple[int, int] = MAP_PIXELS) -> Viewport:
        """What a map of ``pixels`` shows at ``center`` and ``zoom`` (Web Mercator, 512-pixel tiles)."""
        zoom = clamp_zoom(zoom)
        per_pixel = 360.0 / (512 * 2.0**zoom)
        half_w = pixels[0] / 2 * per_pixel
        half_h = pixels[1] / 2 * per_pixel * float(np.cos(np.radians(center["lat"])))
        return cls(zoom, center["lon"] - half_w, center["lat"] - half_h, center["lon"] + half_w,
                   center["lat"] + half_h, center["lon"], center["lat"])

    @classmethod
    def from_relayout(cls, relayout: dict[str, Any] | None) -> Viewport | None:
        """The viewport in a map's ``relayoutData`` (``map.zoom``, ``map.center``, ``map._derived.coordinates``)."""
        relayout = relayout or {}
        try:
            zoom = float(relayout["map.zoom"])
            center = np.array([relayout["map.center"]["lon"], relayout["map.center"]["lat"]], dtype=float)
            corners = np.asarray(relayout["map._derived"]["coordinates"], dtype=float)
        except (KeyError, TypeError, ValueError, OverflowError):
            return None
        if corners.shape != (4, 2) or not (np.isfinite(corners).all() and np.isfinite(center).all()
                                           and np.isfinite(zoom)):
            return None
        zoom = clamp_zoom(zoom)
        lon, lat = np.clip(corners[:, 0], -540.0, 540.0), np.clip(corners[:, 1], -90.0, 90.0)
        center = np.array([np.clip(center[0], -540.0, 540.0), np.clip(center[1], -90.0, 90.0)])
        return cls(zoom, float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()), float(center[0]),
                   float(center[1]))

    def padded(self, share: float = MARGIN) -> Viewport:
        """This viewport grown by ``share`` of its width and height on every side."""
        dx, dy = (self.east - self.west) * share, (self.north - self.south) * share
        return Viewport(self.zoom, self.west - dx, self.south - dy, self.east + dx, self.north + dy, self.lon,
                        self.lat)


def clamp_zoom(zoom: float) -> float:
    """``zoom`` within :data:`MIN_ZOOM`..:data:`MAX_ZOOM` (0 for anything not finite)."""
    zoom = float(zoom)
    return min(max(zoom, MIN_ZOOM), MAX_ZOOM) if np.isfinite(zoom) else MIN_ZOOM
