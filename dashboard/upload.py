"""From an uploaded file to the pipeline: save the streamed body under a size limit, tell ACLED from UCDP, import.

Nothing here knows about Flask or Dash: the route hands in a readable stream and gets back an
:class:`UploadResult` whose ``message`` is what the page shows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from geodata import pipeline
from geodata.settings import Settings as PipelineSettings

KINDS = ("acled", "ucdp")
# Header columns that only one of the two exports carries (ACLED's event id, UCDP GED's violence type).
SIGNATURES = {"acled": {"event_id_cnty"}, "ucdp": {"type_of_violence", "side_a", "where_coordinates"}}
ALLOWED_SUFFIXES = (".csv", ".txt")
CHUNK = 1 << 16
# How many quarantine reasons the page shows under the summary line.
SHOWN_REASONS = 5


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
    kind: str | None = None
    new_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "message": self.message, "reasons": self.reasons, "kind": self.kind,
                "new": len(self.new_ids)}


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


def too_large_message(limit_bytes: int) -> str:
    return f"The file is larger than the upload limit of {limit_bytes // (1 << 20)} MB; nothing was imported."


def check_name(filename: str) -> None:
    """Refuse names that are plainly not a CSV export (a spreadsheet, an archive, a picture)."""
    if not filename.lower().endswith(ALLOWED_SUFFIXES):
        raise UploadError(
            f"{filename!r} is not a CSV file: upload an ACLED or UCDP export saved as .csv; nothing was imported."
        )


def detect_kind(path: Path, filename: str) -> str:
    """``"acled"`` or ``"ucdp"`` from the file's header row, or :class:`UploadError` naming the file."""
    with open(path, "rb") as handle:
        head = handle.read(CHUNK)
    if b"\x00" in head:
        raise UploadError(f"{filename!r} is not a text CSV file (it contains binary data); nothing was imported.")
    text = head.decode("utf-8-sig", errors="replace")
    first_line = text.splitlines()[0] if text else ""
    header = {name.strip().strip('"').lower() for name in next(csv.reader(io.StringIO(first_line)), [])}
    for kind, columns in SIGNATURES.items():
        if header & columns:
            return kind
    raise UploadError(
        f"{filename!r}: the header row is neither an ACLED export (needs event_id_cnty) nor a UCDP GED export "
        "(needs type_of_violence); nothing was imported."
    )


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
        return UploadResult(ok=False, message=f"{error}; nothing was imported.")
    return UploadResult(
        ok=True,
        message=f"{filename} ({chosen.upper()}): {summary.line()}",
        reasons=list(summary.reasons[:SHOWN_REASONS]),
        kind=chosen,
        new_ids=list(summary.new_ids),
    )
