"""The records every page kind uses: what a page is (`Page`), what it depends on (`Deps`), and
the data shapes several kinds hand their templates (`RecView`, `Group`, `FileLink`, `Edition`).

Kinds know URLs and the order things are listed in; they know nothing of Jinja or HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .. import model
from ..localise import Localiser
from ..reuse import fingerprint


@dataclass(frozen=True, slots=True)
class Deps:
    """What a page shows beyond the reference data every page may show (States, themes, sessions, site),
    as digests: incremental builds compare them.

    - shown: the recommendations (and reviews) it shows in full, texts included;
    - counted: the reviews it only counts or lists by id (see reuse.keys: facts);
    - values: anything else that changes it (its place in a pagination, the
      sizes of the files it links to, the edition).
    """

    shown: str = ""
    counted: str = ""
    values: tuple = ()


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    template: str
    language: str | None
    make: Callable[[], dict] = field(hash=False, compare=False, repr=False)  # the template's data
    kind: str = ""
    deps: Deps = Deps()
    weight: int = 0  # about how many recommendations it shows: render work is shared by this

    @property
    def context(self) -> dict:
        return self.make()


@dataclass(frozen=True, slots=True)
class RecView:
    """A recommendation with its references resolved, and the page of its review it is on (placement)."""

    rec: model.Recommendation
    by: tuple[model.Country, ...]
    themes: tuple[model.Theme, ...]
    page: int = 1


@dataclass(frozen=True, slots=True)
class Group:
    """Recommendations under one heading (a State under Review, a review)."""

    country: model.Country
    session: model.Session | None
    items: tuple[RecView, ...]


@dataclass(frozen=True, slots=True)
class Edition:
    """Which copy of the site a build makes, as its home page tells readers.

    The published site may link to the offline archive (where the operator
    publishes it, and its size in bytes); the copy inside that archive says
    instead that it is the offline copy.
    """

    offline_copy: bool = False
    archive_url: str | None = None
    archive_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class FileLink:
    """A data file as a page links to it: its size is known only once the files are compressed."""

    offer: object  # downloads.Offer
    loc: Localiser

    @property
    def size(self) -> str:
        return self.loc.file_size(self.offer.size)


def combine(parts) -> str:
    """One digest of many (of an iterable, where fingerprint.combine takes arguments)."""
    return fingerprint.combine(*parts)
