"""Pipeline configuration: one object, filled from environment variables and CLI flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
REPO_DIR = PACKAGE_DIR.parent

ENV_PREFIX = "SCA_"


@dataclass(frozen=True)
class Settings:
    """Everything the pipeline can be told; nothing else reads the environment.

    Environment variables are the upper-cased field names prefixed by ``SCA_``
    (``SCA_STORE``, ``SCA_BOUNDARIES``, ``SCA_FUZZY_THRESHOLD``, ...).
    """

    store: Path = REPO_DIR / "data" / "events.parquet"
    seeds_dir: Path = REPO_DIR / "seeds"
    # Optional finer admin boundaries (.shp, zipped .shp, .gpkg, .geojson) replacing our admin-1 layer.
    boundaries: Path | None = None
    # rapidfuzz WRatio score (0-100) below which a fuzzy match is refused.
    fuzzy_threshold: float = 88.0
    progress: bool = True

    @property
    def quarantine(self) -> Path:
        """The quarantine CSV that sits next to the store: ``<store name>.quarantine.csv``."""
        return self.store.parent / f"{self.store.stem}.quarantine.csv"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``env`` (default ``os.environ``), then apply non-None ``overrides``."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = env.get(ENV_PREFIX + field.name.upper())
            if raw is None or raw == "":
                continue
            values[field.name] = _parse(field.name, raw)
        settings = cls(**values)
        return settings.with_overrides(**overrides)

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with every override that is not None applied (paths converted to ``Path``)."""
        clean = {k: (Path(v) if k in _PATH_FIELDS and v is not None else v) for k, v in overrides.items()}
        return replace(self, **{k: v for k, v in clean.items() if v is not None})


_PATH_FIELDS = {"store", "seeds_dir", "boundaries"}


def _parse(name: str, raw: str) -> object:
    if name in _PATH_FIELDS:
        return Path(raw)
    if name == "fuzzy_threshold":
        return float(raw)
    if name == "progress":
        return raw.strip().lower() not in {"0", "false", "no", "off"}
    return raw
