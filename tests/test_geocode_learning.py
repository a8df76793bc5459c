"""The gazetteer layer learned from stored events, the on-disk index cache, and the geocode CLI that uses both.

Stores are written by the real importers from fixtures in the real ACLED/UCDP layouts (BOM, CRLF, a name in
capitals and with a trailing space, a UCDP "X village"); the CLI runs as a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geodata.places import cache as disk_cache
from geodata.places.gazetteer import SUPPLEMENT_CSV
from geodata.places.geocode import Geocoder, PlaceNotFound
from geodata.places.index import learn_places, load_index, load_learned
from geodata.settings import Settings
from tests.fixtures import commands

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


def geodata(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """``python -m geodata ARGS`` in a fresh process with its own cache directory."""
    return commands.geodata(*args, env={"SCA_CACHE_DIR": str(cache)})


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def imported(tmp_path_factory, cache: Path) -> Path:
    """A store holding the ACLED and UCDP fixtures with villages GeoNames does not know."""
    store = tmp_path_factory.mktemp("store") / "events.parquet"
    for kind, name in (("acled", "acled_learned_places.csv"), ("ucdp", "ucdp_learned_places.csv")):
        result = geodata("import", kind, str(FIXTURES / name), "--store", str(store), "--no-progress", cache=cache)
        assert result.returncode == 0, result.stderr
    return store


def events(*rows: tuple) -> pd.DataFrame:
    columns = ["event_id", "dataset", "location", "latitude", "longitude", "geo_precision", "country_iso2",
               "admin1", "admin2"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"geo_precision": "Int64"})


def test_learn_places_keeps_names_seen_within_10_km_at_their_most_frequent_point() -> None:
    learned = learn_places(
        events(
            ("acled:A1", "acled", "Kobi", 14.0, -1.0, 1, "BF", "Sahel", "Soum"),
            ("acled:A2", "acled", "KOBI ", 14.05, -1.0, 1, "BF", "Sahel", "Soum"),  # 5.6 km away
            ("acled:A3", "acled", "Kobi", 14.05, -1.0, 1, "BF", "Sahel", "Soum"),
            ("acled:B1", "acled", "Twin", 14.0, -1.0, 1, "BF", "Sahel", "Soum"),
            ("ucdp:7", "ucdp", "Twin village", 15.0, 1.0, 1, "NE", "Tillabéri", None),  # 150 km away: ambiguous
            ("acled:C1", "acled", "Vague", 14.0, -1.0, 2, "BF", "Sahel", "Soum"),  # precision 2: not learned
            ("seed:3", "seed", "Ours", 14.0, -1.0, 1, "BF", "Sahel", "Soum"),  # our own geocoder's point
            ("synthetic:9", "synthetic", "Fake", 14.0, -1.0, 1, "BF", "Sahel", "Soum"),
            ("ucdp:8", "ucdp", "Bakorat village", 15.71, 4.54, 1, "NE", "Tahoua", None),
            ("acled:D1", "acled", None, 14.0, -1.0, 1, "BF", "Sahel", "Soum"),
        )
    ).set_index("key")
    # "Twin" is ambiguous; the full UCDP spelling "Twin village" was seen at one point only
    assert sorted(learned.index) == ["bakorat", "bakoratvillage", "kobi", "twinvillage"]
    kobi = learned.loc["kobi"]
    assert (kobi["latitude"], kobi["longitude"], kobi["country_iso2"], kobi["admin2"]) == (14.05, -1.0, "BF", "Soum")
    assert list(kobi["event_ids"]) == ["acled:A1", "acled:A2", "acled:A3"]
    assert kobi["source"] == "acled:A1 +2 events"
    assert learned.loc["bakorat", "name"] == "Bakorat" and learned.loc["bakorat", "source"] == "ucdp:8"


def test_a_name_10_km_apart_is_learned_and_11_km_apart_is_not() -> None:
    # 0.0899 degrees of latitude is 10.0 km; 0.099 is 11.0 km
    near = learn_places(events(("a:1", "acled", "Near", 14.0, 0.0, 1, "NE", None, None),
                               ("a:2", "acled", "Near", 14.0899, 0.0, 1, "NE", None, None)))  # fmt: skip
    far = learn_places(events(("a:1", "acled", "Far", 14.0, 0.0, 1, "NE", None, None),
                              ("a:2", "acled", "Far", 14.099, 0.0, 1, "NE", None, None)))  # fmt: skip
    assert near["key"].tolist() == ["near"] and far.empty


def test_villages_of_imported_exports_become_known_with_their_event_ids(imported: Path, cache: Path) -> None:
    result = geodata("geocode", "Nassoumbou", "Wistane", "Bonbofa", "Bakorat", "--store", str(imported), cache=cache)
    assert result.returncode == 0, result.stderr
    found = {r["matched_name"]: r for r in map(json.loads, result.stdout.splitlines())}
    nassoumbou = found["Nassoumbou"]
    assert (nassoumbou["latitude"], nassoumbou["longitude"], nassoumbou["geo_precision"]) == (14.39, -1.63, 1)
    assert nassoumbou["source"] == "acled:BFO1234 +3 events"
    assert (nassoumbou["country_iso2"], nassoumbou["admin2"]) == ("BF", "Soum")
    assert found["Wistane"]["source"] == "acled:NIG2101" and found["Wistane"]["country_iso2"] == "NE"
    assert found["Bonbofa"]["source"] == "acled:BFO3001"
    assert found["Bakorat"]["source"] == "ucdp:9001"


def test_ambiguous_and_imprecise_names_are_not_learned(imported: Path, cache: Path) -> None:
    result = geodata("geocode", "Ndaki", "--store", str(imported), cache=cache)
    assert result.returncode == 1 and "closest" in result.stderr, result.stdout
    # Tabankort, seen at two points far apart in the export, is answered by the curated supplement, never learned.
    result = geodata("geocode", "Tabankort", "--store", str(imported), cache=cache)
    assert result.returncode == 0 and not json.loads(result.stdout)["source"].startswith(("acled:", "ucdp:"))


def test_learned_places_obey_the_country_restriction(imported: Path, cache: Path) -> None:
    inside = geodata("geocode", "Wistane", "--country", "NE", "--store", str(imported), cache=cache)
    assert inside.returncode == 0 and json.loads(inside.stdout)["source"] == "acled:NIG2101"
    outside = geodata("geocode", "Wistane", "--country", "BF", "--store", str(imported), cache=cache)
    assert outside.returncode == 1
    assert outside.stderr.startswith("not found in BF: 'Wistane'") and "(BF)" in outside.stderr


def test_without_the_store_the_villages_are_unknown(tmp_path: Path, cache: Path) -> None:
    result = geodata("geocode", "Nassoumbou", "--store", str(tmp_path / "none.parquet"), cache=cache)
    assert result.returncode == 1 and "not found" in result.stderr


def test_extraction_places_a_village_learned_from_the_store(imported: Path, tmp_path: Path, cache: Path) -> None:
    store = tmp_path / "events.parquet"
    shutil.copy(imported, store)
    text = tmp_path / "report.txt"
    text.write_text(
        "On 16 December 2016, Ansarul Islam fighters attacked an army post in Nassoumbou, killing 12 soldiers.\n",
        encoding="utf-8",
    )
    result = geodata("extract", str(text), "--store", str(store), "--no-progress", cache=cache)
    assert result.returncode == 0, result.stderr
    stored = pd.read_parquet(store, columns=["dataset", "location", "latitude", "longitude", "geo_precision"])
    placed = stored[stored["dataset"] == "text"]
    assert len(placed) == 1
    row = placed.iloc[0]
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == (14.39, -1.63, 1)

    fresh = tmp_path / "fresh.parquet"
    alone = geodata("extract", str(text), "--store", str(fresh), "--no-progress", cache=cache)
    assert "quarantined 1" in alone.stdout and "Nassoumbou" in alone.stderr


def test_a_learned_name_comes_after_geonames_and_before_fuzzy_matches(tmp_path: Path) -> None:
    index, _ = load_index(None, tmp_path / "cache")
    learned = learn_places(
        events(
            ("acled:X1", "acled", "Djibo", 14.2, -1.7, 1, "BF", "Sahel", "Soum"),  # GeoNames has Djibo: it wins
            ("acled:X2", "acled", "Menakka", 15.0, 2.0, 1, "ML", "Gao", None),  # else a fuzzy match of Ménaka
        )
    )
    geocoder = Geocoder.from_index(index, learned=learned)
    assert geocoder.geocode("Djibo").source.startswith("GeoNames 2361177")
    menakka = geocoder.geocode("Menakka")
    assert (menakka.source, menakka.score, menakka.latitude) == ("acled:X2", 100.0, 15.0)
    assert Geocoder.from_index(index).geocode("Menakka").matched_name == "Ménaka"


def test_the_index_cache_is_reused_and_rebuilt_when_an_input_changes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    supplement = tmp_path / "supplement.csv"
    shutil.copy(SUPPLEMENT_CSV, supplement)
    first, was_cached = load_index(None, cache, supplement=supplement)
    assert not was_cached and len(list(cache.glob("gazetteer-*.pkl"))) == 1
    again, was_cached = load_index(None, cache, supplement=supplement)
    assert was_cached and again.columns["name"].tolist() == first.columns["name"].tolist()
    with pytest.raises(PlaceNotFound):
        Geocoder.from_index(again).geocode("Kwaddelwende")

    with supplement.open("a", encoding="utf-8") as out:
        out.write("Kwaddelwende,,BF,13.5,-1.5,,village,1,test row,,\n")
    changed, was_cached = load_index(None, cache, supplement=supplement)
    assert not was_cached and len(list(cache.glob("gazetteer-*.pkl"))) == 2
    assert Geocoder.from_index(changed).geocode("Kwaddelwende").latitude == 13.5


def test_the_learned_cache_follows_the_store(imported: Path, tmp_path: Path) -> None:
    cache, store = tmp_path / "cache", tmp_path / "events.parquet"
    shutil.copy(imported, store)
    learned, was_cached = load_learned(store, cache)
    assert not was_cached and "nassoumbou" in set(learned["key"])
    assert load_learned(store, cache)[1]
    frame = pd.read_parquet(store)
    frame = frame[frame["location"].str.strip().str.lower() != "nassoumbou"]
    frame.to_parquet(store)
    os.utime(store, ns=(store.stat().st_atime_ns, store.stat().st_mtime_ns + 1_000_000_000))
    relearned, was_cached = load_learned(store, cache)
    assert not was_cached and "nassoumbou" not in set(relearned["key"])


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    store = tmp_path / "none.parquet"
    load_learned(store, cache)
    (path,) = cache.glob("learned-*.pkl")
    path.write_bytes(b"not a pickle")
    learned, was_cached = load_learned(store, cache)
    assert not was_cached and len(learned["key"]) == 0


def test_from_settings_uses_the_store_layer_unless_learning_is_off(imported: Path, tmp_path: Path) -> None:
    settings = Settings(store=imported, cache_dir=tmp_path / "cache")
    assert Geocoder.from_settings(settings).geocode("Bonbofa").source == "acled:BFO3001"
    with pytest.raises(PlaceNotFound):
        Geocoder.from_settings(Settings(store=imported, cache_dir=tmp_path / "cache", learn=False)).geocode("Bonbofa")
    env = Settings.from_env({"SCA_CACHE_DIR": str(tmp_path / "elsewhere"), "SCA_LEARN": "0"})
    assert (env.cache_dir, env.learn) == (tmp_path / "elsewhere", False)


def test_the_cli_writes_its_index_into_the_cache_directory(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert geodata("geocode", "Ménaka", "--store", str(tmp_path / "none.parquet"), cache=cache).returncode == 0
    assert len(list(cache.glob("gazetteer-*.pkl"))) == 1 and len(list(cache.glob("learned-*.pkl"))) == 1
    assert disk_cache.KEEP_FILES >= 2


def test_the_fingerprint_changes_with_the_code_and_the_data_files(tmp_path: Path) -> None:
    code, data = tmp_path / "code", tmp_path / "data"
    shutil.copytree(disk_cache.PACKAGE_DIR, code, ignore=shutil.ignore_patterns("data", "__pycache__"))
    shutil.copytree(disk_cache.DATA_DIR, data)
    before = disk_cache.fingerprint("x", package_dir=code, data_dir=data)
    assert disk_cache.fingerprint("x", package_dir=code, data_dir=data) == before
    assert disk_cache.fingerprint("y", package_dir=code, data_dir=data) != before
    with (code / "places" / "geocode.py").open("a", encoding="utf-8") as out:
        out.write("\n# a change to the geocoder's code\n")
    after_code = disk_cache.fingerprint("x", package_dir=code, data_dir=data)
    assert after_code != before
    with (data / "regions.csv").open("a", encoding="utf-8") as out:
        out.write("NE,Testregion,Testregion,Niamey,2440485,false\n")
    assert disk_cache.fingerprint("x", package_dir=code, data_dir=data) != after_code


def test_the_country_flag_restricts_the_cli(cache: Path, tmp_path: Path) -> None:
    none = str(tmp_path / "none.parquet")
    soum = geodata("geocode", "Soum", "Dori province", "--country", "BF", "--store", none, cache=cache)
    assert soum.returncode == 0, soum.stderr
    first, second = map(json.loads, soum.stdout.splitlines())
    assert (first["country_iso2"], first["geo_precision"]) == ("BF", 3)
    assert first["matched_name"] == "Soum province (seat Djibo)"
    assert second["matched_name"] == "Séno province (seat Dori)"
    missing = geodata("geocode", "Fassala", "--country", "ML", "--store", none, cache=cache)
    assert missing.returncode == 1 and missing.stdout == ""
    closest = missing.stderr.split("closest: ")[1].strip().split(", ")
    assert missing.stderr.startswith("not found in ML: 'Fassala'") and all(c.endswith("(ML)") for c in closest)


def test_a_warm_lookup_loads_neither_pandas_nor_geopandas(imported: Path, cache: Path) -> None:
    script = (
        "import sys\nfrom geodata.cli import main\n"
        f"status = main(['geocode', 'Nassoumbou', 'Soum province', '--store', {str(imported)!r}])\n"
        "heavy = sorted(m for m in ('pandas', 'geopandas', 'pyarrow', 'shapely') if m in sys.modules)\n"
        "print('loaded:', ','.join(heavy) or 'none', status)\n"
    )
    geodata("geocode", "Ménaka", "--store", str(imported), cache=cache)  # warm this store's cache files
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "SCA_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded: none 0"
    assert "acled:BFO1234 +3 events" in result.stdout and "Soum province (seat Djibo)" in result.stdout


def test_join_tiles_are_cut_once_and_give_the_same_join(tmp_path: Path) -> None:
    import geopandas as gpd
    import numpy as np

    from geodata.places.boundaries import Boundaries

    bundled = Boundaries.load(cache_dir=tmp_path / "cache")
    assert bundled.cache_dir == tmp_path / "cache"  # the settings' cache_dir, passed in, not read from SCA_CACHE_DIR
    rng = np.random.default_rng(8)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.uniform(-12, 16, 3000), rng.uniform(4, 25, 3000)),
                              crs="EPSG:4326")  # fmt: skip
    fresh = Boundaries(admin0=bundled.admin0, admin1=bundled.admin1, units=bundled.units, cache_dir=bundled.cache_dir)
    first = fresh.join(points)
    (tiles,) = (tmp_path / "cache").glob("tiles-*.pkl")
    written = tiles.stat().st_mtime_ns
    again = Boundaries(admin0=bundled.admin0, admin1=bundled.admin1, units=bundled.units,
                       cache_dir=bundled.cache_dir).join(points)
    assert tiles.stat().st_mtime_ns == written  # read, not cut again
    pd.testing.assert_frame_equal(pd.DataFrame(first.drop(columns="geometry")),
                                  pd.DataFrame(again.drop(columns="geometry")))  # fmt: skip
    assert first["country_iso2"].notna().sum() > 1000
