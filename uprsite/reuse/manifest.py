"""The build record: what the last build into an output folder wrote, under which keys.

One record per output folder, kept in the cache (not in the output, so that
nothing of it is published). For every file of the site it holds the file's
size and modification time as the build left it, and for every file made
from a key (pages, data files, search files) that key: a digest of all that
made the file. The next build reuses a file when its key is the same and the
published file is still as recorded (see plan.ReusePlan).

A record that is missing, damaged or not of the expected shape reads as
none: the build then makes everything afresh (and trusts no spare tree).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from ..atomic import write_atomically
from .cache import cache_root, digest, seal, unseal, versioned, warn_damaged

# 3: keys of every keyed file (pages, data files, search files) in one map; 2: page keys only.
FORMAT = "3"


class BuildManifest:
    """The record of the last build into `out_dir`: {stamp: str, keys: {path: str}, files: {path: [size, mtime]}}."""

    def __init__(self, out_dir: Path, root: Path | None = None):
        self.out_dir = Path(out_dir)
        self.root = root or cache_root()
        key = digest(os.path.abspath(out_dir).encode("utf-8", "surrogateescape"))
        self.path = self.root / versioned(f"builds-{FORMAT}") / f"{key}.json"

    def read(self) -> dict:
        try:
            sealed = self.path.read_bytes()
        except OSError:
            return {}
        data = unseal(sealed)
        try:
            record = json.loads(data) if data is not None else None
        except ValueError:
            record = None
        if not _well_formed(record):
            warn_damaged(self.path, "build record")
            return {}
        return record

    def write(self, stamp: str, keys: dict[str, str], files: dict[str, tuple[int, int]]) -> None:
        record = {"stamp": stamp, "keys": keys, "files": {path: list(stat) for path, stat in files.items()}}
        with contextlib.suppress(OSError):
            write_atomically(self.path, seal(json.dumps(record, sort_keys=True, separators=(",", ":")).encode("utf-8")))

    def legacy_files(self) -> dict | None:
        """The files of the record an older version (format 1, before sealed records and the
        output marker) kept for this output, or None: how a site built then is recognised."""
        key = digest(str(self.out_dir.absolute()).encode("utf-8", "surrogateescape"))
        try:
            record = json.loads((self.root / "builds-1" / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return None
        files = record.get("files") if isinstance(record, dict) else None
        return files if isinstance(files, dict) else None

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


def as_recorded(st: os.stat_result, recorded) -> bool:
    """A published file is as the record says the last build left it (size, modification time),
    and readable by others as builds write them: only then may a build keep it."""
    return recorded is not None and (st.st_size, st.st_mtime_ns) == tuple(recorded) and st.st_mode & 0o777 == 0o644


def _well_formed(record) -> bool:
    """A build record as `write` makes it."""
    if not isinstance(record, dict) or not isinstance(record.get("stamp"), str):
        return False
    keys, files = record.get("keys"), record.get("files")
    if not isinstance(keys, dict) or not isinstance(files, dict):
        return False
    if not all(isinstance(value, str) for value in keys.values()):
        return False
    return all(
        isinstance(stat, list) and len(stat) == 2 and all(type(n) is int for n in stat) for stat in files.values()
    )
