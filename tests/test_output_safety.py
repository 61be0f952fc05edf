"""What a build may touch and how it fails: never a published file written in place, never a folder
it did not make, one build at a time, a damaged cache rebuilt, the machine's refusals in one line.

Everything goes through the command line on temporary folders; the faults of the machine (a full
disk, a read-only one, a mount point) are real tmpfs mounts, skipped where the machine allows none.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli, tree_bytes

MARKER = ".uprsite-site"


def build_cli(content: Path, out: Path, *extra: str, env: dict | None = None, cwd: Path = ROOT):
    return run_cli("build", "--content", str(content), "--out", str(out), *extra, env=env, cwd=cwd)


def error_line(result) -> str:
    """The one line a failed command printed (never a traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def beside(out: Path) -> list[str]:
    """What the build keeps or leaves beside the output folder."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def cache_dir() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "uprsite"


def cold(content: Path, tmp_path: Path, name: str = "cold") -> dict[str, bytes]:
    out = tmp_path / name
    result = build_cli(content, out, "--no-cache")
    assert result.returncode == 0, result.stderr
    return tree_bytes(out)


def sample_content(tmp_path: Path) -> Path:
    """The shipped sample: 964 pages, enough for the build to render in worker processes."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- finding 3: --out replaces only a folder a build made --------------------------------------


def test_a_folder_holding_a_users_file_is_refused_and_untouched(make_content, tmp_path):
    content = make_content()
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "thesis.txt").write_text("x", encoding="utf-8")
    for extra in ((), ("--no-cache",)):
        result = build_cli(content, folder, *extra)
        assert result.returncode == 2
        assert "not a folder uprsite built" in error_line(result)
        assert sorted(p.name for p in folder.iterdir()) == ["thesis.txt"]
        assert (folder / "thesis.txt").read_text(encoding="utf-8") == "x"
        assert beside(folder) == []  # not even a lock file


def test_the_current_folder_and_the_repository_are_refused(make_content, tmp_path):
    content = make_content()
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.md").write_text("mine", encoding="utf-8")
    result = build_cli(content, Path("."), cwd=work)
    assert result.returncode == 2 and "not a folder uprsite built" in error_line(result)
    assert sorted(p.name for p in work.iterdir()) == ["notes.md"]
    # The repository itself (it holds content/, and no marker).
    before = sorted(p.name for p in ROOT.iterdir())
    result = run_cli("build", "--out", ".", cwd=ROOT)
    assert result.returncode == 2 and "content" in error_line(result)
    assert sorted(p.name for p in ROOT.iterdir()) == before
    assert not (ROOT.parent / f".{ROOT.name}.lock").exists()
    # A path that names a parent folder, and the root.
    result = build_cli(content, work / "..")
    assert result.returncode == 2 and "content" in error_line(result)  # tmp_path holds the content
    result = build_cli(content, Path("/"))
    assert result.returncode == 2
    error_line(result)


def test_a_file_or_a_symbolic_link_is_refused(make_content, tmp_path):
    content = make_content()
    target = tmp_path / "file"
    target.write_text("data", encoding="utf-8")
    result = build_cli(content, target)
    assert result.returncode == 2 and "is a file" in error_line(result)
    assert target.read_text(encoding="utf-8") == "data"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    result = build_cli(content, link)
    assert result.returncode == 2 and "symbolic link" in error_line(result)
    assert link.is_symlink() and (elsewhere / "keep.txt").exists()


def test_a_new_an_empty_or_a_built_folder_is_replaced(make_content, tmp_path):
    content = make_content()
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)  # empty folders hold nothing to lose
    assert build_cli(content, empty).returncode == 0
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()
    # Built by a build: replaced again, with the cache or without.
    edit(content / "sessions/35/ARM.yaml", "Ratify the Optional", "Ratify now the Optional")
    assert build_cli(content, empty).returncode == 0
    edit(content / "sessions/35/ARM.yaml", "Ratify now the Optional", "Ratify soon the Optional")
    assert build_cli(content, empty, "--no-cache").returncode == 0
    assert "Ratify soon" in (empty / "en/countries/arm/35/index.html").read_text(encoding="utf-8")
    assert tree_bytes(empty) == cold(content, tmp_path)


def test_a_site_built_before_the_marker_is_recognised_by_its_build_record(make_content, tmp_path):
    """A site an older version built has no marker: the build record lists every file it holds."""
    content, out = make_content(), tmp_path / "site"
    assert build_cli(content, out).returncode == 0
    files = sorted(tree_bytes(out))
    (out / MARKER).unlink()
    # As the older version recorded it: `builds-1/<blake2b of the folder's path>.json`, plain JSON.
    import hashlib
    import json

    key = hashlib.blake2b(str(out).encode(), digest_size=20).hexdigest()
    old = cache_dir() / "builds-1" / f"{key}.json"
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps({"stamp": "old", "pages": {}, "files": {f: [1, 1] for f in files}}), encoding="utf-8")
    shutil.rmtree(next(cache_dir().glob("builds-3-*")))  # only the older record is left
    result = build_cli(content, out)
    assert result.returncode == 0, result.stderr
    assert (out / MARKER).is_file()
    # A file the record does not list (a user's) makes it a folder the build did not make.
    (out / MARKER).unlink()
    (out / "thesis.txt").write_text("x", encoding="utf-8")
    result = build_cli(content, out)
    assert result.returncode == 2 and (out / "thesis.txt").exists()
    error_line(result)


def test_a_content_folder_inside_the_output_is_refused(make_content, tmp_path):
    out = tmp_path / "site"
    assert build_cli(make_content(), out).returncode == 0
    inside = make_content(name="site/content")
    result = build_cli(inside, out)
    assert result.returncode == 2 and "content folder" in error_line(result)
    assert (inside / "site.yaml").exists()


# -- finding 2: nothing writes into a published file ---------------------------------------------


def _processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, command name, state) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        found[int(entry.name)] = (int(ppid), name, state)
    return found


def descendants(pid: int) -> dict[int, str]:
    processes = _processes()
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, name, _) in processes.items():
            if ppid == parent and child not in found:
                found[child] = name
                todo.append(child)
    return found


def alive(pids) -> list[int]:
    processes = _processes()
    return [pid for pid in pids if pid in processes and processes[pid][2] not in ("Z", "X")]


def test_kill_9_with_a_cleared_cache_leaves_the_published_site_whole(tmp_path):
    """Build, build again (the replaced site is kept as the spare, its files links shared with the
    published ones), clear the cache, then kill -9 a build in the middle of its rendering: the
    published site is byte-identical to before, no worker goes on, and the next complete build
    publishes the content, without the pages it no longer has."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the build renders without worker processes")
    content, out = sample_content(tmp_path), tmp_path / "site"
    assert build_cli(content, out).returncode == 0
    edit(content / "sessions/35/ARM.yaml", "Adopt a comprehensive", "Adopt without delay a comprehensive")
    assert build_cli(content, out).returncode == 0
    assert (tmp_path / ".site.spare").is_dir()
    shutil.rmtree(cache_dir())
    published = tree_bytes(out)
    edit(content / "sessions/35/ARM.yaml", "Adopt without delay", "Adopt at once")
    for lang in ("en", "fr", "es"):
        (content / f"pages/how-to-use.{lang}.md").unlink()

    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        workers: dict[int, str] = {}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            staged = list(tmp_path.glob(".site.new-*"))
            children = descendants(process.pid)
            rendering = [pid for pid, name in children.items() if name.startswith("python")]
            if staged and rendering and sum(len(f) for _, _, f in os.walk(staged[0])) >= 30:
                workers = children
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
        process.wait()
        assert workers, "the build ended before it was caught rendering"
        # The render workers and the search indexer die with the build.
        deadline = time.monotonic() + 10
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive(workers) == [], {pid: workers[pid] for pid in alive(workers)}
    finally:
        if process.poll() is None:
            process.kill()
        for pid in alive(workers):  # (the test has failed: none is left to disturb the others)
            os.kill(pid, signal.SIGKILL)
    assert tree_bytes(out) == published

    result = build_cli(content, out)
    assert result.returncode == 0, result.stderr
    assert not (out / "en/pages/how-to-use").exists()
    assert "Adopt at once" in (out / "en/countries/arm/35/index.html").read_text(encoding="utf-8")
    assert tree_bytes(out) == cold(content, tmp_path)
    assert beside(out) == [".site.spare"]  # the killed build's folders went


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage", "wrong shape", "a build without the cache"])
def test_a_lost_build_record_never_reuses_the_spare_unchecked(make_content, tmp_path, damage):
    content, out = make_content(), tmp_path / "site"
    assert build_cli(content, out).returncode == 0
    edit(content / "sessions/35/ARM.yaml", "Ratify the Optional", "Ratify now the Optional")
    assert build_cli(content, out).returncode == 0
    (record,) = cache_dir().glob("builds-*/*.json")
    if damage == "missing":
        record.unlink()
    elif damage == "a build without the cache":  # publishes a site the record does not describe
        edit(content / "sessions/35/ARM.yaml", "Ratify now the Optional", "Ratify then the Optional")
        assert build_cli(content, out, "--no-cache").returncode == 0
        edit(content / "sessions/35/ARM.yaml", "Ratify then the Optional", "Ratify now the Optional")
    elif damage == "truncated":
        record.write_bytes(record.read_bytes()[:100])
    elif damage == "garbage":
        record.write_bytes(b"\x00garbage\xff" * 10)
    else:
        record.write_bytes(record.read_bytes().replace(b'"files":{', b'"files":{"x":"y",', 1))
    published = tree_bytes(out)
    (content / "pages/about.en.md").unlink()
    (content / "pages/about.fr.md").unlink()
    edit(content / "sessions/35/ARM.yaml", "Ratify now the Optional", "Ratify soon the Optional")
    result = build_cli(content, out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if damage not in ("missing", "a build without the cache"):
        assert re.search(r"^warning: .*damaged build record ignored", result.stderr, re.M), result.stderr
    assert tree_bytes(out) == cold(content, tmp_path)
    assert not (out / "en/pages/about").exists()
    assert published["en/countries/arm/35/index.html"] != tree_bytes(out)["en/countries/arm/35/index.html"]


# -- finding 6: a damaged cache is rebuilt, with a warning ------------------------------------------


def _flip_one_letter(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = max(i for i, byte in enumerate(data) if chr(byte).isalpha())  # in the entry, not its seal
    data[at] = ord("Z") if data[at] != ord("Z") else ord("Y")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["pickles", "search cache", "search cache letter", "templates", "templates letter"])
def test_every_damaged_cache_entry_is_ignored_and_made_again(make_content, tmp_path, kind):
    content, out = make_content(), tmp_path / "site"
    assert build_cli(content, out).returncode == 0
    if kind == "pickles":
        entries = list(cache_dir().rglob("*.pickle"))
    elif kind.startswith("templates"):
        entries = list(next(cache_dir().glob("templates-*")).rglob("*"))
        entries = [e for e in entries if e.is_file()]
    else:
        entries = [e for e in next(cache_dir().glob("search-*")).rglob("*") if e.is_file()]
    assert entries
    for entry in entries:
        if kind.endswith("letter"):
            _flip_one_letter(entry)
        else:
            entry.write_bytes(b"garbage")
    # Into a new folder: nothing is reused from a published site, every entry is read.
    result = build_cli(content, tmp_path / "fresh")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings and all("damaged" in line for line in warnings), result.stderr
    assert tree_bytes(tmp_path / "fresh") == tree_bytes(out)
    again = build_cli(content, tmp_path / "again")  # the entries were made again: no warning now
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr
    assert tree_bytes(tmp_path / "again") == tree_bytes(out)


def _fake_version(folder: Path, distribution: str, version: str) -> None:
    """A distribution's metadata with another version, found before the installed one."""
    info = folder / f"{distribution.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n")


@pytest.mark.parametrize("swap", ["babel", "markdown-it-py", "jinja2", "pyyaml", "node"])
def test_other_versions_of_the_dependencies_are_never_up_to_date(make_content, tmp_path, swap):
    content, out = make_content(), tmp_path / "site"
    assert build_cli(content, out).returncode == 0
    assert "up to date" in build_cli(content, out).stdout
    fake = tmp_path / "fake"
    if swap == "node":
        # Another Node (here the same one behind a wrapper: another executable as far as anyone can tell).
        fake.mkdir()
        node = fake / "node"
        node.write_text(f'#!/bin/sh\nexec {shutil.which("node")} "$@"\n')
        node.chmod(0o755)
        env = {"PATH": f"{fake}:{os.environ['PATH']}"}
    else:
        _fake_version(fake, swap, "99.0")
        env = {"PYTHONPATH": str(fake)}
    result = build_cli(content, out, "-v", env=env)
    assert result.returncode == 0, result.stderr
    assert "up to date" not in result.stdout
    if swap != "node":  # pages depend on the Python libraries: every one is rendered again
        assert re.search(r"(\d+) pages \(\1 rendered, 0 reused\)", result.stderr), result.stderr


# -- finding 8: one build at a time ------------------------------------------------------------------


def test_a_second_build_waits_for_the_first(make_content, tmp_path):
    content, out = make_content(), tmp_path / "site"
    assert build_cli(content, out).returncode == 0
    assert beside(out) == []  # the lock file is there while a build runs
    with open(tmp_path / ".site.lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a running build holds it
        edit(content / "sessions/35/ARM.yaml", "Ratify the Optional", "Ratify now the Optional")
        waiting = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = waiting.stderr.readline()
        assert "another build is writing it; waiting" in line
        time.sleep(1)
        assert waiting.poll() is None  # still waiting
        assert "Ratify now" not in (out / "en/countries/arm/35/index.html").read_text(encoding="utf-8")
    _, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stderr
    assert "Ratify now" in (out / "en/countries/arm/35/index.html").read_text(encoding="utf-8")
    assert beside(out) == [".site.spare"]


def test_two_builds_at_once_leave_the_site_of_the_last_and_a_true_record(make_content, tmp_path):
    first = make_content(name="first")
    second = make_content(
        {"sessions/35/ARM.yaml": (first / "sessions/35/ARM.yaml").read_text().replace("Ratify", "Ratify twice")},
        name="second",
    )
    out = tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--out", str(out), "--content"]
    builds = {
        name: subprocess.Popen([*command, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, folder in (("first", first), ("second", second))
    }
    results = {name: process.communicate(timeout=300) for name, process in builds.items()}
    assert all(process.returncode == 0 for process in builds.values()), results
    waited = [name for name, (_, stderr) in results.items() if "waiting for it to finish" in stderr]
    assert len(waited) == 1, results  # the other held the lock all along
    last = first if waited == ["first"] else second
    assert tree_bytes(out) == cold(last, tmp_path)
    # The record describes the published site: the last content is up to date, the other is not.
    assert "up to date" in build_cli(last, out).stdout
    other = second if last is first else first
    assert "up to date" not in build_cli(other, out).stdout
    assert tree_bytes(out) == cold(other, tmp_path, "cold-other")


# -- finding 14 (part): a site readable by the web server under any umask -----------------------------


def test_published_files_are_0644_and_folders_0755_under_umask_077(make_content, tmp_path):
    content, out = make_content(), tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out)]

    def build_under_077():
        result = subprocess.run(command, preexec_fn=lambda: os.umask(0o077), capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    build_under_077()
    edit(content / "sessions/35/ARM.yaml", "Ratify the Optional", "Ratify now the Optional")
    build_under_077()  # reused pages, linked search files and new ones alike
    modes = {p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in [out, *out.rglob("*")]}
    wrong = {path: oct(mode) for path, mode in modes.items() if mode != (0o755 if (out / path).is_dir() else 0o644)}
    assert wrong == {}


# -- finding 7: the machine's refusals ------------------------------------------------------------------


@pytest.fixture
def mount_tmpfs(tmp_path):
    """mount_tmpfs(folder, options): a tmpfs there, unmounted after the test; skips where none can be made."""
    mounted = []

    def mount(folder: Path, options: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode(errors='replace').strip() or 'no mount'}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_full_disk_is_one_line_exit_3_and_the_site_stays(make_content, tmp_path, mount_tmpfs):
    disk = mount_tmpfs(tmp_path / "disk", "size=2m")
    content, out = make_content(), disk / "site"
    result = build_cli(content, out)
    assert result.returncode == 0, result.stderr
    published = tree_bytes(out)
    # Fill the disk but for a few kilobytes: the next build cannot write its site.
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / "filler", "wb") as filler:
        filler.write(b"\0" * max(0, free - 64 * 1024))
    edit(content / "sessions/35/ARM.yaml", "Ratify the Optional", "Ratify now the Optional")
    for extra in ((), ("--no-cache",)):
        result = build_cli(content, out, *extra)
        assert result.returncode == 3, result.stderr
        assert "disk full" in error_line(result)
        assert tree_bytes(out) == published
        assert [name for name in beside(out) if ".new-" in name or ".search-" in name] == []
    (disk / "filler").unlink()
    assert build_cli(content, out).returncode == 0
    assert tree_bytes(out) == cold(content, tmp_path)


def test_a_read_only_disk_is_one_line_exit_3(make_content, tmp_path, mount_tmpfs):
    disk = mount_tmpfs(tmp_path / "disk", "size=8m")
    content, out = make_content(), disk / "site"
    assert build_cli(content, out).returncode == 0
    published = tree_bytes(out)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    assert "up to date" in build_cli(content, out).stdout  # nothing to write: nothing refused
    edit(content / "sessions/35/ARM.yaml", "Ratify the Optional", "Ratify now the Optional")
    result = build_cli(content, out)
    assert result.returncode == 3
    assert "read-only file system" in error_line(result)
    assert tree_bytes(out) == published


def test_an_output_that_is_a_mount_point_is_refused_with_exit_3(make_content, tmp_path, mount_tmpfs):
    out = mount_tmpfs(tmp_path / "mnt", "size=8m")
    result = build_cli(make_content(), out)
    assert result.returncode == 3
    assert "mount point" in error_line(result)
    assert list(out.iterdir()) == [] and beside(out) == []


def test_an_archive_dated_after_2107_is_one_line_exit_4(make_content, tmp_path):
    content = make_content()
    edit(content / "sessions/35/ARM.yaml", "date: 2022-06-30", "date: 2108-06-30")
    result = run_cli("archive", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 4
    assert "2108-06-30" in error_line(result) and "zip" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_folders_left_by_a_killed_build_are_removed_by_the_next(make_content, tmp_path):
    content, out = make_content(), tmp_path / "site"
    assert build_cli(content, out).returncode == 0
    for name in (".site.new-k1ll3d", ".site.search-k1ll3d"):
        (tmp_path / name / "en").mkdir(parents=True)
        (tmp_path / name / "en/index.html").write_text("half", encoding="utf-8")
    edit(content / "sessions/35/ARM.yaml", "Ratify the Optional", "Ratify now the Optional")
    assert build_cli(content, out).returncode == 0
    assert beside(out) == [".site.spare"]
