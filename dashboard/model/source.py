"""Where the app's events come from: the store read once per process and again only when it changes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from dashboard.model.events import EventData
from dashboard.model.startup import check_store
from geodata.schema import empty_events
from geodata.store import is_url, open_store


class EventSource:
    """The event store in memory: read once per process, read again only when the store changes (an upload, an
    import from any host).

    Every callback and route asks :meth:`get`. For a file the check is one ``stat`` call, so several worker
    processes all see an upload made through any one of them; for PostGIS it is the store's version row, asked at
    most once per :data:`POLL_S`, and the events are then read with that version from one consistent snapshot.
    """

    POLL_S = 1.0

    def __init__(self, path: Path | str) -> None:
        self.url = str(path) if is_url(path) else None
        self.path = Path(path) if self.url is None else None
        self.store = open_store(path) if self.url else None
        self.problem: str | None = None
        self._lock = threading.Lock()
        self._stamp: object = None
        self._data: EventData | None = None
        self._asked = 0.0

    def get(self) -> EventData:
        """The current events (an empty set, with :attr:`problem` saying why, when the store is missing)."""
        stamp = self._file_stamp() if self.url is None else self._db_stamp()
        if self._data is None or stamp != self._stamp:
            with self._lock:
                if self._data is None or stamp != self._stamp:
                    self._data, self._stamp = self._read(stamp)
        return self._data

    @property
    def version(self) -> str:
        """Changes whenever the events do; callbacks use it to refresh after an upload."""
        self.get()
        if self._stamp is None:
            return "missing"
        return str(self._stamp) if self.url else f"{self._stamp[0]}-{self._stamp[1]}"

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _db_stamp(self) -> object:
        now = time.monotonic()
        if self._data is not None and now - self._asked < self.POLL_S:
            return self._stamp
        self._asked = now
        try:
            return self.store.version()
        except ValueError:  # StoreError: the server is away for now; keep serving what was read
            return self._stamp

    def _read(self, stamp: object) -> tuple[EventData, object]:
        try:
            if self.url is not None:
                stamp, frame = self.store.snapshot()  # the version read with the rows it belongs to
                data = EventData.from_frame(frame)
            else:
                check_store(self.path)  # a store replaced by one with other columns is refused here too
                data = EventData.load(self.path)
        except (FileNotFoundError, ValueError) as error:
            self.problem = str(error)
            return EventData.from_frame(empty_events()), stamp
        self.problem = None
        # The free-text index takes a few seconds at a million events: build it now, off the request path.
        threading.Thread(target=data.prepare_search, name="search-index", daemon=True).start()
        return data, stamp
