"""Score text extraction on a labelled corpus: ``python -m geodata evaluate [DIR]``.

A corpus is a folder of texts ``<text_id>.txt`` and ``gold.csv`` with their documented events (columns
``GOLD_COLUMNS``; a text may have none). Every text is extracted as ``python -m geodata extract`` would (its own
dateline or "Published" line as the document date), and its events are matched one to one with its gold events.

A match is the same place, overlapping dates and the same actors:

- place: the two points within :data:`MATCH_KM` km, or, for a region-level event (``geo_precision`` 3 on
  either side), the same admin-2 unit (our admin-2 comes from the boundary join: the bundled layer has Burkina
  Faso's provinces, Mali's cercles and Niger's departments, ``--boundaries`` or ``SCA_BOUNDARIES`` replace it;
  with no boundaries at all only the distance counts);
- dates: the two ranges share at least a day;
- actors: the same unordered pair of families (``{JNIM, ISGS}`` = ``{ISGS, JNIM}``; a missing actor is a
  missing actor on both sides).

Among the pairs that match, the closest are taken first, each event at most once. Precision is matches over
extracted events, recall matches over gold events, F1 their harmonic mean. Per-field accuracy aligns each gold
event with the extracted event of its text that agrees with it on most of place, dates and actors (then the
closest) and counts, over all gold events, how often each field agrees (0 when nothing was extracted).
Extracted events whose place is not within reach of any gold event of their text are listed as "placed where
the text ties no violence".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.names import normalise

GOLD_COLUMNS = (
    "text_id", "date_start", "date_end", "location", "latitude", "longitude", "country_iso2", "admin2",
    "geo_precision", "actor1_family", "actor2_family", "fatalities", "fatalities_low", "fatalities_high",
    "source_url", "summary",
)  # fmt: skip
MATCH_KM = 10.0
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
        """The printed report; the last line is ``events: precision P, recall R, F1 F on T texts``."""
        out = [f"gold events {self.gold}, extracted {self.extracted}, matched {self.matched}", "per-field accuracy:"]
        for name in FIELDS:
            count = self.fields.get(name, 0)
            share = count / self.gold if self.gold else 0.0
            out.append(f"  {name}: {share:.2f} ({count}/{self.gold})")
        out.append(f"events placed where the text ties no violence: {len(self.untied)}")
        out += [f"  {line}" for line in self.untied]
        out.append(f"gold events not matched: {len(self.missed)}")
        out += [f"  {line}" for line in self.missed]
        if self.quarantine:
            out.append("quarantined sentences: " + ", ".join(f"{reason} {n}" for reason, n in self.quarantine.items()))
        out.append(
            f"events: precision {self.precision:.2f}, recall {self.recall:.2f}, F1 {self.f1:.2f} on {self.texts} texts"
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
    for column in ("latitude", "longitude", "geo_precision", "fatalities"):
        gold[column] = pd.to_numeric(gold.get(column), errors="coerce")
    return gold


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


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


def score_text(gold: pd.DataFrame, events: pd.DataFrame) -> tuple[int, dict[str, int], list[int], list[int]]:
    """(matches, per-field agreements over the gold events, extracted rows placed away from every gold event,
    gold rows not matched) for one text."""
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
    return len(matches), fields, untied, missed


def _type_agrees(gold: pd.Series, event: pd.Series) -> bool:
    """Gold has no event type column: civilians as a party means violence against civilians, else any type."""
    civilians = "Civilians" in (_text(gold["actor1_family"]), _text(gold.get("actor2_family")))
    if not civilians:
        return True
    return _text(event["event_type"]) in ("Violence against civilians", "Explosions/Remote violence")


def evaluate(directory: Path, geocoder: object, boundaries: object | None = None) -> Score:
    """Extract every ``*.txt`` of ``directory`` and score its events against ``directory/gold.csv``."""
    from geodata.extract import extract_events
    from geodata.importers.common import read_document as _read_text

    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {directory}")
    gold = read_gold(directory / "gold.csv")
    texts = sorted(directory.glob("*.txt"))
    if not texts:
        raise FileNotFoundError(f"no .txt texts in {directory}")
    known = {path.stem for path in texts}
    orphans = sorted(set(gold["text_id"]) - known)
    if orphans:
        raise ValueError(f"{directory / 'gold.csv'}: gold events for texts that are not in {directory}: {orphans}")
    total = Score(texts=len(texts), gold=len(gold), extracted=0, matched=0, fields=dict.fromkeys(FIELDS, 0))
    quarantine: dict[str, int] = {}
    for path in texts:
        result = extract_events(_read_text(path), geocoder, id_prefix=f"text:{path.stem}", source_name=path.name)
        events = result.events.reset_index(drop=True)
        if boundaries is not None and len(events):
            joined = boundaries.join(events)
            events["admin2"] = joined["admin2"].fillna(events["admin2"])
        mine = gold[gold["text_id"] == path.stem].reset_index(drop=True)
        matched, fields, untied, missed = score_text(mine, events)
        total.extracted += len(events)
        total.matched += matched
        for name, count in fields.items():
            total.fields[name] += count
        total.untied += [f"{path.stem}: {events.loc[e, 'location']} ({events.loc[e, 'event_id']})" for e in untied]
        total.missed += [
            f"{path.stem}: {mine.loc[g, 'location']} {mine.loc[g, 'date_start']:%Y-%m-%d}"
            f" {_text(mine.loc[g, 'actor1_family'])}/{_text(mine.loc[g, 'actor2_family'])}"
            for g in missed
        ]
        for reason in result.rejected["reason"].astype(str):
            key = reason.split(" (")[0]
            quarantine[key] = quarantine.get(key, 0) + 1
    total.quarantine = dict(sorted(quarantine.items(), key=lambda item: -item[1]))
    return total
