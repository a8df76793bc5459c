"""bench/realtext/rebuild.py on a small made-up set of our own: layout per split, labels per split, the messages and
exit codes for a missing text and a checksum mismatch, and the committed manifest/labels being well formed."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from bench.realtext import rebuild

ROOT = Path(__file__).resolve().parents[1]
# Our own invented snippets (no third-party text); one per split and a second tune text.
TEXTS = {
    "t01_alpha.txt": ("tune", "https://example.org/alpha", "Gunmen attacked Alpha village on Monday, killing 3.\n"),
    "t02_beta.txt": ("tune", "https://example.org/beta", "Nothing violent happened in Beta this week.\n"),
    "h01_gamma.txt": ("held", "https://example.org/gamma", "Soldiers were ambushed near Gamma; 5 died – officials.\n"),
    "u01_delta.txt": ("tune2", "https://example.org/delta", "Delta's market was raided overnight; 7 dead.\n"),
    "k01_epsilon.txt": ("held2", "https://example.org/epsilon", "A drone strike hit Epsilon on 3 May 2022.\n"),
}
LABELS = [
    ["t01_alpha.txt", "2021-03-02", "1", "2021-03-01", "2021-03-01", "Alpha", "ML", "14.5", "-4.2", "0", "Other",
     "Civilians", "3", "3"],
    ["t02_beta.txt", "2021-03-02", "0", "", "", "", "", "", "", "", "", "", "", ""],
    ["h01_gamma.txt", "2023-05-06", "1", "2023-05-05", "2023-05-05", "near Gamma", "NE", "13.1", "1.8", "25", "Other",
     "State forces", "5", "5"],
    ["u01_delta.txt", "2023-01-10", "1", "2023-01-09", "2023-01-10", "Delta", "BF", "13.0", "-1.0", "0", "Other",
     "Civilians", "7", "7"],
    ["k01_epsilon.txt", "2022-05-04", "1", "2022-05-03", "2022-05-03", "Epsilon", "ML", "16.0", "0.5", "0",
     "State forces", "Civilians", "", ""],
]  # fmt: skip


@pytest.fixture()
def made_up_set(tmp_path: Path) -> dict[str, Path]:
    """A texts folder, a manifest and labels for TEXTS, all under tmp_path."""
    texts = tmp_path / "saved"
    texts.mkdir()
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(rebuild.MANIFEST_COLUMNS)
        for name, (split, url, body) in TEXTS.items():
            data = body.encode("utf-8")
            (texts / name).write_bytes(data)
            digest = hashlib.sha256(data).hexdigest()
            writer.writerow([name, split, url, digest, len(body), "Example", "", "made-up"])
    labels = tmp_path / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(rebuild.LABEL_COLUMNS)
        writer.writerows(LABELS)
    return {"texts": texts, "manifest": manifest, "labels": labels, "out": tmp_path / "out"}


def _args(paths: dict[str, Path], *extra: str) -> list[str]:
    return ["--texts", str(paths["texts"]), "--out", str(paths["out"]), "--manifest", str(paths["manifest"]),
            "--labels", str(paths["labels"]), *extra]  # fmt: skip


def _label_files(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == rebuild.LABEL_COLUMNS
        return [row["file"] for row in reader]


def test_lays_out_each_split_with_its_own_labels(made_up_set: dict[str, Path], capsys: pytest.CaptureFixture) -> None:
    assert rebuild.main(_args(made_up_set)) == 0
    out = made_up_set["out"]
    assert sorted(p.name for p in (out / "tune").iterdir()) == ["labels.csv", "t01_alpha.txt", "t02_beta.txt"]
    assert sorted(p.name for p in (out / "held").iterdir()) == ["h01_gamma.txt", "labels.csv"]
    assert _label_files(out / "tune" / "labels.csv") == ["t01_alpha.txt", "t02_beta.txt"]
    assert _label_files(out / "held" / "labels.csv") == ["h01_gamma.txt"]
    assert (out / "held" / "h01_gamma.txt").read_bytes() == (made_up_set["texts"] / "h01_gamma.txt").read_bytes()
    # The second gathering's splits get folders of their own, each with only its own label rows.
    assert sorted(p.name for p in (out / "tune2").iterdir()) == ["labels.csv", "u01_delta.txt"]
    assert sorted(p.name for p in (out / "held2").iterdir()) == ["k01_epsilon.txt", "labels.csv"]
    assert _label_files(out / "tune2" / "labels.csv") == ["u01_delta.txt"]
    assert _label_files(out / "held2" / "labels.csv") == ["k01_epsilon.txt"]
    assert "rebuilt 5 texts" in capsys.readouterr().out


def test_split_option_builds_only_that_split_and_finds_texts_in_split_subfolders(made_up_set: dict[str, Path]) -> None:
    texts = made_up_set["texts"]
    (texts / "held").mkdir()
    (texts / "h01_gamma.txt").rename(texts / "held" / "h01_gamma.txt")
    assert rebuild.main(_args(made_up_set, "--split", "held")) == 0
    assert not (made_up_set["out"] / "tune").exists()
    assert _label_files(made_up_set["out"] / "held" / "labels.csv") == ["h01_gamma.txt"]
    assert rebuild.main(_args(made_up_set, "--split", "held2")) == 0
    assert not (made_up_set["out"] / "tune2").exists()
    assert _label_files(made_up_set["out"] / "held2" / "labels.csv") == ["k01_epsilon.txt"]


def test_mismatch_and_missing_are_named_with_their_url_and_exit_non_zero(made_up_set: dict[str, Path]) -> None:
    texts = made_up_set["texts"]
    (texts / "t01_alpha.txt").write_text("Gunmen attacked Alpha village on Monday, killing 4.\n", encoding="utf-8")
    (texts / "h01_gamma.txt").unlink()
    # The real command line, as a user runs it, for its exit status and stderr.
    run = subprocess.run([sys.executable, "-m", "bench.realtext.rebuild", *_args(made_up_set)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 1
    assert "checksum mismatch: t01_alpha.txt (tune) from https://example.org/alpha" in run.stderr
    assert "missing: h01_gamma.txt (held) — save the text of https://example.org/gamma" in run.stderr
    assert "2 of 5 texts missing or mismatched" in run.stderr
    # The good text is still laid out; the bad ones are not, and the labels hold only the rows of what is there.
    out = made_up_set["out"]
    assert not (out / "tune" / "t01_alpha.txt").exists()
    assert _label_files(out / "tune" / "labels.csv") == ["t02_beta.txt"]
    assert _label_files(out / "held" / "labels.csv") == []
    assert _label_files(out / "tune2" / "labels.csv") == ["u01_delta.txt"]


def test_a_label_row_for_an_unlisted_file_is_refused_with_row_and_field(made_up_set: dict[str, Path],
                                                                        capsys: pytest.CaptureFixture) -> None:
    with made_up_set["labels"].open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(["t09_nowhere.txt", *[""] * 13])
    assert rebuild.main(_args(made_up_set)) == 2
    assert "row 7, field file: 't09_nowhere.txt' is not in the manifest" in capsys.readouterr().err


def test_committed_manifest_and_labels_are_well_formed() -> None:
    """The shipped set: every label row's file is listed, every listed file is labelled, values in range."""
    entries = rebuild.read_manifest(rebuild.HERE / "manifest.csv")
    labels = rebuild.read_labels(rebuild.HERE / "labels.csv", entries)
    assert {e.file for e in entries} == {row["file"] for row in labels}
    families = {"JNIM", "ISGS", "Ansarul Islam", "State forces", "Wagner Group", "Militia", "Civilians", "Other"}
    for row in labels:
        if row["event_no"] == "0":
            continue
        assert row["country_iso2"] in {"ML", "BF", "NE"}, row
        assert row["date_start"] <= row["date_end"], row
        assert row["family1"] in families and row["family2"] in families, row
        assert 9 <= float(row["lat"]) <= 24 and -13 <= float(row["lon"]) <= 16, row
        if row["fatalities_low"]:
            assert 0 <= int(row["fatalities_low"]) <= int(row["fatalities_high"]), row


def test_an_unknown_split_is_refused_with_row_and_field(made_up_set: dict[str, Path],
                                                        capsys: pytest.CaptureFixture) -> None:
    text = made_up_set["manifest"].read_text(encoding="utf-8").replace(",tune2,", ",tune4,")
    made_up_set["manifest"].write_text(text, encoding="utf-8")
    assert rebuild.main(_args(made_up_set)) == 2
    message = "row 5, field split: 'tune4' is not one of tune, held, tune2, held2, tune3, held3, held4"
    assert message in capsys.readouterr().err


def test_committed_splits_keep_the_publication_year_rule() -> None:
    """The first two gatherings: tune/tune2 hold texts published in odd years (or of unknown year), held/held2 even
    years (the third was split by gatherer, any year; the fourth is all held out); each file's prefix names its split
    (t, h, u, k, v, w, y), so a
    text cannot sit in the wrong half unnoticed."""
    entries = rebuild.read_manifest(rebuild.HERE / "manifest.csv")
    assert {e.split for e in entries} == set(rebuild.SPLITS)
    prefix = {"tune": "t", "held": "h", "tune2": "u", "held2": "k", "tune3": "v", "held3": "w", "held4": "y"}
    with (rebuild.HERE / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        published = {row["file"]: row["published"] for row in csv.DictReader(handle)}
    for entry in entries:
        assert entry.file.startswith(prefix[entry.split]), entry
        year = published[entry.file][:4]
        if year and not entry.split.endswith(("3", "4")):
            assert int(year) % 2 == (0 if entry.split.startswith("held") else 1), entry
