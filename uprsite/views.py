"""Which pages exist, and what each one shows.

One function per page kind turns the model into `Page`s: a path, a template
name, what the page depends on, and a function that makes the ready data the
template needs. Views know URLs and the order things are listed in; they know
nothing of Jinja or HTML. Templates do no queries: every lookup is done here.

Making every page's data costs more than rendering most of them (sorting and
grouping 160,000 recommendations per language, counting them per scope), and
a build after a small edit renders a few dozen pages out of thousands. So a
page's data is made only when the page is rendered (in the render workers,
on every core), while what decides *whether* it is rendered, its `Deps`, is
worked out here from cheap keys: which reviews it shows in full, which it
only counts or lists by id, and the few other values it shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import NamedTuple

from . import model, urls
from .charts import Charts
from .downloads import MADE, RECEIVED, SESSION, THEME, WHOLE
from .localise import Localiser, initial
from .matrix import MatrixRows
from .pagination import Pagination, paginate
from .reuse import fingerprint
from .reuse.keys import KeysOfReviews
from .statistics import Statistics

MADE_INLINE_LIMIT = 50  # a State's recommendations to others get a page of their own beyond this


@dataclass(frozen=True, slots=True)
class Deps:
    """What a page shows beyond the reference data every page may show (States, themes, sessions, site),
    as digests: incremental builds compare them.

    - shown: the recommendations (and reviews) it shows in full, texts included;
    - counted: the reviews it only counts or lists by id (see reuse.keys: facts);
    - values: anything else that changes it (its place in a pagination, the
      sizes of the files it links to, the edition).
    """

    shown: str = ""
    counted: str = ""
    values: tuple = ()


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    template: str
    language: str | None
    make: Callable[[], dict] = field(hash=False, compare=False, repr=False)  # the template's data
    kind: str = ""
    deps: Deps = Deps()
    weight: int = 0  # about how many recommendations it shows: render work is shared by this

    @property
    def context(self) -> dict:
        return self.make()


@dataclass(frozen=True, slots=True)
class RecView:
    """A recommendation with its references resolved."""

    rec: model.Recommendation
    by: tuple[model.Country, ...]
    themes: tuple[model.Theme, ...]


class ReviewedState(NamedTuple):
    """A row of a session's table of the States it reviewed."""

    country: model.Country
    review: model.Review
    total: int  # recommendations the State received in this review
    counts: Counter  # of them, by response


class CycleCounts(NamedTuple):
    """A row of a State's table of recommendations received: one cycle, by response."""

    cycle: int
    counts: list[int]  # in the order of the table's responses
    total: int


class ThemeCount(NamedTuple):
    """A row of a State's table of recommendations made, by theme."""

    theme: model.Theme
    count: int
    search: str  # site path of the search for them


@dataclass(frozen=True, slots=True)
class Group:
    """Recommendations under one heading (a State under Review, a review)."""

    country: model.Country
    session: model.Session | None
    items: tuple[RecView, ...]


@dataclass(frozen=True, slots=True)
class Edition:
    """Which copy of the site a build makes, as its home page tells readers.

    The published site may link to the offline archive (where the operator
    publishes it, and its size in bytes); the copy inside that archive says
    instead that it is the offline copy.
    """

    offline_copy: bool = False
    archive_url: str | None = None
    archive_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class FileLink:
    """A data file as a page links to it: its size is known only once the files are compressed."""

    offer: object  # downloads.Offer
    loc: Localiser

    @property
    def size(self) -> str:
        return self.loc.file_size(self.offer.size)


class SiteViews:
    """Views over one database, shared by every language.

    The downloads must be finished (their sizes known) before pages are listed.
    Caches here fill as page data is made, in whichever process makes it.
    """

    def __init__(self, db: model.Database, edition: Edition = Edition(), downloads=None, cache=None, keys=None):
        self.db = db
        self.edition = edition
        self.cache = cache  # the build cache, for figures that take long to count
        self.keys = keys or KeysOfReviews(db.reviews, cache)  # what pages show of each review, as digests
        # Statistics and data files are the same in every language: computed once, here.
        self.stats = Statistics(db)
        self.downloads = downloads
        self._locs: dict[str, Localiser] = {}
        self._charts: dict[str, Charts] = {}
        self._country_keys: dict[str, dict] = {}
        self._theme_keys: dict[str, dict] = {}
        self._review_ranks: dict[str, dict] = {}
        self._matrix_rows: dict[str, MatrixRows] = {}
        # Keyed by identity: the database holds every record for as long as the views live.
        self._rec_views: dict[int, RecView] = {}
        self._part_digests: dict[int, str] = {}
        self._country_deps_known: dict[str, tuple] = {}
        self._counted: dict[tuple, str] = {}

    def view(self, rec: model.Recommendation) -> RecView:
        item = self._rec_views.get(id(rec))
        if item is None:
            countries, themes = self.db.countries, self.db.themes
            item = self._rec_views[id(rec)] = RecView(
                rec, tuple(countries[c] for c in rec.by), tuple(themes[t] for t in rec.themes)
            )
        return item

    # -- per language, made once ------------------------------------------
    def loc(self, lang: str) -> Localiser:
        loc = self._locs.get(lang)
        if loc is None:
            loc = self._locs[lang] = Localiser(lang, self.db.site)
        return loc

    def charts(self, lang: str) -> Charts:
        charts = self._charts.get(lang)
        if charts is None:
            charts = self._charts[lang] = Charts(self.db, lang)
        return charts

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

    # -- what pages depend on ----------------------------------------------
    def counted(self, scope: tuple, reviews) -> str:
        """Digest of the facts of a scope's reviews (the same in every language, so made once)."""
        digest = self._counted.get(scope)
        if digest is None:
            digest = self._counted[scope] = _combine(f"{r.session}{r.state}{self.keys(r).facts}" for r in reviews)
        return digest

    def every_review_counted(self) -> str:
        return self.counted(("*",), self.db.reviews)

    def shown(self, slices, theme: str | None = None) -> str:
        """Digest of the recommendations of slices (review, recommendations, start, end) of lists
        (of a theme's list: whole parts have their digest made at validation)."""
        return _combine(self._part_digest(*part, theme) for part in slices)

    def _part_digest(self, review: model.Review, recs, start: int, end: int, theme: str | None = None) -> str:
        whole = start == 0 and end == len(recs)
        if whole and recs is review.recommendations:
            return review.digest
        if whole and theme is not None:
            return self.keys(review).themes[theme]
        if whole:
            digest = self._part_digests.get(id(recs))
            if digest is None:
                digest = self._part_digests[id(recs)] = _combine(map(self._rec_digest.__getitem__, map(id, recs)))
            return digest
        return _combine(map(self._rec_digest.__getitem__, map(id, recs[start:end])))

    @cached_property
    def _rec_digest(self) -> dict[int, str]:
        """Each recommendation's digest, by identity."""
        return {
            id(rec): digest
            for review in self.db.reviews
            for rec, digest in zip(review.recommendations, self.keys(review).recommendations, strict=True)
        }

    # -- pages ----------------------------------------------------------
    def root(self) -> Page:
        return Page(urls.root(), "root.html", None, partial(dict, languages=self.db.site.languages), "root")

    def pages(self, lang: str) -> Iterator[Page]:
        loc = self.loc(lang)
        yield self.home(lang, loc)
        yield self.countries_index(lang, loc)
        for country in self.db.countries.values():
            yield from self.country(lang, loc, country)
            yield from self.matrix(lang, loc, country)
        yield self.sessions_index(lang)
        for session in self.db.sessions.values():
            yield from self.session(lang, loc, session)
        yield self.themes_index(lang, loc)
        for theme in self.db.themes.values():
            yield from self.theme(lang, loc, theme)
        if self.db.pages:
            yield self.markdown_pages(lang)
        for page in self.db.pages.values():
            yield self.markdown_page(lang, page)
        yield self.search(lang, loc)
        yield self.statistics(lang, loc)

    def home(self, lang: str, loc: Localiser) -> Page:
        return Page(
            urls.home(lang),
            "home.html",
            lang,
            partial(self._home, lang, loc),
            "home",
            Deps(counted=self.every_review_counted(), values=(self.edition, self.pages_listed())),
        )

    def _home(self, lang: str, loc: Localiser) -> dict:
        db = self.db
        latest = db.latest_session
        keys = self.country_key(lang)
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
            "edition": self.edition,
            "archive_size": loc.file_size(self.edition.archive_bytes) if self.edition.archive_bytes else None,
        }

    def countries_index(self, lang: str, loc: Localiser) -> Page:
        return Page(
            urls.countries(lang),
            "countries.html",
            lang,
            partial(self._countries_index, lang, loc),
            "countries",
            Deps(counted=self.every_review_counted()),
        )

    def _countries_index(self, lang: str, loc: Localiser) -> dict:
        keys = self.country_key(lang)
        ordered = sorted(self.db.countries.values(), key=lambda c: keys[c.code])
        by_letter: dict[str, list] = defaultdict(list)
        for country in ordered:
            by_letter[initial(loc.country_name(country))].append(country)
        by_region: dict[str, list] = {region: [] for region in model.REGIONS}
        for country in ordered:
            by_region[country.region].append(country)
        counts = {
            code: sum(len(r.recommendations) for r in reviews) for code, reviews in self.db.reviews_of_state.items()
        }
        return {
            "by_letter": sorted(by_letter.items(), key=lambda kv: loc.sort_key(kv[0])),
            "by_region": [(region, items) for region, items in by_region.items() if items],
            "counts": counts,
        }

    def country(self, lang: str, loc: Localiser, country: model.Country) -> Iterator[Page]:
        code = country.code
        made_parts = self.db.made_by_review.get(code, ())
        deps, received_total, made_total = self._country_deps(code)
        yield Page(
            urls.country(lang, code),
            "country.html",
            lang,
            partial(self._country, lang, loc, country),
            "country",
            deps,
            received_total,
        )
        if made_total > MADE_INLINE_LIMIT:
            ordered = self._in_list_order(lang, made_parts)
            for page, slices in paginate(ordered, lambda n: urls.made(lang, code, n), made_total):
                # Page 1 sums up every recommendation made, by theme.
                first = page.number == 1
                yield Page(
                    page.links[page.number - 1],
                    "made.html",
                    lang,
                    partial(self._made, lang, loc, country, page, slices),
                    "made",
                    Deps(
                        counted=deps.counted
                        if first
                        else _combine(
                            f"{r.session}{r.state}{self.keys(r).facts}{start}:{end}" for r, _, start, end in slices
                        ),
                        values=(page.key,),
                    ),
                    page.last - page.first + 1,
                )

    def _country_deps(self, code: str) -> tuple[Deps, int, int]:
        """A State's page's Deps, and how many recommendations it received and made (in every language)."""
        known = self._country_deps_known.get(code)
        if known is None:
            reviews = self.db.reviews_of_state.get(code, ())
            made_parts = self.db.made_by_review.get(code, ())
            # Recommendations made are shown by id and counted; their files' sizes depend on their texts.
            deps = Deps(
                shown=_combine(r.digest for r in reviews),
                counted=self.counted(("made", code), (r for r, _ in made_parts)),
                values=(self.file_sizes(MADE, code),),
            )
            known = self._country_deps_known[code] = (
                deps,
                sum(len(review.recommendations) for review in reviews),
                sum(len(recs) for _, recs in made_parts),
            )
        return known

    def _country(self, lang: str, loc: Localiser, country: model.Country) -> dict:
        db = self.db
        reviews = db.reviews_of_state.get(country.code, ())
        groups = []
        for review in reversed(reviews):  # newest review first
            groups.append((review, db.sessions[review.session], tuple(self.view(r) for r in review.recommendations)))
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
            "groups": groups,
            "responses": responses,
            "count_rows": [
                CycleCounts(cycle, [table[(cycle, r)] for r in responses], sum(table[(cycle, r)] for r in responses))
                for cycle in cycles
            ],
            "received_total": sum(table.values()),
            "made_total": made_total,
            "made_groups": self._groups(self._in_list_order(lang, made_parts)) if inline else None,
            "made_link": None if inline else urls.made(lang, country.code),
            "made_states": len({review.state for review, _ in made_parts}),
            "charts": self.charts(lang),
            "received_stats": self.stats.received(country.code),
            "made_stats": self.stats.made(country.code),
            "received_files": self.files(loc, RECEIVED, country.code),
            "made_files": self.files(loc, MADE, country.code),
            "matrix_link": urls.matrix(lang, country.code) if reviews else None,
        }

    def _made(self, lang: str, loc: Localiser, country: model.Country, page: Pagination, slices) -> dict:
        return {
            "country": country,
            "groups": self._slice_groups(slices),
            "pagination": page,
            "by_theme": self._made_by_theme(lang, country) if page.number == 1 else (),
        }

    def sessions_index(self, lang: str) -> Page:
        return Page(
            urls.sessions(lang),
            "sessions.html",
            lang,
            self._sessions_index,
            "sessions",
            Deps(counted=self.every_review_counted()),
        )

    def _sessions_index(self) -> dict:
        db = self.db
        by_cycle: dict[int, list] = defaultdict(list)
        for session in reversed(db.sessions.values()):
            by_cycle[session.cycle].append(
                (
                    session,
                    len(db.reviews_in_session.get(session.number, ())),
                    sum(len(r.recommendations) for r in db.reviews_in_session.get(session.number, ())),
                )
            )
        return {"by_cycle": sorted(by_cycle.items(), reverse=True)}

    def session(self, lang: str, loc: Localiser, session: model.Session) -> Iterator[Page]:
        rank = self.review_rank(lang)
        reviews = sorted(self.db.reviews_in_session.get(session.number, ()), key=lambda r: rank[id(r)])
        every_review = self.counted(("session", session.number), reviews)
        parts = [(review, review.recommendations) for review in reviews]
        for page, slices in paginate(parts, lambda n: urls.session(lang, session.number, n)):
            # Every page lists the reviews with their counts; page 1 shows the session's statistics and files.
            first = page.number == 1 and bool(reviews)
            yield Page(
                page.links[page.number - 1],
                "session.html",
                lang,
                partial(self._session, lang, loc, session, reviews, page, slices),
                "session",
                # Its recommendations are listed by id, under their response: counted, not shown.
                Deps(
                    counted=_combine(
                        [every_review, *(f"{r.session}{r.state}{start}:{end}" for r, _, start, end in slices)]
                    ),
                    values=(page.key, self.file_sizes(SESSION, session.number) if first else ()),
                ),
                page.last - page.first + 1,
            )

    def _session(self, lang: str, loc: Localiser, session: model.Session, reviews, page: Pagination, slices) -> dict:
        db = self.db
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
            "groups": self._slice_groups(slices),
            "pagination": page,
            "charts": self.charts(lang),
            "stats": self.stats.session(session.number) if first else None,
            "files": self.files(loc, SESSION, session.number) if first else (),
        }

    def themes_index(self, lang: str, loc: Localiser) -> Page:
        return Page(
            urls.themes(lang),
            "themes.html",
            lang,
            partial(self._themes_index, lang),
            "themes",
            Deps(counted=self.every_review_counted()),
        )

    def _themes_index(self, lang: str) -> dict:
        keys = self.theme_key(lang)
        themes = sorted(self.db.themes.values(), key=lambda t: keys[t.id])
        return {"themes": [(t, len(self.db.with_theme.get(t.id, ()))) for t in themes]}

    def theme(self, lang: str, loc: Localiser, theme: model.Theme) -> Iterator[Page]:
        parts = self.db.with_theme_by_review.get(theme.id, ())
        every_review = self.counted(("theme", theme.id), (r for r, _ in parts))
        for page, slices in paginate(self._in_list_order(lang, parts), lambda n: urls.theme(lang, theme.id, n)):
            # Page 1 shows the theme's statistics and files: it counts every review of the theme,
            # but shows in full only its own 500 recommendations.
            first = page.number == 1 and bool(parts)
            yield Page(
                page.links[page.number - 1],
                "theme.html",
                lang,
                partial(self._theme, lang, loc, theme, page, slices, first),
                "theme",
                Deps(
                    shown=self.shown(slices, theme.id),
                    counted=every_review if first else "",
                    values=(page.key, self.file_sizes(THEME, theme.id) if first else ()),
                ),
                page.last - page.first + 1,
            )

    def _theme(self, lang: str, loc: Localiser, theme: model.Theme, page: Pagination, slices, first: bool) -> dict:
        stats = self.stats.theme(theme.id) if first else None
        return {
            "theme": theme,
            "groups": self._slice_groups(slices),
            "pagination": page,
            "charts": self.charts(lang),
            "stats": stats,
            "files": self.files(loc, THEME, theme.id) if stats else (),
        }

    def markdown_pages(self, lang: str) -> Page:
        """Every explanatory page, listed once: the footer of every page links here (listing them all
        in every footer made the output grow with the square of their number)."""
        return Page(urls.markdown_pages(lang), "pages.html", lang, dict, "pages", Deps(values=(self.pages_listed(),)))

    def pages_listed(self) -> str:
        """What the home pages and the list of pages show of the explanatory pages (their titles)."""
        return fingerprint.combine(*map(repr, self.db.pages.values()))

    def markdown_page(self, lang: str, page: model.MarkdownPage) -> Page:
        for candidate in (lang, *self.db.site.languages):
            if candidate in page.sources:
                source_lang = candidate
                break
        else:
            source_lang = next(iter(page.sources))
        return Page(
            urls.markdown_page(lang, page.slug),
            "page.html",
            lang,
            partial(dict, md_page=page, source=page.sources[source_lang], source_language=source_lang),
            "page",
            Deps(values=(repr(page),)),
        )

    def search(self, lang: str, loc: Localiser) -> Page:
        return Page(
            urls.search(lang),
            "search.html",
            lang,
            partial(self._search, lang, loc),
            "search",
            Deps(counted=self.every_review_counted()),
        )

    def _search(self, lang: str, loc: Localiser) -> dict:
        """The search page: its facets list every value, in the page language's order."""
        db = self.db
        keys = self.country_key(lang)
        countries = sorted(db.countries.values(), key=lambda c: keys[c.code])
        sessions = [s for s in reversed(db.sessions.values()) if db.reviews_in_session.get(s.number)]
        theme_keys = self.theme_key(lang)
        return {
            "countries": countries,
            "regions": [r for r in model.REGIONS if any(c.region == r for c in countries)],
            "sessions": sessions,
            "cycles": sorted({s.cycle for s in sessions}, reverse=True),
            "themes": sorted(db.themes.values(), key=lambda t: theme_keys[t.id]),
            "responses": model.RESPONSES,
            "actions": (1, 2, 3, 4, 5),
        }

    def statistics(self, lang: str, loc: Localiser) -> Page:
        """Statistics of the whole database, with its data files."""
        return Page(
            urls.statistics(lang),
            "statistics.html",
            lang,
            partial(self._statistics, lang, loc),
            "statistics",
            Deps(counted=self.every_review_counted(), values=(self.file_sizes(WHOLE),)),
        )

    def _statistics(self, lang: str, loc: Localiser) -> dict:
        return {
            "stats": self.whole_statistics(),
            "charts": self.charts(lang),
            "files": self.files(loc, WHOLE),
            "sessions": sum(1 for s in self.db.sessions if self.db.reviews_in_session.get(s)),
            "reviews": len(self.db.reviews),
        }

    def matrix(self, lang: str, loc: Localiser, country: model.Country) -> Iterator[Page]:
        """The follow-up matrix of a State's latest review: its recommendations under their first theme."""
        reviews = self.db.reviews_of_state.get(country.code, ())
        if not reviews:
            return  # no review, no matrix (and no link to one)
        review = reviews[-1]
        yield Page(
            urls.matrix(lang, country.code),
            "matrix.html",
            lang,
            partial(self._matrix, lang, country, review),
            "matrix",
            Deps(shown=review.digest),
            len(review.recommendations),
        )

    def _matrix(self, lang: str, country: model.Country, review: model.Review) -> dict:
        by_theme: dict = defaultdict(list)
        for rec in review.recommendations:
            by_theme[rec.themes[0] if rec.themes else None].append(self.view(rec))
        names = self.theme_key(lang)
        groups = [
            (self.db.themes[t] if t else None, tuple(items))
            for t, items in sorted(by_theme.items(), key=lambda kv: (kv[0] is None, names.get(kv[0], ())))
        ]
        rows = self._matrix_rows.get(lang)
        if rows is None:
            rows = self._matrix_rows[lang] = MatrixRows(self.db, lang)
        return {
            "country": country,
            "review": review,
            "session": self.db.sessions[review.session],
            "groups": groups,
            "matrix_rows": rows,
        }

    # -- helpers ----------------------------------------------------------
    def whole_statistics(self):
        """The figures of the whole database: counting 160,000 recommendations takes a second, and
        the statistics page is made again after every text edit (it shows the files' sizes), so
        they are kept in the build cache under the facts they count."""
        if self.cache is None:
            return self.stats.whole()
        key = _combine(
            [
                "statistics-whole",
                fingerprint.code_digest(),
                self.every_review_counted(),
                repr(tuple(self.db.sessions.values())),
            ]
        )
        hit, figures = self.cache.get(key)
        if not hit:
            figures = self.stats.whole()
            self.cache.put(key, figures)
        return figures

    def _made_by_theme(self, lang: str, country: model.Country) -> tuple:
        """A ThemeCount for every theme of a State's recommendations, most first."""
        themes = self.db.themes
        names = self.theme_key(lang)
        counts = self.stats.made(country.code).every_theme
        ordered = sorted(counts, key=lambda kv: (-kv[1], names[kv[0]]))
        return tuple(ThemeCount(themes[t], n, urls.search_for(lang, by=country.code, theme=t)) for t, n in ordered)

    def _in_list_order(self, lang: str, parts) -> list:
        """(review, recommendations) parts in list order: States under Review in the page language's
        order, newest session first; recommendations stay in file order within a review."""
        rank = self.review_rank(lang)
        return sorted(parts, key=lambda part: rank[id(part[0])])

    def _groups(self, parts) -> tuple[Group, ...]:
        db = self.db
        return tuple(
            Group(db.countries[review.state], db.sessions[review.session], tuple(self.view(r) for r in recs))
            for review, recs in parts
        )

    def _slice_groups(self, slices) -> tuple[Group, ...]:
        return self._groups((review, recs[start:end]) for review, recs, start, end in slices)


def _combine(parts) -> str:
    return fingerprint.combine(*parts)
