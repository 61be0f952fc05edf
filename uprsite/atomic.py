"""Files that are replaced whole: readers see the old file or the new one, never half of one.

Used wherever the project writes a file others may read meanwhile: the build
cache, imported content, the offline archive.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path


@contextmanager
def replacing(path: Path, mode: int = 0o644):
    """Yield an open binary file beside `path`; it takes `path`'s place when the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A leftover temporary file starts with a dot, which the content loader ignores.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        # mkstemp makes a private file; these are meant to be read by others.
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    with replacing(path) as handle:
        handle.write(data)
