"""Link check of the whole built sample site.

Every `href`, `src` (and other URL attribute) of every page, and every `url()`
of every stylesheet, must be relative and resolve to a file of the site (a
link to a folder shows a directory listing from disk), every `#fragment` must
exist on its page, and nothing may be loaded from another host. Links to
documents elsewhere are allowed as links only: `<a rel="external"
href="https://...">`. Problems are reported as `file:line: link: reason`.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .conftest import ROOT, parse, parsed_pages

# Attributes that hold a URL, and those of them whose URL the browser loads.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "srcset",
    "background",
    "longdesc",
    "manifest",
    "icon",
    "ping",
}
NAVIGATION = {
    ("a", "href"),
    ("area", "href"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
    ("blockquote", "cite"),
    ("q", "cite"),
    ("del", "cite"),
    ("ins", "cite"),
}
LINK_RELS_NOT_LOADED = {"alternate", "canonical", "author", "license", "help", "next", "prev", "search"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")


def _urls(tag: str, attributes: dict) -> list[tuple[str, str, bool]]:
    """(attribute, URL, loaded by the browser) for each URL of one element."""
    found = []
    for name, value in attributes.items():
        if name not in URL_ATTRIBUTES or value is None:
            continue
        values = [part.strip().split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
        if tag == "link" and name == "href":
            rels = set((attributes.get("rel") or "").lower().split())
            loaded = not rels or not rels <= LINK_RELS_NOT_LOADED
        else:
            loaded = (tag, name) not in NAVIGATION
        found += [(name, v, loaded) for v in values]
    return found


def _check_target(root: Path, source: Path, link: str, ids: dict[Path, set[str]]) -> str | None:
    """Why a relative link from `source` is broken, or None."""
    if link == "":
        return "empty link"
    parts = urlsplit(link)
    if parts.query and not parts.path:
        return "query without a file"
    if parts.path.endswith("/"):
        return "link to a folder"
    target = (source.parent / unquote(parts.path)).resolve() if parts.path else source.resolve()
    if not target.is_relative_to(root.resolve()):
        return "outside the site"
    if target.is_dir():
        return "link to a folder"
    if not target.is_file():
        return "no such file"
    if parts.fragment or link.endswith("#"):
        fragment = unquote(parts.fragment)
        if target.suffix != ".html":
            return "fragment on a file that is not a page"
        if target not in ids:
            ids[target] = parse(target).ids
        if fragment not in ids[target]:
            return f"no element with id {fragment!r} on {target.relative_to(root.resolve()).as_posix()}"
    return None


def link_problems(root: Path) -> list[str]:
    """Every broken or outside link of the site under root, as `file:line: link: reason`."""
    root = Path(root)
    problems = []
    pages = parsed_pages(root)
    ids = {path.resolve(): parser.ids for path, parser in pages.items()}
    for page, parser in pages.items():
        rel = page.relative_to(root).as_posix()
        for line, tag, attributes in parser.tags:
            if tag == "base":
                problems.append(f"{rel}:{line}: <base>: no base element (links are relative to their page)")
                continue
            for name, link, loaded in _urls(tag, attributes):
                where = f"{rel}:{line}: {link}"
                parts = urlsplit(link)
                if parts.scheme or link.startswith(("/", "\\")):
                    external = (
                        tag == "a"
                        and name == "href"
                        and parts.scheme in ("http", "https", "mailto")
                        and "external" in (attributes.get("rel") or "").split()
                    )
                    if loaded:
                        problems.append(f"{where}: loaded from outside the site")
                    elif not external:
                        problems.append(f'{where}: not relative (only <a rel="external"> may leave the site)')
                    continue
                reason = _check_target(root, page, link, ids)
                if reason:
                    problems.append(f"{where}: {reason}")
    for sheet in sorted(root.rglob("*.css")):
        rel = sheet.relative_to(root).as_posix()
        for number, text in enumerate(sheet.read_text(encoding="utf-8").splitlines(), 1):
            for match in CSS_URL.finditer(text):
                link = match.group(2) if match.group(2) is not None else match.group(4)
                where = f"{rel}:{number}: {link}"
                if urlsplit(link).scheme or link.startswith("/"):
                    problems.append(f"{where}: loaded from outside the site")
                    continue
                reason = _check_target(root, sheet, link, ids)
                if reason:
                    problems.append(f"{where}: {reason}")
    return problems


def test_every_link_of_the_sample_site_resolves_and_nothing_loads_from_outside(sample_site):
    states = len(list((ROOT / "content/countries").glob("*.yaml")))
    assert len(sample_site.pages()) > 3 * states  # the whole site: every State in three languages, and more
    problems = link_problems(sample_site.root)
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
