"""``python -m geodata store copy SRC DST``: a whole store (events and every side table) from one backend to
another, GeoParquet -> PostGIS or back; the target is replaced in one commit."""

from __future__ import annotations

from pathlib import Path

from geodata.store import SIDE_TABLES, describe, open_store


def copy_store(source: str | Path, target: str | Path) -> str:
    """Replace the store at ``target`` with the one at ``source``; returns the line to print."""
    src, dst = open_store(source), open_store(target)
    if not src.exists():
        raise FileNotFoundError(f"no event store at {describe(source)}: nothing to copy")
    events = src.read()
    sides = {name: src.side(name) for name in SIDE_TABLES}
    dst.replace(events, sides)
    counts = ", ".join(f"{len(table)} {name.replace('_', ' ')}" for name, table in sides.items())
    return f"copied {len(events)} events ({counts}) to {describe(target)}"
