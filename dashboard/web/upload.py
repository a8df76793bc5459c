"""From an uploaded file to the pipeline: save the streamed body under a size limit, tell ACLED from UCDP, import.

Nothing here knows about Flask or Dash: the route hands in a readable stream and gets back an
:class:`UploadResult` whose ``message`` is what the page shows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from geodata import pipeline
from geodata.importers.common import MAX_COLUMNS, MAX_HEADER_BYTES  # the header bounds: the command line's own
from geodata.settings import Settings as PipelineSettings

KINDS = ("acled", "ucdp")
# Header columns that only one of the two exports carries (ACLED's event id, UCDP GED's violence type).
SIGNATURES = {"acled": {"event_id_cnty"}, "ucdp": {"type_of_violence", "side_a", "where_coordinates"}}
ALLOWED_SUFFIXES = (".csv", ".txt")
CHUNK = 1 << 16
# How many quarantine reasons the page shows under the summary line.
SHOWN_REASONS = 5
# Longest file name kept, in UTF-8 bytes (a file system's limit is 255).
MAX_NAME_BYTES = 120
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


class UploadError(ValueError):
    """An upload refused before anything reached the store; the message is for the user."""


class UploadTooLarge(UploadError):
    """The body passed the configured size limit."""


@dataclass
class UploadResult:
    """What the page shows after an upload."""

    ok: bool
    message: str
    reasons: list[str] = field(default_factory=list)
    # What the import noticed beyond the counts: one line per kind of difference from the source, notices.
    notes: list[str] = field(default_factory=list)
    kind: str | None = None
    new_ids: list[str] = field(default_factory=list)
    # The HTTP status the answer carries: 200, 400 for a refused file, 503 when the store cannot be written.
    status: int = 0

    def __post_init__(self) -> None:
        if not self.status:
            self.status = 200 if self.ok else 400

    def as_dict(self) -> dict:
        return {"ok": self.ok, "message": self.message, "reasons": self.reasons, "notes": self.notes, "kind": self.kind,
                "new": len(self.new_ids), "status": self.status}


def save_stream(stream: BinaryIO, target: Path, limit_bytes: int) -> Path:
    """Copy ``stream`` into ``target`` chunk by chunk, refusing more than ``limit_bytes``.

    The file keeps the user's name (in a private temporary folder) so quarantine reasons name it; the
    partial file is removed when the limit is passed, so a refused upload leaves nothing behind.
    """
    size = 0
    try:
        with open(target, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit_bytes:
                    raise UploadTooLarge(too_large_message(limit_bytes))
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if size == 0:
        target.unlink(missing_ok=True)
        raise UploadError("The uploaded file is empty.")
    return target


def store_unavailable_message(store: Path, error: OSError | None = None) -> str:
    why = f" ({error.strerror or type(error).__name__})" if error is not None else ""
    return (f"The event store cannot be written at the moment{why}: this server may be read-only or the disk "
            f"full; nothing was imported. Try again later or ask whoever runs the atlas.")


def too_large_message(limit_bytes: int) -> str:
    return f"The file is larger than the upload limit of {limit_bytes // (1 << 20)} MB; nothing was imported."


def safe_name(given: str | None) -> str:
    """A file name safe to create in our private folder and to show: no folders, control characters or NULs,
    NFC-normalised, at most :data:`MAX_NAME_BYTES` bytes with its suffix kept; ``upload.csv`` when nothing is left."""
    name = unicodedata.normalize("NFC", str(given or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .") or "upload.csv"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix[:10] if dot else ""
        room = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - len("….".encode())
        stem = (stem if dot else name).encode("utf-8")[:room].decode("utf-8", errors="ignore")
        name = f"{stem}…{dot}{suffix}" if suffix else f"{stem}…"
    return name


def check_name(filename: str) -> None:
    """Refuse names that are plainly not a CSV export (a spreadsheet, an archive, a picture)."""
    if not filename.lower().endswith(ALLOWED_SUFFIXES):
        raise UploadError(
            f"{filename!r} is not a CSV file: upload an ACLED or UCDP export saved as .csv; nothing was imported."
        )


def detect_kind(path: Path, filename: str) -> str:
    """``"acled"`` or ``"ucdp"`` from the file's header row, or :class:`UploadError` naming the file."""
    header = {name.strip().strip('"').lower() for name in header_fields(path, filename)}
    for kind, columns in SIGNATURES.items():
        if header & columns:
            return kind
    raise UploadError(
        f"{filename!r}: the header row is neither an ACLED export (needs event_id_cnty) nor a UCDP GED export "
        "(needs type_of_violence); nothing was imported."
    )


def header_fields(path: Path, filename: str) -> list[str]:
    """The header row's fields, read in one linear pass over at most :data:`MAX_HEADER_BYTES`.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as the command line reads them; a header
    with more than :data:`MAX_COLUMNS` columns, or longer than the byte bound, is refused with its numbers.
    """
    with open(path, "rb") as handle:
        head = handle.read(MAX_HEADER_BYTES + 4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="replace")
    elif b"\x00" in head[:CHUNK]:
        raise UploadError(f"{filename!r} is not a text CSV file (it contains binary data); nothing was imported.")
    else:
        text = head.decode("utf-8-sig", errors="replace")
    end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=-1)
    first_line = text if end < 0 else text[:end]
    if end < 0 and len(head) > MAX_HEADER_BYTES:
        seen = max(first_line.count(sep) for sep in (",", ";", "\t")) + 1
        more = f" and more than {seen:,} columns (at most {MAX_COLUMNS})" if seen > MAX_COLUMNS else ""
        raise UploadError(f"{filename!r}: the header row is longer than {MAX_HEADER_BYTES // 1024} KB{more}; "
                          "nothing was imported.")
    if "\x00" in first_line:
        raise UploadError(f"{filename!r} is not a text CSV file (it contains binary data); nothing was imported.")
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=lambda s: (counts[s], s == ","))
    if counts[sep] + 1 > MAX_COLUMNS:
        raise UploadError(f"{filename!r}: the header row has {counts[sep] + 1:,} columns, more than the "
                          f"{MAX_COLUMNS} an export can have; nothing was imported.")
    return next(csv.reader(io.StringIO(first_line), delimiter=sep), [])


def import_upload(path: Path, filename: str, kind: str, settings: PipelineSettings) -> UploadResult:
    """Run the pipeline on a saved upload; every refusal becomes a result with a clear message.

    ``kind`` is ``"auto"`` (read the header) or one of :data:`KINDS`. The pipeline writes the store
    atomically, so a refused file changes nothing.
    """
    try:
        check_name(filename)
        chosen = detect_kind(path, filename) if kind in ("", "auto", None) else kind
        if chosen not in KINDS:
            raise UploadError(f"Unknown export type {kind!r}: choose ACLED or UCDP.")
        summary = pipeline.import_file(chosen, path, settings)
    except UploadError as error:
        return UploadResult(ok=False, message=str(error))
    except ValueError as error:  # the importers' MissingColumnsError / EncodingError name the (temporary) file
        said = str(error)  # HeaderTooWideError already says nothing was imported
        return UploadResult(ok=False, message=f"{said}." if said.endswith("nothing was imported") else
                            f"{said}; nothing was imported.")
    except OSError as error:  # a read-only or full disk, or a store another host holds: the store is unchanged
        return UploadResult(ok=False, status=503, message=store_unavailable_message(settings.store, error))
    return UploadResult(
        ok=True,
        message=f"{filename} ({chosen.upper()}): {summary.line()}",
        reasons=list(summary.reasons[:SHOWN_REASONS]),
        notes=[*summary.differences, *summary.notices][:SHOWN_REASONS],
        kind=chosen,
        new_ids=list(summary.new_ids),
    )
