"""The model as search documents: one per recommendation, per language.

Documents are numbered newest session first, then by State under Review
code, then in file order, so that each review is a run of consecutive ids
(its State and session need no per-document storage) and results without a
text query list the newest recommendations first.
"""

from __future__ import annotations

from .. import model
from ..localise import Localiser


def ordered_reviews(db: model.Database) -> list[model.Review]:
    return sorted(db.reviews, key=lambda r: (-r.session, r.state))


def payload(db: model.Database, lang: str) -> dict:
    """What indexer.js needs for one language, as JSON-ready data."""
    loc = Localiser(lang, db.site)
    countries = {}
    for code, country in db.countries.items():
        # The name a reader of this language knows, and every other name the State goes by.
        names = [loc.country_name(country)]
        names += [alias for alias in country.aliases if alias not in names]
        countries[code] = " ".join(names)
    themes = {theme.id: loc.text(theme.name)[0] for theme in db.themes.values()}
    docs = []
    for review in ordered_reviews(db):
        for rec in review.recommendations:
            text, text_lang = loc.text(rec.text)
            docs.append([rec.state, rec.session, rec.anchor, text, "" if text_lang == lang else text_lang,
                         list(rec.by), list(rec.themes), rec.response, rec.action or 0])
    return {
        "language": lang,
        "names": {"countries": countries, "themes": themes},
        "regions": {code: country.region for code, country in db.countries.items()},
        "cycles": {str(number): session.cycle for number, session in db.sessions.items()},
        "docs": docs,
    }
