"""The model as search documents, written where the indexer reads them.

A search document is a recommendation; documents are numbered newest session
first, then by State under Review code, then in file order, so that each
review is a run of consecutive ids (its State and session need no
per-document storage) and results without a text query list the newest
recommendations first. Numbering is the same in every language.

Each review's documents go into the search cache as one JSON file named by a
key that changes whenever the review's file does (its digest, session and
State), so that a build reads and writes only the reviews that changed; the
plan lists every review's key in document order, with what each language
needs to name States and themes.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import model, placement
from ..atomic import write_atomically
from ..localise import Localiser
from ..reuse.cache import digest, seal
from ..reuse.keys import KeysOfReviews
from .shapes import DOCUMENT, check_document_fields, review_record

# Bump when the JSON of a review's documents changes (3: sealed with their digest, see cache.seal;
# 4: with the page of its review each is on).
FORMAT = "4"
# In every key: after a change of the document rows' fields (shapes.json), rows cached in the old order are never read.
DOCUMENT_SHAPE = ",".join(DOCUMENT)


def ordered_reviews(db: model.Database) -> list[model.Review]:
    return sorted(db.reviews, key=lambda r: (-r.session, r.state))


# The fields as review_documents writes them, checked against shapes.json when this module loads:
# a row is a list literal, since a dict per document made a --no-cache build measurably slower.
WRITTEN = ("id", "texts", "by", "themes", "response", "action", "page")
check_document_fields(WRITTEN)


def review_documents(review: model.Review) -> list:
    """Each recommendation as a row of the shape `document` (texts as [language, text] pairs, and the
    page of its review's page it is on, see placement)."""
    return [
        [
            rec.id,
            [list(pair) for pair in rec.text.values],
            list(rec.by),
            list(rec.themes),
            rec.response,
            rec.action or 0,
            page,
        ]
        for rec, page in zip(review.recommendations, placement.review_pages(review).numbers, strict=True)
    ]


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def review_key(review: model.Review) -> str:
    if review.digest:
        return digest(f"{FORMAT}\0{DOCUMENT_SHAPE}\0{review.session}\0{review.state}\0{review.digest}".encode())
    # A review not read from a file (tests build some in memory): its documents are the key.
    return digest(
        f"{FORMAT}\0{DOCUMENT_SHAPE}\0".encode() + _json([review.session, review.state, review_documents(review)])
    )


def review_path(cache: Path, key: str) -> Path:
    return cache / "reviews" / key[:2] / f"{key}.json"


def write_plan(db: model.Database, cache: Path, keys=None) -> dict:
    """Write the reviews' documents that the cache lacks; return the plan for indexer.js.
    `keys`: the reviews' reuse keys (reuse.keys.KeysOfReviews), made here when not given."""
    keys = keys or KeysOfReviews(db.reviews)
    reviews = []
    for review in ordered_reviews(db):
        key = review_key(review)
        path = review_path(cache, key)
        if not path.exists():
            # Sealed: indexer.js checks the digest, and a damaged file is written again (SearchBuild.finish).
            write_atomically(path, seal(_json(review_documents(review))))
        # The facts digest (everything but texts) lets the indexer reuse its table of every
        # document's facets when only texts changed.
        reviews.append(
            review_record(
                session=review.session,
                sur=review.state,
                key=key,
                count=len(review.recommendations),
                facts=keys(review).facts,
            )
        )
    names = {}
    for lang in db.site.languages:
        loc = Localiser(lang, db.site)
        countries = {}
        for code, country in db.countries.items():
            # The name a reader of this language knows, and every other name the State goes by.
            words = [loc.country_name(country)]
            words += [alias for alias in country.aliases if alias not in words]
            countries[code] = " ".join(words)
        names[lang] = {"countries": countries, "themes": {t.id: loc.text(t.name)[0] for t in db.themes.values()}}
    return {
        "cache": str(cache),
        "languages": list(db.site.languages),
        "names": names,
        "regions": {code: country.region for code, country in db.countries.items()},
        "cycles": {str(number): session.cycle for number, session in db.sessions.items()},
        "reviews": reviews,
    }
