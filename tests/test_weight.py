"""Light pages, and what every page may load: checked on every page of the sample site.

No page over 200 KB of HTML, under 30 KB of CSS, no web fonts, no JavaScript
except on the search pages and one small script (assets/forward.js, which
sends links shared before reviews had pages of their own on to them) on a
State's page and a review's first page; a Content Security Policy in a <meta> tag that
allows only the site's own files, and nothing inline that it would have to
allow (scripts, styles, event handlers). The build prints the heaviest pages.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import parsed_pages

MAX_HTML = 200 * 1024
MAX_CSS = 30 * 1024
FONT_FILES = (".woff", ".woff2", ".ttf", ".otf", ".eot")
SEARCH_PAGE = re.compile(r"[a-z]{2}/search/index\.html")
# The pages that may load forward.js, and nothing else: a State's page, a review's first page.
FORWARDING_PAGE = re.compile(r"[a-z]{2}/countries/[a-z0-9]+/([0-9]+/)?index\.html")
FORWARD_SCRIPT = "assets/forward.js"
# Script types the browser does not run: data blocks (the search page's UI strings).
DATA_BLOCKS = {"application/json", "application/ld+json"}
ALLOWED_SOURCES = {"'self'", "'none'"}
REQUIRED_DIRECTIVES = {"default-src": "'none'", "script-src": "'self'", "style-src": "'self'"}


@pytest.fixture(params=["sample_site", "large_site"])
def site(request):
    """Each gate on the sample and on the large generated site (conftest.large_site)."""
    return request.getfixturevalue(request.param)


def test_no_page_is_over_200_kb(site):
    sizes = sorted(((path.stat().st_size, site.rel(path)) for path in site.pages()), reverse=True)
    over = [f"{path}: {size / 1024:.1f} KB" for size, path in sizes if size > MAX_HTML]
    assert over == []


def test_the_large_site_splits_heavy_reviews_and_matrices(large_site):
    """The large site is the case the budget is for: reviews and matrices there take several pages."""
    pages = {large_site.rel(path) for path in large_site.pages()}
    assert any(re.fullmatch(r"en/countries/[a-z]+/[0-9]+/page-2/index\.html", p) for p in pages)
    assert any(re.fullmatch(r"en/countries/[a-z]+/matrix/page-2/index\.html", p) for p in pages)


def test_every_page_loads_under_30_kb_of_css_and_no_web_font(site):
    sample_site = site
    root = sample_site.root
    problems = []
    for path, parser in parsed_pages(root).items():
        sheets = [
            attrs["href"]
            for _, tag, attrs in parser.tags
            if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split()
        ]
        total = sum((path.parent / unquote(urlsplit(href).path)).stat().st_size for href in sheets)
        if total > MAX_CSS:
            problems.append(f"{sample_site.rel(path)}: {total / 1024:.1f} KB of CSS ({', '.join(sheets)})")
        if any(tag == "link" and attrs.get("as") == "font" for _, tag, attrs in parser.tags):
            problems.append(f"{sample_site.rel(path)}: preloads a font")
    for sheet in sorted(root.rglob("*.css")):
        if "@font-face" in sheet.read_text(encoding="utf-8"):
            problems.append(f"{sample_site.rel(sheet)}: @font-face")
    problems += [f"{sample_site.rel(p)}: a font file" for p in root.rglob("*") if p.suffix.lower() in FONT_FILES]
    assert problems == [], "\n".join(problems[:50])


def scripts_of(parser) -> list[tuple[int, dict, str]]:
    """The scripts the browser would run: (line, attributes, inline text)."""
    return [
        (line, attrs, text)
        for line, attrs, text in parser.text_of_script
        if (attrs.get("type") or "text/javascript").lower() not in DATA_BLOCKS
    ]


def test_javascript_only_on_the_search_pages_and_never_inline(site):
    sample_site = site
    problems = []
    search_pages = 0
    for path, parser in parsed_pages(sample_site.root).items():
        rel = sample_site.rel(path)
        scripts = scripts_of(parser)
        if SEARCH_PAGE.fullmatch(rel):
            search_pages += 1
            if not scripts:
                problems.append(f"{rel}: the search page has no script")
        elif scripts:
            sources = [
                posixpath.normpath(posixpath.join(posixpath.dirname(rel), a.get("src") or "")) for _, a, _ in scripts
            ]
            if not (FORWARDING_PAGE.fullmatch(rel) and sources == [FORWARD_SCRIPT]):
                problems.append(f"{rel}:{scripts[0][0]}: a script on a page other than search: {sources}")
        for line, attrs, text in scripts:
            src = attrs.get("src")
            if not src or text.strip():
                problems.append(f"{rel}:{line}: inline script")
            elif urlsplit(src).scheme or src.startswith("/"):
                problems.append(f"{rel}:{line}: script from outside the site: {src}")
        for line, attrs, _ in parser.text_of_script:
            if (attrs.get("type") or "").lower() in DATA_BLOCKS and attrs.get("src"):
                problems.append(f"{rel}:{line}: a data block with src")
        for line, tag, attrs in parser.tags:
            handlers = [name for name in attrs if name.startswith("on")]
            if handlers:
                problems.append(f"{rel}:{line}: <{tag} {handlers[0]}>: inline event handler")
            if any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()):
                problems.append(f"{rel}:{line}: javascript: URL")
    assert search_pages == 3
    assert problems == [], "\n".join(problems[:50])


def policy(content: str) -> dict[str, list[str]]:
    directives = {}
    for part in content.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def test_every_page_has_a_content_security_policy_allowing_only_the_sites_own_files(site):
    sample_site = site
    problems = []
    for path, parser in parsed_pages(sample_site.root).items():
        rel = sample_site.rel(path)
        metas = [
            (line, attrs)
            for line, tag, attrs in parser.tags
            if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy"
        ]
        if len(metas) != 1:
            problems.append(f"{rel}: {len(metas)} Content-Security-Policy meta tags")
            continue
        line, attrs = metas[0]
        # A policy in a meta tag applies only to what follows it: it must come before anything loaded.
        first_load = next((at for at, tag, _ in parser.tags if tag in ("link", "script", "style", "img")), None)
        if first_load is not None and first_load < line:
            problems.append(f"{rel}:{line}: the policy comes after line {first_load}, which loads something")
        directives = policy(attrs.get("content") or "")
        for name, expected in REQUIRED_DIRECTIVES.items():
            if directives.get(name) != [expected]:
                problems.append(f"{rel}:{line}: {name} is {directives.get(name)}, not {expected}")
        for name, sources in directives.items():
            if not set(sources) <= ALLOWED_SOURCES:
                problems.append(f"{rel}:{line}: {name} allows {sorted(set(sources) - ALLOWED_SOURCES)}")
        # What the policy forbids must not be needed: no inline style (it would be dropped silently).
        for at, tag, a in parser.tags:
            if "style" in a or tag == "style":
                problems.append(f"{rel}:{at}: inline style (blocked by style-src 'self')")
    assert problems == [], "\n".join(problems[:50])


def test_the_build_prints_the_heaviest_pages(sample_site):
    printed = re.findall(r"^\s+([\d.]+) KB\s+(\S+)$", sample_site.log.split("heaviest pages:", 1)[1], re.M)
    assert len(printed) == 5
    heaviest = sorted((path.stat().st_size for path in sample_site.pages()), reverse=True)[:5]
    assert [float(kb) for kb, _ in printed] == [round(size / 1024, 1) for size in heaviest]
    for kb, rel in printed:
        assert round((sample_site.root / rel).stat().st_size / 1024, 1) == float(kb)
