"""The splitting of recommendation lists into pages of PER_PAGE (uprsite/pagination.py)."""

from uprsite import urls
from uprsite.pagination import PER_PAGE, paginate


def path_of(n: int) -> str:
    return urls.session("en", 42, n)


def pages(parts, total=None):
    return list(paginate(parts, path_of, total))


def covered(slices) -> list:
    """(review, recommendation) pairs a page shows, in order."""
    return [(review, rec) for review, recs, start, end in slices for rec in recs[start:end]]


def test_exactly_one_page_full():
    ((page, slices),) = pages([("r1", list(range(200))), ("r2", list(range(300)))])
    assert (page.number, page.count, page.total, page.first, page.last) == (1, 1, 500, 1, 500)
    assert slices == (("r1", list(range(200)), 0, 200), ("r2", list(range(300)), 0, 300))
    assert page.previous is None and page.next is None


def test_one_more_than_a_page_makes_a_second_page_of_one():
    parts = [("r1", list(range(PER_PAGE + 1)))]
    (one, first_slices), (two, second_slices) = pages(parts)
    assert (one.number, one.count, one.first, one.last) == (1, 2, 1, PER_PAGE)
    assert (two.number, two.count, two.first, two.last) == (2, 2, PER_PAGE + 1, PER_PAGE + 1)
    assert [(s[2], s[3]) for s in first_slices] == [(0, PER_PAGE)]
    assert [(s[2], s[3]) for s in second_slices] == [(PER_PAGE, PER_PAGE + 1)]


def test_a_review_is_split_across_pages_so_that_every_page_is_full():
    # Pages keep a constant size: a review that does not fit in the room left ends one page and begins the next.
    parts = [("r1", list(range(400))), ("r2", list(range(250))), ("r3", list(range(10)))]
    (one, first_slices), (two, second_slices) = pages(parts)
    assert [(s[0], s[2], s[3]) for s in first_slices] == [("r1", 0, 400), ("r2", 0, 100)]
    assert [(s[0], s[2], s[3]) for s in second_slices] == [("r2", 100, 250), ("r3", 0, 10)]
    assert (one.first, one.last, two.first, two.last) == (1, 500, 501, 660)
    every = [(review, rec) for review, recs in parts for rec in recs]
    assert covered(first_slices) + covered(second_slices) == every


def test_a_review_longer_than_a_page_spans_several():
    parts = [("r1", list(range(10))), ("big", list(range(1200)))]
    result = pages(parts)
    assert [page.number for page, _ in result] == [1, 2, 3]
    assert [[(s[0], s[2], s[3]) for s in slices] for _, slices in result] == [
        [("r1", 0, 10), ("big", 0, 490)],
        [("big", 490, 990)],
        [("big", 990, 1200)],
    ]


def test_an_empty_list_has_one_empty_page():
    ((page, slices),) = pages([])
    assert slices == ()
    assert (page.number, page.count, page.total, page.first, page.last) == (1, 1, 0, 0, 0)
    assert page.links == (urls.session("en", 42),)
    assert page.previous is None and page.next is None


def test_links_first_page_at_index_later_pages_in_their_folders():
    result = pages([("r1", list(range(3 * PER_PAGE)))])
    links = result[0][0].links
    assert links == (
        "en/sessions/42/index.html",
        "en/sessions/42/page-2/index.html",
        "en/sessions/42/page-3/index.html",
    )
    assert all(page.links == links for page, _ in result)


def test_previous_and_next():
    result = [page for page, _ in pages([("r1", list(range(3 * PER_PAGE)))])]
    assert [(p.previous, p.next) for p in result] == [
        (None, "en/sessions/42/page-2/index.html"),
        ("en/sessions/42/index.html", "en/sessions/42/page-3/index.html"),
        ("en/sessions/42/page-2/index.html", None),
    ]


def test_a_given_total_counts_pages_even_when_parts_are_fewer():
    # A State's made list is paged by its full count (made_total), given rather than summed.
    result = pages([("r1", list(range(10)))], total=1200)
    assert [page.count for page, _ in result] == [3, 3, 3]
    assert result[0][0].total == 1200
