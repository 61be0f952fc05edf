"""What a build's output depends on, as digests, so unchanged work can be skipped.

Two levels:
- a *stamp* of every input file's size and modification time, cheap enough to
  take on every build: when it equals the last build's and the output is as
  that build left it, there is nothing to do at all;
- *page fingerprints*: a digest of everything one page shows. A page whose
  fingerprint is unchanged since the last build is not rendered again; its
  file is reused. What every page shows (templates, catalogs, code, the
  reference content: States, themes, sessions, site settings) goes into one
  global digest; what only some pages show (the reviews) goes in per page.

`environment()` digests the versions of Python, of the libraries and of Node
and the npm packages; every cache folder, the build record's among them, is
named after it (cache.versioned), so output made by other versions is never
reused: a build with other versions finds no record, and makes everything.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The code and files that shape every page.
CODE_PARTS = ("uprsite", "templates", "static", "i18n", "schemas", "package-lock.json")
# The libraries whose version shapes the output (CLDR data, Markdown, YAML, templates and escaping).
DEPENDENCIES = ("jinja2", "markupsafe", "babel", "markdown-it-py", "mdurl", "pyyaml")
NPM_PACKAGES = ("lunr", "lunr-languages")


@functools.cache  # nothing is installed while a build runs
def environment() -> str:
    """A digest of the versions of Python, the libraries, Node.js and the npm packages."""
    parts = [sys.version, sys.implementation.cache_tag or ""]
    for name in DEPENDENCIES:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    try:
        import yaml

        parts.append(f"libyaml={getattr(yaml, '__with_libyaml__', False)}")
    except ImportError:
        pass
    for name in NPM_PACKAGES:
        try:
            package = json.loads((ROOT / "node_modules" / name / "package.json").read_bytes())
            parts.append(f"{name}@{package['version']}")
        except (OSError, ValueError, KeyError, TypeError):
            parts.append(f"{name} missing")
    # Node's own version, from its executable: running `node --version` on every build would cost more.
    node = shutil.which("node") or shutil.which("nodejs")
    if node:
        try:
            real = os.path.realpath(node)
            st = os.stat(real)
            parts.append(f"node {real} {st.st_size} {st.st_mtime_ns}")
        except OSError:
            parts.append("node unreadable")
    return combine(*parts)


def _walk(root: Path):
    if root.is_file():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if not name.startswith(".") and not name.endswith((".pyc", ".mo")):
                yield Path(folder) / name


def stamp(content_dir) -> str:
    """Sizes and modification times of every input: content and code."""
    h = hashlib.blake2b(digest_size=20)
    for base in [Path(content_dir)] + [ROOT / part for part in CODE_PARTS]:
        if not base.exists():
            continue
        for path in _walk(base):
            try:
                st = path.stat()
            except OSError:
                continue
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


@functools.cache  # the code does not change while a build runs
def code_digest(parts: tuple[str, ...] = CODE_PARTS) -> str:
    """The bytes of the code, templates, static files, catalogs and schemas (or of some of them:
    the data files depend on the package's code only, and need not be made again for a template)."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        base = ROOT / part
        if not base.exists():
            continue
        for path in _walk(base):
            h.update(path.relative_to(ROOT).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def combine(*parts: str) -> str:
    """One digest of several (each part followed by a NUL): pages combine thousands of parts."""
    return hashlib.blake2b(
        "".join(part + "\0" for part in parts).encode("utf-8", "surrogateescape"), digest_size=20
    ).hexdigest()
