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
from dataclasses import dataclass
from operator import attrgetter
from typing import Iterable

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


def figures(db: model.Database, recs: Iterable[model.Recommendation]) -> Figures:
    """The figures of any set of recommendations of the database."""
    recs = recs if isinstance(recs, (list, tuple)) else list(recs)
    cycle_of = {n: s.cycle for n, s in db.sessions.items()}
    cycles = Counter(map(cycle_of.__getitem__, map(attrgetter("session"), recs)))
    responses = Counter(map(attrgetter("response"), recs))
    actions = Counter(rec.action or NO_ACTION for rec in recs)
    themes: Counter = Counter()
    recommending: Counter = Counter()
    untagged = joint = 0
    statuses: Counter = Counter()
    for rec in recs:
        if rec.themes:
            themes.update(rec.themes)
        else:
            untagged += 1
        by = rec.by
        if len(by) > 1:
            joint += 1
            recommending.update(by)
        else:
            recommending[by[0]] += 1
        if rec.implementation:
            statuses[rec.implementation[-1].status] += 1
    recommended_to = Counter(map(attrgetter("state"), recs))
    return Figures(
        total=len(recs),
        joint=joint,
        by_cycle=tuple(sorted(cycles.items())),
        responses=tuple((r, responses[r]) for r in model.RESPONSES if responses[r]),
        actions=tuple((a, actions[a]) for a in (1, 2, 3, 4, 5, NO_ACTION) if actions[a]),
        themes=_top(themes),
        theme_count=len(themes),
        untagged=untagged,
        recommending=_top(recommending),
        recommending_count=len(recommending),
        recommended_to=_top(recommended_to),
        reviewed_count=len(recommended_to),
        implementation=tuple((s, statuses[s]) for s in model.STATUSES if statuses[s]),
    )


def theme_counts(recs: Iterable[model.Recommendation]) -> Counter:
    """Recommendations per theme, every theme (not only the top ones)."""
    counts: Counter = Counter()
    for rec in recs:
        counts.update(rec.themes)
    return counts


class Statistics:
    """The figures of each scope pages show, each computed once for all languages."""

    def __init__(self, db: model.Database):
        self.db = db
        self._cache: dict[tuple, Figures] = {}

    def _get(self, key: tuple, recs) -> Figures:
        result = self._cache.get(key)
        if result is None:
            result = self._cache[key] = figures(self.db, recs())
        return result

    def whole(self) -> Figures:
        return self._get(("whole",), lambda: list(self.db.recommendations()))

    def received(self, code: str) -> Figures:
        return self._get(("received", code), lambda: _of_reviews(self.db.reviews_of_state.get(code, ())))

    def made(self, code: str) -> Figures:
        return self._get(("made", code), lambda: self.db.made_by.get(code, ()))

    def session(self, number: int) -> Figures:
        return self._get(("session", number), lambda: _of_reviews(self.db.reviews_in_session.get(number, ())))

    def theme(self, theme_id: str) -> Figures:
        return self._get(("theme", theme_id), lambda: self.db.with_theme.get(theme_id, ()))


def _of_reviews(reviews) -> list[model.Recommendation]:
    return [rec for review in reviews for rec in review.recommendations]
