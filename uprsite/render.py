"""Pages to HTML: one Jinja environment per language.

Knows Jinja, gettext and Markdown. Templates get ready data from the views,
formatting helpers and the HTML drawers (charts, matrix rows, fragments) bound
to the page's language (CLDR through babel) and a
`link` function bound to the page, so that every link is relative and no
template writes a path by hand. Autoescaping is on everywhere, and Markdown is
rendered with raw HTML disabled.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import labels, model, urls
from .charts import Charts
from .errors import ContentError, Problem, cut
from .fragments import COUNTRIES, Fragments, countries_prefix
from .localise import Localiser, language_name, translations
from .matrix import MatrixRows
from .reuse.cache import sealed_bytecode_cache
from .views import Page

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True, slots=True)
class Localised:
    text: str
    lang: str
    fallback: bool


def markdown_renderer() -> MarkdownIt:
    # 'commonmark' with html off: raw HTML in a page is shown as text, and
    # markdown-it's link validation refuses javascript:, vbscript: and data: links.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.add_render_rule("link_open", _link_open)
    return md


def _link_open(self, tokens, idx, options, env):
    # A link to another site says so (rel="external"), as document links do:
    # readers of the offline copy need a connection to follow it.
    if _leaves_the_site(tokens[idx].attrGet("href") or ""):
        tokens[idx].attrSet("rel", "external")
    return self.renderToken(tokens, idx, options, env)


def _leaves_the_site(url: str) -> bool:
    """A URL with a scheme (https:, mailto:) or a scheme-relative one (//host/...: the page's scheme,
    another host; from disk, file://host/, a share of the network)."""
    return url.startswith("//") or ":" in url.split("/", 1)[0]


STATIC_DIR = TEMPLATE_DIR.parent / "static"  # published as assets/


@cache
def _published_assets() -> frozenset[str]:
    return frozenset("assets/" + p.relative_to(STATIC_DIR).as_posix() for p in STATIC_DIR.rglob("*") if p.is_file())


def image_problems(source: str, page_path: str) -> list[tuple[int, int, str, str]]:
    """(line, column, message, hint) for each image of a Markdown page that is not a file of the site.

    An image is loaded with the page, without a click: from another host it tells that host who
    reads what (and the offline copy shows a hole); a data: URL holds anything. Only the files the
    site publishes (static/, as assets/) may be shown; other images are linked, not shown.
    """
    published = _published_assets()
    folder = posixpath.dirname(page_path)
    lines = source.split("\n")
    problems = []
    for token in _MD.parse(source):
        if token.type != "inline" or not token.map:
            continue
        line, seen_on_line = token.map[0], 0
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line, seen_on_line = line + 1, 0
                continue
            if child.type != "image":
                continue
            seen_on_line += 1
            src = child.attrGet("src") or ""
            path = src.split("#", 1)[0].split("?", 1)[0]
            target = posixpath.normpath(posixpath.join(folder, path)) if path else ""
            if not _leaves_the_site(src) and not src.startswith("/") and target in published:
                continue
            text = lines[line] if line < len(lines) else ""
            column = 1
            for _ in range(seen_on_line):  # the image's own `![` on its line
                found = text.find("![", column - 1)
                if found < 0:
                    break
                column = found + 2
            problems.append(
                (
                    line + 1,
                    max(column - 1, 1),
                    f"the image '{cut(src)}' is not a file of the site",
                    "a page shows only the site's own files (static/, published as assets/); link to an "
                    "image elsewhere instead: [a map of the regional groups](https://...)",
                )
            )
    return problems


def markdown_title(source: str) -> str:
    """The text of a page's first heading, or its first line."""
    for token_index, token in enumerate(_MD.parse(source)):
        if token.type == "heading_open":
            return _MD.parse(source)[token_index + 1].content
    return source.strip().splitlines()[0] if source.strip() else ""


_MD = markdown_renderer()


class _CompiledOnce(jinja2.BytecodeCache):
    """Compiled templates shared by every renderer of this process (and the workers it forks).

    The environments of the languages differ only in their globals and translations, which
    templates read as they render; their options are the same, so one compilation serves
    all (the disk cache below has always been shared by them). Compiling every template once
    per language was most of the time of a small build: 0.35 of 0.46 s for 52 pages.
    """

    def __init__(self, disk: jinja2.BytecodeCache | None):
        self._compiled: dict[tuple[str, str], bytes] = {}
        self.disk = disk  # the cache on disk behind this one, when the build has one

    def load_bytecode(self, bucket) -> None:
        compiled = self._compiled.get((bucket.key, bucket.checksum))
        if compiled is not None:
            bucket.bytecode_from_string(compiled)
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self._compiled[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket) -> None:
        self._compiled[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)


@cache
def _compiled_templates(directory: Path | None) -> _CompiledOnce:
    return _CompiledOnce(sealed_bytecode_cache(directory) if directory is not None else None)


class Renderer:
    """Renders the pages of one language (or of no language, for the root)."""

    def __init__(
        self,
        db: model.Database,
        language: str | None,
        template_dir: Path = TEMPLATE_DIR,
        compiled_templates: Path | None = None,
    ):
        self.db = db
        self.language = language or db.site.languages[0]
        self.loc = Localiser(self.language, db.site)
        # Compiling the templates costs each render process about half a second: more than
        # rendering the few pages an edit changes. Jinja keys compiled templates by their source.
        bytecode_cache = _compiled_templates(compiled_templates)
        env = jinja2.Environment(
            bytecode_cache=bytecode_cache,
            loader=jinja2.FileSystemLoader(str(template_dir)),
            autoescape=True,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
        )
        gettext_ = translations(self.language)
        env.install_gettext_translations(gettext_, newstyle=True)
        self._gettext = gettext_.gettext
        loc = self.loc
        env.globals.update(
            site=db.site,
            lang=self.language,
            languages=db.site.languages,
            urls=urls,
            labels=labels,
            language_name=language_name,
            name=loc.country_name,
            localised=self.localised,
            date=loc.date,
            number=loc.number,
            percent=loc.percent,
            label=self.label,
            language_label=self.language_label,
            newest_date=db.newest_date,
            page_titles=self.page_titles,
            markdown=self.markdown,
        )
        # Labels used on every row of long lists, translated once rather than per row.
        _ = self._gettext
        env.globals.update(
            response_labels={key: _(text) for key, text in labels.RESPONSES.items()},
            action_labels={
                key: _("Action category %(number)s: %(name)s") % {"number": key, "name": _(text)}
                for key, text in labels.ACTIONS.items()
            },
            sdg_labels={
                key: _("SDG %(number)s: %(name)s") % {"number": key, "name": _(text)}
                for key, text in labels.SDGS.items()
            },
            fallback_notes={
                lang: _("Not available in this language; shown in %(language)s.")
                % {"language": self.language_label(lang)}
                for lang in labels.LANGUAGE_NAMES_IN_ENGLISH
            },
            session_label=lambda number: _("Session %(number)s") % {"number": number},
        )
        self.fragments = Fragments(self.language, loc, gettext_.gettext, db.site.base_url, db.countries)
        env.globals.update(
            records=self.fragments.records,
            rows=self.fragments.rows,
            rec_links=self.fragments.links,
            by_response=self.fragments.by_response,
            # HTML is made on this side only: the views hand templates data, these draw it.
            charts=Charts(db, self.language),
            matrix_rows=MatrixRows(db, self.language),
        )
        self.env = env

    def localised(self, text: model.Text | None) -> Localised | None:
        if text is None:
            return None
        value, lang = self.loc.text(text)
        return Localised(value, lang, lang != self.language)

    def label(self, table: dict, key) -> str:
        return self._gettext(table[key])

    def language_label(self, lang: str) -> str:
        """A language's name in the page's language, for fallback notes."""
        return self._gettext(labels.LANGUAGE_NAMES_IN_ENGLISH[lang])

    @cached_property
    def page_titles(self) -> dict[str, str]:
        titles = {}
        for page in self.db.pages.values():
            for lang in (self.language, *self.db.site.languages):
                if lang in page.sources:
                    titles[page.slug] = markdown_title(page.sources[lang])
                    break
        return titles

    @staticmethod
    def markdown(source: str) -> Markup:
        return Markup(_MD.render(source))

    def render(self, page: Page) -> bytes:
        template = self.env.get_template(page.template)
        alternates = (
            [Alternate(lang, urls.in_language(page.path, lang)) for lang in self.db.site.languages]
            if page.language
            else []
        )
        html = template.render(page=page, link=urls.Linker(page.path), alternates=alternates, **page.context)
        if COUNTRIES in html:
            html = html.replace(COUNTRIES, countries_prefix(page.path))
        ids = _ID.findall(html)
        if len(ids) != len(set(ids)):
            raise ContentError([_duplicate_id(page.path, html)])
        return html.encode("utf-8")


class Alternate(NamedTuple):
    """The same page in one of the site's languages (the language switcher, and hreflang links)."""

    language: str
    path: str


# Every id a page defines (what a #fragment points at). Content cannot write an attribute (values are
# escaped), so a page's ids are the templates' and the fragments', all written as ` id="..."`.
_ID = re.compile(r'\sid="([^"]*)"')


def _duplicate_id(path: str, html: str) -> Problem:
    """Where a page defines an id a second time: a link to it would land on the first."""
    seen: dict[str, int] = {}
    for match in _ID.finditer(html):
        line = html.count("\n", 0, match.start(1)) + 1
        if match[1] in seen:
            column = match.start(1) - html.rfind("\n", 0, match.start(1))
            return Problem(
                path,
                line,
                column,
                f"the page defines id '{cut(match[1])}' twice (first at line {seen[match[1]]})",
                "two records of the content give the same anchor: look for a State reviewed twice at a session",
            )
        seen[match[1]] = line
    raise AssertionError("no duplicate id")
