"""From parsed sources to the store: validate, join with boundaries, deduplicate, quarantine, write.

Every input row ends in exactly one place: the store (kept, or updated: a newer revision of a stored event, whose
replaced values go to the revisions CSV), already there (duplicate) or the quarantine CSV with its reason, so
``read == kept + updated + duplicates + quarantined`` always holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import actors, incidents, schema, store, validate
from geodata.importers.common import Parsed, read_document
from geodata.places.boundaries import Boundaries, difference_lines, source_differences
from geodata.settings import Settings

# How many quarantine reasons a summary carries for display.
FIRST_REASONS = 5


@dataclass
class Summary:
    """What one run did, for the summary line and the dashboard's upload report."""

    read: int = 0
    kept: int = 0
    updated: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    store: Path | None = None
    quarantine: Path | None = None
    admin1_report: Path | None = None
    new_ids: list[str] = field(default_factory=list)
    # Stored events whose country/admin units from our boundaries differ from the source's (Settings.admin1_report).
    disagreements: int = 0
    # One line per kind of difference (country, admin-1, admin-2, border rule) with counts; printed after the line.
    differences: list[str] = field(default_factory=list)
    revisions: Path | None = None
    revised_values: int = 0

    def line(self) -> str:
        """The one summary line every run prints."""
        return (
            f"read {self.read}, kept {self.kept}, updated {self.updated}, duplicates {self.duplicates}, "
            f"quarantined {self.quarantined}"
        )


def ingest(
    sources: Sequence[Parsed],
    settings: Settings,
    *,
    replace_datasets: Iterable[str] = (),
    update: bool = False,
) -> Summary:
    """Validate, join and merge ``sources`` into the store in one atomic write.

    ``replace_datasets`` drops those datasets from the store first (a rebuild of the bundled seeds
    replaces its own rows and keeps everything users imported). ``update`` lets rows without a revision
    timestamp (UCDP) replace stored events of the same id whose values differ.
    """
    boundaries = Boundaries.load(settings.boundaries, settings.cache_dir)
    summary = Summary(store=settings.store, quarantine=settings.quarantine, admin1_report=settings.admin1_report,
                      revisions=settings.revisions)
    accepted: list[gpd.GeoDataFrame] = []
    quarantine: list[pd.DataFrame] = []
    for parsed in sources:
        good, bad = screen(parsed, boundaries)
        summary.read += parsed.n_read
        summary.notices.extend(parsed.notices)
        accepted.append(good)
        quarantine.append(bad)

    # Store, quarantine, revisions and the two reports land together or not at all (one commit of the file
    # store's journal, or one PostGIS transaction); the writer lock is held from the read on, so no import is lost.
    with store.open_store(settings.store).importing() as tx:
        return _merge_and_write(accepted, quarantine, summary, settings, set(replace_datasets), update, tx)


def _merge_and_write(accepted: list[gpd.GeoDataFrame], quarantine: list[pd.DataFrame], summary: Summary,
                     settings: Settings, replace: set[str], update: bool, tx: store.Import) -> Summary:
    """Read, merge and write the store inside the import ``tx`` (which holds the writer lock)."""
    return store_step(accepted, quarantine, summary, replace, update, tx)


def store_step(accepted: list[gpd.GeoDataFrame], quarantine: list[pd.DataFrame], summary: Summary,
               replace: set[str], update: bool, tx: store.Import) -> Summary:
    """Merge the screened rows into the store and write it, the quarantine and the reports inside ``tx``.

    A store that can read parts of itself (``tx.local``: PostGIS) reads only the stored rows of the incoming ids (and
    of the datasets ``replace`` drops, as ``build`` does) and relinks incidents only around them and the dropped
    events (geodata/relink.py); the file store reads and relinks everything.
    """
    new = schema.conform(pd.concat(accepted, ignore_index=True)) if accepted else schema.empty_events()
    local = getattr(tx, "local", False)
    dropped: list[str] = tx.dataset_ids(sorted(replace)) if local and replace else []
    if local:
        before = tx.read_ids(sorted(set(new["event_id"].dropna().astype(str)) | set(dropped)))
    else:
        before = tx.read()
    existing = before
    if replace:
        existing = existing.loc[~existing["dataset"].isin(replace)]
    result = store.merge_revisions(existing, new, update=update)
    merged, duplicate, updated = result.merged, result.duplicate, result.updated
    summary.duplicates = int(duplicate.sum())
    summary.updated = int(updated.sum())
    summary.kept = len(new) - summary.duplicates - summary.updated
    summary.new_ids = new.loc[~(duplicate | updated).to_numpy(), "event_id"].astype(str).tolist()
    if result.differing.any():
        summary.notices.append(
            f"{int(result.differing.sum())} rows differ from the stored events of the same id but carry no revision "
            "timestamp: kept the stored copies (import with --update to replace them)"
        )

    bad = pd.concat(quarantine, ignore_index=True) if quarantine else pd.DataFrame()
    summary.quarantined = len(bad)
    summary.reasons = [
        f"{row.source_file} row {row.source_row}: {row.reason}" for row in bad.head(FIRST_REASONS).itertuples()
    ]
    if summary.read != summary.kept + summary.updated + summary.duplicates + summary.quarantined:
        raise AssertionError(f"row accounting broken: {summary.line()}")

    written_ids = new.loc[~duplicate.to_numpy(), "event_id"]
    gone = sorted(set(dropped) - set(merged["event_id"].astype(str)))  # dropped and not imported again
    if local:
        _write_local(merged, before, written_ids, tx, gone)
    else:
        merged, found = incidents.apply(merged)
        tx.set_incidents(incidents.incident_table(merged, found.links))
        tx.write_events(merged, before)
    tx.add_quarantine(bad)
    summary.revised_values = tx.add_revisions(result.revisions)
    if local:
        written = merged.loc[merged["event_id"].isin(written_ids)]
        report = tx.update_admin_differences([*written["event_id"].astype(str), *gone], source_differences(written))
        summary.disagreements = len(report)
        summary.differences = difference_lines(None, report, counts=tx.difference_counts())
    else:
        summary.disagreements, summary.differences = _write_admin1_report(merged, tx)
    return summary


def _write_local(merged: pd.DataFrame, before: pd.DataFrame, written: pd.Series, tx: store.Import,
                 gone: Sequence[str] = ()) -> None:
    """Write the new and replaced events, delete the ``gone`` ones, and relink incidents only around them
    (``before``: the stored rows of the incoming and dropped ids; ``written``: the ids the merge took from the
    import)."""
    from geodata.relink import relink_around

    ids = set(written.astype(str))
    changed = merged.loc[merged["event_id"].astype(str).isin(ids)]
    old = before.loc[before["event_id"].astype(str).isin(ids | set(gone))]
    relinked = relink_around(changed, old, tx, gone)
    tx.delete(gone)
    tx.upsert(relinked.events)
    tx.update_incidents(relinked.moved)
    tx.replace_incidents(relinked.replaced, relinked.table)


def screen(parsed: Parsed, boundaries: Boundaries) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Split one parsed source into rows for the store (joined) and quarantine rows with reasons.

    Every importer and the synthetic generator go through this one step, so all stored events meet the same checks.
    """
    events = schema.conform(actors.regional_families(parsed.events))
    problems = parsed.problems.dropna().astype("string")
    unparsed = events.index.isin(problems.index)
    field_reasons = validate.check_fields(events.loc[~unparsed])
    candidates = events.loc[~unparsed & ~events.index.isin(field_reasons.index)]

    joined = boundaries.keep_source_country(boundaries.join(candidates))
    swapped_inside = _swapped_is_where_the_row_says(joined, boundaries)
    coverage_reasons = validate.check_coverage(joined, swapped_inside)

    reasons = validate.combine(problems, field_reasons, coverage_reasons)
    good = joined.drop(index=coverage_reasons.index)
    bad = parsed.raw.loc[reasons.index].astype("string").copy()
    bad["reason"] = reasons
    bad["source_file"] = parsed.path.name
    bad["source_row"] = reasons.index.astype(str)
    return good, bad.reset_index(drop=True)


def _swapped_is_where_the_row_says(joined: gpd.GeoDataFrame, boundaries: Boundaries) -> pd.Series:
    """Per row left without a country: whether the point with latitude and longitude exchanged is where the row
    says (in the source's country; in the covered area when the row names none). A row whose point may lie in the
    (uncovered) country it names, like a Cameroon row, is then simply outside the covered area."""
    outside = joined["country_iso2"].isna()
    swapped = pd.Series(False, index=joined.index)
    if not outside.any():
        return swapped
    rows = joined.loc[outside]
    flipped = boundaries.join(schema.conform(rows.assign(latitude=rows["longitude"], longitude=rows["latitude"])))
    named = rows["source_country_iso2"].astype("string") if "source_country_iso2" in rows else None
    landed = flipped["country_iso2"].astype("string")
    if named is None:
        swapped.loc[outside] = landed.notna().to_numpy()
    else:
        says = (named.isna() & landed.notna()) | (named.notna() & (landed == named))
        swapped.loc[outside] = says.fillna(False).astype(bool).to_numpy()
    return swapped


def _write_admin1_report(events: pd.DataFrame, tx: store.Import) -> tuple[int, list[str]]:
    """Write the events whose country/admin units really differ from the source's beside the store.

    Returns how many events differ and one summary line per kind of difference.
    """
    report = source_differences(events)
    tx.set_admin_differences(report)
    return len(report), difference_lines(events, report)


# --- entry points used by the CLI and the dashboard -------------------------------------------------


def import_file(kind: str, path: Path, settings: Settings, *, update: bool = False) -> Summary:
    """Merge an ACLED or UCDP export into the store (``update``: UCDP rows replace differing stored ones)."""
    from geodata.importers import acled, ucdp

    readers = {"acled": acled.read_acled, "ucdp": ucdp.read_ucdp}
    if kind not in readers:
        raise ValueError(f"unknown export kind {kind!r}: expected one of {', '.join(readers)}")
    parsed = readers[kind](Path(path), progress=settings.progress)
    return ingest([parsed], settings, update=update)


def extract_file(path: Path, settings: Settings, document_day: date | None = None) -> Summary:
    """Turn an English text file into cited events (dataset ``text``) and merge them into the store;
    ``document_day`` (``--date``) anchors its relative dates when the text carries no dateline."""
    from geodata.places.geocode import Geocoder

    path = Path(path)
    text = read_document(path)
    parsed = _parsed_text(
        text, path, Geocoder.from_settings(settings), dataset="text", id_prefix=f"text:{path.stem}",
        document_day=document_day,
    )  # fmt: skip
    return ingest([parsed], settings)


def build(settings: Settings) -> Summary:
    """Rebuild the bundled seed-text and curated events in the store, keeping imported datasets."""
    from geodata.importers.curated import read_curated
    from geodata.places.geocode import Geocoder

    seed = settings.seeds_dir / "jnim_isgs_war.txt"
    parsed_seed = _parsed_text(
        read_document(seed), seed, Geocoder.from_settings(settings), dataset="seed", id_prefix="seed"
    )
    parsed_curated = read_curated(settings.seeds_dir / "curated_events.csv")
    return ingest([parsed_seed, parsed_curated], settings, replace_datasets=("seed", "curated"))


def _parsed_text(
    text: str, path: Path, geocoder: object, *, dataset: str, id_prefix: str, document_day: date | None = None
) -> Parsed:
    """Run the text rules and present events plus rejected sentences as one parsed source.

    Rejected sentences become rows with a parse problem, so they reach the quarantine with their reason
    and the row accounting covers them.
    """
    from geodata.text import extract_events

    result = extract_events(
        text, geocoder, dataset=dataset, id_prefix=id_prefix, source_name=path.name, document_day=document_day
    )
    events = result.events.reset_index(drop=True)
    rejected = result.rejected.reset_index(drop=True)
    n_events, n_rejected = len(events), len(rejected)
    events.index = pd.RangeIndex(1, n_events + 1)
    rejected.index = pd.RangeIndex(n_events + 1, n_events + n_rejected + 1)

    raw_events = events[["event_id", "notes", "source", "location"]].astype("string")
    raw_events = raw_events.rename(columns={"notes": "sentence"})
    raw_rejected = rejected.drop(columns=["reason"], errors="ignore").astype("string")
    problems = rejected["reason"].astype("string") if n_rejected else pd.Series(dtype="string")
    if n_rejected and "name" in rejected:
        detail = rejected["name"].fillna("").astype(str)
        candidates = rejected.get("candidates", pd.Series("", index=rejected.index)).fillna("").astype(str)
        problems = problems.where(detail == "", problems + " (place: " + detail + "; closest: " + candidates + ")")
    all_events = pd.concat([events, pd.DataFrame(index=rejected.index, columns=events.columns)])
    return Parsed(
        path=path,
        events=all_events,
        raw=pd.concat([raw_events, raw_rejected]),
        problems=problems,
        n_read=n_events + n_rejected,
        notices=[],
    )
