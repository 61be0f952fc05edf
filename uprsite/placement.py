"""Where each recommendation is shown in full: on its review's page, and on which page of it.

A review's page lists its recommendations grouped by response (in the order
of `model.RESPONSES`), each group in file order. A review too heavy for one
page (the weight gate allows 200 KB of HTML) is split into pages of at most
PAGE_BUDGET estimated bytes of records.

The split is decided from an estimate of each record's size, not from the
rendered HTML, because a recommendation's page must be known before any
page is rendered (theme, session and made pages, the search results and the
follow-up matrix link to it) and must be the same in every language: the
same anchor is on the same path in English, French and Spanish. The estimate
leans high (Spanish labels are the longest), and the budget leaves room for
the page's own header, contents and navigation.

It is a pure function of the review: `reuse.keys` folds each recommendation's
page into its digest, so that a list linking to a recommendation is made
again when an edit of its review moves it to another page.
"""

from __future__ import annotations

from typing import NamedTuple

from . import model

PAGE_BUDGET = 140_000  # estimated bytes of records per page; the page's own parts make it ~15 KB more
_RESPONSE_RANK = {response: i for i, response in enumerate(model.RESPONSES)}


class ReviewPages(NamedTuple):
    """A review's recommendations as its pages show them."""

    pages: tuple[tuple[model.Recommendation, ...], ...]  # at least one page, maybe empty
    numbers: tuple[int, ...]  # the page (1-based) of each recommendation, in the review's file order


def estimated_bytes(rec: model.Recommendation) -> int:
    """About how many bytes of HTML a full record takes, in its heaviest language.

    Calibrated on the imported UPR Info export: the fixed part (id, response, labels,
    citation) is ~350 bytes, each recommending State ~60 with its link, each theme ~90.
    """
    text = max((len(value.encode("utf-8")) for _, value in rec.text.values), default=0)
    implementation = sum(
        140 + max((len(v.encode("utf-8")) for _, v in a.source.values), default=0) if a.source else 140
        for a in rec.implementation
    )
    return 400 + text + 70 * len(rec.by) + 100 * len(rec.themes) + 60 * len(rec.sdgs) + implementation


def display_order(review: model.Review) -> list[model.Recommendation]:
    """A review's recommendations grouped by response, each group in file order."""
    return sorted(review.recommendations, key=lambda rec: _RESPONSE_RANK[rec.response])


def review_pages(review: model.Review, budget: int | None = None) -> ReviewPages:
    pages = split(display_order(review), budget)
    number = {id(rec): n for n, page in enumerate(pages, 1) for rec in page}
    return ReviewPages(pages, tuple(number[id(rec)] for rec in review.recommendations))


def split(recs, budget: int | None = None) -> tuple[tuple[model.Recommendation, ...], ...]:
    """Recommendations, in order, cut into pages of at most `budget` estimated bytes (at least one
    each, and one page, maybe empty, for none): for review pages and the follow-up matrix."""
    budget = PAGE_BUDGET if budget is None else budget
    pages: list[list[model.Recommendation]] = [[]]
    filled = 0
    for rec in recs:
        size = estimated_bytes(rec)
        if pages[-1] and filled + size > budget:
            pages.append([])
            filled = 0
        pages[-1].append(rec)
        filled += size
    return tuple(map(tuple, pages))
