"""HTML rows of the follow-up matrix, in one language.

Every State's latest review is printed once more as a matrix, in three
languages: some 40,000 rows at 160,000 recommendations, which Jinja renders
about ten times slower than an escaped f-string (as fragments.py explains).
So matrix.html lays out the page and calls `MatrixRows.rows` for each theme's
rows. Labels come from the gettext catalogs, values go through
`markupsafe.escape`, and optional end tags (`</td>`, `</tr>`) are left out,
as HTML allows: 40,000 rows in three languages make every byte count.
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup, escape

from . import labels, model, urls
from .fragments import COUNTRIES
from .localise import Localiser, translations


class MatrixRows:
    def __init__(self, db: model.Database, language: str):
        self.language = language
        self.loc = Localiser(language, db.site)
        _ = translations(language).gettext
        self.responses = {k: str(escape(_(v))) for k, v in labels.RESPONSES.items()}
        self.statuses = {k: str(escape(_(v))) for k, v in labels.STATUSES.items()}
        self.fallback_notes = {
            lang: str(escape(_("(in %(language)s)") % {"language": _(name)}))
            for lang, name in labels.LANGUAGE_NAMES_IN_ENGLISH.items()
        }
        self._names: dict[str, str] = {}
        self._countries = posixpath.dirname(urls.countries(language)) + "/"

    def _name(self, country: model.Country) -> str:
        name = self._names.get(country.code)
        if name is None:
            name = self._names[country.code] = str(escape(self.loc.country_name(country)))
        return name

    def _text(self, text: model.Text) -> str:
        value, lang = self.loc.text(text)
        return str(escape(value)) if lang == self.language else f'<span lang="{lang}">{escape(value)}</span>'

    def rows(self, items) -> Markup:
        """One row per recommendation (views.RecView), for a matrix page beside its country page."""
        parts = []
        for item in items:
            rec = item.rec
            value, lang = self.loc.text(rec.text)
            text = (
                escape(value)
                if lang == self.language
                else f'<span lang="{lang}">{escape(value)}</span> '
                f'<span class="fallback-note">{self.fallback_notes[lang]}</span>'
            )
            status = ""
            latest = rec.latest_status
            if latest:
                status = f"{self.statuses[latest.status]}, {escape(self.loc.date(latest.date, 'medium'))}"
                if latest.source:
                    status += f" ({self._text(latest.source)})"
            # Matrices have pages at two depths: the link starts from the countries/ folder (COUNTRIES).
            href = COUNTRIES + escape(urls.recommendation(self.language, rec, item.page).removeprefix(self._countries))
            parts.append(
                f'<tr><td><a href="{href}">{escape(rec.id)}</a><td>{text}'
                f"<td>{', '.join(self._name(c) for c in item.by)}<td>{self.responses[rec.response]}"
                f"<td>{rec.action or ''}<td>{status}\n"
            )
        return Markup("".join(parts))
