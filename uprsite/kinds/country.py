"""The list of States and each State's page: what it received, review by review, and what it made."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import model, urls
from ..downloads import MADE, RECEIVED
from ..localise import Localiser, initial
from .common import Deps, Page, combine

if TYPE_CHECKING:
    from ..views import SiteViews

MADE_INLINE_LIMIT = 50  # a State's recommendations to others get a page of their own beyond this


class Initial(NamedTuple):
    """The States whose names begin with one letter, in the list of States."""

    letter: str
    countries: list[model.Country]


class Region(NamedTuple):
    """The States of one regional group, in the list of States."""

    region: str
    countries: list[model.Country]


def index(views: SiteViews, lang: str, loc: Localiser) -> Page:
    return Page(
        urls.countries(lang),
        "countries.html",
        lang,
        partial(index_data, views, lang, loc),
        "countries",
        Deps(counted=views.every_review_counted()),
    )


def index_data(views: SiteViews, lang: str, loc: Localiser) -> dict:
    keys = views.country_key(lang)
    ordered = sorted(views.db.countries.values(), key=lambda c: keys[c.code])
    by_letter: dict[str, list] = defaultdict(list)
    for country in ordered:
        by_letter[initial(loc.country_name(country))].append(country)
    by_region: dict[str, list] = {region: [] for region in model.REGIONS}
    for country in ordered:
        by_region[country.region].append(country)
    counts = {code: sum(len(r.recommendations) for r in reviews) for code, reviews in views.db.reviews_of_state.items()}
    return {
        "by_letter": [Initial(*kv) for kv in sorted(by_letter.items(), key=lambda kv: loc.sort_key(kv[0]))],
        "by_region": [Region(region, items) for region, items in by_region.items() if items],
        "counts": counts,
    }


class CycleCounts(NamedTuple):
    """A row of a State's table of recommendations received: one cycle, by response."""

    cycle: int
    counts: list[int]  # in the order of the table's responses
    total: int


class ReviewSummary(NamedTuple):
    """A review of the State, as its overview lists it: where, when, how many by response, and its pages."""

    review: model.Review
    session: model.Session
    counts: tuple[tuple[str, int], ...]  # (response, how many), in the order of model.RESPONSES
    total: int
    link: str  # the review's page


class CycleReviews(NamedTuple):
    """The State's reviews of one cycle, newest first."""

    cycle: int
    reviews: list[ReviewSummary]


def pages(views: SiteViews, lang: str, loc: Localiser, country: model.Country) -> Iterator[Page]:
    deps, _, _ = country_deps(views, country.code)
    yield Page(
        urls.country(lang, country.code),
        "country.html",
        lang,
        partial(data, views, lang, loc, country),
        "country",
        deps,
        len(views.db.reviews_of_state.get(country.code, ())),
    )


def country_deps(views: SiteViews, code: str) -> tuple[Deps, int, int]:
    """A State's page's Deps, and how many recommendations it received and made (in every language)."""
    known = views.country_deps.get(code)
    if known is None:
        reviews = views.db.reviews_of_state.get(code, ())
        made_parts = views.db.made_by_review.get(code, ())
        # Recommendations made are shown by id and counted; their files' sizes depend on their texts.
        deps = Deps(
            shown=combine(r.digest for r in reviews),
            counted=views.counted(("made", code), (r for r, _ in made_parts)),
            values=(views.file_sizes(MADE, code),),
        )
        known = views.country_deps[code] = (
            deps,
            sum(len(review.recommendations) for review in reviews),
            sum(len(recs) for _, recs in made_parts),
        )
    return known


def data(views: SiteViews, lang: str, loc: Localiser, country: model.Country) -> dict:
    db = views.db
    reviews = db.reviews_of_state.get(country.code, ())
    by_cycle: dict[int, list[ReviewSummary]] = {}
    for review in reversed(reviews):  # newest review first
        session = db.sessions[review.session]
        counted = Counter(rec.response for rec in review.recommendations)
        by_cycle.setdefault(session.cycle, []).append(
            ReviewSummary(
                review,
                session,
                tuple((r, counted[r]) for r in model.RESPONSES if counted[r]),
                len(review.recommendations),
                urls.review(lang, country.code, review.session),
            )
        )
    # Counts by response and cycle, received.
    cycles = sorted({db.sessions[r.session].cycle for r in reviews})
    table = Counter()
    for review in reviews:
        cycle = db.sessions[review.session].cycle
        for rec in review.recommendations:
            table[(cycle, rec.response)] += 1
    responses = [r for r in model.RESPONSES if any(table[(c, r)] for c in cycles)]
    made_parts = db.made_by_review.get(country.code, ())
    made_total = sum(len(recs) for _, recs in made_parts)
    inline = made_total <= MADE_INLINE_LIMIT
    return {
        "country": country,
        "organisations": tuple(db.organisations[o] for o in country.organisations),
        "cycles": [CycleReviews(cycle, items) for cycle, items in by_cycle.items()],
        "latest": next(iter(by_cycle.values()))[0] if by_cycle else None,
        "responses": responses,
        "count_rows": [
            CycleCounts(cycle, [table[(cycle, r)] for r in responses], sum(table[(cycle, r)] for r in responses))
            for cycle in cycles
        ],
        "received_total": sum(table.values()),
        "made_total": made_total,
        "made_groups": views.groups(views.in_list_order(lang, made_parts)) if inline else None,
        "made_link": None if inline else urls.made(lang, country.code),
        "made_states": len({review.state for review, _ in made_parts}),
        "received_stats": views.stats.received(country.code),
        "made_stats": views.stats.made(country.code),
        "received_files": views.files(loc, RECEIVED, country.code),
        "made_files": views.files(loc, MADE, country.code),
        "matrix_link": urls.matrix(lang, country.code) if reviews else None,
    }
