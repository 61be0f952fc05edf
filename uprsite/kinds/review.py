"""Each review's page: one State at one session, its documents and every recommendation it received in full.

The records of a State once were all on its page (India's was 238 KB and
156,000 px tall at 360 px wide); now its page is an overview (kinds.country)
and each review has a page of its own, split into several where one review is
too heavy (`placement` decides, before anything is rendered, where each
recommendation is). A review's page groups its recommendations by response,
says how many are in each group and of each theme, and its contents link to
every group, on whichever of its pages it starts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import model, placement, urls
from ..localise import Localiser
from ..pagination import Pagination
from .common import Deps, Page, RecView

if TYPE_CHECKING:
    from ..views import SiteViews


class ResponseGroup(NamedTuple):
    """The recommendations of one response on one page, with how many the whole review has."""

    response: str
    total: int
    items: tuple[RecView, ...]
    continued: bool  # the group began on an earlier page


class GroupLink(NamedTuple):
    """A line of the review's contents: a response, how many, and where its group begins."""

    response: str
    count: int
    href: str


class ThemeCount(NamedTuple):
    theme: model.Theme
    count: int
    search: str  # the search page, showing this review's recommendations of the theme


def group_anchor(response: str) -> str:
    return f"g-{response}"


def pages(views: SiteViews, lang: str, loc: Localiser, review: model.Review) -> Iterator[Page]:
    layout = placement.review_pages(review)
    count = len(layout.pages)
    links = tuple(urls.review(lang, review.state, review.session, n) for n in range(1, count + 1))
    reviews = views.db.reviews_of_state.get(review.state, ())
    # What a page shows beside its records: the other reviews of the State (the links between
    # them) and the sessions they were at.
    neighbours = tuple(r.session for r in reviews)
    first = 0
    for number, recs in enumerate(layout.pages, 1):
        total = len(review.recommendations)
        page = Pagination(number, count, links, total, first + 1 if recs else 0, first + len(recs))
        first += len(recs)
        yield Page(
            links[number - 1],
            "review.html",
            lang,
            partial(data, views, lang, loc, review, layout, page),
            "review",
            # The review's file is all it shows (its records, documents, counts), besides the sessions.
            Deps(shown=review.digest, values=(page.key, neighbours)),
            len(recs),
        )


def data(views: SiteViews, lang: str, loc: Localiser, review: model.Review, layout, page: Pagination) -> dict:
    db = views.db
    recs = layout.pages[page.number - 1]
    totals = Counter(rec.response for rec in review.recommendations)
    # Where each response's group begins: its first recommendation's page.
    begins: dict[str, int] = {}
    for number, on_page in enumerate(layout.pages, 1):
        for rec in on_page:
            begins.setdefault(rec.response, number)
    earlier = {rec.response for on_page in layout.pages[: page.number - 1] for rec in on_page}
    groups = []
    for response in model.RESPONSES:
        items = tuple(views.view(rec) for rec in recs if rec.response == response)
        if items:
            groups.append(ResponseGroup(response, totals[response], items, response in earlier))
    # The Linker makes a link to this page's own group a bare "#g-...".
    contents = [
        GroupLink(response, totals[response], page.links[begins[response] - 1])
        for response in model.RESPONSES
        if totals[response]
    ]
    themes = Counter(theme for rec in review.recommendations for theme in rec.themes)
    theme_keys = views.theme_key(lang)
    reviews = db.reviews_of_state.get(review.state, ())
    position = next(i for i, r in enumerate(reviews) if r.session == review.session)
    return {
        "country": db.countries[review.state],
        "review": review,
        "session": db.sessions[review.session],
        "groups": groups,
        "contents": contents,
        "group_anchor": group_anchor,
        "themes": [
            ThemeCount(
                db.themes[t],
                n,
                urls.search_for(lang, sur=review.state, session=review.session, theme=t),
            )
            for t, n in sorted(themes.items(), key=lambda kv: (-kv[1], theme_keys[kv[0]]))
        ],
        "pagination": page,
        # Page 1 is where links shared before reviews had pages arrive (forward.js, from the State's
        # page): its pager says which recommendations are on each later page.
        "later_ids": (
            {n: " ".join(rec.id for rec in layout.pages[n - 1]) for n in range(2, page.count + 1)}
            if page.number == 1
            else {}
        ),
        "previous_review": reviews[position - 1] if position > 0 else None,
        "next_review": reviews[position + 1] if position + 1 < len(reviews) else None,
    }
