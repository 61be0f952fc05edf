"""Splitting a list of recommendations into pages of PER_PAGE.

Lists are made of (review, recommendations) parts in display order. A page
holds exactly PER_PAGE recommendations (the last one fewer), so a review that
does not fit in the room left on a page is split: its first recommendations
end one page and the rest begin the next. Pages stay the same size whatever
the reviews' sizes, which keeps a page's cost (and its place in the list)
predictable. An empty list still has one (empty) page, so every list has a
first page to link to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

PER_PAGE = 500  # one splitting rule for every list of recommendations


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


def paginate(parts, path_of: Callable[[int], str], total: int | None = None) -> Iterator[tuple[Pagination, tuple]]:
    """The one splitting rule, over a list given as (review, recommendations) parts (`total` of
    them): for each page, its Pagination and its slices (review, recommendations, start, end).

    Slices stay plain tuples: a build makes some 100,000 of them while it lists pages (a named
    tuple made them 20 ms slower to list), and no template sees them (views make `Group`s of them)."""
    if total is None:
        total = sum(len(recs) for _, recs in parts)
    per_page = PER_PAGE
    count = max(1, -(-total // per_page))
    links = tuple(path_of(n) for n in range(1, count + 1))
    pages: list[list] = [[] for _ in range(count)]
    position = 0
    for review, recs in parts:
        size = len(recs)
        room = per_page - position % per_page
        if size <= room:  # most parts: whole, on one page
            pages[position // per_page].append((review, recs, 0, size))
            position += size
            continue
        start = 0
        while start < size:
            take = min(size - start, per_page - position % per_page)
            pages[position // per_page].append((review, recs, start, start + take))
            start += take
            position += take
    for n, slices in enumerate(pages, 1):
        size = sum(end - start for _, _, start, end in slices)
        first = (n - 1) * per_page + 1
        yield Pagination(n, count, links, total, first if size else 0, first + size - 1), tuple(slices)
