"""The front door (the root page, which chooses a language) and each language's home page."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import model, urls
from ..localise import Localiser
from .common import Deps, Page

if TYPE_CHECKING:
    from ..views import SiteViews


UPCOMING_SHOWN = 3  # sessions after the latest with recommendations that the home page lists


class SessionStates(NamedTuple):
    """A session as the home page shows it: with the States it reviews, in the language's order."""

    session: model.Session
    states: tuple[model.Country, ...]


class SiteTitle(NamedTuple):
    """The site's title as the front door shows it for one language (in its first fallback if
    it has none in that language)."""

    language: str
    text: str


def root(views: SiteViews) -> Page:
    return Page(urls.root(), "root.html", None, partial(root_data, views), "root")


def root_data(views: SiteViews) -> dict:
    site = views.db.site
    return {
        "languages": site.languages,
        "titles": tuple(SiteTitle(lang, site.title.choose(lang, site.languages)[0]) for lang in site.languages),
    }


def page(views: SiteViews, lang: str, loc: Localiser) -> Page:
    return Page(
        urls.home(lang),
        "home.html",
        lang,
        partial(data, views, lang, loc),
        "home",
        Deps(counted=views.every_review_counted(), values=(views.edition, views.pages_listed())),
    )


def data(views: SiteViews, lang: str, loc: Localiser) -> dict:
    db = views.db
    keys = views.country_key(lang)

    def with_states(session: model.Session) -> SessionStates:
        reviewed = (db.countries[r.state] for r in db.reviews_in_session.get(session.number, ()))
        return SessionStates(session, tuple(sorted(reviewed, key=lambda c: keys[c.code])))

    # "Latest" and "upcoming" are decided from the content, never from the clock: the same content
    # gives the same page whenever it is built. Upcoming: the sessions after the latest one with
    # recommendations (their States are those whose review files have none yet).
    held = [n for n in sorted(db.sessions) if any(r.recommendations for r in db.reviews_in_session.get(n, ()))]
    latest = db.sessions[held[-1]] if held else None
    upcoming = [s for n, s in sorted(db.sessions.items()) if latest is None or n > latest.number]
    reviewed = {r.state for r in db.reviews}
    return {
        "latest": with_states(latest) if latest else None,
        "upcoming": tuple(with_states(s) for s in upcoming[:UPCOMING_SHOWN]),
        "totals": {
            "recommendations": db.recommendation_count,
            "reviews": len(db.reviews),
            "states": len(reviewed),
            "sessions": len(held),
            "themes": len(db.themes),
        },
        "pages": tuple(db.pages.values()),
        "edition": views.edition,
        "archive_size": loc.file_size(views.edition.archive_bytes) if views.edition.archive_bytes else None,
    }
