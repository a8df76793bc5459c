"""Command line: ``python -m geodata build|import|extract|evaluate|synthetic|incidents|store copy|geocode``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from geodata.settings import Settings
from geodata.store.base import location as store_location


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(
            store=getattr(args, "store", None),
            boundaries=getattr(args, "boundaries", None),
            progress=False if getattr(args, "no_progress", False) else None,
        )
        return args.run(args, settings)
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _with_store(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``sub`` with the options every command that writes a store takes: --store, --boundaries, --no-progress."""
    sub.add_argument("--store", type=store_location,
                     help="event store: a GeoParquet file (default data/events.parquet) or a PostGIS database "
                     "as postgresql://user:password@host:port/dbname")
    sub.add_argument("--boundaries", type=Path, help="finer admin boundaries (.shp, .zip, .gpkg, .geojson)")
    sub.add_argument("--no-progress", action="store_true", help="no progress bar")
    return sub


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geodata",
        description="Sahel Conflict Atlas pipeline: turn seeds, exports and texts into one validated event store.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    build = _with_store(commands.add_parser(
        "build", help="seed text + curated events into the store",
        description="Rebuild the bundled seed-text and curated events in the store (their old rows are replaced; "
        "imported datasets are kept) and relink the incidents they can change. On a PostGIS store only the seed and "
        "curated events and the events within the incident linker's reach of them are read, and only what changed "
        "is written; a GeoParquet store is read and rewritten whole."))
    build.set_defaults(run=_build)

    imp = _with_store(commands.add_parser("import", help="merge an ACLED or UCDP CSV export into the store"))
    imp.add_argument("kind", choices=["acled", "ucdp"])
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--update",
        action="store_true",
        help="rows without a revision timestamp (UCDP) replace stored events of the same id whose values differ "
        "(the replaced values go to <store>.revisions.csv); ACLED rows replace older revisions always",
    )
    imp.set_defaults(run=_import)

    _add_text_commands(commands)

    syn = commands.add_parser(
        "synthetic",
        help="replace a store with N seeded, realistic synthetic events",
        description="Write N synthetic events (dataset 'synthetic') around real places of Mali, Burkina Faso and "
        "Niger, 2017-2025, validated and joined like any import. The store at --store is REPLACED atomically: "
        "nothing it held before is kept (no merge). The same seed writes the same store.",
    )
    syn.add_argument("--events", type=int, required=True, metavar="N", help="how many events to write (at least 1)")
    syn.add_argument("--seed", type=int, default=0, help="random seed, a whole number >= 0 (default 0)")
    syn.add_argument("--store", type=store_location, required=True,
                     help="store to replace (GeoParquet or PostGIS URL); its events are lost")
    syn.add_argument("--boundaries", type=Path, help="finer admin boundaries (.shp, .zip, .gpkg, .geojson)")
    syn.add_argument("--no-progress", action="store_true", help="no progress bar")
    syn.set_defaults(run=_synthetic)

    inc = _with_store(commands.add_parser(
        "incidents",
        help="link reports of one incident across datasets and print a summary",
        description="Re-link the store's events into incidents (see geodata/incidents.py for the rule), write "
        "<store>.incidents.csv (PostGIS: table incidents) and print: events, incidents, multi-source incidents, then "
        "counts by pair of datasets. Nothing is deleted; re-running gives the same incidents. Every event is read "
        "and relinked, on PostGIS too: this command checks the whole store (a changed rule, or events written by "
        "older code, can move any incident), and its summary counts all of it. A PostGIS store is then written only "
        "where incidents moved (those events' incident columns and those rows of the incidents table).",
    ))
    inc.set_defaults(run=_incidents)

    _add_store_and_geocode(commands)
    return parser


def _add_text_commands(commands: argparse._SubParsersAction) -> None:
    """The ``extract`` and ``evaluate`` commands (events from text, and their score on a labelled folder)."""
    ext = _with_store(commands.add_parser("extract", help="cited events from an English text file"))
    ext.add_argument("file", type=Path)
    ext.add_argument(
        "--date", type=_iso_day, metavar="YYYY-MM-DD",
        help="the day the text was written: anchors 'on Thursday', 'this week', '8 July' (default: its dateline or "
        "'Published ...' line)",
    )  # fmt: skip
    ext.set_defaults(run=_extract)

    ev = commands.add_parser(
        "evaluate",
        help="score text extraction on a labelled folder (texts + labels.csv or gold.csv)",
        description="Extract every DIR/*.txt and match its events one to one with DIR/labels.csv (same text; within "
        "tolerance_km + 10 km; dates overlapping with one day of slack; the extracted span at most the label's span "
        "+ 31 days) or, without one, DIR/gold.csv (same place within 10 km or the same admin-2 for region-level "
        "events, overlapping dates, the same pair of actor families). Ends with 'events: precision P, recall R, "
        "F1 F on T texts, actors A, toll T' (shares of matched events with the right perpetrator family and with "
        "the fatalities inside the label's range).",
    )
    ev.add_argument("dir", type=Path, nargs="?", help="corpus folder (default seeds/corpus)")
    ev.add_argument(
        "--date-from-labels", action="store_true",
        help="extract each text with its labels.csv doc_date as --date (the publication day)",
    )  # fmt: skip
    ev.add_argument("--boundaries", type=Path, help="admin-2 boundaries for region-level matches")
    ev.set_defaults(run=_evaluate)


def _add_store_and_geocode(commands: argparse._SubParsersAction) -> None:
    """The ``store copy`` and ``geocode`` commands."""
    sto = commands.add_parser("store", help="work on whole stores (copy between GeoParquet and PostGIS)")
    store_commands = sto.add_subparsers(dest="store_command", required=True)
    cop = store_commands.add_parser(
        "copy", help="copy a whole store (events and side tables) to another, replacing it",
        description="Copy the events, quarantine, revisions, admin differences and incidents of SRC to DST (a "
        "GeoParquet path or a postgresql:// URL each), replacing what DST held, in one commit.")
    cop.add_argument("source", type=store_location, metavar="SRC")
    cop.add_argument("target", type=store_location, metavar="DST")
    cop.set_defaults(run=_store_copy)

    geo = commands.add_parser("geocode", help="look place names up in the gazetteer (one JSON line each)")
    geo.add_argument("names", nargs="+", metavar="NAME")
    geo.add_argument("--country", help="only answers in this country (ISO2 code or name, e.g. BF)")
    geo.add_argument("--admin1", help="admin-1 region hint")
    geo.add_argument("--boundaries", type=Path, help="finer admin boundaries")
    geo.add_argument("--store", type=store_location,
                     help="store whose events teach place names; default data/events.parquet")
    geo.set_defaults(run=_geocode)


def _report(summary: object) -> int:
    from geodata.pipeline import Summary

    assert isinstance(summary, Summary)
    for notice in summary.notices:
        print(f"note: {notice}", file=sys.stderr)
    for reason in summary.reasons:
        print(f"quarantined: {reason}", file=sys.stderr)
    if summary.quarantined > len(summary.reasons):
        print(f"... all {summary.quarantined} quarantined rows with reasons: {summary.quarantine}", file=sys.stderr)
    if summary.disagreements:
        print(
            f"note: our country/admin units differ from the source's for {summary.disagreements} stored events "
            f"(its relation column: the source names an older unit, or differs): {summary.admin1_report}",
            file=sys.stderr,
        )
    if summary.revised_values:
        print(f"note: {summary.revised_values} replaced values logged in {summary.revisions}", file=sys.stderr)
    print(summary.line())
    for line in summary.differences:
        print(line)
    return 0


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.pipeline import build

    return _report(build(settings))


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.pipeline import import_file

    return _report(import_file(args.kind, args.file, settings, update=args.update))


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--date {text!r} is not a day written YYYY-MM-DD") from None


def _extract(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.pipeline import extract_file

    return _report(extract_file(args.file, settings, document_day=args.date))


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.places.boundaries import Boundaries
    from geodata.places.geocode import Geocoder
    from geodata.text import evaluate

    directory = args.dir or settings.seeds_dir / "corpus"
    score = evaluate(directory, Geocoder.from_settings(settings),
                     Boundaries.load(settings.boundaries, settings.cache_dir), date_from_labels=args.date_from_labels)
    print("\n".join(score.lines()))
    return 0


def _synthetic(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.synthetic import write_synthetic

    return _report(write_synthetic(args.events, args.seed, settings))


def _incidents(args: argparse.Namespace, settings: Settings) -> int:
    from geodata import incidents, store

    backend = store.open_store(settings.store)
    if not backend.exists():
        raise FileNotFoundError(f"no event store at {store.describe(settings.store)}: run `python -m geodata build` "
                                "first")
    with backend.importing() as tx:
        before = tx.read()
        events, found = incidents.apply(before)
        tx.set_incidents(incidents.incident_table(events, found.links))
        tx.write_events(events, before)
    for line in incidents.summary_lines(events):
        print(line)
    print(f"multi-source incidents listed in {backend.side_place('incidents')}", file=sys.stderr)
    return 0


def _store_copy(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.store.copy import copy_store

    print(copy_store(args.source, args.target))
    return 0


def _geocode(args: argparse.Namespace, settings: Settings) -> int:
    from geodata.places.geocode import Geocoder, PlaceNotFound

    geocoder = Geocoder.from_settings(settings)
    status = 0
    for name in args.names:
        try:
            result = geocoder.geocode(name, country=args.country, admin1=args.admin1, restrict=True)
        except PlaceNotFound as missing:
            where = f" in {args.country}" if args.country else ""
            reason = f" ({missing.reason})" if missing.reason else ""
            closest = ", ".join(missing.candidates) or "none"
            print(f"not found{where}: {name!r}{reason}; closest: {closest}", file=sys.stderr)
            status = 1
            continue
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    return status
