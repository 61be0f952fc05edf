"""The explanatory pages written in Markdown, and the list of them."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from .. import model, urls
from .common import Deps, Page

if TYPE_CHECKING:
    from ..views import SiteViews


def index(views: SiteViews, lang: str) -> Page:
    """Every explanatory page, listed once: the footer of every page links here (listing them all
    in every footer made the output grow with the square of their number)."""
    return Page(urls.markdown_pages(lang), "pages.html", lang, dict, "pages", Deps(values=(views.pages_listed(),)))


def page(views: SiteViews, lang: str, md_page: model.MarkdownPage) -> Page:
    for candidate in (lang, *views.db.site.languages):
        if candidate in md_page.sources:
            source_lang = candidate
            break
    else:
        source_lang = next(iter(md_page.sources))
    return Page(
        urls.markdown_page(lang, md_page.slug),
        "page.html",
        lang,
        partial(data, md_page, source_lang),
        "page",
        Deps(values=(repr(md_page),)),
    )


def data(md_page: model.MarkdownPage, source_lang: str) -> dict:
    return {"md_page": md_page, "source": md_page.sources[source_lang], "source_language": source_lang}
