"""The content as plain, immutable data, with the lookups every page needs.

Records are frozen and hold no file positions, no HTML and no URLs. The
`Database` is built once by the validator and then only read: views, search,
statistics and downloads all take their data from here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

LANGUAGES = ("en", "fr", "es")
RESPONSES = ("supported", "noted", "partially-supported", "pending", "no-response", "withdrawn")
REGIONS = ("africa", "asia-pacific", "eeg", "grulac", "weog", "none")
DOCUMENT_TYPES = (
    "national-report",
    "un-compilation",
    "stakeholders-summary",
    "working-group-report",
    "addendum",
    "mid-term-report",
)
STATUSES = ("not-implemented", "partially-implemented", "fully-implemented")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in one or more languages."""

    values: tuple[tuple[str, str], ...]  # (language, text) pairs in file order

    def get(self, language: str) -> str | None:
        for lang, text in self.values:
            if lang == language:
                return text
        return None

    def choose(self, language: str, fallbacks: tuple[str, ...]) -> tuple[str, str]:
        """(text, language it is in): the page's language, else the first fallback that has it."""
        text = self.get(language)
        if text is not None:
            return text, language
        for lang in fallbacks:
            text = self.get(lang)
            if text is not None:
                return text, lang
        lang, text = self.values[0]
        return text, lang

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.values)


@dataclass(frozen=True, slots=True)
class Site:
    title: Text
    languages: tuple[str, ...]
    demo: bool = False
    base_url: str | None = None
    attribution: Text | None = None
    licence: Text | None = None


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    name: Text


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    acronym: Text
    name: Text


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    iso2: str
    region: str
    organisations: tuple[str, ...] = ()
    name: Text | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PreSession:
    start: datetime.date
    end: datetime.date
    venue: Text | None = None


@dataclass(frozen=True, slots=True)
class Session:
    number: int
    cycle: int
    start: datetime.date | None = None
    end: datetime.date | None = None
    pre_session: PreSession | None = None


@dataclass(frozen=True, slots=True)
class Document:
    type: str
    symbol: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    status: str
    date: datetime.date
    source: Text | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    session: int
    state: str  # the State under Review
    id: str
    by: tuple[str, ...]
    text: Text
    themes: tuple[str, ...]
    response: str
    action: int | None = None
    sdgs: tuple[int, ...] = ()
    implementation: tuple[Assessment, ...] = ()

    @property
    def anchor(self) -> str:
        return f"r-{self.session}-{self.state}-{self.id}"

    @property
    def latest_status(self) -> Assessment | None:
        return self.implementation[-1] if self.implementation else None


@dataclass(frozen=True, slots=True)
class Pledge:
    id: str
    text: Text


@dataclass(frozen=True, slots=True)
class Review:
    session: int
    state: str
    date: datetime.date | None = None
    documents: tuple[Document, ...] = ()
    pre_session_speakers: tuple[Text, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    # Hash of the file it was read from: lets a build tell which pages changed (see reuse.keys).
    digest: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class MarkdownPage:
    slug: str
    sources: Mapping[str, str]  # language -> Markdown source


@dataclass(frozen=True)
class Database:
    site: Site
    themes: Mapping[str, Theme]  # in file order
    organisations: Mapping[str, Organisation]
    countries: Mapping[str, Country]  # by code, sorted by code
    sessions: Mapping[int, Session]  # by number, ascending
    reviews: tuple[Review, ...]  # by session, then State code
    pages: Mapping[str, MarkdownPage]  # by slug, sorted
    # Lookups built once in __post_init__.
    reviews_of_state: Mapping[str, tuple[Review, ...]] = field(init=False)
    reviews_in_session: Mapping[int, tuple[Review, ...]] = field(init=False)
    made_by: Mapping[str, tuple[Recommendation, ...]] = field(init=False)
    with_theme: Mapping[str, tuple[Recommendation, ...]] = field(init=False)
    # The same two, cut by review: ((review, its recommendations in the list), ...) in review order.
    made_by_review: Mapping[str, tuple[tuple[Review, tuple[Recommendation, ...]], ...]] = field(init=False)
    with_theme_by_review: Mapping[str, tuple[tuple[Review, tuple[Recommendation, ...]], ...]] = field(init=False)

    def __post_init__(self):
        of_state: dict[str, list[Review]] = defaultdict(list)
        in_session: dict[int, list[Review]] = defaultdict(list)
        made_by: dict[str, list[Recommendation]] = defaultdict(list)
        with_theme: dict[str, list[Recommendation]] = defaultdict(list)
        made_by_review: dict[str, list] = defaultdict(list)
        with_theme_by_review: dict[str, list] = defaultdict(list)
        for review in self.reviews:
            of_state[review.state].append(review)
            in_session[review.session].append(review)
            made_here: dict[str, list[Recommendation]] = defaultdict(list)
            themed_here: dict[str, list[Recommendation]] = defaultdict(list)
            for rec in review.recommendations:
                for code in rec.by:
                    made_here[code].append(rec)
                for theme in rec.themes:
                    themed_here[theme].append(rec)
            for code, recs in made_here.items():
                made_by[code].extend(recs)
                made_by_review[code].append((review, tuple(recs)))
            for theme, recs in themed_here.items():
                with_theme[theme].extend(recs)
                with_theme_by_review[theme].append((review, tuple(recs)))
        freeze = lambda d: MappingProxyType({k: tuple(v) for k, v in d.items()})  # noqa: E731
        object.__setattr__(self, "reviews_of_state", freeze(of_state))
        object.__setattr__(self, "reviews_in_session", freeze(in_session))
        object.__setattr__(self, "made_by", freeze(made_by))
        object.__setattr__(self, "with_theme", freeze(with_theme))
        object.__setattr__(self, "made_by_review", freeze(made_by_review))
        object.__setattr__(self, "with_theme_by_review", freeze(with_theme_by_review))

    def recommendations(self):
        for review in self.reviews:
            yield from review.recommendations

    @property
    def recommendation_count(self) -> int:
        return sum(len(r.recommendations) for r in self.reviews)

    @cached_property  # read by every page's footer, in every render process
    def newest_date(self) -> datetime.date | None:
        """The site's "data as of" date: the newest date of the data that is there.

        That is the newest date of a review with recommendations (or, for a review
        without a date, the end of its session) or of an implementation assessment.
        Sessions without recommendations do not count: a session planned or held
        but not yet entered says nothing of how current the data is.
        """
        dates = []
        for review in self.reviews:
            if not review.recommendations:
                continue
            session = self.sessions.get(review.session)
            date = review.date or (session and (session.end or session.start))
            if date:
                dates.append(date)
            for rec in review.recommendations:
                dates += [a.date for a in rec.implementation]
        return max(dates) if dates else None

    @property
    def latest_session(self) -> Session | None:
        """The latest session that has reviews."""
        numbers = [n for n in self.sessions if self.reviews_in_session.get(n)]
        return self.sessions[max(numbers)] if numbers else None
