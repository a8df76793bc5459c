"""From parsed sources to the store: validate, join with boundaries, deduplicate, quarantine, write.

Every input row ends in exactly one place: the store (kept), already there (duplicate) or the
quarantine CSV with its reason, so ``read == kept + duplicates + quarantined`` always holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import schema, store, validate
from geodata.boundaries import Boundaries, admin1_disagreements
from geodata.importers.common import Parsed
from geodata.settings import Settings

# How many quarantine reasons a summary carries for display.
FIRST_REASONS = 5


@dataclass
class Summary:
    """What one run did, for the summary line and the dashboard's upload report."""

    read: int = 0
    kept: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    store: Path | None = None
    quarantine: Path | None = None
    admin1_report: Path | None = None
    new_ids: list[str] = field(default_factory=list)
    # Stored events whose admin-1 from our boundaries differs from the source's (see Settings.admin1_report).
    disagreements: int = 0

    def line(self) -> str:
        """The one summary line every run prints."""
        return f"read {self.read}, kept {self.kept}, duplicates {self.duplicates}, quarantined {self.quarantined}"


def ingest(
    sources: Sequence[Parsed],
    settings: Settings,
    *,
    replace_datasets: Iterable[str] = (),
) -> Summary:
    """Validate, join and merge ``sources`` into the store in one atomic write.

    ``replace_datasets`` drops those datasets from the store first (a rebuild of the bundled seeds
    replaces its own rows and keeps everything users imported).
    """
    boundaries = Boundaries.load(settings.boundaries)
    summary = Summary(store=settings.store, quarantine=settings.quarantine, admin1_report=settings.admin1_report)
    accepted: list[gpd.GeoDataFrame] = []
    quarantine: list[pd.DataFrame] = []
    for parsed in sources:
        good, bad = screen(parsed, boundaries)
        summary.read += parsed.n_read
        summary.notices.extend(parsed.notices)
        accepted.append(good)
        quarantine.append(bad)

    with store.locked(settings.store):
        return _merge_and_write(accepted, quarantine, summary, settings, set(replace_datasets))


def _merge_and_write(accepted: list[gpd.GeoDataFrame], quarantine: list[pd.DataFrame], summary: Summary,
                     settings: Settings, replace: set[str]) -> Summary:
    """Read, merge and replace the store (the caller holds its lock, so no concurrent import is lost)."""
    existing = store.read_store(settings.store)
    if replace:
        existing = existing.loc[~existing["dataset"].isin(replace)]
    new = schema.conform(pd.concat(accepted, ignore_index=True)) if accepted else schema.empty_events()
    merged, duplicate = store.merge(existing, new)
    summary.duplicates = int(duplicate.sum())
    summary.kept = len(new) - summary.duplicates
    summary.new_ids = new.loc[~duplicate.to_numpy(), "event_id"].astype(str).tolist()

    bad = pd.concat(quarantine, ignore_index=True) if quarantine else pd.DataFrame()
    summary.quarantined = len(bad)
    summary.reasons = [
        f"{row.source_file} row {row.source_row}: {row.reason}" for row in bad.head(FIRST_REASONS).itertuples()
    ]
    if summary.read != summary.kept + summary.duplicates + summary.quarantined:
        raise AssertionError(f"row accounting broken: {summary.line()}")

    store.write_store(merged, settings.store)
    store.append_quarantine(bad, settings.quarantine)
    summary.disagreements = _write_admin1_report(merged, settings)
    return summary


def screen(parsed: Parsed, boundaries: Boundaries) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Split one parsed source into rows for the store (joined) and quarantine rows with reasons.

    Every importer and the synthetic generator go through this one step, so all stored events meet the same checks.
    """
    events = schema.conform(parsed.events)
    problems = parsed.problems.dropna().astype("string")
    unparsed = events.index.isin(problems.index)
    field_reasons = validate.check_fields(events.loc[~unparsed])
    candidates = events.loc[~unparsed & ~events.index.isin(field_reasons.index)]

    joined = boundaries.join(candidates)
    outside = joined["country_iso2"].isna()
    swapped_inside = pd.Series(False, index=joined.index)
    if outside.any():
        flipped = schema.conform(
            joined.loc[outside].assign(latitude=joined["longitude"], longitude=joined["latitude"])
        )
        swapped_inside.loc[outside] = boundaries.join(flipped)["country_iso2"].notna()
    coverage_reasons = validate.check_coverage(joined, swapped_inside)

    reasons = validate.combine(problems, field_reasons, coverage_reasons)
    good = joined.drop(index=coverage_reasons.index)
    bad = parsed.raw.loc[reasons.index].astype("string").copy()
    bad["reason"] = reasons
    bad["source_file"] = parsed.path.name
    bad["source_row"] = reasons.index.astype(str)
    return good, bad.reset_index(drop=True)


def _write_admin1_report(events: pd.DataFrame, settings: Settings) -> int:
    """Write where our admin-1 and the source's disagree next to the store; return how many rows do."""
    report = admin1_disagreements(events)
    report.to_csv(settings.admin1_report, index=False, encoding="utf-8")
    return len(report)


# --- entry points used by the CLI and the dashboard -------------------------------------------------


def import_file(kind: str, path: Path, settings: Settings) -> Summary:
    """Merge an ACLED or UCDP export into the store."""
    from geodata.importers import acled, ucdp

    readers = {"acled": acled.read_acled, "ucdp": ucdp.read_ucdp}
    if kind not in readers:
        raise ValueError(f"unknown export kind {kind!r}: expected one of {', '.join(readers)}")
    parsed = readers[kind](Path(path), progress=settings.progress)
    return ingest([parsed], settings)


def extract_file(path: Path, settings: Settings, document_day: date | None = None) -> Summary:
    """Turn an English text file into cited events (dataset ``text``) and merge them into the store;
    ``document_day`` (``--date``) anchors its relative dates when the text carries no dateline."""
    from geodata.geocode import Geocoder

    path = Path(path)
    text = _read_text(path)
    parsed = _parsed_text(
        text, path, Geocoder.from_settings(settings), dataset="text", id_prefix=f"text:{path.stem}",
        document_day=document_day,
    )  # fmt: skip
    return ingest([parsed], settings)


def build(settings: Settings) -> Summary:
    """Rebuild the bundled seed-text and curated events in the store, keeping imported datasets."""
    from geodata.geocode import Geocoder
    from geodata.importers.curated import read_curated

    seed = settings.seeds_dir / "jnim_isgs_war.txt"
    parsed_seed = _parsed_text(
        _read_text(seed), seed, Geocoder.from_settings(settings), dataset="seed", id_prefix="seed"
    )
    parsed_curated = read_curated(settings.seeds_dir / "curated_events.csv")
    return ingest([parsed_seed, parsed_curated], settings, replace_datasets=("seed", "curated"))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return path.read_text(encoding="cp1252")


def _parsed_text(
    text: str, path: Path, geocoder: object, *, dataset: str, id_prefix: str, document_day: date | None = None
) -> Parsed:
    """Run the text rules and present events plus rejected sentences as one parsed source.

    Rejected sentences become rows with a parse problem, so they reach the quarantine with their reason
    and the row accounting covers them.
    """
    from geodata.extract import extract_events

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
