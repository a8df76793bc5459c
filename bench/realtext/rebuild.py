"""Lay saved real-report texts out as scoreable folders, one per split (``OUT/tune/``, ``OUT/held/``, the second
gathering's ``OUT/tune2/``, ``OUT/held2/``, the third's ``OUT/tune3/``, ``OUT/held3/`` and the fourth's
``OUT/held4/``), each with its ``.txt`` files and the ``labels.csv`` rows of those files, after checking every
text against the manifest's sha256.

The texts are third-party and stay out of the repository; whoever rebuilds saves each manifest URL's text (through the
search tool's ``pages`` corpus, or a browser) as ``TEXTS/<file>`` (or ``TEXTS/<split>/<file>``). Usage::

    python -m bench.realtext.rebuild --texts TEXTS --out OUT [--split tune|held|tune2|held2|tune3|held3|held4|all]
        [--manifest bench/realtext/manifest.csv] [--labels bench/realtext/labels.csv]

Exit 0 when every text of the chosen split(s) is present and matches; 1 when any is missing or differs (the good ones
are still laid out, and each bad one is named with its URL); 2 for a bad manifest or labels file.
Pure standard library, so it runs without the project's environment (``python bench/realtext/rebuild.py ...``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST_COLUMNS = ("file", "split", "url", "sha256", "chars", "outlet", "published", "style")
LABEL_COLUMNS = (
    "file", "doc_date", "event_no", "date_start", "date_end", "place", "country_iso2", "lat", "lon", "tolerance_km",
    "family1", "family2", "fatalities_low", "fatalities_high",
)  # fmt: skip
# 1, 2: odd/even publication years; 3: by gatherer; 4: all held out (nobody who writes rules reads it)
SPLITS = ("tune", "held", "tune2", "held2", "tune3", "held3", "held4")


class SetError(ValueError):
    """The manifest or labels file itself is wrong (named file, row and field in the message)."""


@dataclass(frozen=True)
class Entry:
    """One manifest row: a text's file name, its split, where it was read and the checksum of its saved bytes."""

    file: str
    split: str
    url: str
    sha256: str
    chars: int


def read_manifest(path: Path) -> list[Entry]:
    """The manifest's rows, checked: exact columns, a known split, a 64-hex sha256, unique file names."""
    rows = _read_csv(path, MANIFEST_COLUMNS)
    entries: list[Entry] = []
    seen: set[str] = set()
    for line, row in rows:
        where = f"{path}, row {line}"
        name = row["file"].strip()
        if not name or Path(name).name != name or not name.endswith(".txt"):
            raise SetError(f"{where}, field file: {name!r} is not a bare .txt file name")
        if name in seen:
            raise SetError(f"{where}, field file: {name} is listed twice")
        seen.add(name)
        if row["split"] not in SPLITS:
            raise SetError(f"{where}, field split: {row['split']!r} is not one of {', '.join(SPLITS)}")
        digest = row["sha256"].strip().lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise SetError(f"{where}, field sha256: {row['sha256']!r} is not a sha256 hex digest")
        try:
            chars = int(row["chars"])
        except ValueError:
            raise SetError(f"{where}, field chars: {row['chars']!r} is not a whole number") from None
        entries.append(Entry(name, row["split"], row["url"].strip(), digest, chars))
    return entries


def read_labels(path: Path, entries: Sequence[Entry]) -> list[dict[str, str]]:
    """The labels' rows, checked: exact columns, and every row's file listed in the manifest."""
    known = {e.file for e in entries}
    labels = []
    for line, row in _read_csv(path, LABEL_COLUMNS):
        if row["file"] not in known:
            raise SetError(f"{path}, row {line}, field file: {row['file']!r} is not in the manifest")
        labels.append(row)
    return labels


def _read_csv(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV whose header must be exactly ``columns``, each with its line number for messages."""
    if not path.is_file():
        raise SetError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != tuple(columns):
            found = ",".join(reader.fieldnames or [])
            raise SetError(f"{path}: header must be exactly {','.join(columns)}; it is {found}")
        rows = []
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                raise SetError(f"{path}, row {reader.line_num}: expected {len(columns)} fields")
            rows.append((reader.line_num, row))
    return rows


def find_text(texts: Path, entry: Entry) -> Path | None:
    """Where the saved text of ``entry`` is: ``TEXTS/<file>`` or ``TEXTS/<split>/<file>``; None when neither."""
    for candidate in (texts / entry.file, texts / entry.split / entry.file):
        if candidate.is_file():
            return candidate
    return None


def check_text(path: Path | None, entry: Entry) -> str | None:
    """Why the saved text of ``entry`` cannot be used (a message naming the file and its URL); None when it matches."""
    if path is None:
        return f"missing: {entry.file} ({entry.split}) — save the text of {entry.url} as this file"
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest == entry.sha256:
        return None
    chars = len(data.decode("utf-8", errors="replace"))
    return (
        f"checksum mismatch: {entry.file} ({entry.split}) from {entry.url}: sha256 {digest[:12]}…, {chars} chars; "
        f"the manifest expects {entry.sha256[:12]}…, {entry.chars} chars — re-save the text exactly as returned"
    )


def rebuild(texts: Path, out: Path, entries: Sequence[Entry], labels: Sequence[dict[str, str]],
            splits: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Copy each matching text to ``out/<split>/`` and write that split's labels.csv (rows of the copied files only);
    return the number of texts copied per split and one problem line per missing or mismatched text."""
    copied_per_split: dict[str, int] = {}
    problems: list[str] = []
    for split in splits:
        chosen = [e for e in entries if e.split == split]
        if not chosen:
            continue
        target = out / split
        target.mkdir(parents=True, exist_ok=True)
        copied: set[str] = set()
        for entry in chosen:
            source = find_text(texts, entry)
            problem = check_text(source, entry)
            if problem is not None or source is None:
                problems.append(problem or f"missing: {entry.file}")
                (target / entry.file).unlink(missing_ok=True)  # no stale copy from an earlier run
                continue
            shutil.copyfile(source, target / entry.file)
            copied.add(entry.file)
        with (target / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=LABEL_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(row for row in labels if row["file"] in copied)
        copied_per_split[split] = len(copied)
    return copied_per_split, problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: check, lay out, print one line per problem and a summary; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.realtext.rebuild", description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, required=True, help="folder where each manifest text was saved")
    parser.add_argument("--out", type=Path, required=True, help="folder to write OUT/<split>/ into, one per split")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.csv")
    parser.add_argument("--labels", type=Path, default=HERE / "labels.csv")
    args = parser.parse_args(argv)
    if not args.texts.is_dir():
        print(f"error: --texts {args.texts} is not a folder", file=sys.stderr)
        return 2
    try:
        entries = read_manifest(args.manifest)
        labels = read_labels(args.labels, entries)
    except SetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    splits = SPLITS if args.split == "all" else (args.split,)
    copied, problems = rebuild(args.texts, args.out, entries, labels, splits)
    for line in problems:
        print(line, file=sys.stderr)
    listed = {split: sum(e.split == split for e in entries) for split in copied}
    for split in splits:
        if split not in copied:
            print(f"{split}: no texts of this split in {args.manifest}")
    for split, n in copied.items():
        print(f"{split}: {n} of {listed[split]} texts -> {args.out / split}")
    if problems:
        print(f"{len(problems)} of {sum(listed.values())} texts missing or mismatched; the folders above lack them",
              file=sys.stderr)
        return 1
    print(f"rebuilt {sum(copied.values())} texts, every checksum matches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
