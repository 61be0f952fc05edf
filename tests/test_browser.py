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
    # Follow a theme link from a recommendation, then switch language on the same page.
    page.locator("#r-35-ARM-96\\.1 dl a[href*='themes/']").first.click()
    assert "/fr/themes/" in page.url
    theme_path = page.url.split("/fr/", 1)[1]
    page.get_by_role("link", name="Español").click()
    assert page.url.endswith("/es/" + theme_path)
    assert page.locator("html").get_attribute("lang") == "es"
    # The recommendation the walk started from is listed on the Spanish theme page too, linking to its record.
    assert page.locator("main a[href$='/arm/index.html#r-35-ARM-96.1']").count() == 1
    assert page.outside_requests() == []


def test_stylesheet_applies_from_disk(sample_site, offline_page):
    page = offline_page
    page.goto((sample_site / "en/countries/arm/index.html").as_uri())
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
