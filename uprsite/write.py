"""Writes a site into a fresh folder beside the output and swaps it in.

Readers (and a web server) must never see a half-written site, and a failed
build must leave the published one untouched. So everything is written into
a temporary sibling folder, which then takes the output's place in one step:
on Linux with renameat2(RENAME_EXCHANGE), which swaps two folders atomically;
elsewhere with two renames in quick succession.

The output folder is only ever replaced when a build made it (it holds the
MARKER file) or it is empty, and one build at a time writes it (OutputLock);
see `check_output`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .faults import MachineFault, OutputRefused
from .processes import libc

_RENAME_EXCHANGE = 2
BACKGROUND_REMOVAL_FILES = 2000  # a replaced site this big is removed in the background
_AT_FDCWD = -100
# Every site a build makes holds this file: it is what allows the next build to replace the folder.
MARKER = ".uprsite-site"
MARKER_TEXT = b"This folder is a site built by uprsite (python build.py build); each build replaces it whole.\n"
# Published files and folders are for a web server to read, whoever builds and whatever their umask.
SITE_UMASK = 0o022


def output_path(out_dir: str | os.PathLike) -> Path:
    """The output folder as an absolute path with `..` resolved (`site/..` must not be named `..`)."""
    return Path(os.path.abspath(out_dir))


def check_output(out_dir: Path, recorded_files=None, content_dir=None) -> None:
    """Refuse (OutputRefused) an output folder that a build must not replace; touches nothing.

    A build replaces its output folder whole, so it may only name a folder that
    does not exist, an empty one, or one a build made: one that holds MARKER,
    or (sites built before the marker existed) one whose every file the build
    record lists as written by the last build into it. `recorded_files()`
    returns that record's files, or None; it is asked only for a folder without
    the marker.
    """
    out_dir = output_path(out_dir)
    shown = str(out_dir)
    if out_dir.parent == out_dir:
        raise OutputRefused(f"--out {shown}: a build replaces its output folder whole; name a folder of its own")
    if content_dir is not None:
        content = output_path(content_dir)
        if content == out_dir or out_dir in content.parents:
            raise OutputRefused(f"--out {shown}: holds the content folder {content}, which the build would delete")
    if out_dir.is_symlink():
        raise OutputRefused(f"--out {shown}: is a symbolic link; name the folder it points to")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputRefused(f"--out {shown}: is a file, not a folder a build made; nothing was touched")
    if os.path.ismount(out_dir):
        raise MachineFault(f"--out {shown}: is a mount point, which a build cannot replace; name a folder inside it")
    marker = out_dir / MARKER
    if marker.is_file() and not marker.is_symlink():
        return
    files = (p for p in out_dir.rglob("*") if not p.is_dir() or p.is_symlink())
    first = next(files, None)
    if first is None:
        return  # nothing but empty folders: nothing to lose
    recorded = recorded_files() if recorded_files is not None else None
    if recorded and all(p.relative_to(out_dir).as_posix() in recorded for p in (first, *files)):
        return  # a site built before the marker existed: every file is one its last build wrote
    raise OutputRefused(
        f"--out {shown}: is not a folder uprsite built (no {MARKER} in it) and not empty; "
        "a build would delete what it holds, so nothing was touched: name a new or empty folder"
    )


class OutputLock:
    """One build at a time into an output folder: an flock on `.<name>.lock` beside it.

    A second build waits for the first to finish (saying so), then finds the
    output as the first left it. The lock goes with the process that holds it,
    however it ends; the file is removed by the build that holds it as it
    ends, so a build that finds it gone or replaced once it has the lock
    locks the file now at the path instead (the usual lock-file protocol).
    """

    def __init__(self, out_dir: Path, log=None):
        self.out_dir = output_path(out_dir)
        self.path = self.out_dir.with_name(f".{self.out_dir.name}.lock")
        self.log = log
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        said = False
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as error:
                if error.errno == errno.EROFS:
                    return self  # nothing can be written there: no other build to keep out
                raise
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if not said:
                        print(
                            f"{self.out_dir}/: another build is writing it; waiting for it to finish",
                            file=self.log or sys.stderr,
                            flush=True,
                        )
                        said = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                mine = os.fstat(fd)
                try:
                    now = os.stat(self.path)
                    current = (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)
                except FileNotFoundError:
                    current = False
            except BaseException:
                os.close(fd)
                raise
            if current:
                self._fd = fd
                return self
            os.close(fd)  # removed by the build that held it: lock the one at the path now

    def __exit__(self, *exc) -> bool:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)  # while still holding it (see the class)
            os.close(self._fd)  # releases the lock
            self._fd = None
        return False


def sweep_leftovers(out_dir: Path) -> None:
    """Move aside the staging (`.<name>.new-*`) and search (`.<name>.search-*`) folders of builds
    that were killed, for the next publication to remove (`SiteWriter._remove_trash`). Only called
    under the OutputLock: no build that is running owns them."""
    out_dir = output_path(out_dir)
    for pattern in (f".{out_dir.name}.new-*", f".{out_dir.name}.search-*"):
        for folder in out_dir.parent.glob(pattern):
            if folder.is_dir() and not folder.is_symlink():
                trash = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
                os.replace(folder, trash / folder.name)


_LIBC = libc() if hasattr(libc(), "renameat2") else None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    if _LIBC is None:
        return False
    result = _LIBC.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


class SiteWriter:
    """Collects a site's files in a staging folder, then publishes them at once.

    Use as a context manager: on an exception the staging folder is removed
    and the output is left as it was.
    """

    def __init__(self, out_dir: str | os.PathLike, keep_spare: bool = False):
        self.out_dir = output_path(out_dir)
        # Keep the replaced site as the next build's staging folder (see reuse.tree).
        self.keep_spare = keep_spare
        self.staging: Path | None = None
        self.files = 0
        self.bytes = 0
        # (size, modification time) of every file written: what the build manifest records,
        # gathered here because walking the published tree again costs a stat per file.
        self.stats: dict[str, tuple[int, int]] = {}
        self.made_dirs: set[str] = set()

    def __enter__(self) -> SiteWriter:
        # Files 0644 and folders 0755 under any umask (077 would hide the site from the web
        # server); set for the process, so that the forked render workers and the search
        # indexer (Node) write with it too.
        self._umask = os.umask(SITE_UMASK)
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
            # mkdtemp makes a private folder; a site is meant to be read by others.
            os.chmod(self.staging, 0o755)
        except BaseException:
            os.umask(self._umask)
            raise
        return self

    def take_spare(self) -> bool:
        """Use the site replaced last time as the staging folder; True if it was there. Only for a
        prefill (reuse.tree), which checks what it holds against the published site and the build
        record (without a record, a spare would publish pages no longer in the content)."""
        spare = self._spare_path()
        if self.keep_spare and spare.is_dir() and not spare.is_symlink():
            try:
                os.rename(spare, self.staging)  # onto the empty folder
                return True
            except OSError:
                pass
        return False

    def _spare_path(self) -> Path:
        return self.out_dir.with_name(f".{self.out_dir.name}.spare")

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is not None and self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            os.umask(self._umask)
        return False

    def target(self, path: str) -> Path:
        """Where a file goes in the staging folder, its folder made."""
        target = self.staging / path
        parent = os.path.dirname(path)
        if parent not in self.made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made_dirs.add(parent)
        return target

    def write(self, path: str, data: bytes, count: bool = True) -> tuple[int, int]:
        """Write one file; returns its (size, mtime). Worker processes pass count=False and report
        what they wrote to `record`."""
        target = self.target(path)
        temporary = target
        # Whatever the path holds may be a hard link to a published file (reuse.tree's, or the
        # spare's): writing through it would change the published site. So a file is created
        # only where nothing is, or else written aside and put in the old one's place.
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except FileExistsError:
            temporary = target.with_name(f".{target.name}.{os.getpid()}.new")
            temporary.unlink(missing_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        with open(fd, "wb") as handle:
            handle.write(data)
            handle.flush()  # the last write sets the modification time
            st = os.fstat(handle.fileno())
        if temporary != target:
            os.replace(temporary, target)
        if count:
            self.record({path: (st.st_size, st.st_mtime_ns)})
        return st.st_size, st.st_mtime_ns

    def record(self, stats: dict[str, tuple[int, int]]) -> None:
        self.stats.update(stats)
        self.files += len(stats)
        self.bytes += sum(size for size, _ in stats.values())

    def copy(self, path: str, source: Path) -> None:
        self.write(path, source.read_bytes())

    def adopt(self, path: str, folder: Path) -> None:
        """Move a whole folder written by another process into the site, on the same file system."""
        target = self.target(path)
        if target.exists():  # the spare's: out of the way, removed with the replaced site
            self._to_trash(target)
        os.rename(folder, target)
        stats = {}
        for entry in target.rglob("*"):
            if entry.is_file():
                st = entry.stat()
                stats[f"{path}/{entry.relative_to(target).as_posix()}"] = (st.st_size, st.st_mtime_ns)
        self.record(stats)

    def publish(self) -> None:
        """Put the staged site in the output's place, in one step where possible."""
        assert self.staging is not None
        if self.out_dir.exists() or self.out_dir.is_symlink():
            if _exchange(self.staging, self.out_dir):
                old = self.staging
            else:
                old = self.out_dir.with_name(f".{self.out_dir.name}.old-{os.getpid()}")
                os.replace(self.out_dir, old)
                os.replace(self.staging, self.out_dir)
            if self.keep_spare:
                spare = self._spare_path()
                if spare.exists() or spare.is_symlink():  # left by a build that did not take it
                    self._to_trash(spare)
                os.rename(old, spare)
            else:
                self._to_trash(old)
        else:
            os.replace(self.staging, self.out_dir)
        self._remove_trash()
        self.staging = None

    def _to_trash(self, path: Path) -> None:
        """Move a folder out of the way, into a `.<name>.old-*` folder that `_remove_trash` removes."""
        trash = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old-", dir=self.out_dir.parent))
        os.replace(path, trash / path.name)

    def _remove_trash(self) -> None:
        """Remove what was moved out of the way (a replaced site, search folders). A big site's is
        removed by a process of its own: the new site is published already, and unlinking
        thousands of files and folders takes seconds that no one needs to wait for. A removal cut
        short leaves its `.<name>.old-*` folder, which the next publication removes."""
        stale = sorted(self.out_dir.parent.glob(f".{self.out_dir.name}.old-*"))
        if not stale:
            return
        if self.files < BACKGROUND_REMOVAL_FILES:
            for folder in stale:
                shutil.rmtree(folder, ignore_errors=True)
            return
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import shutil, sys\nfor folder in sys.argv[1:]: shutil.rmtree(folder, ignore_errors=True)",
                *map(str, stale),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
