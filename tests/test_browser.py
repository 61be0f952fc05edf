"""A reader in Chromium, from disk: the sample site opened through file://."""

import re
from pathlib import Path

import pytest

from .conftest import run_cli

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run_cli("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def offline_page(page):
    """A page that records every request that is not for a local file."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.outside_requests = lambda: [u for u in requests if not u.startswith("file://")]
    return page


def test_walk_from_the_front_door_in_french_then_spanish(sample_site, offline_page):
    page = offline_page
    page.goto((sample_site / "index.html").as_uri())
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Pays").click()
    page.get_by_role("link", name="Arménie", exact=True).first.click()
    assert page.url.endswith("/fr/countries/arm/index.html")
    assert page.locator("h1").inner_text() == "Arménie"
    assert re.search(r"\d{1,2} janvier 2020", page.locator("main").inner_text())
    # The State's page lists its reviews; each has a page with its recommendations.
    page.locator("main a[data-session='35']").click()
    assert page.url.endswith("/fr/countries/arm/35/index.html")
    assert page.locator("h1").inner_text() == "Arménie : cycle 3, session 35"
    # Follow a theme link from a recommendation, then switch language on the same page.
    page.locator("#r-35-ARM-96\\.1 dl a[href*='themes/']").first.click()
    assert "/fr/themes/" in page.url
    theme_path = page.url.split("/fr/", 1)[1]
    page.get_by_role("link", name="Español").click()
    assert page.url.endswith("/es/" + theme_path)
    assert page.locator("html").get_attribute("lang") == "es"
    # The recommendation the walk started from is listed on the Spanish theme page too, linking to its record.
    assert page.locator("main a[href$='/arm/35/index.html#r-35-ARM-96.1']").count() == 1
    assert page.outside_requests() == []


def test_stylesheet_applies_from_disk(sample_site, offline_page):
    page = offline_page
    page.goto((sample_site / "en/countries/arm/35/index.html").as_uri())
    # The stylesheet is loaded despite the Content Security Policy: its rule for a record (.recs > li) applies.
    border = page.locator(".recs > li").first.evaluate("e => getComputedStyle(e).borderTopStyle")
    assert border == "solid"
    assert page.outside_requests() == []


def test_phone_width_has_no_horizontal_overflow(sample_site, offline_page, tmp_path):
    page = offline_page
    page.set_viewport_size({"width": 360, "height": 800})
    for path in (
        "en/index.html",
        "fr/countries/arm/index.html",
        "es/sessions/35/index.html",
        "fr/countries/index.html",
        "en/themes/torture/index.html",
    ):
        page.goto((sample_site / path).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path


def _split_review(large_site) -> tuple[str, str, str]:
    """(State, session, anchor of a recommendation on the review's second page) of the large site."""
    later = next(
        p
        for p in large_site.pages()
        if re.fullmatch(r"en/countries/[a-z]+/[0-9]+/page-2/index\.html", large_site.rel(p))
    )
    anchor = re.search(r'<li id="(r-[^"]+)">', later.read_text(encoding="utf-8"))[1]
    _, _, state, session, *_ = large_site.rel(later).split("/")
    return state, session, anchor


def test_links_shared_before_reviews_had_pages_reach_the_record(large_site, offline_page):
    """`countries/<code>/index.html#r-...` was where every record was: forward.js takes the reader on
    to the review's page, and on to its later page that holds the record (from disk here)."""
    page = offline_page
    state, session, anchor = _split_review(large_site)
    first_page_anchor = re.search(
        r'<li id="(r-[^"]+)">', (large_site.root / f"en/countries/{state}/{session}/index.html").read_text()
    )[1]
    for wanted, where in ((anchor, f"/{session}/page-2/index.html"), (first_page_anchor, f"/{session}/index.html")):
        page.goto((large_site.root / f"en/countries/{state}/index.html").as_uri() + "#" + wanted)
        page.wait_for_url(re.compile(re.escape(f"/en/countries/{state}{where}#{wanted}") + "$"))
        record = page.locator(f"[id='{wanted}']")
        record.wait_for()
        assert record.is_visible() and record.bounding_box()["y"] < 100  # scrolled to it
    # An anchor of no recommendation leaves the reader on the State's page.
    page.goto((large_site.root / f"en/countries/{state}/index.html").as_uri() + "#counts")
    assert page.url.endswith(f"/en/countries/{state}/index.html#counts")
    assert page.outside_requests() == []


def test_a_large_states_page_on_a_phone_starts_with_its_reviews(large_site, offline_page):
    page = offline_page
    page.set_viewport_size({"width": 360, "height": 780})
    state, _, _ = _split_review(large_site)
    page.goto((large_site.root / f"en/countries/{state}/index.html").as_uri())
    first_review = page.locator("main a[data-session]").first
    assert first_review.bounding_box()["y"] + first_review.bounding_box()["height"] < 780  # on the first screen
    first_review.click()
    assert re.search(r"/en/countries/[a-z]+/[0-9]+/index\.html$", page.url)
    # A review's page starts with its contents: each response, with how many, links to its group.
    contents = page.locator("nav.contents li a")
    assert contents.count() >= 2 and contents.first.bounding_box()["y"] < 780
    reviews = large_site.root / f"en/countries/{state}"
    sizes = [p.stat().st_size for p in reviews.glob("[0-9]*/**/index.html")]
    assert len(sizes) > len(list(reviews.glob("[0-9]*/"))) and max(sizes) < 200 * 1024
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize(
    "start, box",
    [
        ("en/index.html", "#home-q"),
        ("fr/themes/torture/index.html", "#header-q"),
        ("es/countries/arm/35/index.html", "#header-q"),
    ],
)
def test_a_search_box_submitted_from_any_page_opens_the_search_with_the_query(sample_site, offline_page, start, box):
    # A plain GET form, no script needed to send it: the Content Security Policy must let it submit.
    page = offline_page
    page.goto((sample_site / start).as_uri())
    lang = start[:2]
    page.locator(box).fill("torture")
    page.locator(box).press("Enter")
    page.wait_for_url(f"**/{lang}/search/index.html?q=torture")
    assert page.locator("#search-q").input_value() == "torture"
    page.wait_for_function("document.querySelectorAll('#search-results > li').length > 0")
    assert page.outside_requests() == []


def test_the_search_page_has_one_search_box(sample_site, offline_page):
    page = offline_page
    page.goto((sample_site / "en/search/index.html").as_uri())
    assert page.locator("input[type=search]").count() == 1
