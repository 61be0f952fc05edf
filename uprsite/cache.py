"""The build cache: parsed content files, and what the last build wrote.

Parsing YAML is the slowest step of loading, and most files do not change
between two builds, so each parsed file is kept under the hash of its bytes
(`$XDG_CACHE_HOME/uprsite`, by default `~/.cache/uprsite`). A file whose
bytes are the same parses to the same values, so a cache entry can never be
stale; entries are written through a temporary file and `os.replace`, so a
crash never leaves half an entry behind. `--no-cache` bypasses all of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from pathlib import Path

from .atomic import write_atomically

# Bump when the loader's output or the manifest format changes.
FORMAT = "1"


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "uprsite"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


class ParseCache:
    """Parsed values of content files, keyed by the hash of their bytes."""

    def __init__(self, root: Path | None = None):
        self.root = (root or cache_root()) / f"parsed-{FORMAT}"
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, key: str):
        """(True, value) on a hit, (False, None) on a miss or an unreadable entry."""
        try:
            with open(self._path(key), "rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError):
            self.misses += 1
            return False, None
        self.hits += 1
        return True, value

    def put(self, key: str, value) -> None:
        self.put_bytes(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_bytes(self, key: str, pickled: bytes) -> None:
        with contextlib.suppress(OSError):  # a read-only or full cache only costs speed
            write_atomically(self._path(key), pickled)


class NoCache:
    """Stands in for ParseCache with --no-cache."""

    hits = misses = 0

    def get(self, key: str):
        self.misses += 1
        return False, None

    def put(self, key: str, value) -> None:
        pass

    def put_bytes(self, key: str, pickled: bytes) -> None:
        pass


class BuildManifest:
    """What the last build into an output folder used and wrote.

    Kept in the cache, not in the output, so that nothing of it is published.
    """

    def __init__(self, out_dir: Path, root: Path | None = None):
        key = digest(str(Path(out_dir).absolute()).encode("utf-8"))
        self.path = (root or cache_root()) / f"builds-{FORMAT}" / f"{key}.json"

    def read(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write(self, data: dict) -> None:
        with contextlib.suppress(OSError):
            write_atomically(self.path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"))

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
