"""Link check of the whole built sample site, and of the large generated one.

Every `href`, `src` (and other URL attribute) of every page, and every `url()`
of every stylesheet, must be relative and resolve to a file of the site (a
link to a folder shows a directory listing from disk), every `#fragment` must
exist on its page, and nothing may be loaded from another host. Links to
documents elsewhere are allowed as links only: `<a rel="external"
href="https://...">`. Problems are reported as `file:line: link: reason`.
"""

from __future__ import annotations

from .conftest import ROOT, link_problems


def test_every_link_of_the_sample_site_resolves_and_nothing_loads_from_outside(sample_site):
    states = len(list((ROOT / "content/countries").glob("*.yaml")))
    assert len(sample_site.pages()) > 3 * states  # the whole site: every State in three languages, and more
    problems = link_problems(sample_site.root)
    assert problems == [], "\n".join(problems[:50])


def test_every_link_of_the_large_site_resolves(large_site):
    """Where reviews take several pages, every list, search result file and matrix links to the
    page that holds each record."""
    problems = link_problems(large_site.root)
    assert problems == [], "\n".join(problems[:50])


def test_the_link_check_finds_each_kind_of_problem(tmp_path):
    """The gate above can fail: each fault is reported with its file and line."""
    (tmp_path / "en/countries/arm").mkdir(parents=True)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/style.css").write_text(
        "a{color:red}\n.x{background:url(missing.png)}\n@import 'https://cdn.example.org/x.css';\n"
    )
    (tmp_path / "en/countries/arm/index.html").write_text('<h1 id="top">Armenia</h1>\n')
    (tmp_path / "en/index.html").write_text(
        "\n".join(
            [
                '<link rel="stylesheet" href="../assets/style.css">',
                '<a href="countries/arm/index.html#top">fine</a>',
                '<a href="countries/arm/">folder</a>',
                '<a href="countries/arm">folder without slash</a>',
                '<a href="countries/fra/index.html">missing</a>',
                '<a href="countries/arm/index.html#nowhere">missing anchor</a>',
                '<a href="/en/index.html">absolute path</a>',
                '<a href="https://example.org/doc.pdf">external without rel</a>',
                '<a href="https://example.org/doc.pdf" rel="external">external document</a>',
                '<script src="https://cdn.example.org/x.js"></script>',
                '<img src="//cdn.example.org/x.png" alt="">',
                '<base href="../">',
                '<a href="#here">own anchor</a><p id="here">',
            ]
        )
    )
    problems = link_problems(tmp_path)
    assert problems == [
        "en/index.html:3: countries/arm/: link to a folder",
        "en/index.html:4: countries/arm: link to a folder",
        "en/index.html:5: countries/fra/index.html: no such file",
        "en/index.html:6: countries/arm/index.html#nowhere: "
        "no element with id 'nowhere' on en/countries/arm/index.html",
        'en/index.html:7: /en/index.html: not relative (only <a rel="external"> may leave the site)',
        'en/index.html:8: https://example.org/doc.pdf: not relative (only <a rel="external"> may leave the site)',
        "en/index.html:10: https://cdn.example.org/x.js: loaded from outside the site",
        "en/index.html:11: //cdn.example.org/x.png: loaded from outside the site",
        "en/index.html:12: <base>: no base element (links are relative to their page)",
        "assets/style.css:2: missing.png: no such file",
        "assets/style.css:3: https://cdn.example.org/x.css: loaded from outside the site",
    ]
