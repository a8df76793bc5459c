"""Incident relinking of only what an import can change, for a store that can read the events near given ones.

The linker (geodata/incidents.py) decides a link from the candidates of its two events, and an incident from the
group its links form; a candidate is never farther than the linker's reach (``REACH_KM`` and ``DATE_SLACK_DAYS``,
or the same country when either event is region-level). So after an import only the events within reach of the
changed ones can gain or lose a candidate, and only the groups holding such an event, before or after the import,
can change. :func:`relink_around` loads those events, their stored incidents and every candidate of theirs, grows
the set while a group reaches further, and relinks that part: its events get exactly what a relink of the whole
store gives them, and every other event keeps its incident.

Why no second ring (the candidates' own candidates) is read: links among the events of interest are exact, since
each has all its candidates loaded. A link to a candidate read without its own candidates can be spurious (its true
best is not loaded yet) but never missing (a clear best stays the clear best among fewer), so the groups found
hold the true ones; a candidate in a group joins the events of interest, its candidates are read in the next round,
and the rounds end when every group found is made of events of interest, whose links are all exact.

Not every event of interest needs its candidates read. Only the candidates of the changed events (pairs that pass
the linker's tests, :func:`geodata.incidents.partners`) can see their best candidate in a dataset change; any other
event keeps its best ones, so its true links are its stored ones or links to those candidates, all among what is
read. Such an event is asked for its neighbours only when, linked among what was read, it is in a group of more than
two or its one link is not the link of its stored two-report incident (:func:`_unsure`): the other member of a
dissolved pair, or an event that stays alone, keeps the links found without its candidates being read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from geodata import incidents, schema
from geodata.store.parquet import _differs

INCIDENT_COLUMNS = (*incidents.COLUMNS, incidents.NOTE_COLUMN)


class Neighbourhood(Protocol):
    """What :func:`relink_around` asks of a store (which is still as it was before the import)."""

    def near(self, rows: pd.DataFrame) -> np.ndarray:
        """The ids of stored events that may be candidates of ``rows``: within the linker's reach in space and
        time, or in their country when either is region-level (a superset is fine; never fewer)."""

    def members(self, incident_ids: Iterable[str]) -> np.ndarray:
        """The ids of stored events whose ``incident_id`` is one of ``incident_ids``."""

    def rows(self, ids: Iterable[str]) -> pd.DataFrame:
        """The stored events with these ids (every column, canonical dtypes, no geometry needed)."""


@dataclass
class Relinked:
    """What an import writes after relinking the part of the store it can change."""

    events: pd.DataFrame  # the changed events (new and replaced), whole, as the import leaves them
    moved: pd.DataFrame  # other stored events whose incident columns moved: event_id and INCIDENT_COLUMNS only
    table: pd.DataFrame  # rows of the incidents table for the incidents of the relinked events
    replaced: list[str]  # incident ids whose rows in the incidents table ``table`` replaces
    loaded: int  # how many events were read to decide it


def relink_around(changed: pd.DataFrame, old: pd.DataFrame, store: Neighbourhood,
                  gone: Iterable[str] = ()) -> Relinked:
    """Relink the incidents around ``changed`` (new and replaced events as the import leaves them) and the stored
    events ``gone`` (deleted by the import, e.g. a rebuild's dropped seed events); ``old`` holds the stored
    versions of the replaced and the deleted ones. The result equals a relink of the whole store."""
    changed = _plain(changed)
    pool = _plain(old)  # stored events read so far (as before the import)
    gone_ids = set(map(str, gone)) - set(changed["event_id"].astype(str))
    # A deleted event is changed too: its old neighbours lose a candidate, its incident loses a member.
    changed_ids = set(changed["event_id"].astype(str)) | gone_ids
    interest: set[str] = set(changed_ids)  # events whose incident columns are recomputed
    first: set[str] = set()  # candidates of the events of interest
    asked: set[str] = set()  # events whose neighbours were asked for
    asked_first: set[str] = set()
    incidents_read: set[str] = set()

    pooled: set[str] = set(_ids(pool))

    def load(ids: Iterable[str]) -> None:
        nonlocal pool
        missing = set(ids) - pooled
        if missing:
            pool = pd.concat([pool, _plain(store.rows(sorted(missing)))], ignore_index=True)
            pooled.update(_ids(pool))

    def rows_of(ids: set[str]) -> pd.DataFrame:  # both versions of a changed event: its old and new place
        return pd.concat([pool.loc[_isin(_ids(pool), ids)], changed.loc[_isin(_ids(changed), ids)]],
                         ignore_index=True)

    first |= set(store.near(rows_of(changed_ids)))  # every event that can gain or lose a candidate
    interest |= first
    asked |= changed_ids
    asked_first |= changed_ids
    load(first)
    # Only these can see their best candidate in a dataset change (their candidates come, go or move): they must
    # have every candidate read. Any other event keeps its best ones, so its links can change only towards these.
    # (Both versions of a changed event are in the rows: its old candidates and its new ones.)
    must = changed_ids | incidents.partners(rows_of(changed_ids | first), changed_ids)
    while True:
        load(interest)
        stored_incidents = set(pool.loc[_isin(_ids(pool), interest), "incident_id"].dropna()
                               .astype(str)) - incidents_read
        if stored_incidents:  # the others in an incident of an event of interest can change with it
            incidents_read |= stored_incidents
            interest |= set(store.members(sorted(stored_incidents)))
            load(interest)
        ask = (interest & must) - asked_first
        if ask:
            found = set(store.near(rows_of(ask)))
            asked_first |= ask
            asked |= ask
            first |= found
        # No second ring (the candidates of these candidates): an event of interest has all its candidates in the
        # pool, so a link between two of them is exact, and a link to a candidate whose own candidates are not all
        # loaded can only be spurious, never missing (a best candidate stays best and clear among fewer). Such a
        # candidate joins the group and so the events of interest, and is asked in the next round.
        load(first)
        after = pd.concat([pool.loc[~_isin(_ids(pool), changed_ids)], changed], ignore_index=True)
        linked = incidents.link(after)
        grown = _groups_of(after, linked.group, interest) | _groups_of(pool, incidents.link(pool).group, interest)
        unsure = _unsure(after, linked.group, interest - asked_first - must, pool)
        if grown <= interest and not unsure:
            break
        interest |= grown
        must |= unsure

    return _relinked(after, linked, interest, pool, changed_ids, gone_ids)


def _relinked(after: pd.DataFrame, linked: incidents.Links, interest: set[str], pool: pd.DataFrame,
              changed_ids: set[str], gone_ids: set[str]) -> Relinked:
    """What a relink writes: the changed events whole, the other events of interest whose incident columns moved,
    and the incidents table of the groups they now form (``pool``: the stored events read, as before the import)."""
    out = after.copy()  # (the deleted events are not in it: nothing of theirs is written)
    for column in INCIDENT_COLUMNS:
        out[column] = getattr(linked, column)
    mine = out.loc[_isin(_ids(out), interest)]
    before = pool.drop_duplicates("event_id")
    before.index = _ids(before)
    stored = before.reindex(_ids(mine))
    moved = np.zeros(len(mine), dtype=bool)
    for column in INCIDENT_COLUMNS:
        moved |= _differs(stored[column], mine[column])
    own = _isin(_ids(mine), changed_ids)
    write, others = mine.loc[own], mine.loc[moved & ~own, ["event_id", *INCIDENT_COLUMNS]]
    new_ids = set(mine["incident_id"].dropna().astype(str))
    links = linked.links
    links = links.loc[_isin(links["incident_id"].astype(str).to_numpy(dtype=object), new_ids)] if len(links) else links
    table = incidents.incident_table(mine, links)
    was = set(stored["incident_id"].dropna().astype(str))
    was |= set(before.loc[_isin(_ids(before), gone_ids), "incident_id"].dropna().astype(str))
    replaced = sorted(new_ids | was)
    return Relinked(write.reset_index(drop=True), others.reset_index(drop=True), table, replaced, len(pool))


def _unsure(after: pd.DataFrame, group: np.ndarray, unread: set[str], pool: pd.DataFrame) -> set[str]:
    """Those of ``unread`` (events of interest whose candidates were not all read, whose best candidates the import
    cannot change) whose links, as linked among what was read, may be wrong: any but none, or the one link of the
    two-report incident they were stored in. Such a link is a true one (their best is unchanged, and so is the
    partner's or the partner's was read whole), and a true link of theirs is never missed (it is to a member of
    their stored incident or to an event whose candidates were read), so the others keep the links found."""
    if not unread:
        return set()
    ids = _ids(after)
    sizes = np.bincount(group, minlength=len(group))[group]
    two = np.flatnonzero(sizes == 2)
    two = two[np.argsort(group[two], kind="stable")]  # the two members of each such group side by side
    partner = np.full(len(ids), "", dtype=object)
    partner[two[0::2]], partner[two[1::2]] = ids[two[1::2]], ids[two[0::2]]
    stored = pool.drop_duplicates("event_id")
    stored.index = _ids(stored)
    incident = stored["incident_id"].astype("string").reindex(ids).to_numpy(dtype=object, na_value=None)
    with_partner = stored["incident_id"].astype("string").reindex(partner).to_numpy(dtype=object, na_value=None)
    size = pd.to_numeric(stored["incident_size"], errors="coerce").reindex(ids).to_numpy(dtype=float)
    kept = (sizes == 2) & (size == 2) & (incident == with_partner) & pd.notna(incident)
    return unread - set(ids[(sizes == 1) | kept])


def _groups_of(frame: pd.DataFrame, group: np.ndarray, interest: set[str]) -> set[str]:
    """The ids of every event in a group (before same-dataset links were dropped) holding an event of interest."""
    ids = _ids(frame)
    touched = np.unique(group[_isin(ids, interest)])
    return set(ids[np.isin(group, touched)])


def _ids(frame: pd.DataFrame) -> np.ndarray:
    """The event ids of ``frame`` as Python strings (object array)."""
    return frame["event_id"].astype(object).to_numpy(dtype=object).astype(str).astype(object)


def _isin(values: np.ndarray, members: set[str]) -> np.ndarray:
    """Whether each value is one of ``members`` (hashed, not sorted: fast for text ids)."""
    return pd.Index(values, dtype=object).isin(list(members))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Events as a plain frame (no geometry): the linker reads coordinates, not points."""
    if "geometry" in frame:
        frame = pd.DataFrame(frame.drop(columns="geometry"))
    if frame.empty and not len(frame.columns):
        return pd.DataFrame(schema.empty_events().drop(columns="geometry"))
    return frame.reset_index(drop=True)
