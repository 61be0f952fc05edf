"""The figures of a set of recommendations: counts by cycle, response, action, theme, State.

A view of the model that knows nothing of HTML or languages: it counts, and
pages (through charts.py and the templates) show. Two ways of counting, and
pages say which applies:

- "how many recommendations": a joint recommendation counts once
  (`total`, `by_cycle`, `responses`, `actions`, `themes`, `recommended_to`,
  `implementation`);
- "who recommended": it counts once for each of its recommending States
  (`recommending`), so those counts add up to more than `total` when some
  recommendations are joint (`joint` says how many).

A recommendation with several themes counts once under each of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter

from . import model

TOP = 10  # how many themes and States the "top" lists keep
NO_ACTION = 0  # the key of recommendations without an action category


@dataclass(frozen=True, slots=True)
class Figures:
    """Counts over one set of recommendations; every tuple is (key, count)."""

    total: int
    joint: int  # recommendations with more than one recommending State
    by_cycle: tuple[tuple[int, int], ...]  # ascending cycle
    responses: tuple[tuple[str, int], ...]  # in model.RESPONSES order, non-zero only
    actions: tuple[tuple[int, int], ...]  # 1..5 then NO_ACTION, non-zero only
    themes: tuple[tuple[str, int], ...]  # the TOP most frequent, most first
    theme_count: int  # distinct themes present
    untagged: int  # recommendations without any theme
    recommending: tuple[tuple[str, int], ...]  # TOP recommending States (once per co-author)
    recommending_count: int  # distinct recommending States
    recommended_to: tuple[tuple[str, int], ...]  # TOP States under Review
    reviewed_count: int  # distinct States under Review
    implementation: tuple[tuple[str, int], ...]  # latest status, in model.STATUSES order, non-zero only
    every_theme: tuple[tuple[str, int], ...]  # all the themes present, most first

    @property
    def assessed(self) -> int:
        """Recommendations with at least one implementation assessment."""
        return sum(n for _, n in self.implementation)

    @property
    def key(self) -> tuple:
        """Everything a page shows of these figures, for incremental builds."""
        return tuple(getattr(self, name) for name in self.__slots__)


def _top(counter: Counter, limit: int = TOP) -> tuple[tuple, ...]:
    # Most first; ties in the order of their keys, so that output is stable.
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])


@dataclass(slots=True)
class Tally:
    """The raw counts behind Figures; tallies of disjoint sets add up (a State's reviews, a session's)."""

    total: int = 0
    cycles: Counter = field(default_factory=Counter)
    responses: Counter = field(default_factory=Counter)
    actions: Counter = field(default_factory=Counter)  # None: no action category
    themes: Counter = field(default_factory=Counter)
    untagged: int = 0
    recommending: Counter = field(default_factory=Counter)
    joint: int = 0
    recommended_to: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> Tally:
        self.total += other.total
        self.untagged += other.untagged
        self.joint += other.joint
        for name in ("cycles", "responses", "actions", "themes", "recommending", "recommended_to", "statuses"):
            getattr(self, name).update(getattr(other, name))
        return self


def tally(db: model.Database, recs: Iterable[model.Recommendation]) -> Tally:
    """Counts of any set of recommendations of the database."""
    recs = recs if isinstance(recs, (list, tuple)) else list(recs)
    # Counted by Counter's C loop over attribute getters: 160,000 recommendations are counted
    # for several scopes each (their co-authors, their themes, ...).
    cycle_of = {n: s.cycle for n, s in db.sessions.items()}
    theme_lists = list(map(attrgetter("themes"), recs))
    by_lists = list(map(attrgetter("by"), recs))
    return Tally(
        total=len(recs),
        cycles=Counter(map(cycle_of.__getitem__, map(attrgetter("session"), recs))),
        responses=Counter(map(attrgetter("response"), recs)),
        actions=Counter(map(attrgetter("action"), recs)),
        themes=Counter(chain.from_iterable(theme_lists)),
        untagged=Counter(map(len, theme_lists))[0],
        recommending=Counter(chain.from_iterable(by_lists)),
        joint=len(recs) - Counter(map(len, by_lists))[1],
        recommended_to=Counter(map(attrgetter("state"), recs)),
        statuses=Counter(
            assessments[-1].status for assessments in map(attrgetter("implementation"), recs) if assessments
        ),
    )


def figures_of(counts: Tally) -> Figures:
    responses, actions, statuses, themes = counts.responses, counts.actions, counts.statuses, counts.themes
    return Figures(
        total=counts.total,
        joint=counts.joint,
        by_cycle=tuple(sorted((c, n) for c, n in counts.cycles.items() if n)),
        responses=tuple((r, responses[r]) for r in model.RESPONSES if responses[r]),
        actions=tuple(
            (a, actions[None if a == NO_ACTION else a])
            for a in (1, 2, 3, 4, 5, NO_ACTION)
            if actions[None if a == NO_ACTION else a]
        ),
        themes=_top(themes),
        theme_count=len(themes),
        untagged=counts.untagged,
        recommending=_top(counts.recommending),
        recommending_count=len(counts.recommending),
        recommended_to=_top(counts.recommended_to),
        reviewed_count=len(counts.recommended_to),
        implementation=tuple((s, statuses[s]) for s in model.STATUSES if statuses[s]),
        every_theme=_top(themes, len(themes)),
    )


def figures(db: model.Database, recs: Iterable[model.Recommendation]) -> Figures:
    """The figures of any set of recommendations of the database."""
    return figures_of(tally(db, recs))


class Statistics:
    """The figures of each scope pages show, each computed once for all languages.

    A State's received recommendations, a session's and the whole database's
    are unions of whole reviews: their counts are sums of each review's,
    counted once. Made-by and theme sets cut across reviews and are counted
    on their own.
    """

    def __init__(self, db: model.Database):
        self.db = db
        self._cache: dict[tuple, Figures] = {}
        self._reviews: dict[tuple[int, str], Tally] = {}

    def _review(self, review: model.Review) -> Tally:
        key = (review.session, review.state)
        counts = self._reviews.get(key)
        if counts is None:
            counts = self._reviews[key] = tally(self.db, review.recommendations)
        return counts

    def _get(self, key: tuple, counts) -> Figures:
        result = self._cache.get(key)
        if result is None:
            result = self._cache[key] = figures_of(counts())
        return result

    def _of_reviews(self, reviews) -> Tally:
        total = Tally()
        for review in reviews:
            total.add(self._review(review))
        return total

    def whole(self) -> Figures:
        return self._get(("whole",), lambda: self._of_reviews(self.db.reviews))

    def received(self, code: str) -> Figures:
        return self._get(("received", code), lambda: self._of_reviews(self.db.reviews_of_state.get(code, ())))

    def made(self, code: str) -> Figures:
        return self._get(("made", code), lambda: tally(self.db, self.db.made_by.get(code, ())))

    def session(self, number: int) -> Figures:
        return self._get(("session", number), lambda: self._of_reviews(self.db.reviews_in_session.get(number, ())))

    def theme(self, theme_id: str) -> Figures:
        return self._get(("theme", theme_id), lambda: tally(self.db, self.db.with_theme.get(theme_id, ())))
