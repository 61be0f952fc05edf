"""Searching in Chromium, in every language, over HTTP and from disk (file://).

The fixture site is built once for the module from inline content written for
the traps the issue lists: English words that lunr.py and lunr.js stem
differently (norway, survey, day, key), accents (éducation, educación),
French elision (l'accès), and enough recommendations on one theme to need
a second page of results.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import BASE_CONTENT, run_cli, write_content

pytestmark = pytest.mark.browser

TORTURE_RECS = 25  # on top of ARM 96.1, the base content's torture recommendation
NOTED_EVERY = 3  # every third of them is noted


def nor_review() -> str:
    recs = [
        """
          - id: "1"
            by: [FRA]
            text:
              en: Conduct a national survey on the key issues of child labour every day.
              fr: Mener une enquête nationale sur le travail des enfants.
              es: Realizar una encuesta nacional sobre el trabajo infantil.
            themes: []
            response: supported
            action: 3
        """,
        """
          - id: "2"
            by: [DEU, EGY]
            text:
              en: Guarantee access to education for all children.
              fr: Garantir l'accès à l'éducation pour tous les enfants.
              es: Garantizar el acceso a la educación para todos los niños.
            themes: [womens-rights]
            response: noted
        """,
        """
          - id: "3"
            by: [ARM]
            text:
              en: Follow the example of Norway in protecting human rights defenders.
            themes: []
            response: supported
        """,
    ]
    for i in range(TORTURE_RECS):
        response = "noted" if i % NOTED_EVERY == 0 else "supported"
        recs.append(f"""
          - id: "10.{i + 1}"
            by: [FRA]
            text:
              en: Prevent torture in every place of detention, region {i + 1}.
              fr: Prévenir la torture dans chaque lieu de détention, région {i + 1}.
              es: Prevenir la tortura en todo lugar de detención, región {i + 1}.
            themes: [torture]
            response: {response}
        """)
    import textwrap

    return "state: NOR\nrecommendations:\n" + "".join(textwrap.dedent(r).strip("\n") + "\n" for r in recs)


# An older session, for the order of results: the words of a phrase side by side in one
# text, apart in the other.
OLDER_SESSION = """
number: 21
cycle: 2
start: 2015-01-19
end: 2015-01-30
"""
EGY_21 = """
state: EGY
recommendations:
  - id: "1"
    by: [DEU]
    text:
      en: Abolish the death penalty for all crimes.
      fr: Abolir la peine de mort pour tous les crimes.
      es: Abolir la pena de muerte para todos los delitos.
    themes: []
    response: supported
  - id: "2"
    by: [DEU]
    text:
      en: Impose a penalty for every death in custody.
      fr: Prévoir une peine pour chaque mort en garde à vue.
      es: Prever una pena por cada muerte bajo custodia.
    themes: []
    response: supported
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("search")
    files = dict(BASE_CONTENT)
    files["sessions/21/session.yaml"] = OLDER_SESSION
    files["sessions/21/EGY.yaml"] = EGY_21
    content = write_content(root / "content", files)
    (content / "sessions/35/NOR.yaml").write_text(nor_review(), encoding="utf-8")
    out = root / "site"
    result = run_cli("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["http", "file"])
def search_url(request, site):
    """search_url(lang, query='') -> the search page's URL, over HTTP or from disk."""
    base = request.getfixturevalue("server") if request.param == "http" else site.as_uri() + "/"

    def url(lang: str, query: str = "") -> str:
        return f"{base}{lang}/search/index.html{query}"

    return url


@pytest.fixture
def local_page(page):
    """A page that records requests to other hosts and script errors."""
    outside, errors = [], []
    page.on(
        "request", lambda r: outside.append(r.url) if not re.match(r"(file://|http://127\.0\.0\.1:)", r.url) else None
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert outside == []
    assert errors == []


def type_query(page, words: str):
    """Types into the search box and waits until the results shown are those of the words."""
    page.locator("#search-q").fill(words)
    page.wait_for_function(
        """words => {
        const shown = document.getElementById('search-results').getAttribute('data-shown') || '';
        return new URLSearchParams(shown.split('?')[1] || '').get('q') === words;
    }""",
        arg=words,
    )


def result_anchors(page) -> list[str]:
    return [
        href.split("#", 1)[1]
        for href in page.locator("#search-results a.search-text").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
    ]


def expect_results(page, anchors: set[str]):
    expect(page.locator("#search-status")).not_to_be_empty()
    page.wait_for_function("() => !document.getElementById('search').hasAttribute('aria-busy')")
    found = set(result_anchors(page))
    assert anchors <= found, (anchors, found)


WORDS = {
    "en": [
        ("norway", "r-35-NOR-3"),
        ("survey", "r-35-NOR-1"),
        ("day", "r-35-NOR-1"),
        ("key", "r-35-NOR-1"),
        ("education", "r-35-NOR-2"),
        ("ratif*", "r-35-ARM-96.1"),
    ],
    "fr": [
        ("norway", "r-35-NOR-3"),
        ("education", "r-35-NOR-2"),
        ("éducation", "r-35-NOR-2"),
        ("accès", "r-35-NOR-2"),
        ("ratif*", "r-35-ARM-96.1"),
    ],
    "es": [
        ("norway", "r-35-NOR-3"),
        ("educacion", "r-35-NOR-2"),
        ("educación", "r-35-NOR-2"),
        ("ratif*", "r-35-ARM-96.1"),
    ],
}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_words_are_found_as_they_are_typed(search_url, local_page, lang):
    page = local_page
    page.goto(search_url(lang))
    expect(page.get_by_label(re.compile(r"Words|Mots|Palabras"))).to_be_visible()
    for word, anchor in WORDS[lang]:
        type_query(page, word)
        expect(page.locator(f"#search-results a.search-text[href$='#{anchor}']")).to_have_count(1)
        assert "q=" in page.url
    # The matched word is highlighted in the text.
    type_query(page, "norway")
    expect(page.locator("#search-results a[href$='#r-35-NOR-3'] mark")).to_have_text("Norway")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_facets_alone_and_with_words(search_url, local_page, lang):
    page = local_page
    torture_total = TORTURE_RECS + 1
    page.goto(search_url(lang, "?theme=torture"))
    expect(page.locator("#search-theme")).to_have_value("torture")
    expect(page.locator("#search-status")).to_contain_text(str(torture_total))
    expect(page.locator("#search-results > li")).to_have_count(20)  # one page of results
    # Counts for the theme alone: other facets count its recommendations, the themes count all.
    page.wait_for_function("() => document.getElementById('search').hasAttribute('data-counts-done')")
    noted = len([i for i in range(TORTURE_RECS) if i % NOTED_EVERY == 0])
    expect(page.locator("#search-response option[value=noted]")).to_contain_text(f"({noted})")
    expect(page.locator("#search-by option[value=FRA]")).to_contain_text(f"({torture_total})")
    expect(page.locator("#search-theme option[value=womens-rights]")).to_contain_text("(2)")
    # The second page holds the rest.
    page.locator("#search-pager a[rel=next]").click()
    expect(page.locator("#search-results > li")).to_have_count(torture_total - 20)
    assert "page=2" in page.url
    # Words and a facet together; counts for the current results appear beside each value.
    detention = {"en": "detention", "fr": "détention", "es": "detención"}[lang]
    page.goto(search_url(lang, f"?q={detention}&response=noted"))
    expect(page.locator("#search-status")).to_contain_text(str(noted))
    expect(page.locator("#search-results > li")).to_have_count(noted)
    page.wait_for_function("() => document.getElementById('search').hasAttribute('data-counts-done')")
    supported_option = page.locator("#search-response option[value=supported]")
    expect(supported_option).to_contain_text(f"({TORTURE_RECS - noted})")
    expect(page.locator("#search-sur option[value=NOR]")).to_contain_text(f"({noted})")
    expect(page.locator("#search-sur option[value=ARM]")).to_contain_text("(0)")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_url_restores_and_history_and_anchor(search_url, local_page, lang):
    page = local_page
    page.goto(search_url(lang, "?q=norway"))
    expect(page.locator("#search-q")).to_have_value("norway")
    expect(page.locator("#search-results a[href$='#r-35-NOR-3']")).to_have_count(1)
    type_query(page, "torture")
    expect(page).to_have_url(re.compile(r"q=torture"))
    page.locator("#search-response").select_option("noted")
    expect(page).to_have_url(re.compile(r"q=torture.*response=noted"))
    expect(page.locator("#search-results > li")).to_have_count(
        len([i for i in range(TORTURE_RECS) if i % NOTED_EVERY == 0])
    )
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=torture$"))
    expect(page.locator("#search-response")).to_have_value("")
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=norway$"))
    expect(page.locator("#search-q")).to_have_value("norway")
    expect(page.locator("#search-results a[href$='#r-35-NOR-3']")).to_have_count(1)
    page.go_forward()
    expect(page.locator("#search-q")).to_have_value("torture")
    # A result leads to the recommendation on its country page, in the same language.
    word = {"en": "education", "fr": "l%27acc%C3%A8s", "es": "educacion"}[lang]
    page.goto(search_url(lang, f"?q={word}"))
    page.locator("#search-results a[href$='#r-35-NOR-2']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/countries/nor/35/index\.html#r-35-NOR-2$"))
    expect(page.locator("[id='r-35-NOR-2']")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == lang


def test_results_show_where_the_browser_cannot_decompress(search_url, local_page):
    """Result details are compressed: browsers without DecompressionStream inflate them with the page's own code."""
    page = local_page
    page.add_init_script("delete window.DecompressionStream")
    page.goto(search_url("fr", "?q=norway"))
    assert page.evaluate("typeof DecompressionStream") == "undefined"
    expect(page.locator("#search-results a[href$='#r-35-NOR-3']")).to_have_text(
        "Follow the example of Norway in protecting human rights defenders."
    )
    expect(page.locator("#search-results .fallback-note")).to_have_count(1)  # English, the fallback


def test_without_javascript_the_page_links_to_browsing(site, browser):
    html = (site / "fr/search/index.html").read_text(encoding="utf-8")
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S).group(1)
    assert "JavaScript" in noscript
    for target in ("../countries/index.html", "../sessions/index.html", "../themes/index.html"):
        assert f'href="{target}"' in noscript
    # The form, which needs the script, stays hidden.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "fr/search/index.html").as_uri())
    assert page.locator("#search").is_hidden()
    context.close()


def test_the_query_syntax_error_is_reported(site, local_page):
    page = local_page
    page.goto((site / "en/search/index.html").as_uri() + "?q=nofield%3Atorture")
    expect(page.locator("#search-status")).to_contain_text("could not be read")
    expect(page.locator("#search-results > li")).to_have_count(0)


def result_texts(page) -> list[str]:
    """The texts of the results shown, in order (whatever the links they lead to)."""
    return page.locator("#search-results a.search-text").all_inner_texts()


# The texts of EGY's two recommendations of session 21, in each language.
EGY_TEXTS = {lang: re.findall(rf"^ +{lang}: (.*)$", EGY_21, re.M) for lang in ("en", "fr", "es")}
ARM_TORTURE = {"en": "Optional Protocol", "fr": "Protocole facultatif", "es": "Optional Protocol"}


def status_count(page) -> int:
    """The number of recommendations the status line gives (0 when none)."""
    page.wait_for_function("() => !document.getElementById('search').hasAttribute('aria-busy')")
    text = page.locator("#search-status").inner_text()
    digits = re.sub(r"[^0-9]", "", text)
    return int(digits) if digits else 0


def wait_for_counts(page):
    page.wait_for_function(
        """() => {
        const form = document.getElementById('search');
        return form.hasAttribute('data-counts-done') && !form.hasAttribute('aria-busy');
    }"""
    )


AND_OR = {"en": ("torture", "detention"), "fr": ("torture", "détention"), "es": ("tortura", "detención")}
PHRASES = {"en": ("death", "penalty"), "fr": ("peine", "de", "mort"), "es": ("pena", "de", "muerte")}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_word_is_required_unless_or_joins_them(search_url, local_page, lang):
    page = local_page
    first, second = AND_OR[lang]
    # Both words: the 25 recommendations on torture in detention, not ARM's on torture alone.
    page.goto(search_url(lang, f"?q={first}+{second}"))
    expect(page.locator("#search-q")).to_have_value(f"{first} {second}")
    assert status_count(page) == TORTURE_RECS
    expect(page.locator("#search-results > li")).to_have_count(20)
    wait_for_counts(page)
    # Facet counts are those of the same results.
    expect(page.locator("#search-sur option[value=NOR]")).to_contain_text(f"({TORTURE_RECS})")
    expect(page.locator("#search-sur option[value=ARM]")).to_contain_text("(0)")
    # OR between them: either word.
    type_query(page, f"{first} OR {second}")
    assert status_count(page) == TORTURE_RECS + 1
    wait_for_counts(page)
    expect(page.locator("#search-sur option[value=ARM]")).to_contain_text("(1)")
    expect(page.locator("#search-sur option[value=NOR]")).to_contain_text(f"({TORTURE_RECS})")
    # Lunr's operators still work: - excludes.
    type_query(page, f"{first} -{second}")
    assert status_count(page) == 1
    assert ARM_TORTURE[lang] in result_texts(page)[0]
    # The help says what a query does.
    help_text = page.locator("#search-help").inner_text()
    assert "OR" in help_text and "ratif*" in help_text and "sur:" in help_text


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_phrase_needs_its_words_side_by_side(search_url, local_page, lang):
    page = local_page
    words = PHRASES[lang]
    page.goto(search_url(lang))
    type_query(page, " ".join(words))
    assert status_count(page) == 2
    assert sorted(result_texts(page)) == sorted(EGY_TEXTS[lang])
    phrase = '"' + " ".join(words) + '"'
    type_query(page, phrase)
    assert status_count(page) == 1
    assert result_texts(page) == EGY_TEXTS[lang][:1]  # not "a penalty for every death"
    expect(page.locator("#search-results > li")).to_have_count(1)  # the count shown is the rows listed
    # The same words in the other order are another phrase.
    type_query(page, '"' + " ".join(reversed(words)) + '"')
    assert status_count(page) == 0
    # Excluded, the phrase leaves the other text.
    type_query(page, f"{words[-1]} -{phrase}")
    assert result_texts(page) == EGY_TEXTS[lang][1:]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_typo_gets_a_suggestion_that_runs_in_one_click(search_url, local_page, lang):
    page = local_page
    page.goto(search_url(lang, "?q=torure&response=supported"))
    assert status_count(page) == 0
    link = page.locator("#search-suggest a")
    expect(link).to_have_count(1)
    word = {"en": "torture", "fr": "torture", "es": "tortura"}[lang]
    expect(link).to_have_text(word)
    expect(page.locator("#search-suggest")).to_contain_text(
        {"en": "Did you mean", "fr": "Vouliez-vous dire", "es": "¿Quiso decir"}[lang]
    )
    # A link to the search page itself (it works with the keyboard and in a new tab), facets kept.
    href = link.get_attribute("href")
    assert re.search(rf"search/index\.html\?q={word}&response=supported$", href), href
    link.click()
    expect(page).to_have_url(re.compile(rf"\?q={word}&response=supported$"))
    expect(page.locator("#search-q")).to_have_value(word)
    supported = TORTURE_RECS - len([i for i in range(TORTURE_RECS) if i % NOTED_EVERY == 0]) + 1
    assert status_count(page) == supported
    expect(page.locator("#search-suggest")).to_be_hidden()
    # Back to the typo, with its suggestion again.
    page.go_back()
    expect(page.locator("#search-q")).to_have_value("torure")
    expect(page.locator("#search-suggest a")).to_have_text(word)


def test_the_suggestion_link_opens_as_a_page(site, local_page):
    """Followed by the browser itself (as a middle click or a new tab would), the link gives the same search."""
    page = local_page
    page.goto((site / "en/search/index.html").as_uri() + "?q=torure+detention")
    expect(page.locator("#search-suggest a")).to_have_text("torture detention")
    href = page.locator("#search-suggest a").evaluate("a => a.href")
    page.goto(href)
    expect(page.locator("#search-q")).to_have_value("torture detention")
    assert status_count(page) == TORTURE_RECS


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_sort_order_is_in_the_url(search_url, local_page, lang):
    page = local_page
    word = {"en": "torture OR death", "fr": "torture OR mort", "es": "tortura OR muerte"}[lang]
    page.goto(search_url(lang))
    type_query(page, word)
    total = status_count(page)
    assert total == TORTURE_RECS + 1 + 2
    expect(page.locator("#search-sort")).to_have_value("relevance")
    assert "sort=" not in page.url
    # Newest session first: session 35 before 21; oldest first: the reverse.
    page.locator("#search-sort").select_option("oldest")
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    page.wait_for_function(
        "() => (document.getElementById('search-results').getAttribute('data-shown') || '').includes('sort=oldest')"
    )
    assert result_texts(page)[:2] == EGY_TEXTS[lang]
    page.locator("#search-sort").select_option("newest")
    expect(page).to_have_url(re.compile(r"sort=newest"))
    page.wait_for_function(
        "() => (document.getElementById('search-results').getAttribute('data-shown') || '').includes('sort=newest')"
    )
    texts = result_texts(page)
    assert len(texts) == 20 and not set(texts) & set(EGY_TEXTS[lang])
    # The last page ends with the older session.
    page.locator("#search-pager a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"sort=newest.*page=2|page=2.*sort=newest"))
    page.wait_for_function(
        "() => (document.getElementById('search-results').getAttribute('data-shown') || '').includes('page=2')"
    )
    assert result_texts(page)[-2:] == EGY_TEXTS[lang]
    # Reload keeps the order; back and forward walk it.
    page.reload()
    expect(page.locator("#search-sort")).to_have_value("newest")
    expect(page.locator("#search-results > li")).to_have_count(total - 20)
    assert result_texts(page)[-2:] == EGY_TEXTS[lang]
    page.go_back()
    page.go_back()
    expect(page.locator("#search-sort")).to_have_value("oldest")
    page.wait_for_function(
        "() => (document.getElementById('search-results').getAttribute('data-shown') || '').includes('sort=oldest')"
    )
    assert result_texts(page)[:2] == EGY_TEXTS[lang]
    page.go_back()
    expect(page.locator("#search-sort")).to_have_value("relevance")
    page.go_forward()
    expect(page.locator("#search-sort")).to_have_value("oldest")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_on_a_phone_the_first_result_is_on_the_first_screen(search_url, local_page, lang):
    page = local_page
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(search_url(lang, "?q=norway"))
    first = page.locator("#search-results > li").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < 780 - 40  # its first line at least
    # Help and facets are folded under their summaries; one tap opens the facets.
    theme = page.locator("#search-theme")
    expect(theme).to_be_hidden()
    expect(page.locator("#search-help")).to_be_hidden()
    page.locator("details.facets-fold > summary").click()
    expect(theme).to_be_visible()
    # Facets chosen in the URL are shown, not folded away.
    page.goto(search_url(lang, "?q=norway&response=supported"))
    expect(page.locator("#search-response")).to_be_visible()
    expect(page.locator("#search-response")).to_have_value("supported")


def test_on_a_wide_screen_help_and_facets_are_open(search_url, local_page):
    page = local_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(search_url("en"))
    expect(page.locator("#search-help")).to_be_visible()
    expect(page.locator("#search-theme")).to_be_visible()
