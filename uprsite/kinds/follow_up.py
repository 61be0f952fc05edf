"""The follow-up matrix of a State's latest review (its rows are drawn on the render side, by uprsite.matrix)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import model, urls
from ..localise import Localiser
from .common import Deps, Page, RecView

if TYPE_CHECKING:
    from ..views import SiteViews


class MatrixGroup(NamedTuple):
    """The recommendations of a matrix under one theme (their first; None: they have none)."""

    theme: model.Theme | None
    items: tuple[RecView, ...]


def pages(views: SiteViews, lang: str, loc: Localiser, country: model.Country) -> Iterator[Page]:
    """The follow-up matrix of a State's latest review: its recommendations under their first theme."""
    reviews = views.db.reviews_of_state.get(country.code, ())
    if not reviews:
        return  # no review, no matrix (and no link to one)
    review = reviews[-1]
    yield Page(
        urls.matrix(lang, country.code),
        "matrix.html",
        lang,
        partial(data, views, lang, country, review),
        "matrix",
        Deps(shown=review.digest),
        len(review.recommendations),
    )


def data(views: SiteViews, lang: str, country: model.Country, review: model.Review) -> dict:
    by_theme: dict = defaultdict(list)
    for rec in review.recommendations:
        by_theme[rec.themes[0] if rec.themes else None].append(views.view(rec))
    names = views.theme_key(lang)
    groups = [
        MatrixGroup(views.db.themes[t] if t else None, tuple(items))
        for t, items in sorted(by_theme.items(), key=lambda kv: (kv[0] is None, names.get(kv[0], ())))
    ]
    return {
        "country": country,
        "review": review,
        "session": views.db.sessions[review.session],
        "groups": groups,
    }
