"""Statistics and charts: every figure on a page against counts computed here from the YAML.

The counts below are computed from the content files read with PyYAML
(tests/records.py), not through uprsite's model or statistics module. The
shipped sample content has joint recommendations, several themes per
recommendation, every response, recommendations without action category
and implementation assessments: every way of counting is exercised.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from babel import Locale

from .conftest import ROOT
from .records import (
    ACTION_NAMES,
    RESPONSE_NAMES,
    RESPONSES,
    STATUS_NAMES,
    STATUSES,
    number_of,
    read_content,
    share_of,
    stats_of,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def content():
    return read_content(ROOT / "content")


def top(counter: Counter, n: int = 10) -> list[tuple]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def expected_block(content, recs, parts) -> dict:
    """What a statistics block should show, kind -> [(English label, count)], and its key figures."""
    total = len(recs)
    responses = Counter(r["response"] for r in recs)
    actions = Counter(r["action"] for r in recs)
    themes = Counter(t for r in recs for t in r["themes"])
    by = Counter(code for r in recs for code in r["by"])
    to = Counter(r["state"] for r in recs)
    statuses = Counter(r["implementation"][-1]["status"] for r in recs if r["implementation"])
    cycles = Counter(r["cycle"] for r in recs)
    charts = {
        "responses": [(RESPONSE_NAMES[k], responses[k]) for k in RESPONSES if responses[k]],
        "actions": [(ACTION_NAMES[k], actions[k]) for k in (1, 2, 3, 4, 5, None) if actions[k]],
    }
    if "cycles" in parts and len(cycles) > 1:
        charts["cycles"] = [(f"Cycle {c}", n) for c, n in sorted(cycles.items())]
    if "themes" in parts:
        charts["themes"] = [(content.english_theme(t), n) for t, n in top(themes)]
    if "recommending" in parts:
        charts["by"] = [(content.english_state(c), n) for c, n in top(by)]
    if "recommended_to" in parts:
        charts["to"] = [(content.english_state(c), n) for c, n in top(to)]
    if statuses:
        charts["status"] = [(STATUS_NAMES[k], statuses[k]) for k in STATUSES if statuses[k]]
    figures = {
        "Recommendations": total,
        "Joint recommendations": sum(1 for r in recs if len(r["by"]) > 1),
        "Assessed for implementation": sum(statuses.values()),
    }
    if "recommending" in parts:
        figures["Recommending States"] = len(by)
    if "recommended_to" in parts:
        figures["States under Review"] = len(to)
    return {"charts": charts, "figures": figures, "total": total}


def check_block(shown: dict, expected: dict, where: str):
    assert {k: number_of(v) for k, v in shown["figures"].items()} == expected["figures"], where
    assert sorted(shown["charts"]) == sorted(expected["charts"]), where
    for kind, rows in expected["charts"].items():
        chart = shown["charts"][kind]
        got = [(label, number_of(count)) for label, count, _ in chart["rows"]]
        assert got == rows, f"{where}: chart {kind}"
        assert chart["rects"] == len(rows), f"{where}: chart {kind} draws one bar per row"
        for (_, _count, share), (_, n) in zip(chart["rows"], rows, strict=True):
            assert share_of(share) == pytest.approx(100 * n / expected["total"], abs=0.051), f"{where}: {kind}"


def read(site, path: str) -> str:
    return (site.root / path).read_text(encoding="utf-8")


def test_statistics_page_shows_the_figures_of_the_whole_database(sample_site, content):
    expected = expected_block(content, content.recs, ("cycles", "themes", "recommending", "recommended_to"))
    blocks = stats_of(read(sample_site, "en/statistics/index.html"))
    check_block(blocks["s"], expected, "statistics")
    # The same counts in French and Spanish, with localised labels and number formats.
    for lang in ("fr", "es"):
        other = stats_of(read(sample_site, f"{lang}/statistics/index.html"))["s"]
        for kind, rows in expected["charts"].items():
            assert [number_of(c) for _, c, _ in other["charts"][kind]["rows"]] == [n for _, n in rows]
        assert other["charts"]["responses"]["rows"][0][0] == {"fr": "Appuyée", "es": "Apoyada"}[lang]


def test_every_country_page_shows_received_and_made_figures(sample_site, content):
    received_checked = made_checked = 0
    for code in content.countries:
        html = read(sample_site, f"en/countries/{code.lower()}/index.html")
        blocks = stats_of(html)
        received = [r for r in content.recs if r["state"] == code]
        made = [r for r in content.recs if code in r["by"]]
        if received:
            check_block(blocks["rcv"], expected_block(content, received, ("themes", "recommending")), code)
            received_checked += 1
        else:
            assert "rcv" not in blocks
        if made:
            check_block(blocks["made"], expected_block(content, made, ("cycles", "themes", "recommended_to")), code)
            made_checked += 1
        else:
            assert "made" not in blocks
    assert received_checked == len({r["state"] for r in content.recs}) and made_checked > 50


def test_session_and_theme_pages_show_their_figures(sample_site, content):
    for number in content.sessions:
        recs = [r for r in content.recs if r["session"] == number]
        blocks = stats_of(read(sample_site, f"en/sessions/{number}/index.html"))
        if recs:
            check_block(
                blocks["se"],
                expected_block(content, recs, ("themes", "recommending", "recommended_to")),
                f"session {number}",
            )
        else:
            assert blocks == {}
    for theme in content.themes:
        recs = [r for r in content.recs if theme in r["themes"]]
        blocks = stats_of(read(sample_site, f"en/themes/{theme}/index.html"))
        if recs:
            check_block(
                blocks["th"],
                expected_block(content, recs, ("cycles", "recommending", "recommended_to")),
                f"theme {theme}",
            )
        else:
            assert blocks == {}


def test_pages_say_how_joint_recommendations_are_counted(sample_site):
    for path in ("en/statistics/index.html", "en/countries/arm/index.html", "en/sessions/35/index.html"):
        html = read(sample_site, path)
        assert "a joint recommendation counts once in every figure, except in “who recommended”" in html
    assert "une recommandation conjointe compte une fois" in read(sample_site, "fr/statistics/index.html")


def test_charts_are_valid_svg_with_title_and_description(sample_site):
    checked = 0
    for lang in ("en", "fr", "es"):
        for path in (
            f"{lang}/statistics/index.html",
            f"{lang}/countries/arm/index.html",
            f"{lang}/themes/womens-rights/index.html",
        ):
            html = read(sample_site, path)
            assert "<style" not in html and " style=" not in html  # the CSP allows only the stylesheet
            for svg in re.findall(r"<svg\b.*?</svg>", html, re.S):
                root = ET.fromstring(svg)  # well-formed XML ...
                assert root.tag == SVG + "svg"  # ... in the SVG namespace
                assert root.get("role") == "img"
                title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
                assert title is not None and title.text and desc is not None and desc.text
                assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
                width = float(root.get("viewBox").split()[2])
                for rect in root.iter(SVG + "rect"):
                    assert 0 < float(rect.get("width")) <= width
                checked += 1
    assert checked > 30


def test_chart_numbers_use_the_languages_formats(sample_site):
    # 192 of 283: 67.8% in English, 67,8 % in French and Spanish (CLDR's own patterns).
    for lang in ("en", "fr", "es"):
        rows = stats_of(read(sample_site, f"{lang}/statistics/index.html"))["s"]["charts"]["responses"]["rows"]
        share = rows[0][2]
        decimal = Locale(lang).number_symbols["latn"]["decimal"]
        assert decimal in share and share.replace("\xa0", " ").replace("\u202f", " ").endswith(
            {"en": "%", "fr": " %", "es": " %"}[lang]
        )


@pytest.mark.browser
def test_charts_render_in_chromium_without_overflow(sample_site, page):
    for width in (1200, 360):
        page.set_viewport_size({"width": width, "height": 900})
        for lang in ("en", "fr", "es"):
            page.goto((sample_site.root / lang / "statistics" / "index.html").as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            overflow = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
                const box = svg.viewBox.baseVal;
                return [...svg.querySelectorAll('text, rect')].filter(el => {
                    const b = el.getBBox();
                    return b.width === 0 || b.x < box.x || b.x + b.width > box.x + box.width + 0.5
                        || b.y < box.y - 0.5 || b.y + b.height > box.y + box.height + 0.5;
                }).map(el => el.textContent || el.outerHTML);
            })""")
            assert overflow == [], (lang, width)
            assert page.locator("figure.chart svg").count() >= 6
