"""Pipeline configuration: one object, filled from environment variables and CLI flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Self

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
REPO_DIR = PACKAGE_DIR.parent

ENV_PREFIX = "SCA_"


class EnvSettings:
    """Mixin for frozen settings dataclasses: ``SCA_<FIELD>`` environment variables, then explicit overrides.

    Values are parsed by the field's annotated type (Path, int, float, bool or str); a bad value is a
    ValueError naming the variable.
    """

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Self:
        """Build settings from ``env`` (default ``os.environ``), then apply non-None ``overrides``."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for field in fields(cls):
            name = ENV_PREFIX + field.name.upper()
            raw = env.get(name)
            if raw not in (None, ""):
                try:
                    values[field.name] = _parse(str(field.type), raw)
                except ValueError as error:
                    raise ValueError(f"{name}={raw!r}: {error}") from None
        return cls(**values).with_overrides(**overrides)

    def with_overrides(self, **overrides: object) -> Self:
        """A copy with every override that is not None applied (strings become ``Path`` where the field is one)."""
        types = {field.name: str(field.type) for field in fields(self)}
        clean = {
            key: _path_or_url(value) if "Path" in types[key] and isinstance(value, str) else value
            for key, value in overrides.items()
            if value is not None
        }
        return replace(self, **clean)


def _parse(annotation: str, raw: str) -> object:
    if "Path" in annotation:
        return _path_or_url(raw)
    if annotation == "bool":
        lowered = raw.strip().lower()
        if lowered not in _TRUE | _FALSE:
            raise ValueError("expected one of " + ", ".join(sorted(_TRUE | _FALSE)))
        return lowered in _TRUE
    if annotation == "int":
        return int(raw)
    if annotation == "float":
        return float(raw)
    return raw


def _path_or_url(raw: str) -> Path | str:
    """A path, except a ``postgresql://`` store URL, which stays text (a Path would fold its ``//``)."""
    return raw if raw.startswith(("postgresql://", "postgres://")) else Path(raw)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Settings(EnvSettings):
    """Everything the pipeline can be told; nothing else reads the environment.

    Environment variables are the upper-cased field names prefixed by ``SCA_``
    (``SCA_STORE``, ``SCA_BOUNDARIES``, ``SCA_FUZZY_THRESHOLD``, ...).
    """

    # A GeoParquet file, or a PostGIS database as a libpq URL (postgresql://user:password@host:port/dbname).
    store: Path | str = REPO_DIR / "data" / "events.parquet"
    seeds_dir: Path = REPO_DIR / "seeds"
    # Optional finer admin boundaries (.shp, zipped .shp, .gpkg, .geojson) replacing our admin-1 layer.
    boundaries: Path | None = None
    # rapidfuzz WRatio score (0-100) below which a fuzzy match is refused.
    fuzzy_threshold: float = 88.0
    progress: bool = True
    # Where the geocoder keeps its built index and the layers learned from stores (never committed).
    cache_dir: Path = REPO_DIR / "data" / "cache"
    # Whether the geocoder learns place names from the store's events (SCA_LEARN=0 turns it off).
    learn: bool = True

    @property
    def quarantine(self) -> Path | str:
        """The quarantine beside the store: ``<store name>.quarantine.csv`` (a table in a PostGIS store)."""
        return self._side("quarantine")

    @property
    def revisions(self) -> Path | str:
        """Where values replaced by newer revisions of stored events are logged: ``<store name>.revisions.csv``."""
        return self._side("revisions")

    @property
    def admin1_report(self) -> Path | str:
        """Where events whose admin-1 (ours) differs from the source's are listed, next to the store."""
        return self._side("admin_differences")

    def _side(self, name: str) -> Path | str:
        from geodata.store.base import side_place

        return side_place(self.store, name)
