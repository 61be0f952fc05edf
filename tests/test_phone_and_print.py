"""Phones and paper: the sample site at 360 px wide, and a country's recommendations printed.

At 360 px (a small phone) a page of each kind in each language is opened from
disk, a screenshot is taken (kept in the test's temporary folder if it fails, to look at),
and nothing may overflow horizontally: the page never scrolls sideways, and
no element reaches beyond the screen unless it sits in a scrolling box (wide
tables scroll on their own); no word of a heading or label is broken in two.
In print, a country page keeps its title and
every recommendation, and drops the navigation, the language switcher and the
skip link; the PDF Chromium makes of it is checked too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
TABLET = {"width": 800, "height": 1000}
PAGES = {
    "root": "index.html",
    "home": "{lang}/index.html",
    "countries": "{lang}/countries/index.html",
    "country": "{lang}/countries/arm/index.html",
    "review": "{lang}/countries/arm/35/index.html",
    "sessions": "{lang}/sessions/index.html",
    "session": "{lang}/sessions/35/index.html",
    "themes": "{lang}/themes/index.html",
    "theme": "{lang}/themes/womens-rights/index.html",
    "page": "{lang}/pages/about-the-data/index.html",
    "statistics": "{lang}/statistics/index.html",
    "matrix": "{lang}/countries/arm/matrix/index.html",
    "search": "{lang}/search/index.html?q=violence",
}

# Elements wider than the screen, outside any box that scrolls or clips on its own.
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth, found = [];
    const contained = e => { for (let p = e; p; p = p.parentElement) { const s = getComputedStyle(p);
        if (p !== e && ['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) return true;
        if (['absolute', 'fixed'].includes(s.position)) return true; } return false; };
    for (const e of document.body.querySelectorAll('*')) {
        const r = e.getBoundingClientRect();
        if (r.width && (r.right > width + 0.5 || r.left < -0.5) && e.checkVisibility() && !contained(e))
            found.push(e.tagName.toLowerCase()
                       + (e.getAttribute('class') ? '.' + e.getAttribute('class').split(' ')[0] : '')
                       + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
    return {scroll: document.documentElement.scrollWidth - width, found: found.slice(0, 5)};
}"""


# Words of headings and labels broken across two lines (overflow-wrap breaks a word that does not
# fit its box: "Recommendation/s" in a narrow cell is a layout to fix, not a way to read).
BROKEN_WORDS = """() => {
    const found = [];
    for (const box of document.querySelectorAll('h1, h2, h3, h4, dt, th, label, legend, summary, figcaption, nav a')) {
        if (!box.checkVisibility()) continue;
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/[^\\s\\u002d\\u2010]{4,}/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)));
                if (tops.size > 1) found.push(match[0]);
            }
        }
    }
    return found.slice(0, 5);
}"""


def open_local(page, site: Path, path: str):
    file, _, query = path.partition("?")
    page.goto((site / file).as_uri() + (f"?{query}" if query else ""))
    if query:
        page.wait_for_function(
            "() => (document.getElementById('search-results').getAttribute('data-shown') || '').includes('q=')"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_of_every_kind_fit_a_360_px_phone(sample_site, page, lang, tmp_path):
    page.set_viewport_size(PHONE)
    problems = []
    for kind, pattern in PAGES.items():
        if kind == "root" and lang != LANGUAGES[0]:
            continue
        path = pattern.format(lang=lang)
        open_local(page, sample_site.root, path)
        shot = tmp_path / f"{lang}-{kind}.png"
        page.screenshot(path=str(shot), full_page=True)
        result = page.evaluate(OVERFLOWING)
        if result["scroll"] > 0 or result["found"]:
            problems.append(f"{path}: scrolls sideways by {result['scroll']} px; {result['found']} (see {shot})")
        broken = page.evaluate(BROKEN_WORDS)
        if broken:
            problems.append(f"{path}: words broken across lines: {broken} (see {shot})")
        # What a reader may unfold (tables of figures under <details>) must fit too.
        if page.evaluate(
            "() => { const all = document.querySelectorAll('details:not([open])');"
            " all.forEach(d => d.open = true); return all.length; }"
        ):
            result = page.evaluate(OVERFLOWING)
            if result["scroll"] > 0 or result["found"]:
                page.screenshot(path=str(shot.with_name(shot.stem + "-open.png")), full_page=True)
                problems.append(f"{path}, details open: scrolls sideways by {result['scroll']} px; {result['found']}")
    # Boxes laid out in columns (key figures) squeeze words on tablets too.
    page.set_viewport_size(TABLET)
    for pattern in PAGES.values():
        path = pattern.format(lang=lang)
        open_local(page, sample_site.root, path)
        broken = page.evaluate(BROKEN_WORDS)
        if broken:
            problems.append(f"{path} at {TABLET['width']} px: words broken across lines: {broken}")
    assert problems == [], "\n".join(problems)


def test_a_review_prints_as_a_clean_document(sample_site, page, tmp_path):
    path = sample_site.root / "en/countries/arm/35/index.html"
    page.goto(path.as_uri())
    recommendations = page.locator("main .recs > li").count()
    assert recommendations > 10
    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "print.png"), full_page=True)
    hidden = page.evaluate("""() => ['.skip', '.site-header nav', '.main-nav', '.languages', '.footer-pages', '.pager']
        .flatMap(s => [...document.querySelectorAll(s)])
        .filter(e => e.getBoundingClientRect().height > 0 || getComputedStyle(e).display !== 'none')
        .map(e => e.className || e.tagName)""")
    assert hidden == []
    assert page.locator("h1").is_visible()
    assert page.locator("main .recs > li:visible").count() == recommendations
    assert page.locator(".recs > li > p + p:visible").count() == recommendations  # the texts
    # On paper: black text on white, no clipped record between pages, nothing wider than the page.
    colours = page.evaluate("""() => [getComputedStyle(document.body).color,
                                      getComputedStyle(document.querySelector('.recs > li')).breakInside]""")
    assert colours == ["rgb(0, 0, 0)", "avoid"]
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 2
    page.emulate_media(media="screen")
    assert page.locator(".main-nav").is_visible()  # only print hides it


def test_a_theme_list_shows_one_number_per_row(sample_site, page):
    """Each row starts with the recommendation's id; the list's own numbers would stand beside it."""
    page.set_viewport_size(PHONE)
    open_local(page, sample_site.root, PAGES["theme"].format(lang="en"))
    rows = page.evaluate(
        """() => [...document.querySelectorAll('ol.rows > li')].map(li => ({
            marker: getComputedStyle(li).listStyleType === 'none' ? '' : getComputedStyle(li, '::marker').content,
            first: li.firstElementChild.textContent,
            text: li.innerText.trim().split(/\\s+/)[0],
        }))"""
    )
    assert rows, "the theme page lists recommendations"
    for row in rows:
        assert row["marker"] in ("", "none"), row  # no list number drawn
        assert row["text"] == row["first"], row  # what a reader sees first is the id


CHART_TEXT = """() => [...document.querySelectorAll('figure.chart svg')].map(svg => ({
    id: svg.getAttribute('aria-labelledby'),
    // The size a label is drawn at: its font size in user units, times the SVG's scale on screen.
    px: parseFloat(svg.getAttribute('font-size')) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
    fills: [...svg.querySelectorAll('rect')].map(r => getComputedStyle(r).fill),
    labels: [...svg.querySelectorAll('text')].filter((t, i) => i % 2 === 0).map(t => t.textContent),
    clipped: [...svg.querySelectorAll('text')].some(t => t.getBBox().x + t.getBBox().width > svg.viewBox.baseVal.width),
}))"""


def _contrast_with_white(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_charts_read_at_360_px_and_responses_differ_in_colour(sample_site, page, lang):
    """Labels at 12 px at least on a phone, none cut off; each response a colour of its own, with
    3:1 contrast against the page at least (WCAG's non-text contrast)."""
    page.set_viewport_size(PHONE)
    for kind in ("country", "statistics", "session"):
        open_local(page, sample_site.root, PAGES[kind].format(lang=lang))
        charts = page.evaluate(CHART_TEXT)
        assert charts, kind
        for chart in charts:
            assert chart["px"] >= 12, (kind, chart["id"], chart["px"])
            assert not chart["clipped"], (kind, chart["id"], chart["labels"])
            assert all(_contrast_with_white(fill) >= 3 for fill in chart["fills"]), (kind, chart["id"], chart["fills"])
            if "responses" in chart["id"]:
                assert len(set(chart["fills"])) == len(chart["fills"]) > 1, (kind, chart["fills"])
