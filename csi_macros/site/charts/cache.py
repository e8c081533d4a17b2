"""The chart cache: `<cache>/<name>-<hash>.svg`, where the hash is `Chart.key` (the narrow
versions in `<cache>/narrow/`, keyed the same way).

A build whose data did not change finds every chart here and draws none; a new snapshot
value redraws only the charts that show that metric.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_CACHE_FILE = re.compile(r"^(?P<name>.+)-(?P<hash>[0-9a-f]{64})\.svg$")


def _cache_path(cache_dir: Path, name: str, key: str) -> Path:
    return cache_dir / f"{name}-{key}.svg"


def cached_file(cache_dir: Path | None, name: str, key: str) -> Path | None:
    """The cached chart's file, if there: read when it is written into the site, so that a
    build never holds every chart at once."""
    if cache_dir is None:
        return None
    path = _cache_path(cache_dir, name, key)
    return path if path.is_file() and os.access(path, os.R_OK) else None


def write_cached(cache_dir: Path | None, name: str, key: str, svg: bytes) -> None:
    """Write atomically: a build reading the cache never sees half a chart."""
    if cache_dir is None:
        return
    temporary = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".tmp-", suffix=".svg",
                                         delete=False) as handle:
            temporary = handle.name
            handle.write(svg)
        os.replace(temporary, _cache_path(cache_dir, name, key))
    except OSError:
        # The cache only saves time: a read-only or full disk must not fail the build.
        _unlink(temporary)


def _unlink(path: Path | str | None) -> None:
    if path is not None:
        try:
            os.unlink(path)
        except OSError:
            pass


def prune(cache_dir: Path | None, keys: dict[str, str]) -> None:
    """Remove older versions of this register's charts; other files are left alone."""
    if cache_dir is None or not cache_dir.is_dir():
        return
    for path in sorted(cache_dir.iterdir()):
        match = _CACHE_FILE.match(path.name)
        if match and match["name"] in keys and match["hash"] != keys[match["name"]]:
            _unlink(path)
