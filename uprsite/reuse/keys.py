"""What pages show of a review, as digests: the parts views combine into a page's key.

The model keeps one digest per review (`Review.digest`, of its file's bytes).
Pages show less than a whole review, and change only when that part does:

- `facts`: what lists and counts show (its date, and each recommendation but
  for its text and sources);
- `recommendations`: one digest per recommendation, in order, for pages that
  show a few of a review's recommendations (a slice of a paginated list);
- `themes`: per theme, the combined digest of its recommendations with that
  theme, for theme pages;
- `pages`: the page of its review's page each recommendation is on
  (`placement`), which every link to it names.

Each recommendation's digest and the facts cover its page too: an edit that
moves a recommendation to another page of its review changes the links to it
on every list.

Making them costs a `repr` of every recommendation (0.3 s for the 58,718 of
the imported export, 1 s at 160,000): too much for every build after a small
edit, so they are kept in the build cache in one table, by review (session,
State and digest: two files may have the same bytes).
"""

from __future__ import annotations

import datetime
import hashlib
from typing import NamedTuple

from .. import placement
from . import fingerprint

FORMAT = "2"  # bump when what the keys cover changes
_TABLE = f"review-keys-{FORMAT}"  # the cache entry of the table: (session, State, digest) -> keys


class ReviewKeys(NamedTuple):
    facts: str
    recommendations: tuple[str, ...]
    themes: dict[str, str]
    pages: tuple[int, ...]


def review_keys(review) -> ReviewKeys:
    recs = review.recommendations
    pages = placement.review_pages(review).numbers
    digests = tuple(
        hashlib.blake2b(f"{rec!r}{page}".encode(), digest_size=10).hexdigest()
        for rec, page in zip(recs, pages, strict=True)
    )
    by_theme: dict[str, list[str]] = {}
    for rec, digest in zip(recs, digests, strict=True):
        for theme in rec.themes:
            by_theme.setdefault(theme, []).append(digest)
    themes = {theme: fingerprint.combine(*parts) for theme, parts in by_theme.items()}
    return ReviewKeys(facts_digest(review.date, recs, pages), digests, themes, pages)


def facts_digest(date: datetime.date | None, recommendations, pages=()) -> str:
    """What lists of reviews and counts show of a review: its date, and its recommendations but for their
    texts and sources (with the page each is on)."""
    return hashlib.blake2b(
        repr(
            (
                date,
                [
                    (
                        r.id,
                        r.by,
                        r.themes,
                        r.response,
                        r.action,
                        r.sdgs,
                        tuple((a.status, a.date) for a in r.implementation),
                    )
                    for r in recommendations
                ],
                tuple(pages),
            )
        ).encode("utf-8"),
        digest_size=16,
    ).hexdigest()


class KeysOfReviews:
    """The keys of a database's reviews, made once each: from the cache's table, or made and added to it."""

    def __init__(self, reviews, cache=None):
        self._cache = cache
        self._known: dict[int, ReviewKeys] = {}
        table: dict = {}
        if cache is not None:
            hit, value = cache.get(_TABLE)
            if hit and isinstance(value, dict):
                table = value
        kept, added = {}, 0
        for review in reviews:
            name = (review.session, review.state, review.digest)
            keys = table.get(name) if review.digest else None
            if keys is None:
                keys = review_keys(review)
                added += 1
            if review.digest:
                kept[name] = keys
            self._known[id(review)] = keys
        # Only this database's reviews are kept: the table does not grow with every edit.
        if cache is not None and (added or len(kept) != len(table)):
            cache.put(_TABLE, kept)

    def __call__(self, review) -> ReviewKeys:
        return self._known[id(review)]
