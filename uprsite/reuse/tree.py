"""Links the published site's files into the new site's staging folder, ahead of the build.

After a small edit most files of the new site are those of the published
one. Linking thousands of them (a folder and a hard link each) is mostly
waiting on the file system, so it runs in a thread beside the whole build,
from the build record: a file not as the last build left it (edited by hand,
missing, not readable by others) is not linked, and is made again.

The spare: the site replaced by the last build (SiteWriter keeps it when
asked) holds links to most of the published files already, so it becomes
the staging folder and only what changed since is linked again. It is
trusted only this way, checked against the published site and the record;
without a record there is no prefill and no spare is used.

The writer's staging folder may then hold links shared with the published
site: SiteWriter.write never writes through an existing file (it writes
aside and renames), so the published site is never changed in place.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from .manifest import as_recorded


def _link_over(source: Path, target: Path) -> None:
    """Make `target` a link to `source`, in one step: linked aside, then renamed into place."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.link")
    os.link(source, temporary)
    os.replace(temporary, target)


class Prefill:
    """Fills a SiteWriter's staging folder with links to the published files a record lists.

    `files`: path -> the (size, mtime) the last build recorded. Use as a context
    manager inside the writer's (its exit waits for the thread, so that a failed
    build removes a staging folder no thread still writes into); call `wait()`
    before anything writes into the staging folder, and `finish()` before
    publishing: it removes what was linked (or found in the spare) that the
    new site does not have.
    """

    def __init__(self, writer, files: dict[str, tuple[int, int] | None]):
        self.writer = writer
        self.files = files
        self.linked: dict[str, tuple[int, int]] = {}  # path -> (size, mtime) of what was linked
        self._leftovers: set[str] = set()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Prefill:
        from_spare = self.writer.take_spare()
        self._thread = threading.Thread(target=self._fill, args=(from_spare,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> bool:
        self.wait()
        return False

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def _fill(self, from_spare: bool) -> None:
        writer, staging, current = self.writer, self.writer.staging, self.writer.out_dir
        present = set()  # what the spare holds
        if from_spare:
            for folder, _, names in os.walk(staging):
                relative = os.path.relpath(folder, staging)
                prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
                writer.made_dirs.add(prefix[:-1])
                present.update(prefix + name for name in names)
        for path, recorded in self.files.items():
            source = current / path
            try:
                st = source.stat()
                if not as_recorded(st, recorded):
                    continue  # not as the last build left it, or not readable by others: written again
                if path not in present:
                    os.link(source, writer.target(path))
                elif (staging / path).stat().st_ino != st.st_ino:  # changed since the spare was published
                    _link_over(source, staging / path)
            except OSError:
                continue
            self.linked[path] = (st.st_size, st.st_mtime_ns)
        # Everything else the spare holds (old search files, pages no longer
        # linked) is written over, or removed before publishing.
        self._leftovers = present - self.linked.keys()

    def finish(self) -> None:
        """Remove what the staging folder holds that the new site does not (nor its emptied folders)."""
        self.wait()
        staging, written = self.writer.staging, self.writer.stats
        for path in sorted((self.linked.keys() | self._leftovers) - written.keys()):
            target = staging / path
            target.unlink(missing_ok=True)
            folder = target.parent
            while folder != staging and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
