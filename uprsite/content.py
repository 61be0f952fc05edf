"""Finds the files of a content folder and loads each one.

Knows the folder layout of the content format (which file is which kind) and
nothing of what the files mean. Paths in messages are shown as the file was
reached from the `--content` argument, so an editor can paste them.
"""

from __future__ import annotations

import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .processes import fork_map
from .reuse.cache import digest
from .yamlload import MAX_FILE_BYTES, LoadError, decode, load_bytes

_CODE = re.compile(r"[A-Za-z0-9]+\Z")
# A session folder is its number as the content format writes numbers: ASCII digits, no leading zero.
_SESSION_FOLDER = re.compile(r"[1-9][0-9]*\Z")
_PAGE = re.compile(r"(?P<slug>[^.]+)\.(?P<lang>[^.]+)\.md\Z")

LAYOUT_HINT = (
    "content holds site.yaml, themes.yaml, organisations.yaml, pages/<slug>.<lang>.md, "
    "countries/<CODE>.yaml, sessions/<N>/session.yaml and sessions/<N>/<CODE>.yaml"
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    kind: str  # site | themes | organisations | country | session | review | page
    shown: str  # the path as shown to editors
    path: Path  # where to read it
    stem: str  # the code, number or slug the file name gives
    folder: str = ""  # sessions/<folder>/ for session and review files
    language: str = ""  # for pages


@dataclass(slots=True)
class Loaded:
    """Every file of a content folder, parsed but not yet checked."""

    files: list[tuple[SourceFile, object]] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)  # every file found, loadable or not
    digests: dict[str, str] = field(default_factory=dict)  # shown path -> hash of its bytes
    review_keys: dict[str, str] = field(default_factory=dict)  # shown path -> key of its validated record
    problems: list[Problem] = field(default_factory=list)


def discover(content_dir: str | os.PathLike) -> tuple[list[SourceFile], list[Problem]]:
    """Every content file, in a fixed order, and the files that do not belong."""
    root = Path(content_dir)
    shown_root = str(content_dir).rstrip("/\\") or "."
    files: list[SourceFile] = []
    problems: list[Problem] = []

    def shown(*parts: str) -> str:
        return "/".join((shown_root, *parts))

    def unexpected(*parts: str, why: str = "unexpected file here") -> None:
        problems.append(Problem(shown(*parts), 1, 1, why, LAYOUT_HINT))

    def linked(path: Path, *parts: str) -> bool:
        # A pull request can add a link to any file of the machine that builds it;
        # following it would print that file in error messages, on CI's public log.
        if path.is_symlink():
            problems.append(
                Problem(
                    shown(*parts),
                    1,
                    1,
                    "symbolic links are not allowed in the content folder",
                    "put the file itself in its place",
                )
            )
            return True
        return False

    if not root.is_dir():
        problems.append(
            Problem(
                shown_root,
                1,
                1,
                "the content folder does not exist",
                "run the command from the repository, or give the folder with --content DIR",
            )
        )
        return files, problems
    if not (root / "site.yaml").is_file():
        problems.append(Problem(shown("site.yaml"), 1, 1, "site.yaml is missing", LAYOUT_HINT))

    for entry in sorted(os.listdir(root)):
        if entry.startswith("."):
            continue
        full = root / entry
        if linked(full, entry):
            continue
        if entry in ("site.yaml", "themes.yaml", "organisations.yaml") and full.is_file():
            files.append(SourceFile(entry[:-5], shown(entry), full, entry[:-5]))
        elif entry == "countries" and full.is_dir():
            for name in sorted(os.listdir(full)):
                if name.startswith(".") or linked(full / name, entry, name):
                    continue
                if name.endswith(".yaml") and (full / name).is_file():
                    files.append(SourceFile("country", shown(entry, name), full / name, name[:-5]))
                else:
                    unexpected(entry, name, why="only <CODE>.yaml files belong in countries/")
        elif entry == "sessions" and full.is_dir():
            for folder in sorted(os.listdir(full), key=_natural):
                if folder.startswith(".") or linked(full / folder, entry, folder):
                    continue
                session_dir = full / folder
                if not session_dir.is_dir():
                    unexpected(entry, folder, why="only session folders (sessions/<N>/) belong in sessions/")
                    continue
                if not _SESSION_FOLDER.match(folder):
                    # int() reads '035' and Arabic-Indic '٣٥' as 35: such a folder would be a second
                    # session 35 (two reviews of a State, anchors twice on its page, rows twice in the CSV).
                    problems.append(Problem(shown(entry, folder), 1, 1, *_session_folder_problem(folder)))
                    continue
                for name in sorted(os.listdir(session_dir)):
                    if name.startswith(".") or linked(session_dir / name, entry, folder, name):
                        continue
                    path = session_dir / name
                    if not (name.endswith(".yaml") and path.is_file()):
                        unexpected(
                            entry,
                            folder,
                            name,
                            why="only session.yaml and <CODE>.yaml files belong in a session folder",
                        )
                    elif name == "session.yaml":
                        files.append(SourceFile("session", shown(entry, folder, name), path, folder, folder))
                    else:
                        files.append(SourceFile("review", shown(entry, folder, name), path, name[:-5], folder))
        elif entry == "pages" and full.is_dir():
            for name in sorted(os.listdir(full)):
                if name.startswith(".") or linked(full / name, entry, name):
                    continue
                match = _PAGE.match(name)
                if match and (full / name).is_file():
                    files.append(
                        SourceFile("page", shown(entry, name), full / name, match["slug"], language=match["lang"])
                    )
                else:
                    unexpected(entry, name, why="only <slug>.<lang>.md files belong in pages/")
        else:
            unexpected(entry)
    return files, problems


def _session_folder_problem(folder: str) -> tuple[str, str]:
    """(message, hint) for a session folder whose name is not a session number as the content format writes it."""
    message = "a session folder's name is the session's number, in ASCII digits without leading zeros"
    if folder.isdecimal() and int(folder) > 0:  # '035', '٣٥' (int() reads any script's decimal digits)
        return message, f"rename the folder to sessions/{int(folder)}/"
    return message, "rename the folder to the session's number, e.g. sessions/35/"


def _natural(name: str):
    # isdigit() is true of '²', which int() refuses: only ASCII digits sort as numbers.
    return (0, int(name), "") if name.isascii() and name.isdigit() else (1, 0, name)


def read_bytes(source: SourceFile) -> tuple[bytes | None, Problem | None]:
    """A file's bytes, refusing one over the size limit before reading it."""
    try:
        size = source.path.stat().st_size
        if size <= MAX_FILE_BYTES:
            # Never more than the limit, even if the file grows after stat().
            with open(source.path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) <= MAX_FILE_BYTES:
                return data, None
            size = len(data)
        return None, Problem(
            source.shown,
            1,
            1,
            f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
            "split the content into smaller files",
        )
    except OSError as exc:
        return None, Problem(
            source.shown,
            1,
            1,
            f"cannot read the file: {exc.strerror}",
            "check that the file exists and that you may read it",
        )


def parse(source: SourceFile, data: bytes):
    """(value, problem): the parsed YAML, or the Markdown text, of one file's bytes."""
    try:
        if source.kind == "page":
            return decode(data, source.shown).replace("\r\n", "\n"), None
        return load_bytes(data, source.shown), None
    except LoadError as exc:
        return None, exc.problem


def read_file(source: SourceFile):
    """(value, problem) for one file."""
    data, problem = read_bytes(source)
    return (None, problem) if problem else parse(source, data)


def _parse_to_pickle(misses: list, index: int) -> tuple[bytes | None, Problem | None]:
    # Runs in a worker process: return the value pickled once, so that the
    # parent can both store it in the cache and unpickle it without pickling again.
    _, source, data, _ = misses[index]
    value, problem = parse(source, data)
    return (None, problem) if problem else (pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), None)


# Below this much YAML, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD_BYTES = 4 * 1024 * 1024


# Part of the key of validated reviews in the cache: a change to model.Review
# (a new field) must not bring back records pickled by an older version.
REVIEW_RECORD_VERSION = 6


class Prevalidated:
    """A review file whose validated record the cache already holds, in place of its parsed values.

    A review's validity depends only on its bytes, its path and the files it
    refers to (States, themes, sessions, site settings); when none of them
    changed since it was found valid, neither parsing nor checking it again
    can find anything new.
    """

    __slots__ = ("record",)

    def __init__(self, record):
        self.record = record


class Unvalidated:
    """A review file the cache holds no validated record of, still unparsed.

    Reviews are most of the content (160,000 recommendations in about a
    thousand files). The validator parses and checks them in worker processes,
    once it knows the States, themes and sessions they refer to, and gets back
    only their records: the parsed values (several times bigger, and freed in
    a heap they would leave fragmented) never reach the build process.
    """

    __slots__ = ("data", "key", "review_key")

    def __init__(self, data: bytes, key: str, review_key: str | None):
        self.data = data
        self.key = key  # of its parsed value in the cache
        self.review_key = review_key  # of its validated record in the cache


def load(content_dir: str | os.PathLike, cache=None, workers: int | None = None) -> Loaded:
    """Discover and parse every file of a content folder but the reviews to validate, through the cache if given.

    Reviews come as Prevalidated (the cache knows them valid) or Unvalidated."""
    files, problems = discover(content_dir)
    loaded = Loaded(problems=problems, sources=files)
    results: dict[int, tuple[object, Problem | None]] = {}
    misses: list[tuple[int, SourceFile, bytes, str]] = []
    contents: dict[int, bytes] = {}
    for index, source in enumerate(files):
        data, problem = read_bytes(source)
        if problem:
            results[index] = (None, problem)
            continue
        loaded.digests[source.shown] = digest(data)
        contents[index] = data

    # What a review's validity depends on besides itself: every file but the reviews.
    reference = digest(
        "\n".join(
            f"{source.shown}\0{loaded.digests.get(source.shown)}" for source in files if source.kind != "review"
        ).encode("utf-8", "surrogateescape")
    )
    for index, data in contents.items():
        source = files[index]
        key = loaded.digests[source.shown]
        if source.kind == "review":
            review_key = None
            if cache is not None:
                review_key = loaded.review_keys[source.shown] = digest(
                    f"validated-review/{REVIEW_RECORD_VERSION}\0{source.shown}\0{key}\0{reference}".encode(
                        "utf-8", "surrogateescape"
                    )
                )
                hit, record = cache.get(review_key)
                if hit:
                    results[index] = (Prevalidated(record), None)
                    continue
            results[index] = (Unvalidated(data, key, review_key), None)
            continue
        if source.kind == "page" or cache is None:
            results[index] = parse(source, data)
            continue
        hit, value = cache.get(key)
        if hit:
            results[index] = (value, None)
        else:
            misses.append((index, source, data, key))

    workers = workers or os.cpu_count() or 1
    if workers > 1 and sum(len(data) for _, _, data, _ in misses) > PARALLEL_THRESHOLD_BYTES:
        blobs = fork_map(_parse_to_pickle, misses, range(len(misses)), workers, chunksize=4)
        for (index, _, _, key), (blob, problem) in zip(misses, blobs, strict=True):
            if problem:
                results[index] = (None, problem)
            else:
                cache.put_bytes(key, blob)
                results[index] = (pickle.loads(blob), None)
    else:
        for index, source, data, key in misses:
            value, problem = parse(source, data)
            if not problem:
                cache.put(key, value)
            results[index] = (value, problem)

    for index, source in enumerate(files):
        value, problem = results[index]
        if problem:
            loaded.problems.append(problem)
        else:
            loaded.files.append((source, value))
    return loaded
