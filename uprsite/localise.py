"""Language-specific formatting through babel's CLDR data, and UI catalogs.

Dates, numbers, percentages and country names come from CLDR, never from the
operating system's locale, so output is the same on every machine. UI strings
come from the gettext catalogs in `i18n/`, which are compiled in memory at
build time (only `.po` files are kept in the repository).
"""

from __future__ import annotations

import gettext
import io
import unicodedata
from functools import cache
from pathlib import Path

from babel import Locale, dates, numbers, units
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from . import model

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
DOMAIN = "messages"


@cache
def translations(language: str, i18n_dir: Path = I18N_DIR) -> gettext.NullTranslations:
    """The UI catalog of a language, compiled from its .po file."""
    po = i18n_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    # Fuzzy entries are left out, as msgfmt does: a guess is not a translation.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def language_name(language: str) -> str:
    """A language named in itself, capitalised as a menu entry: 'Français'."""
    name = Locale(language).get_display_name(language)
    return name[:1].upper() + name[1:]


def collation_key(text: str, language: str):
    """Sort key for names in the alphabetical order of a language.

    CLDR's root collation, which French and English follow for names, orders
    letters by their base letter first and accents only break ties (Égypte
    sorts under E). Spanish adds ñ as a letter of its own after n.
    """
    folded = text.casefold()
    if language == "es":
        folded = folded.replace("ñ", "n\uffff")
    base = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    base = "".join(c for c in base if c.isalnum() or c == " " or c == "\uffff")
    return (base, folded, text)


def initial(text: str) -> str:
    """The letter a name is listed under: 'Égypte' -> 'E'."""
    for char in unicodedata.normalize("NFD", text):
        if char.isalpha():
            return char.upper()
    return "#"


class Localiser:
    """Everything one language needs to show model values."""

    def __init__(self, language: str, site: model.Site):
        self.language = language
        self.locale = Locale(language)
        self.fallbacks = site.languages
        self._territories = self.locale.territories
        self._names: dict[str, str] = {}
        self._numbers: dict = {}

    def text(self, text: model.Text) -> tuple[str, str]:
        """(text, its language): in the page's language or the first fallback."""
        return text.choose(self.language, self.fallbacks)

    def country_name(self, country: model.Country) -> str:
        name = self._names.get(country.code)
        if name is None:
            name = country.name.get(self.language) if country.name else None
            if name is None:
                name = self._territories.get(country.iso2)
            if name is None and country.name:
                name = self.text(country.name)[0]
            name = name or country.code
            self._names[country.code] = name
        return name

    def date(self, value, format: str = "long") -> str:
        return dates.format_date(value, format, locale=self.locale)

    def number(self, value) -> str:
        # babel takes ~20 µs a number, and pages show the same small numbers again and again.
        text = self._numbers.get(value)
        if text is None:
            text = self._numbers[value] = numbers.format_decimal(value, locale=self.locale)
        return text

    def percent(self, value: float) -> str:
        return numbers.format_percent(value, locale=self.locale)

    def file_size(self, size: int) -> str:
        """A size in bytes as readers see it in downloads: '4.2 MB', '4,2 Mo', '420 kB'."""
        if size >= 1_000_000:
            return units.format_unit(
                size / 1e6, "digital-megabyte", length="short", format="#,##0.0", locale=self.locale
            )
        return units.format_unit(max(1, round(size / 1e3)), "digital-kilobyte", length="short", locale=self.locale)

    def sort_key(self, text: str):
        return collation_key(text, self.language)
