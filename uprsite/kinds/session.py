"""The list of sessions and each session's pages: the States it reviewed, and their recommendations."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import model, urls
from ..downloads import SESSION
from ..localise import Localiser
from ..pagination import Pagination, paginate
from .common import Deps, Page, combine

if TYPE_CHECKING:
    from ..views import SiteViews


class SessionRow(NamedTuple):
    """A session in the list of sessions, with how many reviews and recommendations it has."""

    session: model.Session
    reviews: int
    recommendations: int


class Cycle(NamedTuple):
    """The sessions of one cycle, newest first, in the list of sessions."""

    cycle: int
    sessions: list[SessionRow]


def index(views: SiteViews, lang: str) -> Page:
    return Page(
        urls.sessions(lang),
        "sessions.html",
        lang,
        partial(index_data, views),
        "sessions",
        Deps(counted=views.every_review_counted()),
    )


def index_data(views: SiteViews) -> dict:
    db = views.db
    by_cycle: dict[int, list] = defaultdict(list)
    for session in reversed(db.sessions.values()):
        by_cycle[session.cycle].append(
            SessionRow(
                session,
                len(db.reviews_in_session.get(session.number, ())),
                sum(len(r.recommendations) for r in db.reviews_in_session.get(session.number, ())),
            )
        )
    return {"by_cycle": [Cycle(*kv) for kv in sorted(by_cycle.items(), reverse=True)]}


class ReviewedState(NamedTuple):
    """A row of a session's table of the States it reviewed."""

    country: model.Country
    review: model.Review
    total: int  # recommendations the State received in this review
    counts: Counter  # of them, by response


def pages(views: SiteViews, lang: str, loc: Localiser, session: model.Session) -> Iterator[Page]:
    rank = views.review_rank(lang)
    reviews = sorted(views.db.reviews_in_session.get(session.number, ()), key=lambda r: rank[id(r)])
    every_review = views.counted(("session", session.number), reviews)
    parts = [(review, review.recommendations) for review in reviews]
    for page, slices in paginate(parts, lambda n: urls.session(lang, session.number, n)):
        # Every page lists the reviews with their counts; page 1 shows the session's statistics and files.
        first = page.number == 1 and bool(reviews)
        yield Page(
            page.links[page.number - 1],
            "session.html",
            lang,
            partial(data, views, lang, loc, session, reviews, page, slices),
            "session",
            # Its recommendations are listed by id, under their response: counted, not shown.
            Deps(
                counted=combine([every_review, *(f"{r.session}{r.state}{start}:{end}" for r, _, start, end in slices)]),
                values=(page.key, views.file_sizes(SESSION, session.number) if first else ()),
            ),
            page.last - page.first + 1,
        )


def data(
    views: SiteViews, lang: str, loc: Localiser, session: model.Session, reviews, page: Pagination, slices
) -> dict:
    db = views.db
    reviewed = []
    for review in reviews:
        counts = Counter(rec.response for rec in review.recommendations)
        reviewed.append(ReviewedState(db.countries[review.state], review, len(review.recommendations), counts))
    responses = [r for r in model.RESPONSES if any(row.counts[r] for row in reviewed)]
    first = page.number == 1 and bool(reviews)
    return {
        "session": session,
        "reviewed": reviewed,
        "responses": responses,
        "groups": views.slice_groups(slices),
        "pagination": page,
        "stats": views.stats.session(session.number) if first else None,
        "files": views.files(loc, SESSION, session.number) if first else (),
    }
