"""The follow-up matrix of a State's latest review (its rows are drawn on the render side, by uprsite.matrix)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import model, placement, urls
from ..localise import Localiser
from ..pagination import Pagination
from .common import Deps, Page, RecView

if TYPE_CHECKING:
    from ..views import SiteViews


class MatrixGroup(NamedTuple):
    """The recommendations of a matrix under one theme (their first; None: they have none)."""

    theme: model.Theme | None
    items: tuple[RecView, ...]  # those on this page
    total: int  # in the whole matrix


def pages(views: SiteViews, lang: str, loc: Localiser, country: model.Country) -> Iterator[Page]:
    """The follow-up matrix of a State's latest review: its recommendations under their first theme,
    on pages of placement's budget where the review is heavy (a matrix of 560 recommendations is 200 KB)."""
    reviews = views.db.reviews_of_state.get(country.code, ())
    if not reviews:
        return  # no review, no matrix (and no link to one)
    review = reviews[-1]
    ordered = [rec for _, recs in by_first_theme(views, lang, review) for rec in recs]
    split = placement.split(ordered)
    links = tuple(urls.matrix(lang, country.code, n) for n in range(1, len(split) + 1))
    first = 0
    for number, recs in enumerate(split, 1):
        page = Pagination(number, len(split), links, len(ordered), first + 1 if recs else 0, first + len(recs))
        first += len(recs)
        yield Page(
            links[number - 1],
            "matrix.html",
            lang,
            partial(data, views, lang, country, review, page, {id(rec) for rec in recs}),
            "matrix",
            Deps(shown=review.digest, values=(page.key,)),
            len(recs),
        )


def by_first_theme(views: SiteViews, lang: str, review: model.Review) -> list[tuple[str | None, list]]:
    """A review's recommendations under their first theme, themes in the language's order, "no theme" last."""
    by_theme: dict = defaultdict(list)
    for rec in review.recommendations:
        by_theme[rec.themes[0] if rec.themes else None].append(rec)
    names = views.theme_key(lang)
    return sorted(by_theme.items(), key=lambda kv: (kv[0] is None, names.get(kv[0], ())))


def data(views: SiteViews, lang: str, country: model.Country, review: model.Review, page: Pagination, shown) -> dict:
    groups = []
    for theme, recs in by_first_theme(views, lang, review):
        items = tuple(views.view(rec) for rec in recs if id(rec) in shown)
        if items:
            groups.append(MatrixGroup(views.db.themes[theme] if theme else None, items, len(recs)))
    return {
        "country": country,
        "review": review,
        "session": views.db.sessions[review.session],
        "groups": groups,
        "pagination": page,
    }
