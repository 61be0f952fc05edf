"""Writes the search data of every language, and the lunr.js files the page loads.

The index is built by `indexer.js` under Node, in processes of its own that
run while the views and pages are made: `SearchBuild.start` writes what they
need (the plan, and each changed review's documents, into the search cache)
and starts them; they write the search's folders beside the output, and
`SearchBuild.finish` waits for them and moves those folders into the
SiteWriter's staging folder whole. No thread is involved, so the render
workers fork a single-threaded process.

The cache (`search-<FORMAT>` in the build cache) holds work keyed by content:
a review's documents and terms, compressed result details. With --no-cache
a temporary folder stands in for it, so that both builds run the same code
and give the same bytes.

lunr.js and lunr-languages come from `node_modules/` (installed by `npm ci`
from package-lock.json): they are copied into the site at build time, never
fetched, and never kept in the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import weakref
from pathlib import Path

from .. import model, urls
from ..faults import MachineFault
from ..reuse import Reuse, cache_root, versioned
from . import shapes
from .documents import write_plan

ROOT = Path(__file__).resolve().parent.parent.parent
INDEXER = Path(__file__).resolve().parent / "indexer.js"
NODE_MODULES = ROOT / "node_modules"
# Site path of each lunr file -> where npm put it (the files as shapes.json lists them for indexer.js too).
LUNR_FILES = dict(
    zip(
        (urls.LUNR, urls.LUNR_STEMMER_SUPPORT, urls.lunr_language("fr"), urls.lunr_language("es")),
        (NODE_MODULES / file for file in shapes.LUNR_FILES),
        strict=True,
    )
)
FORMAT = "3"  # 3: every entry sealed with the digest of its bytes
CORRUPT = "unreadable review in the search cache: "  # as indexer.js says it
MACHINE = "machine fault: "  # how indexer.js begins the one line of a refused write (disk full, ...)
WARNING = "warning: "  # the indexer's warnings (damaged cache entries), passed on


class SearchBuildError(RuntimeError):
    """The search index could not be built (Node or its packages missing, or the indexer failed)."""


def node_command() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise SearchBuildError(
            "the search index needs Node.js: install it (apt-get install nodejs npm), then run npm ci"
        )
    missing = [str(p) for p in LUNR_FILES.values() if not p.is_file()]
    if missing:
        raise SearchBuildError(f"lunr is not installed ({missing[0]} is missing): run npm ci in {ROOT}")
    return node


def _stop(process: subprocess.Popen, work: Path, log) -> None:
    """Stop the indexer and the jobs it started if they still run; remove their work folder."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()
    shutil.rmtree(work, ignore_errors=True)


def search_folders(languages) -> dict[str, str]:
    """Each indexer job's folder in the site: "shared", and one per language."""
    folders = {"shared": urls.search_shared("")}
    folders.update((lang, urls.search_data(lang, "")) for lang in languages)
    return {job: folder.rstrip("/") for job, folder in folders.items()}


class SearchBuild:
    """The search index of a database, built by Node beside the rest of the build.

    If the build fails before `finish`, dropping this object stops the
    indexer and removes its work folder.
    """

    def __init__(self, db: model.Database, out_dir: Path, reuse: Reuse, keys=None):
        self.db = db
        self.keys = keys  # the reviews' reuse keys (reuse.keys.KeysOfReviews)
        self.out_dir = Path(out_dir).absolute()
        self.reuse = reuse
        self.use_cache = reuse.enabled
        self._stopper = None

    def start(self) -> SearchBuild:
        node = node_command()
        # Beside the output, as the SiteWriter's staging folder is: the jobs' folders are moved into it.
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.work = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.search-", dir=self.out_dir.parent))
        try:
            cache = cache_root() / versioned(f"search-{FORMAT}") if self.use_cache else self.work / "cache"
            cache.mkdir(parents=True, exist_ok=True)
            plan = write_plan(self.db, cache, self.keys)
            plan["folders"] = self.folders()
            # Files equal to the published ones are linked from there (not with --no-cache: nothing is reused).
            plan["published"] = str(self.out_dir) if self.use_cache and self.out_dir.is_dir() else None
            # For each job, the files it may link from there when their key is the same (see reuse.plan).
            plan["reusable"] = {job: self.reuse.reusable_in(folder) for job, folder in plan["folders"].items()}
            plan_file = self.work / "plan.json"
            plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
            # Open for the indexer's lifetime, closed by _stop: no `with` can span that.
            self.log = open(self.work / "log", "w+b")  # noqa: SIM115
        except BaseException:
            shutil.rmtree(self.work, ignore_errors=True)
            raise
        self.process = subprocess.Popen(
            [node, str(INDEXER), str(plan_file), str(self.work / "site")],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        self._stopper = weakref.finalize(self, _stop, self.process, self.work, self.log)
        return self

    def folders(self) -> dict[str, str]:
        """Each job's folder in the site."""
        return search_folders(self.db.site.languages)

    def finish(self, writer, retry_done: bool = False) -> None:
        """Wait for the indexer, move its folders into the site and copy the lunr files."""
        try:
            status = self.process.wait()
            self.log.seek(0)
            message = self.log.read().decode("utf-8", "replace")
            for line in message.splitlines():
                if line.startswith(WARNING):
                    print(line, file=sys.stderr, flush=True)
            if status != 0:
                machine = [line for line in message.splitlines() if line.startswith(MACHINE)]
                if machine:
                    raise MachineFault(machine[0][len(MACHINE) :])
                if CORRUPT in message and not retry_done:
                    # The indexer removed the review it could not read: write it again and retry, once.
                    damaged = message.split(CORRUPT, 1)[1].split(" (", 1)[0].strip()
                    print(f"{WARNING}{damaged}: damaged search cache entry ignored; made again", file=sys.stderr)
                    self._stopper()
                    self.start()
                    return self.finish(writer, retry_done=True)
                raise SearchBuildError(f"the search indexer failed:\n{message}")
            for job, folder in self.folders().items():
                writer.adopt(folder, self.work / "site" / folder)
                # The keys of the files made from one (the result details), for the next build's record.
                keys = json.loads((self.work / f"keys-{job}.json").read_text(encoding="utf-8"))
                for name, key in keys.items():
                    self.reuse.produced(f"{folder}/{name}", key)
            for path, source in LUNR_FILES.items():
                writer.copy(path, source)
        finally:
            self._stopper()
