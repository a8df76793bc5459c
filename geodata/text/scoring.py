"""Score text extraction on a labelled folder: ``python -m geodata evaluate [DIR] [--date-from-labels]``.

Two label formats, chosen by the file the folder holds:

- ``labels.csv`` (real reporting, columns ``LABEL_COLUMNS``, one row per event, ``event_no`` 0 for a text with
  none): an extracted event matches a label of the same text when its point lies within the label's
  ``tolerance_km`` + 10 km, the two date ranges overlap with one day of slack, and the extracted span is at most
  the label's span + 31 days (a whole-year guess does not match a day). ``--date-from-labels`` extracts each
  text with its ``doc_date`` as ``--date``.
- ``gold.csv`` (the own corpus, columns ``GOLD_COLUMNS``; a text may have none). A match is the same place,
  overlapping dates and the same actors:

  - place: the two points within :data:`MATCH_KM` km, or, for a region-level event (``geo_precision`` 3 on
    either side), the same admin-2 unit (our admin-2 comes from the boundary join: the bundled layer has Burkina
    Faso's provinces, Mali's cercles and Niger's departments, ``--boundaries`` or ``SCA_BOUNDARIES`` replace it;
    with no boundaries at all only the distance counts);
  - dates: the two ranges share at least a day;
  - actors: the same unordered pair of families (``{JNIM, ISGS}`` = ``{ISGS, JNIM}``; a missing actor is a
    missing actor on both sides).

Every text is extracted as ``python -m geodata extract`` would. Among the pairs that match, the closest are
taken first, each event at most once. Precision is matches over extracted events, recall matches over labelled
events, F1 their harmonic mean; ``actors`` is the share of matches whose perpetrator family (``group1``) is the
label's first family, ``toll`` the share whose ``fatalities`` lies inside the label's range (both unknown counts
as right). Per-field accuracy (gold.csv) aligns each gold event with the extracted event of its text that agrees
with it on most of place, dates and actors (then the closest) and counts, over all gold events, how often each
field agrees (0 when nothing was extracted). Extracted events whose place is not within reach of any labelled
event of their text are listed as "placed where the text ties no violence".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.geo import distance_km, distances_km
from geodata.names import normalise

GOLD_COLUMNS = (
    "text_id", "date_start", "date_end", "location", "latitude", "longitude", "country_iso2", "admin2",
    "geo_precision", "actor1_family", "actor2_family", "fatalities", "fatalities_low", "fatalities_high",
    "source_url", "summary",
)  # fmt: skip
LABEL_COLUMNS = (
    "file", "doc_date", "event_no", "date_start", "date_end", "place", "country_iso2", "lat", "lon", "tolerance_km",
    "family1", "family2", "fatalities_low", "fatalities_high",
)  # fmt: skip
MATCH_KM = 10.0
DATE_SLACK_DAYS = 1  # labels: the two ranges may miss each other by a day (time zones, "overnight")
SPAN_SLACK_DAYS = 31  # labels: an extracted range may be this much wider than the label's, no more
FIELDS = ("place", "dates", "actors", "fatalities", "country", "event type")


@dataclass
class Score:
    """The corpus score: counts, per-field agreement, the events placed where no violence is told, quarantine."""

    texts: int
    gold: int
    extracted: int
    matched: int
    fields: dict[str, int]
    untied: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    quarantine: dict[str, int] = field(default_factory=dict)
    actors_right: int = 0
    toll_right: int = 0
    false_events: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)

    @property
    def actors(self) -> float:
        """Share of matched events whose perpetrator family is the label's first family."""
        return self.actors_right / self.matched if self.matched else 0.0

    @property
    def toll(self) -> float:
        """Share of matched events whose fatality figure lies inside the label's range."""
        return self.toll_right / self.matched if self.matched else 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def lines(self) -> list[str]:
        """The printed report; the last line is
        ``events: precision P, recall R, F1 F on T texts, actors A, toll T``."""
        out = [f"gold events {self.gold}, extracted {self.extracted}, matched {self.matched}"]
        if self.unlabelled:
            out.append(f"texts without labels, not scored: {', '.join(self.unlabelled)}")
        if self.fields:
            out.append("per-field accuracy:")
            for name in FIELDS:
                count = self.fields.get(name, 0)
                share = count / self.gold if self.gold else 0.0
                out.append(f"  {name}: {share:.2f} ({count}/{self.gold})")
        out.append(f"events placed where the text ties no violence: {len(self.untied)}")
        out += [f"  {line}" for line in self.untied]
        if self.false_events:
            out.append(f"extracted events not matched: {len(self.false_events)}")
            out += [f"  {line}" for line in self.false_events]
        out.append(f"gold events not matched: {len(self.missed)}")
        out += [f"  {line}" for line in self.missed]
        if self.quarantine:
            out.append("quarantined sentences: " + ", ".join(f"{reason} {n}" for reason, n in self.quarantine.items()))
        out.append(
            f"events: precision {self.precision:.2f}, recall {self.recall:.2f}, F1 {self.f1:.2f} on {self.texts} texts,"
            f" actors {self.actors:.2f}, toll {self.toll:.2f}"
        )
        return out


def read_gold(path: Path) -> pd.DataFrame:
    """``gold.csv`` with dates, numbers and families parsed; a missing column or bad date names the row."""
    if not path.exists():
        raise FileNotFoundError(f"gold events not found: {path}")
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("text_id", "date_start", "latitude", "longitude", "actor1_family") if c not in gold]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    for column in ("date_start", "date_end"):
        values = gold[column] if column in gold else pd.Series("", index=gold.index)
        parsed = pd.to_datetime(values.where(values != "", None), errors="coerce", format="%Y-%m-%d")
        bad = parsed.isna() & (values != "")
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise ValueError(f"{path} row {row}: {column} {values[bad].iloc[0]!r} is not YYYY-MM-DD")
        gold[column] = parsed
    gold["date_end"] = gold["date_end"].fillna(gold["date_start"])
    for column in ("latitude", "longitude", "geo_precision", "fatalities", "fatalities_low", "fatalities_high"):
        gold[column] = pd.to_numeric(gold[column], errors="coerce") if column in gold else np.nan
    return gold


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return distance_km(lat1, lon1, lat2, lon2)


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _pair(first: object, second: object) -> tuple[str, ...]:
    return tuple(sorted(_text(v) for v in (first, second)))


def _agreement(gold: pd.Series, event: pd.Series) -> dict[str, bool]:
    distance = _km(gold["latitude"], gold["longitude"], event["latitude"], event["longitude"])
    region_level = gold.get("geo_precision") == 3 or event.get("geo_precision") == 3
    same_unit = bool(_text(gold.get("admin2"))) and normalise(_text(gold.get("admin2"))) == normalise(
        _text(event.get("admin2"))
    )
    fatal = gold.get("fatalities")
    agreement = {
        "place": distance <= MATCH_KM or (region_level and same_unit),
        "dates": event["date_start"] <= gold["date_end"] and gold["date_start"] <= event["date_end"],
        "actors": _pair(gold["actor1_family"], gold.get("actor2_family")) == _pair(event["group1"], event["group2"]),
        "fatalities": (pd.isna(fatal) and pd.isna(event["fatalities"]))
        or (not pd.isna(fatal) and not pd.isna(event["fatalities"]) and int(fatal) == int(event["fatalities"])),
        "country": _text(gold.get("country_iso2")) == _text(event.get("country_iso2")),
    }
    return {**{name: bool(value) for name, value in agreement.items()}, "distance": distance}


def _greedy(pairs: list[tuple[tuple, int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs, best key first."""
    used_gold, used_event, chosen = set(), set(), []
    for _key, g, e in sorted(pairs, key=lambda item: item[0]):
        if g not in used_gold and e not in used_event:
            used_gold.add(g)
            used_event.add(e)
            chosen.append((g, e))
    return chosen


def score_text(
    gold: pd.DataFrame, events: pd.DataFrame
) -> tuple[list[tuple[int, int]], dict[str, int], list[int], list[int]]:
    """(matched (gold row, event row) pairs, per-field agreements over the gold events, extracted rows placed
    away from every gold event, gold rows not matched) for one text."""
    agreements = {
        (g, e): _agreement(gold.iloc[g], events.iloc[e]) for g in range(len(gold)) for e in range(len(events))
    }
    full = [((a["distance"],), g, e) for (g, e), a in agreements.items() if a["place"] and a["dates"] and a["actors"]]
    matches = _greedy(full)
    soft = [
        ((-(a["place"] + a["dates"] + a["actors"]), a["distance"]), g, e)
        for (g, e), a in agreements.items()
        if a["place"] or a["dates"] or a["actors"]
    ]
    aligned = dict(_greedy([((-10, 0.0), g, e) for g, e in matches] + soft))
    fields = dict.fromkeys(FIELDS, 0)
    for g, e in aligned.items():
        a = agreements[(g, e)]
        for name in ("place", "dates", "actors", "fatalities", "country"):
            fields[name] += bool(a[name])
        fields["event type"] += _type_agrees(gold.iloc[g], events.iloc[e])
    untied = [e for e in range(len(events)) if not any(agreements[(g, e)]["place"] for g in range(len(gold)))]
    matched_gold = {g for g, _ in matches}
    missed = [g for g in range(len(gold)) if g not in matched_gold]
    return matches, fields, untied, missed


def _type_agrees(gold: pd.Series, event: pd.Series) -> bool:
    """Gold has no event type column: civilians as a party means violence against civilians, else any type."""
    civilians = "Civilians" in (_text(gold["actor1_family"]), _text(gold.get("actor2_family")))
    if not civilians:
        return True
    return _text(event["event_type"]) in ("Violence against civilians", "Explosions/Remote violence")


def read_labels(path: Path) -> pd.DataFrame:
    """``labels.csv`` with dates and numbers parsed; a missing column or a bad value names the row and field.
    Rows with ``event_no`` 0 only record a text without events (and its ``doc_date``)."""
    if not path.exists():
        raise FileNotFoundError(f"labels not found: {path}")
    labels = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in LABEL_COLUMNS if c not in labels]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    labels = labels.apply(lambda column: column.str.strip())
    rows = pd.Series(np.arange(len(labels)) + 2, index=labels.index)
    labels["event_no"] = pd.to_numeric(labels["event_no"].replace("", "0"), errors="coerce")
    _refuse(path, rows, labels["event_no"].isna(), "event_no", labels["event_no"], "is not a number")
    event = labels["event_no"] != 0
    for column in ("doc_date", "date_start", "date_end"):
        written = labels[column]
        parsed = pd.to_datetime(written.where(written != "", None), errors="coerce", format="%Y-%m-%d")
        _refuse(path, rows, parsed.isna() & (written != ""), column, written, "is not YYYY-MM-DD")
        labels[column] = parsed
    for column in ("lat", "lon", "tolerance_km", "fatalities_low", "fatalities_high"):
        written = labels[column]
        labels[column] = pd.to_numeric(written, errors="coerce")
        _refuse(path, rows, labels[column].isna() & (written != ""), column, written, "is not a number")
    for column in ("date_start", "lat", "lon"):
        _refuse(path, rows, event & labels[column].isna(), column, labels[column], "is missing for an event")
    labels["date_end"] = labels["date_end"].fillna(labels["date_start"])
    labels["tolerance_km"] = labels["tolerance_km"].fillna(0.0)
    labels["fatalities_low"] = labels["fatalities_low"].fillna(labels["fatalities_high"])
    labels["fatalities_high"] = labels["fatalities_high"].fillna(labels["fatalities_low"])
    return labels


def _refuse(path: Path, rows: pd.Series, bad: pd.Series, column: str, values: pd.Series, why: str) -> None:
    if bad.any():
        first = bad.to_numpy().nonzero()[0][0]
        raise ValueError(f"{path} row {rows.iloc[first]}: {column} {values.iloc[first]!r} {why}")


def _km_matrix(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle km between every point of the first set (rows) and of the second (columns)."""
    return distances_km(np.asarray(lat1, float)[:, None], np.asarray(lon1, float)[:, None],
                        np.asarray(lat2, float)[None, :], np.asarray(lon2, float)[None, :])


def match_labels(labels: pd.DataFrame, events: pd.DataFrame) -> tuple[list[tuple[int, int]], list[int], np.ndarray]:
    """One text's labelled events (``event_no`` > 0) against its extracted events: the matched (label row,
    event row) pairs, closest first and each at most once; the events placed away from every label; the
    distance matrix (labels x events)."""
    if not len(labels) or not len(events):
        return [], list(range(len(events))), np.zeros((len(labels), len(events)))
    distance = _km_matrix(labels["lat"].to_numpy(float), labels["lon"].to_numpy(float),
                          pd.to_numeric(events["latitude"]).to_numpy(float),
                          pd.to_numeric(events["longitude"]).to_numpy(float))  # fmt: skip
    near = distance <= labels["tolerance_km"].to_numpy(float)[:, None] + MATCH_KM
    slack = np.timedelta64(DATE_SLACK_DAYS, "D")
    label_start = labels["date_start"].to_numpy("datetime64[D]")[:, None]
    label_end = labels["date_end"].to_numpy("datetime64[D]")[:, None]
    event_start = pd.to_datetime(events["date_start"]).to_numpy("datetime64[D]")[None, :]
    event_end = pd.to_datetime(events["date_end"]).to_numpy("datetime64[D]")[None, :]
    overlap = (event_start <= label_end + slack) & (label_start <= event_end + slack)
    narrow = (event_end - event_start) <= (label_end - label_start) + np.timedelta64(SPAN_SLACK_DAYS, "D")
    rows, columns = np.nonzero(near & overlap & narrow)
    matches = _greedy([((distance[g, e],), int(g), int(e)) for g, e in zip(rows, columns, strict=True)])
    untied = [int(e) for e in np.flatnonzero(~near.any(axis=0))]
    return matches, untied, distance


def _right_actor(family: object, event: pd.Series) -> bool:
    return _text(family) == _text(event.get("group1"))


def _right_toll(low: object, high: object, event: pd.Series) -> bool:
    """The event's figure inside [low, high]; a label without figures wants an event without one."""
    figure = event.get("fatalities")
    if pd.isna(low) and pd.isna(high):
        return bool(pd.isna(figure))
    if pd.isna(figure):
        return False
    low = high if pd.isna(low) else low
    high = low if pd.isna(high) else high
    return bool(low <= float(figure) <= high)


def _describe(event: pd.Series) -> str:
    return (f"{_text(event.get('location'))} {event['date_start']:%Y-%m-%d}..{event['date_end']:%Y-%m-%d}"
            f" {_text(event.get('group1'))}/{_text(event.get('group2'))} ({event['event_id']})")  # fmt: skip


def evaluate(
    directory: Path, geocoder: object, boundaries: object | None = None, *, date_from_labels: bool = False
) -> Score:
    """Extract every ``*.txt`` of ``directory`` and score its events against ``directory/labels.csv`` or, when
    the folder has none, ``directory/gold.csv``. ``date_from_labels`` gives each text its label's ``doc_date``
    as the document day (``--date``); it needs a ``labels.csv``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {directory}")
    if (directory / "labels.csv").exists():
        return _evaluate_labels(directory, geocoder, date_from_labels)
    if date_from_labels:
        raise ValueError(f"--date-from-labels needs {directory / 'labels.csv'} (it takes each text's doc_date)")
    return _evaluate_gold(directory, geocoder, boundaries)


def _texts(directory: Path, named: set[str], label_file: Path) -> list[Path]:
    texts = sorted(directory.glob("*.txt"))
    if not texts:
        raise FileNotFoundError(f"no .txt texts in {directory}")
    orphans = sorted(named - {path.stem for path in texts} - {path.name for path in texts})
    if orphans:
        raise ValueError(f"{label_file}: labelled events for texts that are not in {directory}: {orphans}")
    return texts


def _extract(path: Path, geocoder: object, document_day: object = None) -> object:
    from geodata.importers.common import read_document as _read_text
    from geodata.text.extract import extract_events

    return extract_events(_read_text(path), geocoder, id_prefix=f"text:{path.stem}", source_name=path.name,
                          document_day=document_day)  # fmt: skip


def _count_reasons(quarantine: dict[str, int], rejected: pd.DataFrame) -> None:
    for reason in rejected["reason"].astype(str):
        key = reason.split(" (")[0]
        quarantine[key] = quarantine.get(key, 0) + 1


def _evaluate_labels(directory: Path, geocoder: object, date_from_labels: bool) -> Score:
    labels = read_labels(directory / "labels.csv")
    texts = _texts(directory, set(labels["file"]), directory / "labels.csv")
    scored = [path for path in texts if path.name in set(labels["file"]) or path.stem in set(labels["file"])]
    total = Score(texts=len(scored), gold=0, extracted=0, matched=0, fields={})
    total.unlabelled = [path.name for path in texts if path not in scored]
    quarantine: dict[str, int] = {}
    for path in scored:
        mine = labels[labels["file"].isin((path.name, path.stem))]
        doc_day = mine["doc_date"].dropna()
        day = doc_day.iloc[0].date() if date_from_labels and len(doc_day) else None
        result = _extract(path, geocoder, day)
        events = result.events.reset_index(drop=True)
        mine = mine[mine["event_no"] != 0].reset_index(drop=True)
        matches, untied, distance = match_labels(mine, events)
        total.gold += len(mine)
        total.extracted += len(events)
        total.matched += len(matches)
        for g, e in matches:
            total.actors_right += _right_actor(mine.loc[g, "family1"], events.loc[e])
            total.toll_right += _right_toll(mine.loc[g, "fatalities_low"], mine.loc[g, "fatalities_high"],
                                            events.loc[e])  # fmt: skip
        total.untied += [f"{path.stem}: {_describe(events.loc[e])}" for e in untied]
        matched_events = {e for _, e in matches}
        total.false_events += [f"{path.stem}: {_describe(events.loc[e])}" for e in range(len(events))
                               if e not in matched_events and e not in untied]  # fmt: skip
        matched_labels = {g for g, _ in matches}
        for g in range(len(mine)):
            if g in matched_labels:
                continue
            label = mine.loc[g]
            line = (f"{path.stem} #{int(label['event_no'])}: {label['place']} {label['date_start']:%Y-%m-%d}"
                    f"..{label['date_end']:%Y-%m-%d} {label['family1']}/{label['family2']}")  # fmt: skip
            if len(events):
                nearest = int(np.argmin(distance[g]))
                line += f"; nearest extracted {distance[g, nearest]:.0f} km: {_describe(events.loc[nearest])}"
            total.missed.append(line)
        _count_reasons(quarantine, result.rejected)
    total.quarantine = dict(sorted(quarantine.items(), key=lambda item: -item[1]))
    return total


def _evaluate_gold(directory: Path, geocoder: object, boundaries: object | None) -> Score:
    gold = read_gold(directory / "gold.csv")
    texts = _texts(directory, set(gold["text_id"]), directory / "gold.csv")
    total = Score(texts=len(texts), gold=len(gold), extracted=0, matched=0, fields=dict.fromkeys(FIELDS, 0))
    quarantine: dict[str, int] = {}
    for path in texts:
        result = _extract(path, geocoder)
        events = result.events.reset_index(drop=True)
        if boundaries is not None and len(events):
            joined = boundaries.join(events)
            events["admin2"] = joined["admin2"].fillna(events["admin2"])
        mine = gold[gold["text_id"] == path.stem].reset_index(drop=True)
        matches, fields, untied, missed = score_text(mine, events)
        total.extracted += len(events)
        total.matched += len(matches)
        for g, e in matches:
            total.actors_right += _right_actor(mine.loc[g, "actor1_family"], events.loc[e])
            low = mine.loc[g].get("fatalities_low")
            high = mine.loc[g].get("fatalities_high")
            low = mine.loc[g, "fatalities"] if pd.isna(low) else low
            high = mine.loc[g, "fatalities"] if pd.isna(high) else high
            total.toll_right += _right_toll(low, high, events.loc[e])
        for name, count in fields.items():
            total.fields[name] += count
        total.untied += [f"{path.stem}: {events.loc[e, 'location']} ({events.loc[e, 'event_id']})" for e in untied]
        total.missed += [
            f"{path.stem}: {mine.loc[g, 'location']} {mine.loc[g, 'date_start']:%Y-%m-%d}"
            f" {_text(mine.loc[g, 'actor1_family'])}/{_text(mine.loc[g, 'actor2_family'])}"
            for g in missed
        ]
        _count_reasons(quarantine, result.rejected)
    total.quarantine = dict(sorted(quarantine.items(), key=lambda item: -item[1]))
    return total
