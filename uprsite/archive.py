"""`python build.py archive`: the whole site as one zip, to read offline.

Readers with slow, costly or no connection download the site once and open it
from disk. The archive is a build of the content made for that (its home page
says it is the offline copy, and of which date), packed as one folder
`uprsite-<date>/` with a short README in the site's languages. The date is
that of the newest data, never the clock, and entries are sorted and carry
fixed timestamps and permissions, so the same content always gives the same
zip bytes. A SHA-256 checksum file in `sha256sum` format is written beside it.

The published site links to the archive when built with `--archive-url URL`
(see `published_edition`): the size shown is read from the zip itself.
"""

from __future__ import annotations

import datetime
import hashlib
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .atomic import replacing, write_atomically
from .faults import FormatLimit
from .labels import N_
from .reuse import BuildManifest
from .views import Edition

DIST_DIR = Path("dist")
README_NAME = "README.txt"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
ZIP_LAST_YEAR = 2107  # and the latest year (7 bits from 1980)
FILE_MODE = 0o100644
DIR_MODE = 0o040755
MS_DOS_DIRECTORY = 0x10

README_TITLE = N_("%(site)s: offline copy, data as of %(date)s")
README_TITLE_UNDATED = N_("%(site)s: offline copy")
README_PARAGRAPHS = (
    N_(
        "How to open it: unzip the archive, then open the file index.html in the folder %(folder)s with a web "
        "browser (double-click it, or drag it into a browser window), and choose a language."
    ),
    N_(
        "Everything works from the folder, without a connection: every page, every language and the search. "
        "Nothing is loaded from the Internet."
    ),
    N_(
        "To check that the download is complete, compare the SHA-256 checksum of the zip file with the one "
        "published beside it, in the file %(file)s."
    ),
)


def folder_name(newest: datetime.date | None) -> str:
    """The archive's one folder, named after the date of the newest data."""
    return f"uprsite-{newest.isoformat()}" if newest else "uprsite-undated"


def readme(db, folder: str, checksum_name: str) -> bytes:
    """How to open the archive, in each language of the site (CRLF, for every text editor)."""
    from .localise import Localiser, translations

    sections = []
    for lang in db.site.languages:
        _ = translations(lang).gettext
        loc = Localiser(lang, db.site)
        site = loc.text(db.site.title)[0]
        title = (
            _(README_TITLE) % {"site": site, "date": loc.date(db.newest_date)}
            if db.newest_date
            else _(README_TITLE_UNDATED) % {"site": site}
        )
        lines = [title, "=" * len(title), ""]
        for paragraph in README_PARAGRAPHS:
            lines += textwrap.wrap(
                _(paragraph) % {"folder": folder, "file": checksum_name},
                76,
                break_long_words=False,
                break_on_hyphens=False,
            )
            lines.append("")
        sections.append("\n".join(lines))
    return "\n".join(sections).replace("\n", "\r\n").encode("utf-8")


def pack(site_dir: Path, folder: str, extra: dict[str, bytes], zip_path: Path, when: tuple = ZIP_EPOCH) -> int:
    """Zip the site under `folder/` (plus `extra` files), reproducibly; returns the number of files.

    Written to a temporary file beside `zip_path` and moved into place, so a
    failure never leaves half a zip under the final name.
    """
    files: dict[str, Path | bytes] = {}
    for path in site_dir.rglob("*"):
        if path.is_file():
            files[f"{folder}/{path.relative_to(site_dir).as_posix()}"] = path
    for name, data in extra.items():
        files[f"{folder}/{name}"] = data
    folders = {f"{folder}/"}
    for name in files:
        parts = name.split("/")[:-1]
        folders.update("/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))

    with replacing(zip_path) as handle, zipfile.ZipFile(handle, "w") as zf:
        for name in sorted(folders | set(files)):
            info = zipfile.ZipInfo(name, date_time=when)
            info.create_system = 3  # Unix, so that the permissions below are read
            if name in folders:
                info.external_attr = (DIR_MODE << 16) | MS_DOS_DIRECTORY
                zf.writestr(info, b"")
                continue
            source = files[name]
            data = source if isinstance(source, bytes) else source.read_bytes()
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=9)
    return len(files)


def checksum_path(zip_path: Path) -> Path:
    return zip_path.with_name(zip_path.name + ".sha256")


def write_checksum(zip_path: Path) -> Path:
    """`<zip>.sha256` beside the zip, as `sha256sum` writes it (so `sha256sum -c` checks it)."""
    digest = hashlib.sha256()
    with zip_path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    path = checksum_path(zip_path)
    write_atomically(path, f"{digest.hexdigest()}  {zip_path.name}\n".encode("ascii"))
    return path


def published_edition(url: str, archive_file: str | None = None) -> Edition:
    """The published site's link to the archive, for `build --archive-url URL [--archive-file ZIP]`.

    The size shown is that of the zip file: `--archive-file`, or by default
    `dist/` + the last part of the URL, where `python build.py archive` put it.
    Raises ValueError with a message for the reader when either is wrong.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--archive-url must be an absolute http:// or https:// address, not {url!r}")
    path = Path(archive_file) if archive_file else DIST_DIR / Path(parts.path).name
    if not path.is_file():
        raise ValueError(
            f"{path}: no such archive; build it first with `python build.py archive`"
            + ("" if archive_file else ", or name it with --archive-file")
        )
    return Edition(archive_url=url, archive_bytes=path.stat().st_size)


@dataclass(frozen=True)
class Archived:
    """What `archive` wrote."""

    zip_path: Path
    checksum_path: Path
    size: int  # of the zip, in bytes
    files: int
    folder: str  # the one folder the zip holds


def make_archive(content_dir: str, out: str | None = None) -> Archived:
    """Build the site offline and pack it as one zip (default under dist/) with its SHA-256; raises as build does."""
    from .build import build, load_database
    from .reuse import ParseCache

    db = load_database(content_dir, cache=ParseCache())
    if db.newest_date and db.newest_date.year > ZIP_LAST_YEAR:
        raise FormatLimit(
            f"the newest date of the content is {db.newest_date.isoformat()}, and a zip file cannot "
            f"store a date after {ZIP_LAST_YEAR}: no archive was made"
        )
    folder = folder_name(db.newest_date)
    zip_path = Path(out) if out else DIST_DIR / f"{folder}.zip"
    when = (
        (db.newest_date.year, db.newest_date.month, db.newest_date.day, 0, 0, 0)
        if db.newest_date and db.newest_date.year >= 1980
        else ZIP_EPOCH
    )
    with tempfile.TemporaryDirectory(prefix="uprsite-archive-") as tmp:
        site_dir = Path(tmp) / "site"
        build(content_dir, site_dir, edition=Edition(offline_copy=True))
        BuildManifest(site_dir).forget()  # the folder is gone after this: nothing to reuse
        extra = {README_NAME: readme(db, folder, checksum_path(zip_path).name)}
        count = pack(site_dir, folder, extra, zip_path, when)
    checksum = write_checksum(zip_path)
    return Archived(zip_path, checksum, zip_path.stat().st_size, count, folder)
