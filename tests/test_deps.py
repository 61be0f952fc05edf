"""Every page declares what it depends on (kinds' `Deps`): a dependency forgotten is a page left
stale after an edit, which nobody notices. So this test makes the same site before and after each
of a set of content edits, in memory, and checks that no page shows something new (its HTML
changed) while its fingerprint says nothing changed.

And so that it cannot pass by every fingerprint changing, an edit of one recommendation's text
must leave most pages' fingerprints as they were.
"""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONTENT, write_content

# A second session and review, so that an edit of one review leaves other lists as they were.
EXTRA = {
    "sessions/36/session.yaml": """
        number: 36
        cycle: 3
        start: 2020-11-02
        end: 2020-11-13
        """,
    "sessions/36/FRA.yaml": """
        state: FRA
        date: 2020-11-05
        recommendations:
          - id: "1"
            by: [ARM]
            text: {en: Strengthen the independence of the ombudsperson.}
            themes: [womens-rights]
            response: supported
          - id: "2"
            by: [EGY, NOR]
            text: {en: Combat torture in places of detention., fr: Combattre la torture en détention.}
            themes: [torture]
            response: noted
            action: 3
        """,
}
ARM = "sessions/35/ARM.yaml"
FRA = "sessions/36/FRA.yaml"


def _edited(path: str, old: str, new: str) -> dict:
    files = {**BASE_CONTENT, **EXTRA}
    assert old in files[path], (path, old)
    return {path: files[path].replace(old, new, 1)}


EDITS = {
    "recommendation text": _edited(ARM, "Ratify the Optional Protocol", "Ratify at last the Optional Protocol"),
    "text of a later page": _edited(FRA, "Combat torture in places", "Combat torture in all places"),
    "response": _edited(ARM, "response: noted", "response: supported"),
    "themes": _edited(ARM, "themes: [torture]", "themes: [torture, womens-rights]"),
    "recommending States": _edited(FRA, "by: [EGY, NOR]", "by: [EGY]"),
    "action": _edited(FRA, "action: 3", "action: 4"),
    "implementation status": _edited(ARM, "status: partially-implemented", "status: fully-implemented"),
    "implementation date": _edited(ARM, "date: 2022-06-30", "date: 2023-01-15"),
    "review date": _edited(ARM, "date: 2020-01-22", "date: 2020-01-24"),
    "document": _edited(ARM, "A/HRC/WG.6/35/ARM/1\n", "A/HRC/WG.6/35/ARM/1/Corr.1\n"),
    "pledge": _edited(ARM, "report at mid-term", "report every year"),
    "recommendation added": _edited(
        FRA,
        '          - id: "2"',
        '          - id: "1b"\n            by: [DEU]\n            text: {en: Ratify the Convention.}\n'
        "            themes: []\n            response: pending\n"
        '          - id: "2"',
    ),
    "recommendation removed": _edited(
        ARM,
        BASE_CONTENT[ARM][
            BASE_CONTENT[ARM].index('          - id: "96.2"') : BASE_CONTENT[ARM].index("        pledges:")
        ],
        "",
    ),
    "State's name": _edited("countries/NOR.yaml", "iso2: NO", "iso2: NO\n        name: {en: Kingdom of Norway}"),
    "theme's name": _edited("themes.yaml", "Women's rights", "Rights of women"),
    "session's dates": _edited("sessions/36/session.yaml", "end: 2020-11-13", "end: 2020-11-14"),
    "markdown page": {"pages/about.en.md": "# About\n\nThis is a *test* page, edited.\n"},
}


def _site(content_dir) -> tuple[dict[str, str], dict[str, bytes], set[str]]:
    """Each page's fingerprint and HTML, by path, and the kinds of the pages; with lists split
    into pages of one recommendation (reviews' pages too), and made ones beyond one on pages of their own, so that a
    few recommendations make every kind of page, the later pages of a list included."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("uprsite.pagination.PER_PAGE", 1)
        patch.setattr("uprsite.placement.PAGE_BUDGET", 1)  # a review's page per recommendation
        patch.setattr("uprsite.kinds.country.MADE_INLINE_LIMIT", 1)
        patch.setattr("uprsite.kinds.made.MADE_INLINE_LIMIT", 1)
        return _made(content_dir)


def _made(content_dir) -> tuple[dict[str, str], dict[str, bytes], set[str]]:
    from uprsite.build import load_database, page_keys
    from uprsite.downloads import Downloads
    from uprsite.render import Renderer
    from uprsite.reuse import NoCache
    from uprsite.views import Edition, SiteViews

    db = load_database(content_dir)
    downloads = Downloads(db, NoCache())
    downloads.finish()  # pages show the sizes of their data files
    views = SiteViews(db, Edition(), downloads, NoCache())
    pages = [views.root(), *(page for lang in db.site.languages for page in views.pages(lang))]
    renderers = {lang: Renderer(db, lang) for lang in (None, *db.site.languages)}
    html = {page.path: renderers[page.language].render(page) for page in pages}
    return page_keys(db, pages), html, {page.kind for page in pages}


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    return _site(write_content(tmp_path_factory.mktemp("before"), {**BASE_CONTENT, **EXTRA}))


@pytest.mark.parametrize("edit", EDITS)
def test_a_page_that_shows_an_edit_has_a_new_fingerprint(before, tmp_path, edit):
    fingerprints, html, _ = before
    after_fingerprints, after_html, _ = _site(write_content(tmp_path, {**BASE_CONTENT, **EXTRA, **EDITS[edit]}))
    changed = {path for path in html.keys() & after_html.keys() if html[path] != after_html[path]}
    assert changed, f"the edit of the {edit} changed no page: the test edits nothing"
    stale = sorted(path for path in changed if fingerprints[path] == after_fingerprints[path])
    assert not stale, f"after an edit of the {edit}, these pages change but keep their fingerprint: {stale}"
    if edit == "recommendation text":
        kept = [path for path in html.keys() & after_html.keys() if fingerprints[path] == after_fingerprints[path]]
        assert len(kept) > len(html) / 2, f"an edit of one text changed {len(html) - len(kept)} of {len(html)} pages"


def test_the_edits_are_seen_on_every_kind_of_page(before):
    *_, kinds = before
    assert kinds == {
        *("root", "home", "countries", "country", "review", "made", "matrix", "sessions", "session"),
        *("themes", "theme", "pages", "page", "search", "statistics"),
    }
