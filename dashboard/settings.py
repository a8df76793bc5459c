"""Dashboard configuration: one object, filled from SCA_* environment variables and CLI flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from geodata.settings import Settings as PipelineSettings

ENV_PREFIX = "SCA_"


@dataclass(frozen=True)
class Settings:
    """What the app can be told. Env names: SCA_STORE, SCA_HOST, SCA_PORT, SCA_DEBUG, SCA_MAP_STYLE,
    SCA_UPLOAD_LIMIT_MB, SCA_BOUNDARIES, SCA_PAGE_SIZE."""

    store: Path = PipelineSettings().store
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    # "offline" draws on a blank background with our own layers; any other value is a Plotly
    # map style name (e.g. "open-street-map") that needs an internet connection for its tiles.
    map_style: str = "offline"
    upload_limit_mb: int = 200
    boundaries: Path | None = None
    page_size: int = 100

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``env`` (default ``os.environ``), then apply non-None ``overrides``."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = env.get(ENV_PREFIX + field.name.upper())
            if raw not in (None, ""):
                values[field.name] = _parse(field.name, raw)
        return cls(**values).with_overrides(**overrides)

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with every override that is not None applied."""
        clean = {
            k: (Path(v) if k in {"store", "boundaries"} else v)
            for k, v in overrides.items()
            if v is not None
        }
        return replace(self, **clean)

    def pipeline(self) -> PipelineSettings:
        """The pipeline settings that go with this app (same store and boundaries)."""
        return PipelineSettings.from_env(store=self.store, boundaries=self.boundaries, progress=False)


def _parse(name: str, raw: str) -> object:
    if name in {"store", "boundaries"}:
        return Path(raw)
    if name in {"port", "upload_limit_mb", "page_size"}:
        return int(raw)
    if name == "debug":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return raw
