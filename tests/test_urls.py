"""Links between pages: relative, ending in a file, the same for every page kind (no Node, no disk)."""

import itertools
import posixpath

import pytest

from uprsite import urls

FOLDERS = ["", "en", "en/countries", "en/countries/arm", "fr/themes/torture/page-2", "search", "data/countries"]
TARGETS = [
    "index.html",
    "en/index.html",
    "en/countries/arm/index.html",
    "en/countries/arm/matrix/index.html",
    "fr/themes/torture/page-2/index.html",
    "assets/style.css",
    "data/countries/arm.csv.gz",
    "search/details-0.js",
]


@pytest.mark.parametrize("target, from_dir", list(itertools.product(TARGETS, FOLDERS)))
def test_relative_agrees_with_posixpath(target, from_dir):
    assert urls.relative(target, from_dir) == posixpath.relpath(target, from_dir or ".")


def test_every_page_address_ends_in_a_file():
    pages = [
        urls.root(),
        urls.home("fr"),
        urls.countries("es"),
        urls.country("en", "ARM"),
        urls.made("en", "FRA"),
        urls.made("en", "FRA", 3),
        urls.matrix("fr", "ARM"),
        urls.statistics("es"),
        urls.sessions("en"),
        urls.session("en", 35),
        urls.session("en", 35, 2),
        urls.themes("fr"),
        urls.theme("fr", "torture", 4),
        urls.markdown_page("es", "about"),
        urls.search("en"),
    ]
    assert all(page.endswith("/index.html") or page == "index.html" for page in pages), pages
    assert urls.country("en", "ARM") == "en/countries/arm/index.html"
    assert urls.paged("en/themes/torture", 1) == "en/themes/torture/index.html"
    assert urls.paged("en/themes/torture", 2) == "en/themes/torture/page-2/index.html"
    assert len(set(pages)) == len(pages)


def test_the_same_page_in_another_language():
    assert urls.in_language("fr/countries/arm/index.html", "es") == "es/countries/arm/index.html"
    assert urls.in_language("index.html", "es") == "index.html"


def test_search_filters_are_quoted_into_the_query_string():
    assert urls.search_for("en", session=35) == "en/search/index.html?session=35"
    assert urls.search_for("fr", theme="a&b c") == "fr/search/index.html?theme=a%26b%20c"


def test_search_pages_load_lunr_and_the_language_stemmer_first():
    assert urls.search_scripts("en")[0] == urls.LUNR and urls.lunr_language("en") not in urls.search_scripts("en")
    french = urls.search_scripts("fr")
    assert french[:3] == (urls.LUNR, urls.LUNR_STEMMER_SUPPORT, "assets/lunr/lunr.fr.min.js")
    assert french[-1] == "assets/search-download.js"


def test_a_linker_makes_links_relative_to_its_page_and_keeps_fragments():
    link = urls.Linker("fr/countries/arm/index.html")
    assert link("fr/countries/fra/index.html") == "../fra/index.html"
    assert link("fr/countries/arm/index.html#r-35-ARM-96.1") == "#r-35-ARM-96.1"
    assert link("en/countries/arm/index.html#r-35-ARM-96.1") == "../../../en/countries/arm/index.html#r-35-ARM-96.1"
    assert link("assets/style.css") == "../../../assets/style.css"
