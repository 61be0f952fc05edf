"""Which pages exist, and what each one shows: one module per page kind.

Each kind's module has, side by side, the function that lists its pages
(`pages`, or `page` for a kind of one page per language, `index` for a
kind's list) and the one that makes a page's data (`data`, `index_data`).
A page kind is one module, a template, and its line in `pages` below.

Making every page's data costs more than rendering most of them (sorting and
grouping 160,000 recommendations per language, counting them per scope), and
a build after a small edit renders a few dozen pages out of thousands. So a
page's data is made only when the page is rendered (in the render workers,
on every core), while what decides *whether* it is rendered, its `Deps`, is
worked out when it is listed, from cheap keys: which reviews it shows in
full, which it only counts or lists by id, and the few other values it shows.
The shared per-language helpers and digests are `views.SiteViews`'.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import country, follow_up, home, made, pages, review, search, session, statistics, theme
from .common import Page

if TYPE_CHECKING:
    from ..views import SiteViews

# Every kind, in the order their pages are listed (the sitemap's).
KINDS = (home, country, review, made, follow_up, session, theme, pages, search, statistics)


def language_pages(views: SiteViews, lang: str) -> Iterator[Page]:
    """Every page of one language: the one place that lists the kinds' pages, in order."""
    db = views.db
    loc = views.loc(lang)
    yield home.page(views, lang, loc)
    yield country.index(views, lang, loc)
    for state in db.countries.values():
        # A State's pages side by side: its overview, its reviews, its recommendations made, its
        # follow-up matrix.
        yield from country.pages(views, lang, loc, state)
        for item in db.reviews_of_state.get(state.code, ()):
            yield from review.pages(views, lang, loc, item)
        yield from made.pages(views, lang, loc, state)
        yield from follow_up.pages(views, lang, loc, state)
    yield session.index(views, lang)
    for item in db.sessions.values():
        yield from session.pages(views, lang, loc, item)
    yield theme.index(views, lang, loc)
    for item in db.themes.values():
        yield from theme.pages(views, lang, loc, item)
    if db.pages:
        yield pages.index(views, lang)
    for md_page in db.pages.values():
        yield pages.page(views, lang, md_page)
    yield search.page(views, lang, loc)
    yield statistics.page(views, lang, loc)
