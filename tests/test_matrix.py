"""The follow-up matrix of each State's latest review, and the made-by pages' grouping by theme.

Rows are compared with the content read with PyYAML (tests/records.py);
printing is checked in Chromium: A4 landscape from the page's own CSS, and
the table as wide as the printable area at most, in each language.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import pytest

from uprsite.build import build

from .conftest import ROOT
from .records import RESPONSE_NAMES, number_of, read_content

LANGS = ("en", "fr", "es")


@pytest.fixture(scope="module")
def content():
    return read_content(ROOT / "content")


class Matrix(HTMLParser):
    """Theme groups of table.matrix: [(heading, [[cell texts]])]. Rows may leave out their
    optional end tags (</td>, </tr>), as HTML allows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.groups: list[tuple[str, list[list[str]]]] = []
        self.links: list[str] = []
        self._in_table = False
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._heading: list[str] | None = None

    def _end_cell(self):
        if self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def _end_row(self):
        self._end_cell()
        if self._row:
            self.groups[-1][1].append(self._row)
        self._row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("class") == "matrix":
            self._in_table = True
        elif not self._in_table:
            return
        elif tag == "tbody":
            self._end_row()
            self.groups.append(("", []))
        elif tag == "tr":
            self._end_row()
            self._row = []
        elif tag == "th" and attrs.get("scope") == "rowgroup":
            self._heading = []
        elif tag == "td":
            self._end_cell()
            self._cell = []
        elif tag == "a" and self.groups:
            self.links.append(attrs["href"])

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)
        elif self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if not self._in_table:
            return
        if tag == "th" and self._heading is not None:
            self.groups[-1] = ("".join(self._heading).strip(), [])
            self._heading, self._row = None, None
        elif tag == "td":
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag in ("tbody", "table"):
            if self.groups:
                self._end_row()
            self._in_table = tag != "table"


def matrix_of(path) -> Matrix:
    parser = Matrix()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_matrix_lists_the_latest_review_under_first_themes(sample_site, content):
    checked = 0
    for code in content.countries:
        reviewed = sorted(n for n, state in content.reviews if state == code)
        folder = sample_site.root / "en/countries" / code.lower()
        country_page = (folder / "index.html").read_text(encoding="utf-8")
        if not reviewed:
            # No review, no matrix, and no link to one.
            assert not (folder / "matrix").exists()
            assert "matrix/index.html" not in country_page
            continue
        assert 'href="matrix/index.html"' in country_page
        latest = reviewed[-1]
        recs = [r for r in content.recs if r["state"] == code and r["session"] == latest]
        matrix = matrix_of(folder / "matrix/index.html")
        expected_groups = {}
        for rec in recs:
            heading = content.english_theme(rec["themes"][0]) if rec["themes"] else "No theme"
            expected_groups.setdefault(heading, []).append(rec)
        shown = dict(matrix.groups)
        assert sorted(shown) == sorted(f"{h} ({len(v)})" for h, v in expected_groups.items()), code
        for heading, group in expected_groups.items():
            rows = shown[f"{heading} ({len(group)})"]
            assert [row[0] for row in rows] == [r["id"] for r in group]
            for row, rec in zip(rows, group, strict=True):
                _number, text, by, response, action, status = row
                assert text.startswith(rec["text"].get("en") or next(iter(rec["text"].values())))
                assert by == ", ".join(content.english_state(c) for c in rec["by"])
                assert response == RESPONSE_NAMES[rec["response"]] and action == str(rec["action"] or "")
                if rec["implementation"]:
                    latest_status = rec["implementation"][-1]
                    assert status.startswith(latest_status["status"].replace("-", " ").capitalize())
                    if latest_status.get("source"):
                        assert latest_status["source"].get("en", "") in status
                else:
                    assert status == ""  # left empty, to be filled in
        # "No theme" comes last; every row links to the full record.
        assert matrix.groups[-1][0].startswith("No theme") or "No theme" not in expected_groups
        assert sorted(matrix.links) == sorted(
            f"../../{code.lower()}/{latest}/index.html#r-{latest}-{code}-{r['id']}" for r in recs
        )
        checked += 1
    assert checked == len({s for _, s in content.reviews})


def test_matrix_in_three_languages(sample_site, content):
    recs = [r for r in content.recs if r["state"] == "ARM" and r["session"] == 35]
    for lang, title, fallback in (
        ("en", "Follow-up matrix: Armenia", None),
        ("fr", "Matrice de suivi : Arménie", "(en anglais)"),
        ("es", "Matriz de seguimiento: Armenia", "(en inglés)"),
    ):
        html = (sample_site.root / lang / "countries/arm/matrix/index.html").read_text(encoding="utf-8")
        assert re.search(f"<h1[^>]*>{re.escape(title)}</h1>", html) and f'<html lang="{lang}">' in html
        rows = [
            row
            for _, group in matrix_of(sample_site.root / lang / "countries/arm/matrix/index.html").groups
            for row in group
        ]
        assert sorted(row[0] for row in rows) == sorted(r["id"] for r in recs)
        if fallback:  # a text missing in the page's language is marked as such
            untranslated = sum(1 for r in recs if lang not in r["text"])
            assert html.count(fallback) == untranslated > 0


@pytest.mark.browser
def test_matrix_prints_on_a4_in_each_language(sample_site, page):
    for lang in LANGS:
        page.goto((sample_site.root / lang / "countries/arm/matrix/index.html").as_uri())
        pdf = page.pdf(prefer_css_page_size=True, print_background=False)
        boxes = {
            tuple(round(float(v)) for v in box.split())
            for box in re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+?)\s*\]", pdf)
            for box in [box.decode()]
        }
        assert boxes == {(0, 0, 842, 595)}, boxes  # A4 landscape, in points
        # In print, at the printable width of A4 landscape (297 mm - 2 x 12 mm), nothing sticks out.
        page.emulate_media(media="print")
        page.set_viewport_size({"width": round((297 - 24) / 25.4 * 96), "height": 700})
        assert page.evaluate(
            "document.querySelector('table.matrix').scrollWidth <= document.documentElement.clientWidth"
        )
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert page.locator(".site-header nav").first.is_hidden()
        page.emulate_media(media="no-override")
        page.set_viewport_size({"width": 1280, "height": 720})


def test_made_page_groups_by_theme(make_content, tmp_path):
    """A State with many recommendations to others gets a page of them, with a table by theme."""
    recs = "".join(
        f"""
  - id: "{i}"
    by: [FRA{", DEU" if i % 4 == 0 else ""}]
    text: {{en: Recommendation number {i}.}}
    themes: [{"torture" if i % 3 else "womens-rights, torture"}]
    response: supported
"""
        for i in range(1, 61)
    )
    out = tmp_path / "site"
    build(make_content({"sessions/35/EGY.yaml": f"state: EGY\nrecommendations:{recs}"}), out, use_cache=False)
    html = (out / "en/countries/fra/made/index.html").read_text(encoding="utf-8")
    table = html[html.index('id="by-theme"') : html.index("</table>", html.index('id="by-theme"'))]
    rows = re.findall(r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>([^<]+)</td></tr>', table)
    # FRA: 60 recommendations to EGY, all on torture, 20 also on women's rights; plus ARM 96.1 (torture).
    assert [(html_lib.unescape(name), number_of(n)) for _, name, n in rows] == [
        ("Torture and other CID treatment", 61),
        ("Women's rights", 20),
    ]
    assert rows[0][0] == "../../../search/index.html?by=FRA&amp;theme=torture"
    # The country page sums up what FRA made, with its figures.
    country = (out / "en/countries/fra/index.html").read_text(encoding="utf-8")
    assert 'href="made/index.html"' in country and "made-to-t" in country
