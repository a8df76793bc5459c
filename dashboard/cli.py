"""Command line: ``python -m dashboard`` serves the app; ``python -m dashboard export`` writes a view to a file.

The export subcommand takes the same view as the page's address (``--start 2020-01-01 --country ML,BF``)
and writes exactly the bytes ``/export.csv?<view>`` or ``/export.geojson?<view>`` would send.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.model.view import add_view_arguments, view_from_args
from dashboard.render.export import FORMATS, export_filename, iter_export
from dashboard.settings import Settings
from geodata.store.base import location as store_location


def build_parser() -> argparse.ArgumentParser:
    """Serve flags at the top level, plus the ``export`` subcommand with the view flags."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Sahel Conflict Atlas dashboard.")
    parser.add_argument("--store", type=store_location,
                        help="event store: GeoParquet file or postgresql:// URL (default SCA_STORE or "
                        "data/events.parquet)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8050)")
    parser.add_argument("--debug", action="store_true", default=None,
                        help="Dash debug mode (reloads on edits; exposes the Werkzeug console: loopback hosts only)")
    commands = parser.add_subparsers(dest="command", metavar="{export}")
    export = commands.add_parser(
        "export",
        help="write the events of a view to CSV or GeoJSON",
        description="Write the events of a view; same flags as the page's address, same bytes as its download. "
        "A value starting with '-' needs the = form: --bbox=-6,13,4,18.",
    )
    export.add_argument("--store", type=store_location, default=argparse.SUPPRESS,
                        help="event store (GeoParquet file or postgresql:// URL)")
    export.add_argument("--out", required=True, help="file to write ('-' for standard output)")
    export.add_argument("--format", choices=FORMATS, help="csv or geojson (default: from --out's suffix, else csv)")
    add_view_arguments(export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    ns = parser.parse_args(argv)
    settings = Settings.from_env(store=ns.store, host=ns.host, port=ns.port, debug=ns.debug)
    if ns.command == "export":
        return run_export(ns, settings)
    from dashboard.app import create_app  # imported here so `export` never loads Dash
    from dashboard.model.startup import StoreSchemaError
    from dashboard.web.security import is_loopback
    from geodata.store import StoreError

    if settings.debug:
        if not is_loopback(settings.host):
            print(f"error: --debug is refused with --host {settings.host}: debug mode exposes the Werkzeug "
                  "console, which runs any Python it is sent. Use debug only on 127.0.0.1.", file=sys.stderr)
            return 2
        print(DEBUG_WARNING.format(host=settings.host, port=settings.port), file=sys.stderr)
    try:
        app = create_app(settings)
    except (StoreSchemaError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
    return 0


DEBUG_WARNING = """
!!! DEBUG MODE: the Werkzeug debugger console is reachable at http://{host}:{port}/console
!!! and anyone who can open this address can run any Python on this machine, as this user.
!!! Never use --debug on a shared machine or with a non-loopback --host.
"""


def export_format(out: str, given: str | None) -> str:
    """The --format, else the --out suffix when it names a format, else csv."""
    if given:
        return given
    suffix = Path(out).suffix.lower().lstrip(".")
    return {"json": "geojson"}.get(suffix, suffix) if suffix in (*FORMATS, "json") else "csv"


def run_export(ns: argparse.Namespace, settings: Settings) -> int:
    """Write the view's rows; invalid view flags or a missing store end with a message and a non-zero code."""
    from dashboard.model.events import EventData

    view, messages = view_from_args(ns)
    if messages:
        for message in messages:
            print(f"error: {message.removesuffix('; ignored')}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 2
    fmt = export_format(ns.out, ns.format)
    try:
        data = EventData.load(settings.store)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    chunks = iter_export(data, view, fmt)
    if ns.out == "-":
        for chunk in chunks:
            sys.stdout.buffer.write(chunk.encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    out = Path(ns.out)
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8"))
        os.replace(partial, out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        print(f"error: cannot write {out}: {error}", file=sys.stderr)
        return 1
    rows = len(data.rows(view))
    print(f"wrote {rows:,} events to {out} (suggested name {export_filename(view, fmt, data)})", file=sys.stderr)
    return 0
