"""`python build.py archive`: the offline copy as one reproducible zip, and the link to it.

The round trip is tested as a reader would do it: the archive of the shipped
sample content is unzipped into a temporary folder and read in Chromium from
file://, with every request recorded.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, link_problems, run_cli, tree_bytes

NEWEST = "2022-06-30"  # the newest date of the base content: ARM 96.1's implementation report
FOLDER = f"uprsite-{NEWEST}"
HOMES = ("en/index.html", "fr/index.html", "es/index.html")
OFFLINE_NOTE = {
    "en": "This is the offline copy of the site, with the data as of June 30, 2022.",
    "fr": "Ceci est la copie hors ligne du site, avec les données à jour au 30 juin 2022.",
    "es": "Esta es la copia sin conexión del sitio, con los datos actualizados al 30 de junio de 2022.",
}


def members(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}


def test_archive_is_one_dated_folder_with_the_whole_site_a_readme_and_a_checksum(make_content, tmp_path):
    content = make_content()
    result = run_cli("archive", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    zip_path = tmp_path / "dist" / f"{FOLDER}.zip"
    assert str(zip_path.relative_to(tmp_path)) in result.stdout

    data = zip_path.read_bytes()
    checksum = tmp_path / "dist" / f"{FOLDER}.zip.sha256"
    assert checksum.read_text(encoding="ascii") == f"{hashlib.sha256(data).hexdigest()}  {FOLDER}.zip\n"
    if shutil.which("sha256sum"):
        assert (
            subprocess.run(["sha256sum", "-c", checksum.name], cwd=checksum.parent, capture_output=True).returncode == 0
        )

    with zipfile.ZipFile(zip_path) as zf:
        assert zf.testzip() is None
        infos = zf.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {name.split("/", 1)[0] for name in names} == {FOLDER}
    assert {info.date_time for info in infos} == {(2022, 6, 30, 0, 0, 0)}

    # The whole site is there, as `build` makes it, but for the home pages' offline note.
    files = members(zip_path)
    site = tmp_path / "site"
    assert run_cli("build", "--content", str(content), "--out", str(site)).returncode == 0
    built = tree_bytes(site)
    inside = {name.removeprefix(FOLDER + "/"): value for name, value in files.items()}
    assert set(inside) == set(built) | {"README.txt"}
    assert {path for path in built if built[path] != inside[path]} == set(HOMES)

    readme = inside["README.txt"].decode("utf-8")
    for words in ("How to open it", "Pour l'ouvrir", "Cómo abrirlo"):
        assert words in readme
    assert f"index.html in the\r\nfolder {FOLDER}" in readme or f"folder {FOLDER}" in readme.replace("\r\n", " ")
    assert f"{FOLDER}.zip.sha256" in readme.replace("\r\n", " ")


def test_the_same_content_gives_the_same_zip_bytes(make_content, tmp_path):
    content = make_content()
    first, second = tmp_path / "a" / "uprsite.zip", tmp_path / "b" / "uprsite.zip"  # the README names the zip
    assert run_cli("archive", "--content", str(content), "--out", str(first)).returncode == 0
    # Another day, another time zone, files touched: the zip does not change.
    for path in content.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    result = run_cli(
        "archive", "--content", str(content), "--out", str(second), env={"TZ": "Pacific/Kiritimati", "LC_ALL": "C"}
    )
    assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()


def test_archived_home_pages_say_they_are_the_offline_copy_of_the_data_date(make_content, tmp_path):
    zip_path = tmp_path / "a.zip"
    assert run_cli("archive", "--content", str(make_content()), "--out", str(zip_path)).returncode == 0
    files = members(zip_path)
    for lang, note in OFFLINE_NOTE.items():
        home = files[f"{FOLDER}/{lang}/index.html"].decode("utf-8")
        assert note in home
        assert 'rel="external">' not in home.split("<main", 1)[1].split("</main>", 1)[0]


def expected_size(size: int, lang: str) -> str:
    kilobytes = round(size / 1000)
    assert kilobytes < 1000  # the fixture content's archive is well under a megabyte
    return {"en": f"{kilobytes} kB", "fr": f"{kilobytes}\u202fko", "es": f"{kilobytes} kB"}[lang]


def test_published_home_pages_link_to_the_archive_with_its_size_only_when_asked(make_content, tmp_path):
    content = make_content()
    assert run_cli("archive", "--content", str(content), cwd=tmp_path).returncode == 0
    size = (tmp_path / "dist" / f"{FOLDER}.zip").stat().st_size
    url = f"https://downloads.example.org/upr/{FOLDER}.zip"
    site = tmp_path / "site"

    def build(*extra: str):
        result = run_cli("build", "--content", str(content), "--out", str(site), *extra, cwd=tmp_path)
        assert result.returncode == 0, result.stderr

    def links() -> dict[str, list[str]]:
        return {
            path.relative_to(site).as_posix(): re.findall(
                r'<a href="' + re.escape(url) + r'"[^>]*>.*?</p>', path.read_text(encoding="utf-8")
            )
            for path in site.rglob("*.html")
        }

    build()
    assert not any(links().values())
    # Built again with the URL (the cache must not keep the pages without it): the size is read from dist/.
    build("--archive-url", url)
    found = {path: found for path, found in links().items() if found}
    assert set(found) == set(HOMES)
    for path, (paragraph,) in found.items():
        lang = path.split("/")[0]
        assert 'rel="external"' in paragraph
        assert expected_size(size, lang) in paragraph
        assert OFFLINE_NOTE[lang] not in (site / path).read_text(encoding="utf-8")
    # The zip named explicitly, anywhere.
    moved = tmp_path / "elsewhere.zip"
    shutil.copy(tmp_path / "dist" / f"{FOLDER}.zip", moved)
    build("--archive-url", url, "--archive-file", str(moved))
    assert {path for path, found in links().items() if found} == set(HOMES)
    build()
    assert not any(links().values())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--archive-url", "dist/uprsite.zip"], "--archive-url must be an absolute http:// or https:// address"),
        (
            ["--archive-url", "https://example.org/uprsite-1999-01-01.zip"],
            "dist/uprsite-1999-01-01.zip: no such archive",
        ),
        (["--archive-file", "x.zip"], "--archive-file needs --archive-url"),
    ],
)
def test_archive_url_mistakes_are_usage_errors(make_content, tmp_path, args, message):
    result = run_cli("build", "--content", str(make_content()), "--out", str(tmp_path / "site"), *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "site").exists()


def test_invalid_content_writes_no_archive(make_content, tmp_path):
    content = make_content({"sessions/35/ARM.yaml": "state: ARM\nrecommendations: 7\n"})
    result = run_cli("archive", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(r"sessions/35/ARM\.yaml:2:\d+: ", result.stderr), result.stderr
    assert not (tmp_path / "dist").exists()


# -- the round trip, from file:// ------------------------------------------------


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory) -> Path:
    """The archive of the shipped sample content, unzipped: its one folder."""
    root = tmp_path_factory.mktemp("archive")
    zip_path = root / "uprsite.zip"
    result = run_cli(
        "archive",
        "--content",
        str(ROOT / "content"),
        "--out",
        str(zip_path),
        env={"XDG_CACHE_HOME": str(root / "cache")},
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "unzipped")
    (folder,) = (root / "unzipped").iterdir()
    return folder


def test_every_link_of_the_unzipped_archive_resolves(sample_archive):
    assert link_problems(sample_archive) == []


@pytest.mark.browser
def test_round_trip_from_disk_walks_switches_language_and_searches(sample_archive, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto((sample_archive / "index.html").as_uri())
    page.get_by_role("link", name="English").click()
    date = re.search(r"\d{4}-\d{2}-\d{2}", sample_archive.name).group(0)
    note = page.locator("main .edition-note")
    assert note.is_visible()
    assert "offline copy" in note.inner_text() and date[:4] in note.inner_text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Countries").click()
    page.get_by_role("link", name="Armenia", exact=True).first.click()
    assert page.url.endswith("/en/countries/arm/index.html")
    page.get_by_role("navigation", name="Languages").get_by_role("link", name="Français").click()
    assert page.url.endswith("/fr/countries/arm/index.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Arménie"
    page.locator("main a[data-session='35']").click()
    assert page.url.endswith("/fr/countries/arm/35/index.html")

    page.locator("#r-35-ARM-96\\.1 dl a[href*='themes/']").first.click()
    assert re.search(r"/fr/themes/[^/]+/index\.html$", page.url)
    assert page.locator("main a[href$='/arm/35/index.html#r-35-ARM-96.1']").count() == 1

    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Recherche").click()
    assert page.url.endswith("/fr/search/index.html")
    page.locator("#search-q").fill("Conseil de l'Europe violence domestique")
    page.wait_for_function(
        "() => (document.getElementById('search-results').getAttribute('data-shown') || '').includes('domestique')"
    )
    result = page.locator("#search-results a.search-text[href$='#r-35-ARM-96.1']")
    assert result.count() == 1
    # Narrowed down with a facet, the recommendation is still found, and only Armenia's remain.
    page.locator("#search-sur").select_option("ARM")
    page.wait_for_function(
        "() => (document.getElementById('search-results').getAttribute('data-shown') || '').includes('sur=ARM')"
    )
    hrefs = page.locator("#search-results a.search-text").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(re.search(r"/arm/[0-9]+/index\.html#r-", href) for href in hrefs)
    assert result.count() == 1
    result.click()
    assert page.url.endswith("/fr/countries/arm/35/index.html#r-35-ARM-96.1")

    assert requests and all(url.startswith("file://") for url in requests), [
        url for url in requests if not url.startswith("file://")
    ]
    assert errors == []


def test_a_machine_without_node_gets_a_clear_error_and_no_archive(make_content, tmp_path):
    zip_path = tmp_path / "offline.zip"
    result = run_cli(
        "archive", "--content", str(make_content()), "--out", str(zip_path), env={"PATH": str(tmp_path / "empty")}
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: the search index needs Node.js") and "Traceback" not in result.stderr
    assert not zip_path.exists()
