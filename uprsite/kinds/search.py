"""The search page (its index is built apart, by uprsite.search, with its scripts in static/)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from .. import model, urls
from ..localise import Localiser
from .common import Deps, Page

if TYPE_CHECKING:
    from ..views import SiteViews


def page(views: SiteViews, lang: str, loc: Localiser) -> Page:
    return Page(
        urls.search(lang),
        "search.html",
        lang,
        partial(data, views, lang, loc),
        "search",
        Deps(counted=views.every_review_counted()),
    )


def data(views: SiteViews, lang: str, loc: Localiser) -> dict:
    """The search page: its facets list every value, in the page language's order."""
    db = views.db
    keys = views.country_key(lang)
    countries = sorted(db.countries.values(), key=lambda c: keys[c.code])
    sessions = [s for s in reversed(db.sessions.values()) if db.reviews_in_session.get(s.number)]
    theme_keys = views.theme_key(lang)
    return {
        "countries": countries,
        "regions": [r for r in model.REGIONS if any(c.region == r for c in countries)],
        "sessions": sessions,
        "cycles": sorted({s.cycle for s in sessions}, reverse=True),
        "themes": sorted(db.themes.values(), key=lambda t: theme_keys[t.id]),
        "responses": model.RESPONSES,
        "actions": (1, 2, 3, 4, 5),
    }
