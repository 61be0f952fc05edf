"""The build cache: parsed content files and compiled templates, kept by the hash of their bytes.

Parsing YAML is the slowest step of loading, and most files do not change
between two builds, so each parsed file is kept under the hash of its bytes
(`$XDG_CACHE_HOME/uprsite`, by default `~/.cache/uprsite`). A file whose
bytes are the same parses to the same values, so a cache entry can never be
stale; entries are written through a temporary file and `os.replace`, so a
crash never leaves half an entry behind. `--no-cache` bypasses all of it.

Every entry starts with a digest of its bytes (`seal`): an entry damaged on
disk (a bad sector, a truncated copy, a hand edit) fails the check, is
ignored with a one-line warning and made again. The folders are named after
the versions of Python and of the dependencies (fingerprint.environment), so
that entries made by other versions are never read.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import hashlib
import operator
import os
import pickle
import sys
from pathlib import Path

from .. import model
from ..atomic import write_atomically
from .fingerprint import environment

# Bump when the loader's output or the pickling of records changes (2: sealed entries; 3: records as fields).
FORMAT = "3"
_SEAL = 64  # hex characters of a SHA-256, then a newline


def _pickle_as_fields(*classes) -> None:
    """Pickle frozen slots records as their class and the tuple of their fields (copyreg).

    Warm builds unpickle every review from the cache (160,000 recommendations),
    and the state functions dataclasses generate call fields() once per
    object: a third of the loading time. Registered here, with the cache, so
    that the model knows nothing of it.
    """
    for cls in classes:
        names = tuple(f.name for f in dataclasses.fields(cls))
        get = operator.attrgetter(*names) if len(names) > 1 else lambda obj, name=names[0]: (getattr(obj, name),)
        copyreg.pickle(cls, lambda obj, cls=cls, get=get: (cls, get(obj)))


_pickle_as_fields(model.Text, model.Document, model.Assessment, model.Recommendation, model.Pledge, model.Review)


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "uprsite"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def versioned(name: str) -> str:
    """A cache folder's name: its format and the versions of what made its entries."""
    return f"{name}-{environment()[:16]}"


def seal(data: bytes) -> bytes:
    """An entry's bytes, after the SHA-256 of them (as indexer.js writes and reads them too)."""
    return hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data


def unseal(sealed: bytes) -> bytes | None:
    """The bytes of an entry, or None when they are not those that were sealed."""
    if len(sealed) <= _SEAL or sealed[_SEAL : _SEAL + 1] != b"\n":
        return None
    data = sealed[_SEAL + 1 :]
    return data if hashlib.sha256(data).hexdigest().encode("ascii") == sealed[:_SEAL] else None


def warn_damaged(path: Path, what: str = "cache entry") -> None:
    print(f"warning: {path}: damaged {what} ignored; made again", file=sys.stderr, flush=True)
    with contextlib.suppress(OSError):
        os.unlink(path)


class ParseCache:
    """Parsed values of content files, keyed by the hash of their bytes."""

    def __init__(self, root: Path | None = None):
        self.root = (root or cache_root()) / versioned(f"parsed-{FORMAT}")
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, key: str):
        """(True, value) on a hit, (False, None) on a miss or an unreadable entry."""
        path = self._path(key)
        try:
            sealed = path.read_bytes()
        except OSError:
            self.misses += 1
            return False, None
        pickled = unseal(sealed)
        if pickled is None:
            warn_damaged(path)
            self.misses += 1
            return False, None
        try:
            value = pickle.loads(pickled)
        except Exception:  # sound bytes of classes that changed since: made again, silently
            self.misses += 1
            return False, None
        self.hits += 1
        return True, value

    def put(self, key: str, value) -> None:
        self.put_bytes(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_bytes(self, key: str, pickled: bytes) -> None:
        with contextlib.suppress(OSError):  # a read-only or full cache only costs speed
            write_atomically(self._path(key), seal(pickled))


def sealed_bytecode_cache(directory: Path):
    """Jinja's compiled templates, kept in `directory` sealed like every other entry: Jinja checks
    only a version and the template's source, and damaged bytecode would render wrong pages."""
    import jinja2

    class SealedBytecodeCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            path = Path(self._get_cache_filename(bucket))
            try:
                sealed = path.read_bytes()
            except OSError:
                return
            data = unseal(sealed)
            if data is None:
                warn_damaged(path, "compiled template")
                return
            bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                write_atomically(Path(self._get_cache_filename(bucket)), seal(bucket.bytecode_to_string()))

    directory.mkdir(parents=True, exist_ok=True)
    return SealedBytecodeCache(str(directory))


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
