"""The build, phase by phase: load, validate, views, render, write.

`build()` reads top to bottom as the data flows. Each phase is timed, and the
timings are printed with --verbose. Nothing is written to the output folder
unless every phase before `write` succeeded.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import content, model, urls
from .render import Renderer
from .search import build_search
from .validate import validate
from .views import SiteViews
from .write import SiteWriter

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@dataclass
class BuildReport:
    timings: list[tuple[str, float]] = field(default_factory=list)
    pages: int = 0
    files: int = 0
    bytes: int = 0
    heaviest: list[tuple[int, str]] = field(default_factory=list)

    @contextmanager
    def phase(self, name: str):
        start = time.perf_counter()
        yield
        self.timings.append((name, time.perf_counter() - start))

    def summary(self) -> str:
        lines = [f"{name:<10} {seconds:7.2f} s" for name, seconds in self.timings]
        lines.append(f"{'total':<10} {sum(s for _, s in self.timings):7.2f} s")
        lines.append(f"{self.pages:,} pages, {self.files:,} files, {self.bytes / 1e6:,.1f} MB")
        if self.heaviest:
            lines.append("heaviest pages:")
            lines += [f"  {size / 1024:8.1f} KB  {path}" for size, path in self.heaviest]
        return "\n".join(lines)


def load_database(content_dir, report: BuildReport | None = None) -> model.Database:
    """Load and validate a content folder; raises ContentError."""
    report = report or BuildReport()
    with report.phase("load"):
        loaded = content.load(content_dir)
    with report.phase("validate"):
        return validate(loaded)


def build(content_dir, out_dir, *, verbose: bool = False, log=sys.stderr) -> BuildReport:
    """Build the site of `content_dir` into `out_dir`; raises ContentError on invalid content."""
    report = BuildReport()
    db = load_database(content_dir, report)

    with report.phase("views"):
        views = SiteViews(db)
        pages = [views.root()]
        for lang in db.site.languages:
            pages.extend(views.pages(lang))

    with SiteWriter(out_dir) as writer:
        with report.phase("render"):
            renderers = {lang: Renderer(db, lang) for lang in db.site.languages}
            renderers[None] = Renderer(db, None)
            sizes = []
            for page in pages:
                html = renderers[page.language].render(page)
                writer.write(page.path, html)
                sizes.append((len(html), page.path))
        with report.phase("search"):
            build_search(db, writer)
        with report.phase("assets"):
            for source in sorted(STATIC_DIR.rglob("*")):
                if source.is_file():
                    writer.copy("assets/" + source.relative_to(STATIC_DIR).as_posix(), source)
            if db.site.base_url:
                writer.write("sitemap.xml", sitemap(db, pages))
        with report.phase("write"):
            writer.publish()

    report.pages = len(pages)
    report.files = writer.files
    report.bytes = writer.bytes
    report.heaviest = sorted(sizes, reverse=True)[:5]
    if verbose:
        print(report.summary(), file=log)
    return report


def sitemap(db: model.Database, pages) -> bytes:
    """sitemap.xml with every language version of each page as an alternate."""
    from xml.sax.saxutils import quoteattr, escape

    base = db.site.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
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
