"""The content as plain, immutable data, with the lookups every page needs.

Records are frozen and hold no file positions, no HTML and no URLs. The
`Database` is built once by the validator and then only read: views, search,
statistics and downloads all take their data from here.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import operator
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from .reuse import fingerprint


def _quick_pickling(cls):
    """Pickle a frozen slots record as the tuple of its fields.

    Warm builds unpickle every review from the cache (160,000 recommendations),
    and the state functions dataclasses generate call fields() once per
    object: a third of the loading time.
    """
    names = tuple(f.name for f in dataclasses.fields(cls))
    get_state = operator.attrgetter(*names) if len(names) > 1 else lambda self: (getattr(self, names[0]),)
    set_field = object.__setattr__

    def __getstate__(self):
        return get_state(self)

    def __setstate__(self, state):
        for name, value in zip(names, state, strict=True):
            set_field(self, name, value)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__
    return cls


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


@_quick_pickling
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


@_quick_pickling
@dataclass(frozen=True, slots=True)
class Document:
    type: str
    symbol: str
    url: str | None = None


@_quick_pickling
@dataclass(frozen=True, slots=True)
class Assessment:
    status: str
    date: datetime.date
    source: Text | None = None


@_quick_pickling
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


@_quick_pickling
@dataclass(frozen=True, slots=True)
class Pledge:
    id: str
    text: Text


@_quick_pickling
@dataclass(frozen=True, slots=True)
class Review:
    session: int
    state: str
    date: datetime.date | None = None
    documents: tuple[Document, ...] = ()
    pre_session_speakers: tuple[Text, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    # Hash of the file it was read from: lets a build tell which pages changed.
    digest: str = field(default="", compare=False)
    # Hash of its recommendations without their texts (see `facts_digest`): pages that
    # count or list them by id change only when this does.
    facts: str = field(default="", compare=False)
    # A hash of each recommendation, in order: pages that show a few of a review's
    # recommendations change only when those do.
    rec_digests: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # Theme id -> combined digest of its recommendations with that theme: what a theme page shows of it.
    theme_digests: dict = field(default_factory=dict, compare=False, repr=False)


def recommendation_digest(rec: Recommendation) -> str:
    return hashlib.blake2b(repr(rec).encode("utf-8"), digest_size=10).hexdigest()


def theme_digests(recommendations, rec_digests) -> dict:
    by_theme: dict[str, list[str]] = {}
    for rec, digest in zip(recommendations, rec_digests, strict=True):
        for theme in rec.themes:
            by_theme.setdefault(theme, []).append(digest)
    return {theme: fingerprint.combine(*digests) for theme, digests in by_theme.items()}


def facts_digest(date: datetime.date | None, recommendations) -> str:
    """What lists of reviews and counts show of a review: its date, and its recommendations but for their
    texts and sources."""
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
            )
        ).encode("utf-8"),
        digest_size=16,
    ).hexdigest()


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
        """The newest date anywhere in the data: the site's 'data as of' date."""
        dates = []
        for s in self.sessions.values():
            dates += [d for d in (s.start, s.end) if d]
            if s.pre_session:
                dates.append(s.pre_session.end)
        for review in self.reviews:
            if review.date:
                dates.append(review.date)
            for rec in review.recommendations:
                dates += [a.date for a in rec.implementation]
        return max(dates) if dates else None

    @property
    def latest_session(self) -> Session | None:
        """The latest session that has reviews."""
        numbers = [n for n in self.sessions if self.reviews_in_session.get(n)]
        return self.sessions[max(numbers)] if numbers else None
