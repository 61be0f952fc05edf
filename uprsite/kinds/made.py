"""The pages of a State's recommendations to others, when there are too many for its own page: each
with its text (cut), response and a link to the whole record, under its State under Review and session."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import model, urls
from ..localise import Localiser
from ..pagination import Pagination, paginate
from .common import Deps, Page, combine
from .country import MADE_INLINE_LIMIT, country_deps

if TYPE_CHECKING:
    from ..views import SiteViews


class ThemeCount(NamedTuple):
    """A row of a State's table of recommendations made, by theme."""

    theme: model.Theme
    count: int
    search: str  # site path of the search for them


def pages(views: SiteViews, lang: str, loc: Localiser, country: model.Country) -> Iterator[Page]:
    code = country.code
    deps, _, made_total = country_deps(views, code)
    if made_total <= MADE_INLINE_LIMIT:
        return  # shown on the State's page
    ordered = views.in_list_order(lang, views.db.made_by_review.get(code, ()))
    for page, slices in paginate(ordered, lambda n: urls.made(lang, code, n), made_total):
        # Page 1 sums up every recommendation made, by theme.
        first = page.number == 1
        yield Page(
            page.links[page.number - 1],
            "made.html",
            lang,
            partial(data, views, lang, loc, country, page, slices),
            "made",
            # The texts of its recommendations, and on page 1 the counts by theme of all of them.
            Deps(
                shown=views.shown(slices),
                counted=deps.counted
                if first
                else combine(f"{r.session}{r.state}{views.keys(r).facts}{start}:{end}" for r, _, start, end in slices),
                values=(page.key,),
            ),
            page.last - page.first + 1,
        )


def data(views: SiteViews, lang: str, loc: Localiser, country: model.Country, page: Pagination, slices) -> dict:
    return {
        "country": country,
        "groups": views.slice_groups(slices),
        "pagination": page,
        "by_theme": by_theme(views, lang, country) if page.number == 1 else (),
    }


def by_theme(views: SiteViews, lang: str, country: model.Country) -> tuple[ThemeCount, ...]:
    """A ThemeCount for every theme of a State's recommendations, most first."""
    themes = views.db.themes
    names = views.theme_key(lang)
    counts = views.stats.made(country.code).every_theme
    ordered = sorted(counts, key=lambda kv: (-kv[1], names[kv[0]]))
    return tuple(ThemeCount(themes[t], n, urls.search_for(lang, by=country.code, theme=t)) for t, n in ordered)
