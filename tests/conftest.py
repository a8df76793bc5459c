"""Fixtures the unit tests share: the 30 sample events in memory and map layers from the sample boundaries; the
real gazetteer's geocoder and boundaries (``tests/fixtures/places.py``; a module may define its own ``geocoder``).

A module that needs the events read back from a real store file defines its own ``data``.
"""

from __future__ import annotations

import pytest

from dashboard.model.events import EventData
from dashboard.render.figures import BoundaryLayers, boundary_layers
from tests.fixtures.places import boundaries, geocoder  # noqa: F401  (fixtures shared by the geocoder tests)
from tests.fixtures.sample_events import sample_boundaries, sample_events


@pytest.fixture(scope="session")
def data() -> EventData:
    return EventData.from_frame(sample_events())


@pytest.fixture(scope="session")
def layers() -> BoundaryLayers:
    return boundary_layers(sample_boundaries())


@pytest.fixture(scope="session")
def postgis():
    """A throwaway PostgreSQL 15 + PostGIS 3 cluster for this test session (bench/postgis.py)."""
    from bench import postgis as pg

    why = pg.missing()
    if why:
        pytest.skip(why)
    cluster = pg.Cluster.start()
    yield cluster
    cluster.stop()
