"""For each file a build makes: reuse the published one, or produce it.

Every keyed file of a site (a page, a data file, a search file) comes with a
key, a digest of everything that made it. A file is reused when the last
build recorded the same key for the same path and the published file is
still as that build left it; then it is kept as a hard link, without being
made or read. Everything else is produced. The keys of this build are
recorded for the next, with the size and modification time of every file
the writer wrote, once the site is published.

Without the cache (`--no-cache`) nothing is reused and nothing recorded, so
that such a build is byte for byte a build from scratch.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from .manifest import BuildManifest, as_recorded
from .tree import Prefill


class Reuse:
    """The reuse plan of one build into `out_dir` (see the module)."""

    def __init__(self, out_dir: Path, enabled: bool = True):
        self.out_dir = Path(out_dir)
        self.enabled = enabled
        self._manifest = BuildManifest(out_dir)
        self._last = self._manifest.read() if enabled else {}
        self._last_keys: dict[str, str] = self._last.get("keys", {})
        self._last_files: dict[str, list[int]] = self._last.get("files", {})
        self.keys: dict[str, str] = {}  # this build's, for the next build's record
        self._prefill: Prefill | None = None

    # -- before anything is made ----------------------------------------------
    def up_to_date(self, stamp: str) -> bool:
        """The inputs are those of the last build (same stamp) and the output is exactly as it left it."""
        return bool(self._last) and self._last.get("stamp") == stamp and self._output_intact()

    def last_page_count(self) -> int:
        return sum(1 for path in self._last_keys if path.endswith(".html"))

    def prefill(self, writer, made_elsewhere: tuple[str, ...] = ()):
        """Link the last build's keyed files into the writer's staging folder, in a thread (see tree), but
        those under the folders in `made_elsewhere`, which another process makes whole. A context
        manager (its end waits for the thread); with no record, one that does nothing."""
        if not self._last_keys:
            return contextlib.nullcontext()
        files = {
            path: self._last_files.get(path)
            for path in self._last_keys
            if not any(path.startswith(folder + "/") for folder in made_elsewhere)
        }
        self._prefill = Prefill(writer, files)
        return self._prefill

    # -- the decision -------------------------------------------------------
    def decide(self, writer, path: str, key: str) -> bool:
        """True: the staging folder holds the published file, made from the same key, kept as it is.
        False: the caller produces it (writes it through the writer). The key is recorded either way.
        Nothing may write into the staging folder before the first decision: it waits for the links
        (most often long done), which would otherwise replace files written meanwhile."""
        self.keys[path] = key
        if self._prefill is None:
            return False
        self._prefill.wait()
        if self._last_keys.get(path) != key:
            return False
        stat = self._prefill.linked.get(path)
        if stat is None:
            return False
        writer.record({path: stat})
        return True

    def reusable_in(self, folder: str) -> dict[str, str]:
        """For a process that makes a whole folder (the search indexer): name -> key of the last build's
        files there that are published as it left them. It links those whose key is the same again,
        and gives back the keys of all it made (`produced`)."""
        prefix = folder + "/"
        result = {}
        for path, key in self._last_keys.items():
            if path.startswith(prefix) and _intact(self.out_dir / path, self._last_files.get(path)):
                result[path[len(prefix) :]] = key
        return result

    def produced(self, path: str, key: str) -> None:
        """A keyed file another process made (or linked), for the next build's record."""
        self.keys[path] = key

    # -- after publishing -------------------------------------------------------
    def finish(self) -> None:
        """Before publishing: what the staging folder holds that the new site does not goes."""
        if self._prefill is not None:
            self._prefill.finish()

    def forget(self) -> None:
        """From the moment publishing starts until the new record is written, there is no record: a crash
        then leaves none describing the old output (the next build makes everything again)."""
        self._manifest.forget()

    def record(self, stamp: str, files: dict[str, tuple[int, int]]) -> None:
        if self.enabled:
            self._manifest.write(stamp, dict(sorted(self.keys.items())), dict(sorted(files.items())))

    def _output_intact(self) -> bool:
        """Every file of the output is as the last build left it (nothing edited, added or removed by hand)."""
        files = self._last_files
        if not files or not self.out_dir.is_dir():
            return False
        count = 0
        for path in self.out_dir.rglob("*"):
            if path.is_file():
                count += 1
                if not _intact(path, files.get(path.relative_to(self.out_dir).as_posix())):
                    return False
        return count == len(files)


def _intact(path: Path, recorded) -> bool:
    try:
        return as_recorded(path.stat(), recorded)
    except OSError:
        return False
