"""Where every page lives, and relative links between pages.

Every path here is relative to the site root and ends in a file, so that the
same files work over HTTP and when opened from disk (`file://` shows a
directory listing for a link to a folder). Templates never write a path by
hand: they call the link function bound to their page.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

STYLESHEET = "assets/style.css"
# The one script outside the search: sends links made before reviews had pages of their own
# (countries/<code>/index.html#r-...) on to the review page the recommendation is on now.
FORWARD_SCRIPT = "assets/forward.js"


def root() -> str:
    return "index.html"


def home(lang: str) -> str:
    return f"{lang}/index.html"


def countries(lang: str) -> str:
    return f"{lang}/countries/index.html"


def country(lang: str, code: str) -> str:
    return f"{lang}/countries/{code.lower()}/index.html"


def review(lang: str, code: str, session: int, page: int = 1) -> str:
    """A State's review at one session: its documents and the recommendations it received there
    (static/search.js builds the same paths from a State's page)."""
    return paged(f"{lang}/countries/{code.lower()}/{session}", page)


def made(lang: str, code: str, page: int = 1) -> str:
    return paged(f"{lang}/countries/{code.lower()}/made", page)


def matrix(lang: str, code: str, page: int = 1) -> str:
    """The follow-up matrix of a State's latest review."""
    return paged(f"{lang}/countries/{code.lower()}/matrix", page)


def statistics(lang: str) -> str:
    return f"{lang}/statistics/index.html"


def data(name: str) -> str:
    """A data file for download, one for all languages: data/countries/arm.csv, ..."""
    return f"data/{name}"


def sessions(lang: str) -> str:
    return f"{lang}/sessions/index.html"


def session(lang: str, number: int, page: int = 1) -> str:
    return paged(f"{lang}/sessions/{number}", page)


def themes(lang: str) -> str:
    return f"{lang}/themes/index.html"


def theme(lang: str, theme_id: str, page: int = 1) -> str:
    return paged(f"{lang}/themes/{theme_id}", page)


def markdown_page(lang: str, slug: str) -> str:
    return f"{lang}/pages/{slug}/index.html"


def markdown_pages(lang: str) -> str:
    """The list of the explanatory pages (a slug is a folder under pages/, so `index.html` is no slug's)."""
    return f"{lang}/pages/index.html"


def paged(folder: str, page: int) -> str:
    return f"{folder}/index.html" if page == 1 else f"{folder}/page-{page}/index.html"


def search(lang: str) -> str:
    return f"{lang}/search/index.html"


def search_for(lang: str, **filters: str) -> str:
    """The search page with facets chosen (search.js reads them from the query string)."""
    return search(lang) + "?" + "&".join(f"{facet}={quote(str(value), safe='')}" for facet, value in filters.items())


def search_data(lang: str, name: str) -> str:
    """A data file of a language's search index (manifest, term shards, term counts)."""
    return f"{lang}/search/data/{name}"


def search_shared(name: str) -> str:
    """A search data file every language uses (result details, facet lists and counts)."""
    return f"search/{name}"


SEARCH_STYLESHEET = "assets/search.css"

# lunr.js and lunr-languages, copied from node_modules at build time.
LUNR = "assets/lunr/lunr.min.js"
LUNR_STEMMER_SUPPORT = "assets/lunr/lunr.stemmer.support.min.js"


def lunr_language(lang: str) -> str:
    return f"assets/lunr/lunr.{lang}.min.js"


def search_scripts(lang: str) -> tuple[str, ...]:
    """The scripts of the search page, in load order."""
    lunr = (LUNR,) if lang == "en" else (LUNR, LUNR_STEMMER_SUPPORT, lunr_language(lang))
    return (
        *lunr,
        "assets/search-pipeline.js",
        "assets/search-codec.js",
        "assets/search-engine.js",
        "assets/search.js",
        "assets/search-download.js",
    )


def recommendation(lang: str, rec, page: int = 1) -> str:
    """A recommendation's full record, on (the `page`th page of) its review's page (see placement)."""
    return f"{review(lang, rec.state, rec.session, page)}#{rec.anchor}"


def in_language(path: str, lang: str) -> str:
    """The same page in another language."""
    _first, sep, rest = path.partition("/")
    return f"{lang}/{rest}" if sep else path


def relative(path: str, from_dir: str) -> str:
    """`path` relative to the folder `from_dir` (both relative to the site root, normalised).

    posixpath.relpath does the same but asks the operating system for the
    current folder on every call, and a build makes millions of links.
    """
    target = path.split("/")
    origin = from_dir.split("/") if from_dir else []
    common = 0
    for a, b in zip(origin, target, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(origin) - common) + target[common:]) or "."


class Linker:
    """Builds links relative to one page."""

    __slots__ = ("_cache", "_dir", "page")

    def __init__(self, page: str):
        self.page = page
        self._dir = posixpath.dirname(page)
        self._cache: dict[str, str] = {}

    def __call__(self, target: str) -> str:
        path, hash_, fragment = target.partition("#")
        if hash_ and path == self.page:
            return "#" + fragment
        # Many links share a page and differ in their fragment: cache the page part.
        link = self._cache.get(path)
        if link is None:
            link = self._cache[path] = relative(path, self._dir)
        return link + hash_ + fragment if hash_ else link
