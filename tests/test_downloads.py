"""Data downloads: the files under site/data/ hold the same recommendations as the content.

Each file is opened with Python's csv, json and gzip modules and compared
with the content read independently with PyYAML (tests/records.py); the
UPR Info flavour is compared byte for byte with the form of UPR Info's own
export and imported back with `import-upr-info`. Also here: the links and
sizes pages show, the citation of each recommendation, and the search
page's CSV of a result set, downloaded in Chromium.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml
from babel import units

from uprsite.build import build

from .conftest import ROOT, SHARED, run_cli
from .records import RESPONSE_NAMES, read_content
from .sample_site import sample_site  # noqa: F401 - the fixture

LANGS = ("en", "fr", "es")
CSV_COLUMNS = ["id", "session", "cycle", "state_under_review", "recommended_by", "text_en", "text_fr", "text_es",
               "themes", "response", "action", "sdgs", "implementation_status"]
UPR_INFO_HEADER = b"\xef\xbb\xbfSuR;Rgrp;Org;Recommendation;RS;Rgrp;Org;Response;Action;Issue;Session\r\n"


@pytest.fixture(scope="module")
def content():
    return read_content(ROOT / "content")


def gunzip(path: Path) -> bytes:
    data = path.read_bytes()
    # Reproducible: no file name (FLG without FNAME) and no time in the header.
    assert data[:2] == b"\x1f\x8b" and data[3] == 0 and data[4:8] == b"\0\0\0\0"
    return gzip.decompress(data)


def csv_row(rec: dict) -> dict:
    """A recommendation as the CSV flavour must hold it."""
    return {
        "id": rec["id"], "session": str(rec["session"]), "cycle": str(rec["cycle"]),
        "state_under_review": rec["state"], "recommended_by": ";".join(rec["by"]),
        **{f"text_{lang}": rec["text"].get(lang, "") for lang in LANGS},
        "themes": ";".join(rec["themes"]), "response": rec["response"],
        "action": str(rec["action"] or ""), "sdgs": ";".join(map(str, rec["sdgs"])),
        "implementation_status": rec["implementation"][-1]["status"] if rec["implementation"] else "",
    }


def json_record(rec: dict) -> dict:
    return {
        "id": rec["id"], "session": rec["session"], "cycle": rec["cycle"], "state": rec["state"],
        "by": rec["by"], "text": rec["text"], "themes": rec["themes"], "response": rec["response"],
        "action": rec["action"], "sdgs": rec["sdgs"],
        "implementation": [{k: v for k, v in a.items()} for a in rec["implementation"]],
    }


def read_csv(data: bytes) -> list[dict]:
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    return rows


def test_whole_database_csv_holds_every_recommendation(sample_site, content):
    data = gunzip(sample_site.root / "data/recommendations.csv.gz")
    assert data.splitlines()[0].decode() == ",".join(CSV_COLUMNS)
    assert data.count(b"\r\n") >= len(content.recs) + 1  # CRLF line ends
    assert read_csv(data) == [csv_row(r) for r in content.recs]


def test_whole_database_json_follows_its_schema(sample_site, content):
    document = json.loads(gunzip(sample_site.root / "data/recommendations.json.gz"))
    schema = json.loads((sample_site.root / "data/recommendations.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads((ROOT / "docs/recommendations.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema)
    assert document["recommendations"] == [json_record(r) for r in content.recs]


def upr_info_rows(content, recs) -> list[list[str]]:
    """The rows UPR Info's export would have: one per recommending State, names in English."""
    regions = {"africa": "Africa", "asia-pacific": "Asia", "eeg": "EEG", "grulac": "GRULAC", "weog": "WEOG",
               "none": "Observer"}
    organisations = yaml.load((ROOT / "content/organisations.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    orgs = {o["id"]: o["acronym"]["en"] for o in organisations}

    def state(code):
        country = content.countries[code]
        return [content.english_state(code), regions[country["region"]],
                ", ".join(orgs[o] for o in country.get("organisations") or [])]
    rows = []
    for rec in recs:
        text = rec["text"].get("en") or rec["text"].get("fr") or rec["text"]["es"]
        for code in rec["by"]:
            rows.append([*state(rec["state"]), text, *state(code), RESPONSE_NAMES[rec["response"]],
                         str(rec["action"] or ""), ",".join(content.english_theme(t) for t in rec["themes"]),
                         str(rec["session"])])
    return rows


def test_upr_info_flavour_has_the_exports_form(sample_site, content):
    data = gunzip(sample_site.root / "data/recommendations-upr-info.csv.gz")
    assert data.startswith(UPR_INFO_HEADER)
    assert not data.endswith(b"\n")  # as UPR Info's files: no line break after the last row
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only (no text here holds a line break)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue",
                       "Session"]
    assert rows[1:] == upr_info_rows(content, content.recs)
    export = SHARED / "data/upr-info-export-2018"
    if export.is_dir():  # the same first line as UPR Info's own files
        first = sorted(export.glob("*.csv"))[0].read_bytes()
        assert first.startswith(UPR_INFO_HEADER)


def test_upr_info_flavour_imports_back(sample_site, content, tmp_path):
    """Spreadsheets and tools built on the UPR Info export read it: our own importer does."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target, ignore=shutil.ignore_patterns("[A-Z][A-Z][A-Z].yaml"))
    shutil.copytree(ROOT / "content/countries", target / "countries", dirs_exist_ok=True)
    export = tmp_path / "export.csv"
    export.write_bytes(gunzip(sample_site.root / "data/recommendations-upr-info.csv.gz"))
    result = run_cli("import-upr-info", str(export), "--content", str(target))
    assert result.returncode == 0, result.stderr
    imported = read_content(target)
    # UPR Info knows two responses: rows with another one are reported, one line each.
    kept = [r for r in content.recs if r["response"] in ("supported", "noted")]
    reported = sum(len(r["by"]) for r in content.recs if r["response"] not in ("supported", "noted"))
    assert len(re.findall(r"export\.csv:\d+: ", result.stderr)) == reported
    key = lambda r: (r["session"], r["state"], r["text"].get("en") or r["text"].get("fr") or r["text"]["es"])
    assert sorted((key(r), tuple(r["by"]), r["response"], r["action"], tuple(sorted(r["themes"])))
                  for r in imported.recs) == sorted(
        (key(r), tuple(r["by"]), r["response"], r["action"], tuple(sorted(r["themes"]))) for r in kept)


def test_per_scope_files_hold_their_recommendations(sample_site, content):
    data = sample_site.root / "data"
    checked = 0
    scopes = [(f"countries/{c.lower()}.csv.gz", lambda r, c=c: r["state"] == c) for c in content.countries]
    scopes += [(f"countries/{c.lower()}-made.csv.gz", lambda r, c=c: c in r["by"]) for c in content.countries]
    scopes += [(f"sessions/{n}.csv.gz", lambda r, n=n: r["session"] == n) for n in content.sessions]
    scopes += [(f"themes/{t}.csv.gz", lambda r, t=t: t in r["themes"]) for t in content.themes]
    for name, wanted in scopes:
        expected = [csv_row(r) for r in content.recs if wanted(r)]
        if not expected:
            assert not (data / name).exists(), name  # nothing to take away, no file
            continue
        rows = read_csv(gunzip(data / name))
        assert rows == expected, name
        # ... and the page the file belongs to shows (links to) the same recommendations.
        html = (sample_site.root / "en" / PAGE_OF[name.split("/")[0]](name)).read_text(encoding="utf-8")
        if name.endswith("-made.csv.gz"):  # the links of the "made" section
            pattern, html = r'href="[^"#]*#r-(\d+)-([A-Z]{3})-([0-9A-Za-z.-]+)"', html[html.index('id="made"'):]
        elif name.startswith("countries/"):  # full records on a country page
            pattern = r'<li id="r-(\d+)-([A-Z]{3})-([0-9A-Za-z.-]+)"'
        else:  # session and theme pages: a link to each full record
            pattern = r'href="[^"#]*countries/[a-z]{3}/index\.html#r-(\d+)-([A-Z]{3})-([0-9A-Za-z.-]+)"'
        shown = set(re.findall(pattern, html))
        assert shown == {(r["session"], r["state_under_review"], r["id"]) for r in rows}, name
        checked += 1
    assert checked > 100


PAGE_OF = {
    "countries": lambda name: f"countries/{name.split('/')[1][:3]}/index.html",
    "sessions": lambda name: f"sessions/{name.split('/')[1].split('.')[0]}/index.html",
    "themes": lambda name: f"themes/{name.split('/')[1][:-len('.csv.gz')]}/index.html",
}


class Downloads(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []  # (href, text of the list item)
        self._in_list = False
        self._item: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and attrs.get("class") == "downloads":
            self._in_list = True
        elif tag == "li" and self._in_list:
            self._item = ["", ""]
        elif tag == "a" and self._item is not None:
            self._item[0] = attrs["href"]

    def handle_data(self, data):
        if self._item is not None:
            self._item[1] += data

    def handle_endtag(self, tag):
        if tag == "li" and self._item is not None:
            self.items.append(tuple(self._item))
            self._item = None
        elif tag == "ul":
            self._in_list = False


def download_links(path: Path) -> list[tuple[Path, str]]:
    parser = Downloads()
    parser.feed(path.read_text(encoding="utf-8"))
    return [((path.parent / href).resolve(), " ".join(text.split())) for href, text in parser.items]


def test_pages_link_to_their_files_with_the_size(sample_site, content):
    root = sample_site.root
    expectations = {"statistics/index.html": ["recommendations.csv.gz", "recommendations.json.gz",
                                              "recommendations-upr-info.csv.gz"],
                    "countries/esp/index.html": ["countries/esp.csv.gz", "countries/esp-made.csv.gz"],
                    "countries/arm/index.html": ["countries/arm.csv.gz"],
                    "countries/fra/index.html": ["countries/fra-made.csv.gz"],
                    "sessions/35/index.html": ["sessions/35.csv.gz"],
                    "themes/torture/index.html": ["themes/torture.csv.gz"]}
    for lang in LANGS:
        for page, files in expectations.items():
            links = download_links(root / lang / page)
            assert [p.relative_to(root / "data").as_posix() for p, _ in links] == files, (lang, page)
            for path, text in links:
                size = path.stat().st_size
                shown = units.format_unit(max(1, round(size / 1e3)), "digital-kilobyte", length="short", locale=lang)
                assert " ".join(shown.split()) in text, (lang, page, text)
    # No link to a file that would be empty: a State that received nothing offers no "received" file.
    assert not (root / "data/countries/fra.csv.gz").exists()
    assert not any(p.name == "fra.csv.gz" for p, _ in download_links(root / "en/countries/fra/index.html"))


def test_every_recommendation_has_a_permalink_and_a_citation(sample_site, content):
    for lang, cite in (("en", "Armenia, UPR session 35, para. 96.1 (France, Iceland)"),
                       ("fr", "Arménie, EPU, session 35, par. 96.1 (France, Islande)"),
                       ("es", "Armenia, EPU, período de sesiones 35, párr. 96.1 (Francia, Islandia)")):
        html = (sample_site.root / lang / "countries/arm/index.html").read_text(encoding="utf-8")
        assert f'<a href="#r-35-ARM-96.1">96.1</a>' in html
        record = html[html.index('id="r-35-ARM-96.1"'):]
        record = record[:record.index("</small>\n") + len("</small>")]
        assert f"<small>{cite}</small>" in record
    html = (sample_site.root / "en/countries/arm/index.html").read_text(encoding="utf-8")
    assert html.count("<small>") == sum(1 for r in content.recs if r["state"] == "ARM")


def test_citation_of_a_sequence_number_and_absolute_permalinks(make_content, tmp_path):
    """An importer's sequence number is no paragraph; with base_url, permalinks are absolute."""
    source = make_content({
        "site.yaml": """
            title: {en: UPR test site}
            languages: [en, fr]
            base_url: https://upr.example.org/
            """,
        "sessions/35/NOR.yaml": """
            state: NOR
            recommendations:
              - id: "7"
                by: [FRA, DEU]
                text: {en: Ratify the Optional Protocol.}
                themes: []
                response: noted
            """,
    })
    out = tmp_path / "site"
    build(source, out, use_cache=False)
    html = (out / "en/countries/nor/index.html").read_text(encoding="utf-8")
    assert '<a href="https://upr.example.org/en/countries/nor/index.html#r-35-NOR-7">7</a>' in html
    assert "<small>Norway, UPR session 35 (France, Germany)</small>" in html
    html = (out / "fr/countries/arm/index.html").read_text(encoding="utf-8")
    assert "<small>Arménie, EPU, session 35, par. 96.1 (France, Allemagne)</small>" in html


def test_downloads_are_the_same_bytes_in_two_builds(make_content, tmp_path):
    source = make_content()
    first, second = tmp_path / "one", tmp_path / "two"
    build(source, first, use_cache=False)
    build(source, second, use_cache=False)
    files = sorted(p.relative_to(first).as_posix() for p in (first / "data").rglob("*") if p.is_file())
    assert "data/recommendations.json.gz" in files and "data/countries/arm.csv.gz" in files
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.browser
def test_search_results_download_as_csv_from_disk(sample_site, content, page):
    page.goto((sample_site.root / "en/search/index.html").as_uri() + "?session=35")
    page.wait_for_selector("#search-results[data-shown*='session=35']")
    button = page.locator("#search-download")
    assert button.is_visible()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "upr-recommendations.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"), newline="")))
    expected = [r for r in content.recs if r["session"] == 35]
    assert len(rows) == len(expected)
    by_key = {(r["state"], r["id"]): r for r in expected}
    for row in rows:
        rec = by_key.pop((row["state_under_review"], row["id"]))
        assert row["session"] == "35" and row["recommended_by"] == ";".join(rec["by"])
        assert row["response"] == rec["response"] and row["action"] == str(rec["action"] or "")
        assert row["text"] == rec["text"].get("en", row["text"]) and row["text_language"] in rec["text"]
        assert row["url"].startswith("file://") and row["url"].endswith(
            f"/en/countries/{rec['state'].lower()}/index.html#r-35-{rec['state']}-{rec['id']}")
    assert by_key == {}
