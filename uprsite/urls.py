"""Where every page lives, and relative links between pages.

Every path here is relative to the site root and ends in a file, so that the
same files work over HTTP and when opened from disk (`file://` shows a
directory listing for a link to a folder). Templates never write a path by
hand: they call the link function bound to their page.
"""

from __future__ import annotations

import posixpath

PER_PAGE = 500  # one splitting rule for every list of recommendations

STYLESHEET = "assets/style.css"


def root() -> str:
    return "index.html"


def home(lang: str) -> str:
    return f"{lang}/index.html"


def countries(lang: str) -> str:
    return f"{lang}/countries/index.html"


def country(lang: str, code: str) -> str:
    return f"{lang}/countries/{code.lower()}/index.html"


def made(lang: str, code: str, page: int = 1) -> str:
    return paged(f"{lang}/countries/{code.lower()}/made", page)


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


def paged(folder: str, page: int) -> str:
    return f"{folder}/index.html" if page == 1 else f"{folder}/page-{page}/index.html"


def recommendation(lang: str, rec) -> str:
    """A recommendation always stays on the country page of its State under Review."""
    return f"{country(lang, rec.state)}#{rec.anchor}"


def in_language(path: str, lang: str) -> str:
    """The same page in another language."""
    first, sep, rest = path.partition("/")
    return f"{lang}/{rest}" if sep else path


class Linker:
    """Builds links relative to one page."""

    __slots__ = ("page", "_dir", "_cache")

    def __init__(self, page: str):
        self.page = page
        self._dir = posixpath.dirname(page)
        self._cache: dict[str, str] = {}

    def __call__(self, target: str) -> str:
        link = self._cache.get(target)
        if link is None:
            path, hash_, fragment = target.partition("#")
            if path == self.page and hash_:
                link = "#" + fragment
            else:
                link = posixpath.relpath(path, self._dir or ".") + hash_ + fragment
            self._cache[target] = link
        return link
