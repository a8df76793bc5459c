"""Dashboard configuration: one object, filled from SCA_* environment variables and CLI flags."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from dashboard.render.figures import MAX_POINTS
from geodata.settings import EnvSettings
from geodata.settings import Settings as PipelineSettings


@dataclass(frozen=True)
class Settings(EnvSettings):
    """What the app can be told. Env names: SCA_STORE, SCA_HOST, SCA_PORT, SCA_DEBUG, SCA_MAP_STYLE,
    SCA_UPLOAD_LIMIT_MB, SCA_BOUNDARIES, SCA_MAX_POINTS, SCA_UPLOADS, SCA_UPLOAD_TOKEN, SCA_SECRET_KEY,
    SCA_ALLOWED_HOSTS."""

    store: Path | str = PipelineSettings().store  # a GeoParquet file or a postgresql:// URL
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    # "offline" draws on a blank background with our own layers; any other value is a Plotly
    # map style name (e.g. "open-street-map") that needs an internet connection for its tiles.
    map_style: str = "offline"
    upload_limit_mb: int = 200
    boundaries: Path | None = None
    # The most single events the map sends to the browser; above it, the events in sight are binned.
    max_points: int = MAX_POINTS
    # "auto": uploads on when the app listens on loopback or SCA_UPLOAD_TOKEN is set; "on"; "off" (no route, no form).
    uploads: str = "auto"
    # Scripts upload with `Authorization: Bearer <token>`; setting it also turns uploads on for non-loopback hosts.
    upload_token: str = ""
    # Signs the page's CSRF tokens; set the same value on every host behind one address (default: a random secret
    # shared by this host's workers, in <tmp>/sca-secret-<uid>).
    secret_key: str = ""
    # Host names (comma-separated) the atlas answers to besides localhost, 127.0.0.1, [::1] and the address it
    # listens on: the names a team's browsers use (e.g. "atlas.example.org,atlas"); any other Host gets a 400.
    allowed_hosts: str = ""

    def __post_init__(self) -> None:
        if self.uploads not in ("auto", "on", "off"):
            raise ValueError(f"SCA_UPLOADS={self.uploads!r}: expected auto, on or off")

    def __repr__(self) -> str:  # never print the token or the secret in logs
        hidden = {"upload_token": "***" if self.upload_token else "", "secret_key": "***" if self.secret_key else ""}
        shown = ", ".join(f"{f.name}={hidden.get(f.name, getattr(self, f.name))!r}" for f in fields(self))
        return f"Settings({shown})"

    def allowed_host_names(self) -> tuple[str, ...]:
        """``allowed_hosts`` as lower-case names (a port or a trailing dot given with a name is dropped)."""
        names = (name.strip().lower() for name in self.allowed_hosts.split(","))
        return tuple(_without_port(name).strip("[]").rstrip(".") for name in names if name)

    def pipeline(self) -> PipelineSettings:
        """The pipeline settings that go with this app (same store and boundaries)."""
        return PipelineSettings.from_env(store=self.store, boundaries=self.boundaries, progress=False)


def _without_port(name: str) -> str:
    """``atlas.lan:8443`` -> ``atlas.lan``; ``[::1]:8050`` -> ``[::1]``; a bare IPv6 address is left whole."""
    if name.startswith("["):
        return name.split("]")[0] + "]"
    return name.rsplit(":", 1)[0] if name.count(":") == 1 else name
