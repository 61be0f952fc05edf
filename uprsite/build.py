"""The build, phase by phase: load, validate, views, render, write.

`build()` reads top to bottom as the data flows. Each phase is timed, and the
timings are printed with --verbose. Nothing is written to the output folder
unless every phase before `write` succeeded.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import content, model, urls
from .downloads import Downloads
from .processes import can_fork, fork_map, libc
from .render import STATIC_DIR, Renderer
from .reuse import BuildManifest, NoCache, ParseCache, Reuse, cache_root, fingerprint, versioned
from .reuse.keys import KeysOfReviews
from .search import SearchBuild, search_folders
from .validate import validate
from .views import Edition, SiteViews
from .write import MARKER, MARKER_TEXT, OutputLock, SiteWriter, check_output, output_path, sweep_leftovers


@dataclass
class BuildReport:
    timings: list[tuple[str, float]] = field(default_factory=list)
    pages: int = 0
    files: int = 0
    bytes: int = 0
    heaviest: list[tuple[int, str]] = field(default_factory=list)
    rendered: int = 0
    rendered_paths: list[str] = field(default_factory=list)  # what this build rendered (the rest was reused)
    up_to_date: bool = False

    @contextmanager
    def phase(self, name: str):
        start = time.perf_counter()
        yield
        self.timings.append((name, time.perf_counter() - start))

    def summary(self) -> str:
        lines = [f"{name:<10} {seconds:7.2f} s" for name, seconds in self.timings]
        lines.append(f"{'total':<10} {sum(s for _, s in self.timings):7.2f} s")
        if self.up_to_date:
            lines.append(f"nothing changed since the last build ({self.pages:,} pages)")
            return "\n".join(lines)
        lines.append(
            f"{self.pages:,} pages ({self.rendered:,} rendered, {self.pages - self.rendered:,} reused), "
            f"{self.files:,} files, {self.bytes / 1e6:,.1f} MB"
        )
        if self.heaviest:
            lines.append("heaviest pages:")
            lines += [f"  {size / 1024:8.1f} KB  {path}" for size, path in self.heaviest]
        return "\n".join(lines)


def load_database(content_dir, report: BuildReport | None = None, cache=None) -> model.Database:
    """Load and validate a content folder; raises ContentError."""
    report = report or BuildReport()
    with report.phase("load"):
        loaded = content.load(content_dir, cache)
    with report.phase("validate"):
        return validate(loaded, cache)


def build(
    content_dir,
    out_dir,
    *,
    verbose: bool = False,
    use_cache: bool = True,
    log=sys.stderr,
    edition: Edition | None = None,
    parallel: bool = True,
) -> BuildReport:
    """Build the site of `content_dir` into `out_dir`; raises ContentError on invalid content.

    With the cache, files parsed before are not parsed again, pages whose
    inputs did not change are reused from the current output (hard links),
    and a build with nothing changed does nothing at all. The result is
    byte-identical to a build without the cache.

    Raises OutputRefused, touching nothing, when `out_dir` is not a folder a
    build may replace (see write.check_output); waits while another build
    writes into the same `out_dir`.
    """
    out_dir = output_path(out_dir)
    record = BuildManifest(out_dir)
    check_output(out_dir, lambda: record.read().get("files") or record.legacy_files(), content_dir)
    with OutputLock(out_dir, log):
        # Under the lock no other build runs: what a killed one left beside the output goes.
        sweep_leftovers(out_dir)
        return _build(content_dir, out_dir, verbose, use_cache, log, edition, parallel)


def _build(content_dir, out_dir: Path, verbose, use_cache, log, edition, parallel) -> BuildReport:
    edition = edition or Edition()
    report = BuildReport()
    reuse = Reuse(out_dir, enabled=use_cache)

    with report.phase("stamp"):
        # (Other versions of the libraries or Node find no record: its folder is named after them.)
        current_stamp = fingerprint.combine(fingerprint.stamp(content_dir), repr(edition))
        report.up_to_date = reuse.up_to_date(current_stamp)
    if report.up_to_date:
        report.pages = reuse.last_page_count()
        if verbose:
            print(report.summary(), file=log)
        return report

    with (
        SiteWriter(out_dir, keep_spare=use_cache) as writer,
        # The search index is made whole by the indexer: none of its files are linked ahead.
        reuse.prefill(writer, made_elsewhere=tuple(search_folders(model.LANGUAGES).values())),
    ):
        with _gc_paused():
            cache = ParseCache() if use_cache else NoCache()
            db = load_database(content_dir, report, cache)
            with report.phase("index"):
                review_keys = KeysOfReviews(db.reviews, cache)  # what pages and the index show of each review
                # The search index is built by processes of its own while the views and pages are made.
                search = SearchBuild(db, out_dir, reuse, review_keys).start()
            with report.phase("downloads"):
                # Pages show each file's size: the files are made (and compressed, in threads) first.
                data_files = Downloads(db, cache)
                data_files.finish()
            with report.phase("views"):
                views = SiteViews(db, edition, data_files, cache, review_keys)
                pages = [views.root()]
                for lang in db.site.languages:
                    pages.extend(views.pages(lang))
                keys = page_keys(db, pages)

        _return_free_memory()
        # Pages made from the same key as the published ones, which are still as the last build left them.
        to_render = [page for page in pages if not reuse.decide(writer, page.path, keys[page.path])]

        with report.phase("render"):
            compiled = cache_root() / versioned("templates") if use_cache else None
            sizes = render_pages(db, to_render, writer, parallel, compiled_templates=compiled)
        with report.phase("search"):
            search.finish(writer)
        with report.phase("assets"):
            for source in sorted(STATIC_DIR.rglob("*")):
                if source.is_file():
                    writer.copy("assets/" + source.relative_to(STATIC_DIR).as_posix(), source)
            data_files.write(writer, reuse)
            writer.write(MARKER, MARKER_TEXT)  # what lets the next build replace this folder
            if db.site.base_url:
                writer.write("sitemap.xml", sitemap(db, pages))
        with report.phase("write"):
            # A crash from here on must not leave a record describing the old output; nor may a build
            # without the cache leave one (the next build with it would check the spare against it).
            reuse.forget()
            reuse.finish()
            writer.publish()

    reuse.record(current_stamp, writer.stats)
    report.pages = len(pages)
    report.rendered = len(to_render)
    report.rendered_paths = sorted(page.path for page in to_render)
    report.files = writer.files
    report.bytes = writer.bytes
    report.heaviest = sorted(sizes, reverse=True)[:5]
    if verbose:
        print(report.summary(), file=log)
    return report


@contextmanager
def _gc_paused():
    # Loading builds millions of small objects and no reference cycles; the
    # cyclic collector would spend ~40% of the time finding none. Frozen
    # afterwards, they are never scanned again (and stay shared after fork).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _return_free_memory() -> None:
    # Loading frees as much as it keeps (file bytes, parsed values), in small chunks that
    # glibc keeps in the heap between live records. Render workers forked now would copy
    # those pages as they reuse them; handed back to the system first, they cost nothing.
    with contextlib.suppress(AttributeError):  # not glibc: nothing to do
        libc().malloc_trim(0)


def page_keys(db: model.Database, pages) -> dict[str, str]:
    """The reuse key of each page: a digest of everything the page shows (see views.Deps)."""
    reference = [
        fingerprint.code_digest(),
        repr(db.site),
        repr(tuple(db.themes.values())),
        repr(tuple(db.organisations.values())),
        repr(tuple(db.countries.values())),
        repr(tuple(db.sessions.values())),
        repr(bool(db.pages)),  # the footer links to the list of pages if there is one (kinds.pages)
        repr(db.newest_date),
    ]  # every page's footer
    shared = fingerprint.combine(*reference)
    result = {}
    for page in pages:
        deps = page.deps
        result[page.path] = fingerprint.combine(
            shared, page.template, str(page.language), deps.shown, deps.counted, repr(deps.values)
        )
    return result


PARALLEL_MIN_PAGES = 200


def render_pages(
    db: model.Database, pages, writer: SiteWriter, parallel: bool = True, compiled_templates: Path | None = None
) -> list[tuple[int, str]]:
    """Render pages into the writer's staging folder, on every core when it pays; returns their sizes.

    parallel=False renders in this process: forking a process that runs other
    threads (the live preview's HTTP server) can copy into the child a lock
    that another thread holds.
    """
    workers = min(os.cpu_count() or 1, 4)
    if not parallel or workers < 2 or len(pages) < PARALLEL_MIN_PAGES or not can_fork():
        return _render_share(db, pages, writer, compiled_templates=compiled_templates)[0]
    # This process renders the first share itself while the others render theirs: every
    # forked worker copies, page by page, the parts of the database it reads (reference
    # counts are writes), so a worker fewer is a copy of the database fewer.
    shares = _shares(pages, workers)
    own: list = []

    def render_own_share():
        own.extend(_render_share(db, shares[0], writer, compiled_templates=compiled_templates)[0])

    results = fork_map(
        _render_worker,
        (db, shares, writer, compiled_templates),
        range(1, workers),
        workers - 1,
        meanwhile=render_own_share,
    )
    for _, stats in results:
        writer.record(stats)
    return own + [size for sizes, _ in results for size in sizes]


def _shares(pages, workers: int) -> list[list]:
    """Pages split between workers so that each renders a language's rows or records once.

    A recommendation's row is built once per language and reused on every
    list page of that language, so a worker should get whole groups of
    (language, full records | rows) rather than pages dealt round-robin,
    which would make every worker build every row. Groups are dealt largest
    first to the least loaded worker; a group bigger than a fair share is split.
    """
    groups: dict[tuple, list] = {}
    for page in pages:
        kind = "records" if page.kind == "review" else "rows" if page.kind in ("session", "theme", "made") else "other"
        groups.setdefault((page.language or "", kind), []).append(page)
    cost = {key: sum(1 + page.weight for page in group) for key, group in groups.items()}
    fair = sum(cost.values()) / workers
    pieces = []
    for key, group in groups.items():
        if cost[key] > fair * 0.6:
            pieces += [(cost[key] / 2, group[0::2]), (cost[key] / 2, group[1::2])]
        else:
            pieces.append((cost[key], group))
    loads = [0.0] * workers
    shares: list[list] = [[] for _ in range(workers)]
    for weight, group in sorted(pieces, key=lambda piece: -piece[0]):
        target = loads.index(min(loads))
        loads[target] += weight
        shares[target].extend(group)
    return shares


def _render_worker(work: tuple, index: int) -> tuple[list[tuple[int, str]], dict]:
    db, shares, writer, compiled_templates = work
    return _render_share(db, shares[index], writer, in_worker=True, compiled_templates=compiled_templates)


def _render_share(
    db, pages, writer: SiteWriter, in_worker: bool = False, compiled_templates: Path | None = None
) -> tuple[list[tuple[int, str]], dict]:
    """Render pages; returns (size, path) of each and, from a worker, the stats of the files it wrote."""
    renderers: dict = {}
    sizes = []
    stats = {}
    for page in pages:
        renderer = renderers.get(page.language)
        if renderer is None:
            renderer = renderers[page.language] = Renderer(db, page.language, compiled_templates=compiled_templates)
        html = renderer.render(page)
        stats[page.path] = writer.write(page.path, html, count=not in_worker)
        sizes.append((len(html), page.path))
    return sizes, stats


def sitemap(db: model.Database, pages) -> bytes:
    """sitemap.xml with every language version of each page as an alternate."""
    from xml.sax.saxutils import escape, quoteattr

    base = db.site.base_url
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in pages:
        if page.language is None:
            continue
        lines.append(f"<url><loc>{escape(base + page.path)}</loc>")
        for lang in db.site.languages:
            href = quoteattr(base + urls.in_language(page.path, lang))
            lines.append(f'<xhtml:link rel="alternate" hreflang="{lang}" href={href}/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
