"""Writes each language's search data, and the lunr.js files the page loads.

The index is built by `indexer.js` under Node, one process per language,
run side by side; their output is written through the build's SiteWriter like
every other file. lunr.js and lunr-languages come from `node_modules/`
(installed by `npm ci` from package-lock.json): they are copied into the site
at build time, never fetched, and never kept in the repository.
"""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import threading
from pathlib import Path

from .. import model, urls
from .documents import payload

ROOT = Path(__file__).resolve().parent.parent.parent
INDEXER = Path(__file__).resolve().parent / "indexer.js"
NODE_MODULES = ROOT / "node_modules"
# Site path of each lunr file -> where npm put it.
LUNR_FILES = {
    urls.LUNR: NODE_MODULES / "lunr" / "lunr.min.js",
    urls.LUNR_STEMMER_SUPPORT: NODE_MODULES / "lunr-languages" / "min" / "lunr.stemmer.support.min.js",
    urls.lunr_language("fr"): NODE_MODULES / "lunr-languages" / "min" / "lunr.fr.min.js",
    urls.lunr_language("es"): NODE_MODULES / "lunr-languages" / "min" / "lunr.es.min.js",
}


class SearchBuildError(RuntimeError):
    """The search index could not be built (Node or its packages missing, or the indexer failed)."""


def node_command() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise SearchBuildError("the search index needs Node.js: install it (apt-get install nodejs npm), then run npm ci")
    missing = [str(p) for p in LUNR_FILES.values() if not p.is_file()]
    if missing:
        raise SearchBuildError(f"lunr is not installed ({missing[0]} is missing): run npm ci in {ROOT}")
    return node


def _run_indexer(node: str, data: bytes) -> list[tuple[str, bytes]]:
    process = subprocess.Popen([node, str(INDEXER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    # Feed stdin from a thread so that a full stdout pipe cannot deadlock the two.
    feeder = threading.Thread(target=_feed, args=(process.stdin, data), daemon=True)
    feeder.start()
    files = []
    out = process.stdout
    while True:
        name = out.readline()
        if not name:
            break
        size = int(out.readline())
        files.append((name.decode("utf-8").rstrip("\n"), out.read(size)))
    stderr = process.stderr.read().decode("utf-8", "replace")
    feeder.join()
    if process.wait() != 0:
        raise SearchBuildError(f"the search indexer failed:\n{stderr}")
    return files


def _feed(stdin, data: bytes) -> None:
    try:
        stdin.write(data)
    except BrokenPipeError:  # the indexer died; its stderr says why
        pass
    finally:
        stdin.close()


def _payload_bytes(db: model.Database, lang: str) -> bytes:
    # Building a few hundred thousand small lists would set off full garbage
    # collections over the whole model, which cost more than the work itself.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return json.dumps(payload(db, lang), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    finally:
        if was_enabled:
            gc.enable()


def build_search(db: model.Database, writer) -> None:
    """Write every language's search data and the lunr files into the site."""
    node = node_command()
    results: dict[str, list] = {}
    errors: list[BaseException] = []

    # Two indexers at a time: one per core, and about 0.5 GB of memory each at 160,000 documents.
    slots = threading.BoundedSemaphore(2)

    def run(lang: str, data: bytes) -> None:
        try:
            results[lang] = _run_indexer(node, data)
        except BaseException as error:  # re-raised in the calling thread
            errors.append(error)
        finally:
            slots.release()

    threads = []
    for lang in db.site.languages:
        data = _payload_bytes(db, lang)
        slots.acquire()
        thread = threading.Thread(target=run, args=(lang, data))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    for lang in db.site.languages:
        for name, data in results[lang]:
            writer.write(urls.search_data(lang, name), data)
    for path, source in LUNR_FILES.items():
        writer.copy(path, source)
