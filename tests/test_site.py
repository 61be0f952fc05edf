"""End to end on small inline content: the built files, as a reader gets them."""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from uprsite.build import build

from .conftest import BASE_CONTENT, Elements, run_cli, tree_bytes, write_content


@pytest.fixture(scope="module")
def base_site(tmp_path_factory) -> Path:
    """The base content built once for the module's tests that only read it (no cache: nothing to share)."""
    out = tmp_path_factory.mktemp("base-site") / "site"
    build(write_content(tmp_path_factory.mktemp("base-content") / "content", dict(BASE_CONTENT)), out, use_cache=False)
    return out


@pytest.fixture
def built(make_content, tmp_path):
    def make(changes=None) -> Path:
        out = tmp_path / "site"
        build(make_content(changes), out)
        return out

    return make


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def urls_of(parser: Elements) -> list[tuple[int, str, str]]:
    """(line, tag, URL) of every href and src that conftest's HTML parser found."""
    return [(line, tag, attrs[name]) for line, tag, attrs in parser.tags for name in ("href", "src") if name in attrs]


def links(html: str) -> list[tuple[int, str, str]]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return urls_of(parser)


def test_every_language_has_the_same_pages(base_site):
    out = base_site
    pages = {
        lang: sorted(p.relative_to(out / lang).as_posix() for p in (out / lang).rglob("*.html"))
        for lang in ("en", "fr", "es")
    }
    assert pages["en"] == pages["fr"] == pages["es"]
    for expected in (
        "index.html",
        "countries/index.html",
        "countries/arm/index.html",
        "sessions/index.html",
        "sessions/35/index.html",
        "themes/index.html",
        "themes/torture/index.html",
        "pages/about/index.html",
    ):
        assert expected in pages["en"]
    assert (out / "index.html").is_file() and (out / "assets/style.css").is_file()


def test_root_page_offers_each_language_in_itself(rendered):
    html = rendered().html("index.html")
    assert '<a href="en/index.html" hreflang="en" lang="en">English</a>' in html
    assert '<a href="fr/index.html" hreflang="fr" lang="fr">Français</a>' in html
    assert '<a href="es/index.html" hreflang="es" lang="es">Español</a>' in html
    assert 'http-equiv="refresh"' not in html and "<script" not in html


def test_country_page_in_french(rendered):
    site = rendered()
    html = site.html("fr/countries/arm/index.html")
    assert '<html lang="fr">' in html
    assert "<h1>Arménie</h1>" in html
    # The State's page is an overview: each review, with its counts and documents, links to its page.
    assert '<a href="35/index.html" data-session="35">Session 35, 22 janvier 2020</a>' in html
    assert "A/HRC/WG.6/35/ARM/1" in html
    assert '<li id="r-35-ARM-96.1">' not in html
    review = site.html("fr/countries/arm/35/index.html")
    assert "<h1>Arménie : cycle 3, session 35</h1>" in review
    assert '<li id="r-35-ARM-96.1">' in review
    assert "Ratifier le Protocole facultatif" in review
    assert '<a href="../../fra/index.html">France</a>, <a href="../../deu/index.html">Allemagne</a>' in review
    assert '<a href="../../../themes/torture/index.html">Torture</a>' in review
    assert "30 juin 2022" in review  # implementation assessment date
    assert "A/HRC/WG.6/35/ARM/1" in review and "Helsinki Citizens" in review
    assert "Armenia pledges to report at mid-term." in review


def test_language_switcher_and_alternates(rendered):
    html = rendered().html("fr/countries/arm/index.html")
    assert '<a href="../../../en/countries/arm/index.html" hreflang="en" lang="en">English</a>' in html
    assert '<a href="../../../es/countries/arm/index.html" hreflang="es" lang="es">Español</a>' in html
    for lang in ("en", "es"):
        assert f'<link rel="alternate" hreflang="{lang}" href="../../../{lang}/countries/arm/index.html">' in html
    assert '<link rel="alternate" hreflang="fr" href="index.html">' in html


def test_missing_translation_falls_back_with_lang_and_note(rendered):
    site = rendered()
    english = site.html("en/countries/arm/35/index.html")
    # 96.2 exists only in French: shown in French, marked, never dropped.
    assert (
        '<p><span lang="fr">Renforcer la protection des droits des femmes.</span> <span>(in French)</span><dl>'
    ) in english
    spanish = site.html("es/countries/arm/35/index.html")
    # Spanish falls back to the first of site.yaml's languages that has the text: English.
    assert '<p><span lang="en">Ratify the Optional Protocol' in spanish
    assert "</span> <span>(en inglés)</span><dl>" in spanish


def test_fallback_order_follows_site_languages(rendered):
    site = rendered(
        {
            "site.yaml": "title: {en: T}\nlanguages: [en, es, fr]\n",
            "sessions/35/ARM.yaml": 'state: ARM\nrecommendations:\n  - id: "1"\n    by: [FRA]\n'
            "    text: {fr: Texte français., es: Texto español.}\n"
            "    themes: []\n    response: supported\n",
        }
    )
    assert '<p><span lang="es">Texto español.</span>' in site.html("en/countries/arm/35/index.html")


def test_countries_sorted_in_the_page_language(rendered):
    french = rendered().html("fr/countries/index.html")
    names = re.findall(r'<li><a href="[a-z]+/index.html">([^<]+)</a>', french)
    assert names[:5] == ["Allemagne", "Arménie", "Égypte", "France", "Norvège"]
    assert '<h3 id="letter-E">E</h3>' in french


def test_user_text_is_escaped_and_markdown_html_is_not_rendered(rendered):
    site = rendered(
        {
            "sessions/35/ARM.yaml": 'state: ARM\nrecommendations:\n  - id: "1"\n    by: [FRA]\n'
            '    text: {en: "<script>alert(1)</script> <img src=x onerror=alert(2)>"}\n'
            "    themes: []\n    response: supported\n",
            "pages/about.en.md": (
                '# About\n\n<script>alert(3)</script>\n\n[x](javascript:alert(4)) <b onclick="y">b</b>\n'
            ),
        }
    )
    country = site.html("en/countries/arm/35/index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in country
    page = site.html("en/pages/about/index.html")
    assert "<script" not in page and "&lt;script&gt;alert(3)&lt;/script&gt;" in page
    assert "javascript:" not in page.replace("[x](javascript:alert(4))", "")
    assert "<b onclick" not in page and "&lt;b onclick=&quot;y&quot;&gt;" in page


def test_every_internal_link_is_relative_ends_in_a_file_and_resolves(base_site):
    out = base_site
    problems = []
    ids: dict[Path, set[str]] = {}

    def parse(path: Path) -> Elements:
        parser = Elements()
        parser.feed(path.read_text(encoding="utf-8"))
        ids[path] = parser.ids
        return parser

    parsed = {path: parse(path) for path in out.rglob("*.html")}
    for page, parser in parsed.items():
        for line, tag, link in urls_of(parser):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") and tag == "a" and "rel" not in link:
                continue  # document links in content point to other sites
            where = f"{page.relative_to(out)}:{line}: {link}"
            if parts.scheme or link.startswith("/"):
                if "example.org" not in link:
                    problems.append(f"{where}: not relative")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                problems.append(f"{where}: no such file")
            elif parts.fragment and parts.fragment not in ids.get(target, set()):
                problems.append(f"{where}: no such anchor")
    assert problems == []


def test_theme_and_session_pages_split_at_500_and_made_by_gets_its_own_page(rendered):
    recs = "".join(
        f'  - id: "{i}"\n    by: [FRA]\n    text: {{en: Recommendation number {i}.}}\n'
        f"    themes: [torture]\n    response: supported\n"
        for i in range(1, 1202)
    )
    site = rendered({"sessions/35/ARM.yaml": "state: ARM\nrecommendations:\n" + recs})
    assert "en/themes/torture/page-2/index.html" in site.pages
    assert "en/themes/torture/page-3/index.html" in site.pages
    assert "en/themes/torture/page-4/index.html" not in site.pages
    first = site.html("en/themes/torture/index.html")
    # Each links to its full record, on the page of its review that holds it.
    assert len(re.findall(r'<li><a href="\.\./\.\./countries/arm/35/(page-\d+/)?index.html#r-35-ARM-', first)) == 500
    assert "Recommendations 1 to 500 of 1,201" in first
    assert '<a href="page-2/index.html" rel="next">' in first
    third = site.html("fr/themes/torture/page-3/index.html")
    assert '<a href="../index.html">1</a>' in third
    # The review's own pages hold every record once, and each list links to the one that holds it.
    review_pages = sorted(p for p in site.pages if re.fullmatch(r"en/countries/arm/35/(page-\d+/)?index.html", p))
    assert len(review_pages) > 2
    held = {p: re.findall(r'<li id="r-35-ARM-(\d+)">', site.html(p)) for p in review_pages}
    assert sorted(int(n) for found in held.values() for n in found) == list(range(1, 1202))
    assert all(len(site.html(p).encode()) < 200 * 1024 for p in review_pages)
    page_of = {n: p.removeprefix("en/countries/arm/35/") for p, found in held.items() for n in found}
    assert re.findall(r'<li><a href="\.\./\.\./\.\./countries/arm/35/([^"#]*)#r-35-ARM-(\d+)"', third) == [
        (page_of[str(n)], str(n)) for n in range(1001, 1202)
    ]
    # France made 1,201: listed on pages of its own, each linking to the anchor on Armenia's pages.
    made = site.html("en/countries/fra/made/page-2/index.html")
    assert f'<a href="../../../arm/35/{page_of["501"]}#r-35-ARM-501">501</a>' in made
    # The session's list follows the same rule; a State's list cut by a page says how much of it is there.
    pages = [site.html(f"en/sessions/35/{p}index.html") for p in ("", "page-2/", "page-3/")]
    assert "en/sessions/35/page-4/index.html" not in site.pages
    links = [
        re.findall(r'<a href="(?:\.\./)+countries/arm/35/(?:page-\d+/)?index.html#r-35-ARM-(\d+)">\1</a>', p)
        for p in pages
    ]
    assert [len(found) for found in links] == [500, 500, 201]
    assert sorted(int(n) for found in links for n in found) == list(range(1, 1202))
    assert "<p>On this page: 500 of its 1,201 recommendations.</p>" in pages[1]
    assert '<dt><span class="r-supported">Supported</span> (201)</dt>' in pages[2]
    assert "Recommendations 1,001 to 1,201 of 1,201" in pages[2]
    assert '<a href="made/index.html">' in site.html("en/countries/fra/index.html")


def test_list_pages_show_recommendations_in_short_linking_to_the_full_record(rendered):
    site = rendered()
    theme = site.html("fr/themes/torture/index.html")
    assert (
        '<li><a href="../../countries/arm/35/index.html#r-35-ARM-96.1">96.1</a> '
        '<span class="r-supported">Appuyée</span> '
        "Ratifier le Protocole facultatif se rapportant à la Convention contre la…\n"
    ) in theme  # cut at 80
    # A session page lists each State's recommendations by number under each response, with how many;
    # the texts are on the country page each number links to, and in the search.
    session = site.html("es/sessions/35/index.html")
    assert (
        '<h3><a href="../../countries/arm/35/index.html">Armenia</a></h3>\n<dl class="by-response">\n'
        '<dt><span class="r-supported">Apoyada</span> (1)</dt>'
        '<dd><a href="../../countries/arm/35/index.html#r-35-ARM-96.1">96.1</a></dd>\n'
        '<dt><span class="r-noted">Tomada nota</span> (1)</dt>'
        '<dd><a href="../../countries/arm/35/index.html#r-35-ARM-96.2">96.2</a></dd>\n</dl>'
    ) in session
    assert "Ratify" not in session and "Renforcer" not in session
    assert (
        '<a href="../../search/index.html?session=35">Buscar en las recomendaciones del período de sesiones 35</a>'
    ) in session


def test_small_made_by_list_stays_on_the_country_page(rendered):
    html = rendered().html("en/countries/fra/index.html")
    assert '<a href="../arm/35/index.html#r-35-ARM-96.1">96.1</a>' in html


def test_footer_banner_and_newest_date(rendered):
    site = rendered(
        {
            "site.yaml": "title: {en: T}\nlanguages: [en, fr, es]\ndemo: true\n"
            "attribution: {en: Data from tests}\nlicence: {en: CC BY 4.0}\n"
        }
    )
    html = site.html("es/index.html")
    assert 'class="demo-banner"' in html
    assert '<p lang="en">Data from tests</p>' in html
    assert "30 de junio de 2022" in html  # newest date in the content: the implementation assessment
    assert 'class="demo-banner"' not in rendered().html("es/index.html")


def test_data_as_of_is_the_newest_date_of_the_recommendations_there(rendered):
    """Not a session's date when it has no recommendations; a review without a date counts with
    its session's end."""
    empty_session = {"sessions/40/session.yaml": "number: 40\ncycle: 4\nstart: 2030-01-20\nend: 2030-01-31\n"}
    site = rendered(empty_session)
    assert "Data as of June 30, 2022." in site.html("en/index.html")  # the assessment, not 2030
    no_assessment = {
        **empty_session,
        "sessions/35/ARM.yaml": BASE_CONTENT["sessions/35/ARM.yaml"]
        .replace("        date: 2020-01-22\n", "", 1)
        .replace(
            "            implementation:\n              - status: partially-implemented\n"
            "                date: 2022-06-30\n                source: {en: Mid-term report of the State}\n",
            "",
        ),
    }
    html = rendered(no_assessment).html("en/index.html")
    assert "Data as of January 31, 2020." in html  # the end of session 35, whose review has no date
    assert html.count("Data as of") == 1  # and not of the empty session 40, listed as the next one


def test_base_url_gives_canonical_links_and_sitemap(built):
    out = built({"site.yaml": "title: {en: T}\nlanguages: [en, fr, es]\nbase_url: https://upr.example.org\n"})
    html = read(out, "fr/countries/arm/index.html")
    assert '<link rel="canonical" href="https://upr.example.org/fr/countries/arm/index.html">' in html
    assert '<link rel="alternate" hreflang="es" href="https://upr.example.org/es/countries/arm/index.html">' in html
    sitemap = read(out, "sitemap.xml")
    assert "<loc>https://upr.example.org/en/countries/arm/index.html</loc>" in sitemap
    assert 'hreflang="fr" href="https://upr.example.org/fr/countries/arm/index.html"' in sitemap


def test_base_url_is_escaped_wherever_it_is_written(built):
    """An `&` is a plain URL character the schema allows: every page and the sitemap write it escaped."""
    base = "https://upr.example.org/a&b/"
    out = built({"site.yaml": f"title: {{en: T}}\nlanguages: [en, fr, es]\nbase_url: '{base}'\n"})
    html = read(out, "en/countries/arm/35/index.html")
    assert '<a href="https://upr.example.org/a&amp;b/en/countries/arm/35/index.html#r-35-ARM-96.1">96.1</a>' in html
    assert '<link rel="canonical" href="https://upr.example.org/a&amp;b/en/countries/arm/35/index.html">' in html
    hrefs = {href for _, _, href in links(html) if href.startswith("https://upr.example.org/")}
    assert f"{base}en/countries/arm/35/index.html#r-35-ARM-96.1" in hrefs
    assert all(href.startswith(base) for href in hrefs)
    assert "<loc>https://upr.example.org/a&amp;b/en/index.html</loc>" in read(out, "sitemap.xml")
    for page in out.rglob("*.html"):
        assert "a&b" not in page.read_text(encoding="utf-8"), page


def test_without_base_url_no_absolute_site_url(base_site):
    out = base_site
    assert not (out / "sitemap.xml").exists()
    for path in out.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in html
        absolute = [u for u in re.findall(r'(?:href|src)="(https?://[^"]+)"', html) if "example.org" not in u]
        assert absolute == [], path


def test_cli_build_check_and_untouched_output_on_error(make_content, tmp_path):
    content_dir = make_content()
    out = tmp_path / "published"
    first = run_cli("build", "--content", str(content_dir), "--out", str(out))
    assert first.returncode == 0, first.stderr
    before = tree_bytes(out)
    (content_dir / "sessions/35/ARM.yaml").write_text(
        'state: ARM\nrecommendations:\n  - id: "1"\n    by: [FRX]\n    text: {en: T}\n'
        "    themes: []\n    response: supported\n",
        encoding="utf-8",
    )
    failed = run_cli("build", "--content", str(content_dir), "--out", str(out))
    assert failed.returncode == 1
    assert (
        f"{content_dir}/sessions/35/ARM.yaml:4:10: unknown State 'FRX' in by (hint: did you mean 'FRA'?)"
        in failed.stderr
    )
    assert tree_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind
    check = run_cli("check", "--content", str(content_dir))
    assert check.returncode == 1 and "sessions/35/ARM.yaml:4:10:" in check.stderr


def test_check_prints_github_annotations_in_actions(make_content):
    content_dir = make_content({"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: west\n"})
    result = run_cli("check", "--content", str(content_dir), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert f"::error file={content_dir}/countries/DEU.yaml,line=3,col=9::region:" in result.stdout


def test_two_builds_are_byte_identical_whatever_locale_and_time_zone(make_content, tmp_path):
    content_dir = make_content()
    a, b = tmp_path / "a", tmp_path / "b"
    assert (
        run_cli(
            "build", "--content", str(content_dir), "--out", str(a), env={"TZ": "Pacific/Kiritimati", "LC_ALL": "C"}
        ).returncode
        == 0
    )
    assert (
        run_cli(
            "build",
            "--content",
            str(content_dir),
            "--out",
            str(b),
            env={"TZ": "America/Los_Angeles", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "123"},
        ).returncode
        == 0
    )
    assert tree_bytes(a) == tree_bytes(b)


def test_a_machine_without_node_gets_a_clear_error_and_the_site_is_untouched(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "published"
    assert run_cli("build", "--content", str(content_dir), "--out", str(out)).returncode == 0
    before = tree_bytes(out)
    (content_dir / "sessions/35/ARM.yaml").write_text(
        (content_dir / "sessions/35/ARM.yaml").read_text(encoding="utf-8").replace("Ratify", "Ratify soon"),
        encoding="utf-8",
    )
    # No node on the PATH (the interpreter is run by its full path).
    failed = run_cli("build", "--content", str(content_dir), "--out", str(out), env={"PATH": str(tmp_path / "empty")})
    assert failed.returncode == 2
    assert failed.stderr.startswith("error: the search index needs Node.js") and "Traceback" not in failed.stderr
    assert tree_bytes(out) == before


def test_a_page_that_would_define_an_id_twice_is_refused_at_its_place(make_content):
    """The last guard against anchors given twice: validation refuses a recommendation id given twice
    in a review, so the database is given one that repeats its recommendations."""
    import dataclasses

    from uprsite.build import load_database
    from uprsite.downloads import Downloads
    from uprsite.errors import ContentError
    from uprsite.render import Renderer
    from uprsite.views import SiteViews

    db = load_database(make_content())
    path = "en/countries/arm/35/index.html"
    reviews = tuple(
        dataclasses.replace(r, recommendations=r.recommendations * 2) if r.state == "ARM" else r for r in db.reviews
    )
    twice = dataclasses.replace(db, reviews=reviews)
    downloads = Downloads(twice)
    downloads.finish()
    page = next(p for p in SiteViews(twice, downloads=downloads).pages("en") if p.path == path)
    with pytest.raises(ContentError) as raised:
        Renderer(twice, "en").render(page)
    (problem,) = raised.value.problems
    assert problem.path == path
    assert problem.message.startswith("the page defines id 'r-35-ARM-96.1' twice (first at line ")
    once = Downloads(db)
    once.finish()
    page = next(p for p in SiteViews(db, downloads=once).pages("en") if p.path == path)
    assert Renderer(db, "en").render(page).count(b' id="r-35-ARM-96.1"') == 1


def test_explanatory_pages_are_listed_once_not_in_every_footer(built, tmp_path):
    """Every footer links to one list of the pages: 60 pages make no page but that list longer."""
    few = built()
    few_country = read(few, "en/countries/arm/index.html")
    (tmp_path / "few").mkdir()
    few.rename(tmp_path / "few" / "site")
    many = built({f"pages/p{n:02}.en.md": f"# Page number {n}\n\nOne line.\n" for n in range(60)})
    country = read(many, "en/countries/arm/index.html")
    footer = '<p class="footer-pages"><a href="../../pages/index.html">About the UPR and this site</a></p>'
    assert footer in country and country == few_country
    for lang in ("en", "fr", "es"):
        page_links = links(read(many, f"{lang}/pages/index.html"))
        listed = [href for _, tag, href in page_links if tag == "a" and href.endswith("/index.html")]
        assert [h for h in listed if not h.startswith("../")] == ["about/index.html"] + [
            f"p{n:02}/index.html" for n in range(60)
        ]
        assert all((many / lang / "pages" / href).is_file() for href in listed if not href.startswith("../"))
    assert "Page number 17" not in read(many, "fr/pages/about/index.html")
    assert "Page number 17" in read(many, "fr/pages/index.html")


def test_home_page_has_a_search_box_the_latest_session_and_the_next_ones(rendered):
    """Latest: the newest session with recommendations (not a later one still empty); next: the
    sessions after it, with their pre-session and the States their review files name."""
    site = rendered(
        {
            "sessions/36/session.yaml": "number: 36\ncycle: 3\nstart: 2020-11-02\nend: 2020-11-13\n"
            "pre_session: {start: 2020-10-05, end: 2020-10-08, venue: {en: Geneva}}\n",
            "sessions/36/NOR.yaml": "state: NOR\nrecommendations: []\n",
            "sessions/37/session.yaml": "number: 37\ncycle: 3\n",
        }
    )
    html = site.html("en/index.html")
    form = html[html.index("<form") : html.index("</form>")]
    assert 'action="search/index.html"' in form and 'name="q"' in form and 'role="search"' in form
    latest = html[html.index('id="latest"') : html.index('id="upcoming"')]
    assert '<a href="sessions/35/index.html">Session 35</a>' in latest and "Armenia" in latest
    upcoming = html[html.index('id="upcoming"') : html.index('id="browse"')]
    dates = "<p>November 2, 2020 \u2013 November 13, 2020</p>"
    assert f'<a href="sessions/36/index.html">Session 36</a></h3>{dates}' in upcoming
    assert "October 5, 2020 \u2013 October 8, 2020, Geneva" in upcoming
    assert '<a href="countries/nor/index.html">Norway</a>' in upcoming
    assert '<a href="sessions/37/index.html">Session 37</a>' in upcoming
    # The same page in French, from the catalogs.
    assert "Prochaines sessions" in site.html("fr/index.html")


def test_made_pages_show_each_recommendation_with_its_text_and_response(rendered, monkeypatch):
    from uprsite.kinds import country, made

    for module in (country, made):  # a State's recommendations get pages of their own beyond one
        monkeypatch.setattr(module, "MADE_INLINE_LIMIT", 1)
    site = rendered(
        {
            "sessions/35/EGY.yaml": "state: EGY\nrecommendations:\n"
            '  - id: "5.1"\n    by: [FRA]\n    text: {en: Abolish the death penalty in law and practice.}\n'
            "    themes: [torture]\n    response: noted\n"
        }
    )
    html = site.html("en/countries/fra/made/index.html")
    rows = html[html.index('<ol class="rows">') :]
    assert '<a href="../../arm/35/index.html#r-35-ARM-96.1">96.1</a> <span class="r-supported">Supported</span>' in rows
    assert "Ratify the Optional Protocol to the Convention against Torture." in rows
    assert '<span class="r-noted">Noted</span> Abolish the death penalty in law and practice.' in rows
