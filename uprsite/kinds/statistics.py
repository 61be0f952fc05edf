"""The statistics of the whole database, with its data files (the figures: uprsite.statistics)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from .. import urls
from ..downloads import WHOLE
from ..localise import Localiser
from ..reuse import fingerprint
from .common import Deps, Page, combine

if TYPE_CHECKING:
    from ..views import SiteViews


def page(views: SiteViews, lang: str, loc: Localiser) -> Page:
    """Statistics of the whole database, with its data files."""
    return Page(
        urls.statistics(lang),
        "statistics.html",
        lang,
        partial(data, views, lang, loc),
        "statistics",
        Deps(counted=views.every_review_counted(), values=(views.file_sizes(WHOLE),)),
    )


def data(views: SiteViews, lang: str, loc: Localiser) -> dict:
    return {
        "stats": whole(views),
        "files": views.files(loc, WHOLE),
        "sessions": sum(1 for s in views.db.sessions if views.db.reviews_in_session.get(s)),
        "reviews": len(views.db.reviews),
    }


def whole(views: SiteViews):
    """The figures of the whole database: counting 160,000 recommendations takes a second, and
    the statistics page is made again after every text edit (it shows the files' sizes), so
    they are kept in the build cache under the facts they count."""
    if views.cache is None:
        return views.stats.whole()
    key = combine(
        [
            "statistics-whole",
            fingerprint.code_digest(),
            views.every_review_counted(),
            repr(tuple(views.db.sessions.values())),
        ]
    )
    hit, figures = views.cache.get(key)
    if not hit:
        figures = views.stats.whole()
        views.cache.put(key, figures)
    return figures
