"""The list of themes and each theme's pages of recommendations."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import model, urls
from ..downloads import THEME
from ..localise import Localiser
from ..pagination import Pagination, paginate
from .common import Deps, Page

if TYPE_CHECKING:
    from ..views import SiteViews


class ThemeEntry(NamedTuple):
    """A theme in the list of themes, with how many recommendations have it."""

    theme: model.Theme
    count: int


def index(views: SiteViews, lang: str, loc: Localiser) -> Page:
    return Page(
        urls.themes(lang),
        "themes.html",
        lang,
        partial(index_data, views, lang),
        "themes",
        Deps(counted=views.every_review_counted()),
    )


def index_data(views: SiteViews, lang: str) -> dict:
    keys = views.theme_key(lang)
    themes = sorted(views.db.themes.values(), key=lambda t: keys[t.id])
    return {"themes": [ThemeEntry(t, len(views.db.with_theme.get(t.id, ()))) for t in themes]}


def pages(views: SiteViews, lang: str, loc: Localiser, theme: model.Theme) -> Iterator[Page]:
    parts = views.db.with_theme_by_review.get(theme.id, ())
    every_review = views.counted(("theme", theme.id), (r for r, _ in parts))
    for page, slices in paginate(views.in_list_order(lang, parts), lambda n: urls.theme(lang, theme.id, n)):
        # Page 1 shows the theme's statistics and files: it counts every review of the theme,
        # but shows in full only its own 500 recommendations.
        first = page.number == 1 and bool(parts)
        yield Page(
            page.links[page.number - 1],
            "theme.html",
            lang,
            partial(data, views, lang, loc, theme, page, slices, first),
            "theme",
            Deps(
                shown=views.shown(slices, theme.id),
                counted=every_review if first else "",
                values=(page.key, views.file_sizes(THEME, theme.id) if first else ()),
            ),
            page.last - page.first + 1,
        )


def data(
    views: SiteViews, lang: str, loc: Localiser, theme: model.Theme, page: Pagination, slices, first: bool
) -> dict:
    stats = views.stats.theme(theme.id) if first else None
    return {
        "theme": theme,
        "groups": views.slice_groups(slices),
        "pagination": page,
        "stats": stats,
        "files": views.files(loc, THEME, theme.id) if stats else (),
    }
