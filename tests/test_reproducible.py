"""Reproducible output: the same content gives the same bytes on any machine.

Two builds of the shipped content, in separate processes, differ in
everything a machine can differ in: time zone, locale, SOURCE_DATE_EPOCH,
hash seed, the folder the content sits in, the order the files were created
in, their modification times, and the order the operating system lists a
folder's entries in (reversed in the second build). The sites must be
identical byte for byte, and neither may show today's date: the only date
the site shows as of when is the newest date in the content.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sys

from babel.dates import format_date

from .conftest import ROOT, tree_bytes

# Runs the real command line with os.listdir and os.scandir answering in
# reversed order: the build must not depend on the order a file system lists.
REVERSED_LISTING = """
import os, sys
_listdir, _scandir = os.listdir, os.scandir

def listdir(path="."):
    return sorted(_listdir(path), reverse=True)

class _Reversed:
    def __init__(self, path):
        with _scandir(path) as entries:
            self.entries = iter(sorted(entries, key=lambda e: e.name, reverse=True))
    def __iter__(self):
        return self
    def __next__(self):
        return next(self.entries)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
    def close(self):
        pass

def scandir(path="."):
    return _Reversed(path)

os.listdir, os.scandir = listdir, scandir
from uprsite.cli import main
sys.exit(main(sys.argv[1:]))
"""


def copy_in_reverse_order(source, target):
    """The same files, created last-first, with other modification times."""
    files = sorted((p for p in source.rglob("*") if p.is_file()), reverse=True)
    for index, path in enumerate(files):
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        os.utime(copy, (1_000_000_000 + index, 1_000_000_000 + index))


def run(args: list[str], env: dict[str, str], cwd, bootstrap: str | None = None):
    import subprocess

    full_env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TZ", "LC_ALL", "LANG")}
    full_env.update(env)
    command = [sys.executable, "-c", bootstrap, *args] if bootstrap else [sys.executable, str(ROOT / "build.py"), *args]
    return subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600)


def test_two_builds_on_different_machines_are_byte_identical(tmp_path):
    first_content = tmp_path / "one" / "content"
    shutil.copytree(ROOT / "content", first_content)
    second_content = tmp_path / "two" / "elsewhere"
    copy_in_reverse_order(ROOT / "content", second_content)

    first = run(
        ["build", "--content", str(first_content), "--out", str(tmp_path / "a")],
        cwd=ROOT,
        env={
            "TZ": "Pacific/Kiritimati",
            "LC_ALL": "C",
            "PYTHONHASHSEED": "0",
            "XDG_CACHE_HOME": str(tmp_path / "cache-a"),
        },
    )
    assert first.returncode == 0, first.stderr
    second = run(
        ["build", "--content", "../two/elsewhere", "--out", str(tmp_path / "b")],
        cwd=tmp_path / "one",
        bootstrap=REVERSED_LISTING,
        env={
            "TZ": "America/Los_Angeles",
            "LC_ALL": "fr_FR.UTF-8",
            "LANG": "es_ES.UTF-8",
            "SOURCE_DATE_EPOCH": "1",
            "PYTHONHASHSEED": "4242",
            "PYTHONPATH": str(ROOT),
            "XDG_CACHE_HOME": str(tmp_path / "cache-b"),
        },
    )
    assert second.returncode == 0, second.stderr

    a, b = tree_bytes(tmp_path / "a"), tree_bytes(tmp_path / "b")
    assert len(a) > 500
    assert sorted(a) == sorted(b)
    assert [path for path in a if a[path] != b[path]] == []

    # Nothing the clock says: neither today's date nor the content's folder.
    today = datetime.date.today()
    clock = {
        today.isoformat(),
        format_date(today, "long", locale="en"),
        format_date(today, "long", locale="fr"),
        format_date(today, "long", locale="es"),
    }
    shown = [(path, text) for path, data in a.items() for text in clock if text.encode() in data]
    assert shown == []
    assert [path for path, data in a.items() if str(tmp_path).encode() in data] == []
