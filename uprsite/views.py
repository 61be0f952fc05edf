"""What every page kind shares: the views over one database (`SiteViews`).

The page kinds themselves, each with the function that lists its pages and
the one that makes a page's data, are the modules of `uprsite.kinds`. Here
are what several of them use, made once per language or once per build: the
Localiser of a language, the order States, themes and reviews are
listed in, the data files a page links to, and the digests pages' `Deps` are
made of. Views know URLs and the order things are listed in; they know
nothing of Jinja or HTML. Templates do no queries: every lookup is done in
the views.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from . import kinds, model
from .kinds.common import Deps, Edition, FileLink, Group, Page, RecView, combine
from .localise import Localiser
from .reuse import fingerprint
from .reuse.keys import KeysOfReviews
from .statistics import Statistics

# The records the kinds share are imported from here too (render.Page, build.Edition).
__all__ = ["Deps", "Edition", "FileLink", "Group", "Page", "RecView", "SiteViews"]

PUBLISHED = Edition()  # the copy of the site a build makes unless told otherwise


class SiteViews:
    """Views over one database, shared by every language.

    The downloads must be finished (their sizes known) before pages are listed.
    Caches here fill as page data is made, in whichever process makes it.
    """

    def __init__(self, db: model.Database, edition: Edition = PUBLISHED, downloads=None, cache=None, keys=None):
        self.db = db
        self.edition = edition
        self.cache = cache  # the build cache, for figures that take long to count
        self.keys = keys or KeysOfReviews(db.reviews, cache)  # what pages show of each review, as digests
        # Statistics and data files are the same in every language: computed once, here.
        self.stats = Statistics(db)
        self.downloads = downloads
        self._locs: dict[str, Localiser] = {}
        self._country_keys: dict[str, dict] = {}
        self._theme_keys: dict[str, dict] = {}
        self._review_ranks: dict[str, dict] = {}
        # Keyed by identity: the database holds every record for as long as the views live.
        self._rec_views: dict[int, RecView] = {}
        self._part_digests: dict[int, str] = {}
        self.country_deps: dict[str, tuple] = {}  # by State (kinds.country.country_deps)
        self._counted: dict[tuple, str] = {}

    # -- pages ----------------------------------------------------------
    def root(self) -> Page:
        return kinds.home.root(self)

    def pages(self, lang: str) -> Iterator[Page]:
        return kinds.language_pages(self, lang)

    def view(self, rec: model.Recommendation) -> RecView:
        item = self._rec_views.get(id(rec))
        if item is None:
            countries, themes = self.db.countries, self.db.themes
            item = self._rec_views[id(rec)] = RecView(
                rec,
                tuple(countries[c] for c in rec.by),
                tuple(themes[t] for t in rec.themes),
                self._rec_page.get(id(rec), 1),
            )
        return item

    # -- per language, made once ------------------------------------------
    def loc(self, lang: str) -> Localiser:
        loc = self._locs.get(lang)
        if loc is None:
            loc = self._locs[lang] = Localiser(lang, self.db.site)
        return loc

    def country_key(self, lang: str) -> dict:
        """Sort key of each State's name in the language's alphabetical order (CLDR collation), by code."""
        keys = self._country_keys.get(lang)
        if keys is None:
            loc = self.loc(lang)
            keys = self._country_keys[lang] = {
                code: loc.sort_key(loc.country_name(country)) for code, country in self.db.countries.items()
            }
        return keys

    def theme_key(self, lang: str) -> dict:
        keys = self._theme_keys.get(lang)
        if keys is None:
            loc = self.loc(lang)
            keys = self._theme_keys[lang] = {t.id: loc.sort_key(loc.text(t.name)[0]) for t in self.db.themes.values()}
        return keys

    def review_rank(self, lang: str) -> dict:
        """The place of each review in lists, by identity: States under Review in the language's
        order, newest session first."""
        ranks = self._review_ranks.get(lang)
        if ranks is None:
            keys = self.country_key(lang)
            ordered = sorted(self.db.reviews, key=lambda r: (keys[r.state], r.state, -r.session))
            ranks = self._review_ranks[lang] = {id(r): i for i, r in enumerate(ordered)}
        return ranks

    def files(self, loc: Localiser, scope: str, key=None) -> tuple:
        """The data files a page about this scope links to."""
        offers = self.downloads.of(scope, key) if self.downloads else ()
        return tuple(FileLink(offer, loc) for offer in offers)

    def file_sizes(self, scope: str, key=None) -> tuple:
        """What a page shows of a scope's files: their names and sizes."""
        offers = self.downloads.of(scope, key) if self.downloads else ()
        return tuple((offer.path, offer.size) for offer in offers)

    # -- lists of recommendations -----------------------------------------
    def in_list_order(self, lang: str, parts) -> list:
        """(review, recommendations) parts in list order: States under Review in the page language's
        order, newest session first; recommendations stay in file order within a review."""
        rank = self.review_rank(lang)
        return sorted(parts, key=lambda part: rank[id(part[0])])

    def groups(self, parts) -> tuple[Group, ...]:
        db = self.db
        return tuple(
            Group(db.countries[review.state], db.sessions[review.session], tuple(self.view(r) for r in recs))
            for review, recs in parts
        )

    def slice_groups(self, slices) -> tuple[Group, ...]:
        return self.groups((review, recs[start:end]) for review, recs, start, end in slices)

    # -- what pages depend on ----------------------------------------------
    def counted(self, scope: tuple, reviews) -> str:
        """Digest of the facts of a scope's reviews (the same in every language, so made once)."""
        digest = self._counted.get(scope)
        if digest is None:
            digest = self._counted[scope] = combine(f"{r.session}{r.state}{self.keys(r).facts}" for r in reviews)
        return digest

    def every_review_counted(self) -> str:
        return self.counted(("*",), self.db.reviews)

    def pages_listed(self) -> str:
        """What the home pages and the list of pages show of the explanatory pages (their titles)."""
        return fingerprint.combine(*map(repr, self.db.pages.values()))

    def shown(self, slices, theme: str | None = None) -> str:
        """Digest of the recommendations of slices (review, recommendations, start, end) of lists
        (of a theme's list: whole parts have their digest made at validation)."""
        return combine(self._part_digest(*part, theme) for part in slices)

    def _part_digest(self, review: model.Review, recs, start: int, end: int, theme: str | None = None) -> str:
        whole = start == 0 and end == len(recs)
        if whole and recs is review.recommendations:
            return review.digest
        if whole and theme is not None:
            return self.keys(review).themes[theme]
        if whole:
            digest = self._part_digests.get(id(recs))
            if digest is None:
                digest = self._part_digests[id(recs)] = combine(map(self._rec_digest.__getitem__, map(id, recs)))
            return digest
        return combine(map(self._rec_digest.__getitem__, map(id, recs[start:end])))

    @cached_property
    def _rec_page(self) -> dict[int, int]:
        """The page of its review's page each recommendation is on, by identity (placement, via the keys)."""
        return {
            id(rec): page
            for review in self.db.reviews
            for rec, page in zip(review.recommendations, self.keys(review).pages, strict=True)
            if page != 1
        }

    @cached_property
    def _rec_digest(self) -> dict[int, str]:
        """Each recommendation's digest, by identity."""
        return {
            id(rec): digest
            for review in self.db.reviews
            for rec, digest in zip(review.recommendations, self.keys(review).recommendations, strict=True)
        }
