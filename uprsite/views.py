"""Which pages exist, and what each one shows.

One function per page kind turns the model into `Page`s: a path, a template
name and the ready data the template needs. Views know URLs and the order
things are listed in; they know nothing of Jinja or HTML. Templates do no
queries: every lookup is done here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterator

from . import model, urls
from .charts import Charts
from .downloads import MADE, RECEIVED, SESSION, THEME, WHOLE
from .localise import Localiser, initial
from .matrix import MatrixRows
from .statistics import Statistics

MADE_INLINE_LIMIT = 50  # a State's recommendations to others get a page of their own beyond this


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    template: str
    language: str | None
    context: dict = field(hash=False, compare=False)
    kind: str = ""
    # What the page shows beyond the reference data every page may show: the
    # reviews (session, State) it draws on, or ALL; and any other value that
    # changes it (its place in a pagination). Incremental builds compare these.
    deps: tuple = ()
    extra: tuple = ()


ALL = ("*",)  # the page depends on every review (totals, indexes)


def review_keys(recs) -> tuple:
    """The reviews a list of recommendations comes from, in a stable order."""
    return tuple(sorted({(rec.session, rec.state) for rec in recs}))


@dataclass(frozen=True, slots=True)
class RecView:
    """A recommendation with its references resolved."""

    rec: model.Recommendation
    by: tuple[model.Country, ...]
    themes: tuple[model.Theme, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """Recommendations under one heading (a State under Review, a review)."""

    country: model.Country
    session: model.Session | None
    items: tuple[RecView, ...]


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    links: tuple[str, ...]  # site path of each page, 1-based order
    total: int
    first: int  # 1-based position of the first item on this page
    last: int

    @property
    def key(self) -> tuple:
        return (self.number, self.count, self.total, self.first, self.last)

    @property
    def previous(self):
        return self.links[self.number - 2] if self.number > 1 else None

    @property
    def next(self):
        return self.links[self.number] if self.number < self.count else None


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
    """Views over one database, shared by every language."""

    def __init__(self, db: model.Database, edition: Edition = Edition(), downloads=None):
        self.db = db
        self.edition = edition
        # Statistics and data files are the same in every language: computed once, here.
        self.stats = Statistics(db)
        self.downloads = downloads
        self._charts: dict[str, Charts] = {}
        self._theme_sort_keys: dict[str, dict] = {}
        self._matrix_rows: dict[str, MatrixRows] = {}
        countries, themes = db.countries, db.themes
        # Keyed by identity: the database holds every record for as long as the views live.
        self.rec_views: dict[int, RecView] = {}
        for rec in db.recommendations():
            self.rec_views[id(rec)] = RecView(
                rec, tuple(countries[c] for c in rec.by), tuple(themes[t] for t in rec.themes))
        self.newest_date = db.newest_date

    def view(self, rec: model.Recommendation) -> RecView:
        return self.rec_views[id(rec)]

    # -- pages ----------------------------------------------------------
    def root(self) -> Page:
        return Page(urls.root(), "root.html", None, {"languages": self.db.site.languages}, "root")

    def charts(self, lang: str) -> Charts:
        charts = self._charts.get(lang)
        if charts is None:
            charts = self._charts[lang] = Charts(self.db, lang)
        return charts

    def files(self, loc: Localiser, scope: str, key=None) -> tuple:
        """The data files a page about this scope links to."""
        offers = self.downloads.of(scope, key) if self.downloads else ()
        return tuple(FileLink(offer, loc) for offer in offers)

    def pages(self, lang: str) -> Iterator[Page]:
        loc = Localiser(lang, self.db.site)
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
        for page in self.db.pages.values():
            yield self.markdown_page(lang, page)
        yield self.search(lang, loc)
        yield self.statistics(lang, loc)

    def home(self, lang: str, loc: Localiser) -> Page:
        db = self.db
        latest = db.latest_session
        latest_states = sorted((db.countries[r.state] for r in db.reviews_in_session.get(latest.number, ())),
                               key=lambda c: loc.sort_key(loc.country_name(c))) if latest else []
        reviewed = {r.state for r in db.reviews}
        return Page(urls.home(lang), "home.html", lang, {
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
        }, "home", ALL, (self.edition,))

    def countries_index(self, lang: str, loc: Localiser) -> Page:
        ordered = sorted(self.db.countries.values(), key=lambda c: loc.sort_key(loc.country_name(c)))
        by_letter: dict[str, list] = defaultdict(list)
        for country in ordered:
            by_letter[initial(loc.country_name(country))].append(country)
        by_region: dict[str, list] = {region: [] for region in model.REGIONS}
        for country in ordered:
            by_region[country.region].append(country)
        counts = {code: sum(len(r.recommendations) for r in reviews)
                  for code, reviews in self.db.reviews_of_state.items()}
        return Page(urls.countries(lang), "countries.html", lang, {
            "by_letter": sorted(by_letter.items(), key=lambda kv: loc.sort_key(kv[0])),
            "by_region": [(region, items) for region, items in by_region.items() if items],
            "counts": counts,
        }, "countries", ALL)

    def country(self, lang: str, loc: Localiser, country: model.Country) -> Iterator[Page]:
        db = self.db
        reviews = db.reviews_of_state.get(country.code, ())
        groups = []
        for review in reversed(reviews):  # newest review first
            groups.append((review, db.sessions[review.session],
                           tuple(self.view(r) for r in review.recommendations)))
        # Counts by response and cycle, received.
        cycles = sorted({db.sessions[r.session].cycle for r in reviews})
        table = Counter()
        for review in reviews:
            cycle = db.sessions[review.session].cycle
            for rec in review.recommendations:
                table[(cycle, rec.response)] += 1
        responses = [r for r in model.RESPONSES if any(table[(c, r)] for c in cycles)]
        made = db.made_by.get(country.code, ())
        made_sorted = self._by_state_under_review(made, loc)
        context = {
            "country": country,
            "organisations": tuple(db.organisations[o] for o in country.organisations),
            "groups": groups,
            "responses": responses,
            "count_rows": [(cycle, [table[(cycle, r)] for r in responses], sum(table[(cycle, r)] for r in responses))
                           for cycle in cycles],
            "received_total": sum(table.values()),
            "made_total": len(made),
            "made_groups": self._group(made_sorted) if len(made) <= MADE_INLINE_LIMIT else None,
            "made_link": urls.made(lang, country.code) if len(made) > MADE_INLINE_LIMIT else None,
            "made_states": len({r.state for r in made}),
            "charts": self.charts(lang),
            "received_stats": self.stats.received(country.code),
            "made_stats": self.stats.made(country.code),
            "received_files": self.files(loc, RECEIVED, country.code),
            "made_files": self.files(loc, MADE, country.code),
            "matrix_link": urls.matrix(lang, country.code) if reviews else None,
        }
        deps = tuple(sorted({(r.session, r.state) for r in reviews} | set(review_keys(made))))
        yield Page(urls.country(lang, country.code), "country.html", lang, context, "country", deps)
        if len(made) > MADE_INLINE_LIMIT:
            for page, chunk in self._paginate(made_sorted, lambda n: urls.made(lang, country.code, n)):
                # Page 1 sums up every recommendation made, by theme: its fingerprint takes those counts.
                by_theme = self._made_by_theme(lang, loc, country, made) if page.number == 1 else ()
                yield Page(page.links[page.number - 1], "made.html", lang, {
                    "country": country, "groups": self._group(chunk), "pagination": page, "by_theme": by_theme,
                }, "made", review_keys(chunk), (page.key, tuple((t.id, n) for t, n, _ in by_theme)))

    def sessions_index(self, lang: str) -> Page:
        db = self.db
        by_cycle: dict[int, list] = defaultdict(list)
        for session in reversed(db.sessions.values()):
            by_cycle[session.cycle].append(
                (session, len(db.reviews_in_session.get(session.number, ())),
                 sum(len(r.recommendations) for r in db.reviews_in_session.get(session.number, ()))))
        return Page(urls.sessions(lang), "sessions.html", lang, {
            "by_cycle": sorted(by_cycle.items(), reverse=True)}, "sessions", ALL)

    def session(self, lang: str, loc: Localiser, session: model.Session) -> Iterator[Page]:
        db = self.db
        reviews = sorted(db.reviews_in_session.get(session.number, ()),
                         key=lambda r: loc.sort_key(loc.country_name(db.countries[r.state])))
        reviewed = []
        for review in reviews:
            counts = Counter(rec.response for rec in review.recommendations)
            reviewed.append((db.countries[review.state], review, len(review.recommendations), counts))
        recs = [rec for review in reviews for rec in review.recommendations]
        responses = [r for r in model.RESPONSES if any(row[3][r] for row in reviewed)]
        for page, chunk in self._paginate(recs, lambda n: urls.session(lang, session.number, n)):
            first = page.number == 1 and bool(recs)
            yield Page(page.links[page.number - 1], "session.html", lang, {
                "session": session, "reviewed": reviewed, "responses": responses,
                "groups": self._group(chunk), "pagination": page, "charts": self.charts(lang),
                "stats": self.stats.session(session.number) if first else None,
                "files": self.files(loc, SESSION, session.number) if first else (),
            }, "session", tuple((r.session, r.state) for r in reviews), page.key)

    def themes_index(self, lang: str, loc: Localiser) -> Page:
        themes = sorted(self.db.themes.values(), key=lambda t: loc.sort_key(loc.text(t.name)[0]))
        return Page(urls.themes(lang), "themes.html", lang, {
            "themes": [(t, len(self.db.with_theme.get(t.id, ()))) for t in themes]}, "themes", ALL)

    def theme(self, lang: str, loc: Localiser, theme: model.Theme) -> Iterator[Page]:
        recs = self._by_state_under_review(self.db.with_theme.get(theme.id, ()), loc)
        for page, chunk in self._paginate(recs, lambda n: urls.theme(lang, theme.id, n)):
            # Page 1 shows the theme's statistics and files; its fingerprint takes their values
            # (not every review of the theme), so that editing one review seldom renders it again.
            stats = self.stats.theme(theme.id) if page.number == 1 and recs else None
            files = self.files(loc, THEME, theme.id) if stats else ()
            files_digest = self.downloads.digest(THEME, theme.id) if files else None
            yield Page(page.links[page.number - 1], "theme.html", lang, {
                "theme": theme, "groups": self._group(chunk), "pagination": page,
                "charts": self.charts(lang), "stats": stats, "files": files}, "theme",
                review_keys(chunk), (page.key, stats.key if stats else None, files_digest))

    def markdown_page(self, lang: str, page: model.MarkdownPage) -> Page:
        for candidate in (lang,) + self.db.site.languages:
            if candidate in page.sources:
                source_lang = candidate
                break
        else:
            source_lang = next(iter(page.sources))
        return Page(urls.markdown_page(lang, page.slug), "page.html", lang, {
            "md_page": page, "source": page.sources[source_lang], "source_language": source_lang}, "page")

    def search(self, lang: str, loc: Localiser) -> Page:
        """The search page: its facets list every value, in the page language's order."""
        db = self.db
        countries = sorted(db.countries.values(), key=lambda c: loc.sort_key(loc.country_name(c)))
        sessions = [s for s in reversed(db.sessions.values()) if db.reviews_in_session.get(s.number)]
        return Page(urls.search(lang), "search.html", lang, {
            "countries": countries,
            "regions": [r for r in model.REGIONS if any(c.region == r for c in countries)],
            "sessions": sessions,
            "cycles": sorted({s.cycle for s in sessions}, reverse=True),
            "themes": sorted(db.themes.values(), key=lambda t: loc.sort_key(loc.text(t.name)[0])),
            "responses": model.RESPONSES,
            "actions": (1, 2, 3, 4, 5),
        }, "search", ALL)

    def statistics(self, lang: str, loc: Localiser) -> Page:
        """Statistics of the whole database, with its data files."""
        return Page(urls.statistics(lang), "statistics.html", lang, {
            "stats": self.stats.whole(), "charts": self.charts(lang), "files": self.files(loc, WHOLE),
            "sessions": sum(1 for s in self.db.sessions if self.db.reviews_in_session.get(s)),
            "reviews": len(self.db.reviews),
        }, "statistics", ALL)

    def matrix(self, lang: str, loc: Localiser, country: model.Country) -> Iterator[Page]:
        """The follow-up matrix of a State's latest review: its recommendations under their first theme."""
        reviews = self.db.reviews_of_state.get(country.code, ())
        if not reviews:
            return  # no review, no matrix (and no link to one)
        review = reviews[-1]
        by_theme: dict = defaultdict(list)
        for rec in review.recommendations:
            by_theme[rec.themes[0] if rec.themes else None].append(self.view(rec))
        names = {t: loc.sort_key(loc.text(self.db.themes[t].name)[0]) for t in by_theme if t}
        groups = [(self.db.themes[t] if t else None, tuple(items))
                  for t, items in sorted(by_theme.items(), key=lambda kv: (kv[0] is None, names.get(kv[0], ())))]
        rows = self._matrix_rows.get(lang)
        if rows is None:
            rows = self._matrix_rows[lang] = MatrixRows(self.db, lang)
        yield Page(urls.matrix(lang, country.code), "matrix.html", lang, {
            "country": country, "review": review, "session": self.db.sessions[review.session], "groups": groups,
            "matrix_rows": rows,
        }, "matrix", ((review.session, review.state),))

    # -- helpers ----------------------------------------------------------
    def _made_by_theme(self, lang: str, loc: Localiser, country: model.Country, made) -> tuple:
        """(theme, count, search link) for every theme of a State's recommendations, most first."""
        themes = self.db.themes
        names = self._theme_sort_keys.get(lang)
        if names is None:
            names = self._theme_sort_keys[lang] = {t.id: loc.sort_key(loc.text(t.name)[0]) for t in themes.values()}
        counts = self.stats.made(country.code).every_theme
        ordered = sorted(counts, key=lambda kv: (-kv[1], names[kv[0]]))
        return tuple((themes[t], n, urls.search_for(lang, by=country.code, theme=t)) for t, n in ordered)

    def _by_state_under_review(self, recs, loc: Localiser) -> list[model.Recommendation]:
        """States under Review in the page language's order, newest session first, file order within."""
        countries = self.db.countries
        keys = {code: loc.sort_key(loc.country_name(countries[code])) for code in {r.state for r in recs}}
        position = {id(r): i for i, r in enumerate(recs)}
        return sorted(recs, key=lambda r: (keys[r.state], -r.session, position[id(r)]))

    def _group(self, recs) -> tuple[Group, ...]:
        groups: list[Group] = []
        current: list[RecView] = []
        key = None
        for rec in recs:
            if (rec.state, rec.session) != key:
                if current:
                    groups.append(Group(self.db.countries[key[0]], self.db.sessions[key[1]], tuple(current)))
                key, current = (rec.state, rec.session), []
            current.append(self.view(rec))
        if current:
            groups.append(Group(self.db.countries[key[0]], self.db.sessions[key[1]], tuple(current)))
        return tuple(groups)

    @staticmethod
    def _paginate(items, path_of) -> Iterator[tuple[Pagination, list]]:
        items = list(items)
        count = max(1, -(-len(items) // urls.PER_PAGE))
        links = tuple(path_of(n) for n in range(1, count + 1))
        for n in range(1, count + 1):
            chunk = items[(n - 1) * urls.PER_PAGE: n * urls.PER_PAGE]
            first = (n - 1) * urls.PER_PAGE + 1
            yield Pagination(n, count, links, len(items), first if chunk else 0, first + len(chunk) - 1), chunk
