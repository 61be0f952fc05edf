"""Accessibility of the sample site: axe-core in Chromium, and checks of structure on every page.

axe-core (npm) is injected into the home, a country, a session, a theme and
the search page (with results shown), the statistics and a follow-up matrix
in each language, on a wide screen and on a phone, and must report no
violation of WCAG 2.1 A and AA. Beyond what axe checks, every page of the site
is read for: headings in order, tables whose every cell has a header, the
language switcher naming each language in that language; and in the browser,
the keyboard focus is visible on each link it reaches.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import LANGUAGES, ROOT, parsed_pages

AXE = ROOT / "node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NATIVE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}

KINDS = {
    "home": "{lang}/index.html",
    "country": "{lang}/countries/arm/index.html",
    "review": "{lang}/countries/arm/35/index.html",
    "session": "{lang}/sessions/35/index.html",
    "theme": "{lang}/themes/womens-rights/index.html",
    "search": "{lang}/search/index.html?q=violence",
    "statistics": "{lang}/statistics/index.html",
    "matrix": "{lang}/countries/arm/matrix/index.html",
}


@pytest.fixture
def axe_page(page):
    """A page with axe-core loaded before the page's own scripts (an init script is not subject to the CSP)."""
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: run npm ci")
    page.add_init_script(path=str(AXE))
    return page


def open_page(page, site: Path, path: str):
    file, _, query = path.partition("?")
    page.goto((site / file).as_uri() + (f"?{query}" if query else ""))
    if "/search/" in file:
        # Wait until the script has shown the form and, with a query, its results.
        page.wait_for_function("() => !document.getElementById('search').hidden")
    if query:
        page.wait_for_function(
            "() => (document.getElementById('search-results').getAttribute('data-shown') || '').includes('q=')"
        )


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_axe_finds_no_wcag_21_a_or_aa_violation(sample_site, axe_page, kind, lang):
    path = KINDS[kind].format(lang=lang)
    violations = []
    # On a wide screen, then on a phone, where wide tables scroll (and must be reachable by keyboard).
    for viewport in ({"width": 1280, "height": 800}, {"width": 360, "height": 780}):
        axe_page.set_viewport_size(viewport)
        open_page(axe_page, sample_site.root, path)
        violations += axe_page.evaluate(
            """([tags, width]) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                                  resultTypes: ['violations']})
            .then(r => r.violations.map(v => `${width} px: ${v.id} (${v.impact}): ${v.help}: ` +
                                             v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(' | ')))""",
            [WCAG_TAGS, viewport["width"]],
        )
    assert violations == [], f"{path}:\n" + "\n".join(violations)


def large_pages(large_site, lang: str) -> list[str]:
    """The heaviest kinds of page of the large site: a State's page, a later page of a review and of
    a matrix, a made page."""
    pages = [large_site.rel(p) for p in large_site.pages()]
    later_review = next(p for p in pages if re.fullmatch(rf"{lang}/countries/[a-z]+/[0-9]+/page-2/index\.html", p))
    later_matrix = next(p for p in pages if re.fullmatch(rf"{lang}/countries/[a-z]+/matrix/page-2/index\.html", p))
    state = later_review.split("/")[2]
    return [
        f"{lang}/countries/{state}/index.html",
        later_review,
        later_matrix,
        f"{lang}/countries/{state}/made/index.html",
    ]


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violation_on_the_large_sites_heaviest_pages(large_site, axe_page, lang):
    violations = []
    for path in large_pages(large_site, lang):
        for viewport in ({"width": 1280, "height": 800}, {"width": 360, "height": 780}):
            axe_page.set_viewport_size(viewport)
            open_page(axe_page, large_site.root, path)
            violations += axe_page.evaluate(
                """([tags, where]) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                                       resultTypes: ['violations']})
                .then(r => r.violations.map(v => `${where}: ${v.id} (${v.impact}): ${v.help}: ` +
                                                 v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(' | ')))""",
                [WCAG_TAGS, f"{path} at {viewport['width']} px"],
            )
    assert violations == [], "\n".join(violations)


@pytest.mark.browser
def test_axe_reports_violations_on_a_faulty_page(axe_page, tmp_path):
    """The gate above can fail: axe is loaded and run, and finds what is wrong."""
    faulty = tmp_path / "faulty.html"
    faulty.write_text(
        '<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png">'
        '<p style="color:#bbb;background:#fff">low contrast</p></body></html>'
    )
    axe_page.goto(faulty.as_uri())
    found = axe_page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => v.id))",
        WCAG_TAGS,
    )
    assert {"image-alt", "html-has-lang", "color-contrast"} <= set(found)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["en/countries/arm/index.html", "fr/search/index.html"])
def test_keyboard_focus_is_visible_on_every_stop(sample_site, page, path):
    open_page(page, sample_site.root, path)
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => {
            const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
            return {tag: e.tagName.toLowerCase(), text: (e.textContent || e.id || '').trim().slice(0, 40),
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
                    visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth,
                    focusVisible: e.matches(':focus-visible')};
        }""")
        if focus["tag"] == "body":
            break
        seen.append(focus)
        where = f"{path}: Tab stop {len(seen)} ({focus['tag']} {focus['text']!r})"
        assert focus["focusVisible"], where
        assert focus["visible"], where + ": not on screen"
        assert (focus["outline"] != "none" and focus["width"] >= 2) or focus["shadow"] != "none", where
    tags = {stop["tag"] for stop in seen}
    assert "a" in tags
    assert seen[0]["text"] in ("Skip to content", "Aller au contenu")  # the first stop skips the navigation


# -- structure of every page --------------------------------------------------


class Tables(HTMLParser):
    """The rows of each table: for each cell, its tag and scope."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[int, list[list[tuple[str, str | None]]]]] = []
        self._stack: list[list] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            rows: list = []
            self.tables.append((self.getpos()[0], rows))
            self._stack.append(rows)
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack and self._stack[-1]:
            self._stack[-1][-1].append((tag, dict(attrs).get("scope")))

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            self._stack.pop()


def table_problems(path: Path) -> list[str]:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    problems = []
    for line, rows in parser.tables:
        where = f"{line}: table"
        if not rows or not any(tag == "th" for tag, _ in rows[0]):
            problems.append(f"{where}: no header row")
            continue
        columns = len(rows[0])
        if any(tag == "th" and scope not in ("col", "colgroup") for tag, scope in rows[0]):
            problems.append(f'{where}: a column header without scope="col"')
        for number, row in enumerate(rows[1:], 2):
            if len(row) > columns:
                problems.append(f"{where}: row {number} has cells beyond the column headers")
            if any(tag == "th" and scope not in ("row", "rowgroup") for tag, scope in row):
                problems.append(f'{where}: row {number} has a header without scope="row"')
    return problems


def test_headings_are_in_order_on_every_page(sample_site):
    problems = []
    for path, parser in parsed_pages(sample_site.root).items():
        levels = [(line, int(tag[1])) for line, tag, _ in parser.tags if re.fullmatch(r"h[1-6]", tag)]
        where = sample_site.rel(path)
        if [level for _, level in levels].count(1) != 1 or levels[0][1] != 1:
            problems.append(f"{where}: one h1 first, found {[level for _, level in levels][:5]}")
            continue
        for (_, previous), (line, level) in itertools.pairwise(levels):
            if level > previous + 1:
                problems.append(f"{where}:{line}: h{level} after h{previous}")
    assert problems == [], "\n".join(problems[:50])


def test_every_table_cell_has_a_header(sample_site):
    problems = [
        f"{sample_site.rel(path)}:{problem}" for path in sample_site.pages() for problem in table_problems(path)
    ]
    assert problems == [], "\n".join(problems[:50])


def test_the_table_check_can_fail(tmp_path):
    page = tmp_path / "t.html"
    page.write_text(
        "<table>\n<tr><td>a</td><td>b</td></tr>\n</table>\n<table>\n<tr><th>x</th></tr>\n"
        "<tr><th>r</th><td>1</td></tr>\n</table>\n"
    )
    assert table_problems(page) == [
        "1: table: no header row",
        '4: table: a column header without scope="col"',
        "4: table: row 2 has cells beyond the column headers",
        '4: table: row 2 has a header without scope="row"',
    ]


def test_the_language_switcher_names_each_language_in_itself_on_every_page(sample_site):
    problems = []
    for path in parsed_pages(sample_site.root):
        where = sample_site.rel(path)
        text = path.read_text(encoding="utf-8")
        if where == "index.html":
            switcher = text.split('class="language-choice"', 1)[1].split("</ul>", 1)[0]
        elif "languages" in text and 'class="languages"' in text:
            switcher = text.split('class="languages"', 1)[1].split("</nav>", 1)[0]
        else:
            problems.append(f"{where}: no language switcher")
            continue
        named = dict(re.findall(r'lang="([a-z]{2})"[^>]*>([^<]+)<', switcher))
        if named != NATIVE_NAMES:
            problems.append(f"{where}: {named}")
    assert problems == [], "\n".join(problems[:50])
