"""The front door (the root page, which chooses a language) and each language's home page."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .. import urls
from ..localise import Localiser
from .common import Deps, Page

if TYPE_CHECKING:
    from ..views import SiteViews


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
    latest = db.latest_session
    keys = views.country_key(lang)
    latest_states = (
        sorted(
            (db.countries[r.state] for r in db.reviews_in_session.get(latest.number, ())),
            key=lambda c: keys[c.code],
        )
        if latest
        else []
    )
    reviewed = {r.state for r in db.reviews}
    return {
        "latest": latest,
        "latest_states": latest_states,
        "totals": {
            "recommendations": db.recommendation_count,
            "reviews": len(db.reviews),
            "states": len(reviewed),
            "sessions": len([s for s in db.sessions if db.reviews_in_session.get(s)]),
            "themes": len(db.themes),
        },
        "pages": tuple(db.pages.values()),
        "edition": views.edition,
        "archive_size": loc.file_size(views.edition.archive_bytes) if views.edition.archive_bytes else None,
    }
