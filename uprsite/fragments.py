"""HTML of single recommendations: the full record, the short row, the bare link.

A build writes millions of these (160,000 recommendations, each on several
pages, in three languages), which is more than Jinja can render in our time
budget: its per-attribute lookups cost ~40 µs a row. So these two fragments
are built here with escaped f-strings, once per recommendation and language,
and the page templates (Jinja) place them. Every label still comes from the
gettext catalogs and every value goes through `markupsafe.escape`.

The markup is kept lean, as every byte is written about half a million
times: the full record has no class the stylesheet can do without (it
reaches the parts of `ol.recs > li` by their place), short rows have no id
(a recommendation's link is its full record on its review's page), and both
leave out the end tags HTML lets a parser imply (</li>, </p>, </dt>, </dd>),
which gives the same document tree.

Rows and records appear on pages at different depths (a theme's first page,
its page-2, a review's page and its page-2 ...), so their links start with
COUNTRIES, a placeholder that `Renderer.render` replaces with the path from
the page to the `<lang>/countries/` folder: one cached string serves pages
at every depth.
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup, escape

from . import labels, model, urls

COUNTRIES = "\x00"  # stands for the path from the page to <lang>/countries/


class Fragments:
    """Fragments for one language; rows are cached, as each appears on several pages."""

    def __init__(self, language: str, loc, gettext, base_url: str | None = None, countries=None):
        self.language = language
        self.loc = loc
        self.base_url = base_url  # permalinks are absolute when the site says where it lives
        self.countries = countries or {}  # by code: names of States under Review in citations
        _ = gettext
        self.responses = {k: str(escape(_(v))) for k, v in labels.RESPONSES.items()}
        self.actions = {
            k: str(escape(_("Action category %(number)s: %(name)s") % {"number": k, "name": _(v)}))
            for k, v in labels.ACTIONS.items()
        }
        self.sdgs = {
            k: str(escape(_("SDG %(number)s: %(name)s") % {"number": k, "name": _(v)})) for k, v in labels.SDGS.items()
        }
        self.statuses = {k: str(escape(_(v))) for k, v in labels.STATUSES.items()}
        # A text shown in another language says which; short, as it is on most records in French and Spanish.
        self.fallback_notes = {
            lang: str(escape(_("(in %(language)s)") % {"language": _(name)}))
            for lang, name in labels.LANGUAGE_NAMES_IN_ENGLISH.items()
        }
        self.label_by = str(escape(_("Recommended by")))
        self.label_themes = str(escape(_("Themes")))
        self.label_sdgs = str(escape(_("Sustainable Development Goals")))
        self.label_implementation = str(escape(_("Implementation")))
        # How to cite a recommendation; the paragraph only where the id is one ("96.1"), not a sequence number.
        self.cite_paragraph = str(escape(_("%(state)s, UPR session %(session)s, para. %(paragraph)s (%(by)s)")))
        self.cite = str(escape(_("%(state)s, UPR session %(session)s (%(by)s)")))
        self._names: dict[str, str] = {}
        self._themes: dict[str, str] = {}
        self._rows: dict[tuple, str] = {}
        self._country_hrefs: dict[str, str] = {}
        self._countries = posixpath.dirname(urls.countries(language)) + "/"

    def _name(self, country: model.Country) -> str:
        name = self._names.get(country.code)
        if name is None:
            name = self._names[country.code] = str(escape(self.loc.country_name(country)))
        return name

    def _text(self, text: model.Text, tag: str, css: str) -> str:
        value, lang = self.loc.text(text)
        if lang == self.language:
            return f'<{tag} class="{css}">{escape(value)}</{tag}>'
        return f'<{tag} class="{css}" lang="{lang}">{escape(value)}</{tag}>'

    def _theme_link(self, theme: model.Theme) -> str:
        link = self._themes.get(theme.id)
        if link is None:
            value, lang = self.loc.text(theme.name)
            name = f'<span lang="{lang}">{escape(value)}</span>' if lang != self.language else str(escape(value))
            href = escape(self._under_countries(urls.theme(self.language, theme.id)))
            link = self._themes[theme.id] = f'<a href="{href}">{name}</a>'
        return link

    def record(self, item) -> Markup:
        """The full record, for its review's page."""
        rec = item.rec
        anchor, rec_id = escape(rec.anchor), escape(rec.id)
        # Escaped here, where it meets HTML, although the schema already refuses quotes and brackets
        # in base_url: a value is safe in a page only if it is escaped where it is written.
        permalink = escape(
            f"{self.base_url}{urls.recommendation(self.language, rec, item.page)}"
            if self.base_url
            else f"#{rec.anchor}"
        )
        # Head (permalink, response, action), text (with a note when in another language), the
        # fields, the citation: static/style.css tells them apart by place, not by class. The
        # parser closes each <p> at the next <p> or <dl>, each <dt>/<dd> at the next or at </dl>.
        parts = [
            f'<li id="{anchor}"><p><a href="{permalink}">{rec_id}</a> '
            f'<span class="r-{rec.response}">{self.responses[rec.response]}</span>'
        ]
        if rec.action:
            parts.append(f" <span>{self.actions[rec.action]}</span>")
        value, lang = self.loc.text(rec.text)
        if lang == self.language:
            parts.append(f"<p>{escape(value)}")
        else:
            parts.append(f'<p><span lang="{lang}">{escape(value)}</span> <span>{self.fallback_notes[lang]}</span>')
        parts.append(f"<dl><dt>{self.label_by}<dd>")
        parts.append(", ".join(f'<a href="{self._country_href(c.code)}">{self._name(c)}</a>' for c in item.by))
        if item.themes:
            parts.append(f"<dt>{self.label_themes}<dd>")
            parts.append(", ".join(self._theme_link(t) for t in item.themes))
        if rec.sdgs:
            parts.append(f"<dt>{self.label_sdgs}<dd>{'; '.join(self.sdgs[g] for g in rec.sdgs)}")
        if rec.implementation:
            parts.append(f"<dt>{self.label_implementation}<dd><ul>")
            for assessment in reversed(rec.implementation):
                source = ""
                if assessment.source:
                    value, lang = self.loc.text(assessment.source)
                    source = (
                        f' (<span lang="{lang}">{escape(value)}</span>)'
                        if lang != self.language
                        else f" ({escape(value)})"
                    )
                parts.append(
                    f'<li><span class="status status-{assessment.status}">{self.statuses[assessment.status]}'
                    f"</span>, {escape(self.loc.date(assessment.date))}{source}</li>"
                )
            parts.append("</ul>")
        parts.append("</dl>")
        cite = {
            "state": self._name(self.countries[rec.state]),
            "session": rec.session,
            "by": ", ".join(self._name(c) for c in item.by),
            "paragraph": rec_id,
        }
        parts.append(f"<small>{(self.cite_paragraph if '.' in rec.id else self.cite) % cite}</small>\n")
        return Markup("".join(parts))

    def records(self, items) -> Markup:
        return Markup("".join(self.record(item) for item in items))

    def row(self, item, short: int = 0, show_by: bool = True) -> str:
        """One line: id (linking to the full record), response, text (cut at `short` characters), authors."""
        key = (item.rec.session, item.rec.state, item.rec.id, short, show_by)
        row = self._rows.get(key)
        if row is None:
            rec = item.rec
            value, lang = self.loc.text(rec.text)
            if short and len(value) > short:
                value = value[:short].rsplit(" ", 1)[0].rstrip(",;:") + "…"
            text = f'<span lang="{lang}">{escape(value)}</span>' if lang != self.language else str(escape(value))
            by = f' <span class="by">({", ".join(self._name(c) for c in item.by)})</span>' if show_by else ""
            row = self._rows[key] = (
                f'<li><a href="{self._from_countries(item)}">'
                f'{escape(rec.id)}</a> <span class="r-{rec.response}">{self.responses[rec.response]}</span> '
                f"{text}{by}\n"
            )
        return row

    def rows(self, group, short: int = 0, show_by: bool = True) -> Markup:
        return Markup("".join(self.row(item, short, show_by) for item in group.items))

    def links(self, group) -> Markup:
        """Just the ids, each linking to its full record: for the long lists of made-by pages."""
        return Markup(", ".join(self._link(item) for item in group.items))

    def by_response(self, group) -> Markup:
        """A review's recommendations as ids, under each response with how many: for session pages.

        "Supported (217): 1.1, 1.2, ..." says what a session decided in a few lines per State, where a
        row per recommendation repeated every text of the country pages (138 MB of the 160k site).
        """
        ids: dict[str, list[str]] = {}
        for item in group.items:
            ids.setdefault(item.rec.response, []).append(self._link(item))
        return Markup(
            "".join(
                f'<dt><span class="r-{response}">{self.responses[response]}</span> '
                f"({self.loc.number(len(ids[response]))})</dt><dd>{', '.join(ids[response])}</dd>\n"
                for response in labels.RESPONSES
                if response in ids
            )
        )

    def _link(self, item) -> str:
        return f'<a href="{self._from_countries(item)}">{escape(item.rec.id)}</a>'

    def _country_href(self, code: str) -> str:
        """From a full record to the page of a State."""
        href = self._country_hrefs.get(code)
        if href is None:
            href = self._country_hrefs[code] = str(escape(self._under_countries(urls.country(self.language, code))))
        return href

    def _under_countries(self, path: str) -> str:
        """A page's link from any page: COUNTRIES, then its path from <lang>/countries/."""
        return COUNTRIES + urls.relative(path, self._countries.rstrip("/"))

    def _from_countries(self, item) -> str:
        """A recommendation's link from any page: COUNTRIES, then its path under <lang>/countries/."""
        return COUNTRIES + escape(urls.recommendation(self.language, item.rec, item.page).removeprefix(self._countries))


def countries_prefix(page_path: str) -> str:
    """The path from a page to its language's countries/ folder."""
    language = page_path.split("/", 1)[0]
    return urls.relative(f"{language}/countries", posixpath.dirname(page_path)) + "/"
