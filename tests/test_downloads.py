"""Data downloads: the files under site/data/ hold the same recommendations as the content.

Each file is opened with Python's csv, json and gzip modules and compared
with the content read independently with PyYAML (tests/records.py); the
UPR Info flavour is compared byte for byte with the form of UPR Info's own
export and imported back with `import-upr-info`. Also here: the links and
sizes pages show, the citation of each recommendation, and the search
page's CSV of a result set, downloaded in Chromium.

The files are assembled from compressed pieces kept in the build cache, so
they are also checked as gzip files (one member, read alike by Python and
by gzip(1)), against each other byte for byte (the whole database's rows are
every session's, State's and theme's rows), and after edits against a build
without the cache.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml
from babel import units

from uprsite.build import build, load_database
from uprsite.downloads import Downloads as DataFiles
from uprsite.downloads import crc32_combine, crc32_combine_by_zeros
from uprsite.reuse import NoCache, ParseCache
from uprsite.write import SiteWriter

from .conftest import ROOT, SHARED, run_cli, tree_bytes
from .records import RESPONSE_NAMES, read_content

LANGS = ("en", "fr", "es")
CSV_COLUMNS = [
    "id",
    "session",
    "cycle",
    "state_under_review",
    "recommended_by",
    "text_en",
    "text_fr",
    "text_es",
    "themes",
    "response",
    "action",
    "sdgs",
    "implementation_status",
]
UPR_INFO_HEADER = b"\xef\xbb\xbfSuR;Rgrp;Org;Recommendation;RS;Rgrp;Org;Response;Action;Issue;Session\r\n"


@pytest.fixture(scope="module")
def content():
    return read_content(ROOT / "content")


def gunzip(path: Path) -> bytes:
    data = path.read_bytes()
    # Reproducible: no file name (FLG without FNAME) and no time in the header.
    assert data[:2] == b"\x1f\x8b" and data[3] == 0 and data[4:8] == b"\0\0\0\0"
    return gzip.decompress(data)


def as_cell(text: str) -> str:
    """A text as every CSV of the site holds it: OWASP's "CSV injection" advice is a leading ' on a cell
    that starts with = + - @, a tab or a carriage return; a text already starting with ' and one of those
    gets one more, so that readers can take exactly one ' away."""
    return "'" + text if re.match(r"'*[=+\-@\t\r]", text) else text


def csv_row(rec: dict) -> dict:
    """A recommendation as the CSV flavour must hold it."""
    return {
        "id": rec["id"],
        "session": str(rec["session"]),
        "cycle": str(rec["cycle"]),
        "state_under_review": rec["state"],
        "recommended_by": ";".join(rec["by"]),
        **{f"text_{lang}": as_cell(rec["text"].get(lang, "")) for lang in LANGS},
        "themes": ";".join(rec["themes"]),
        "response": rec["response"],
        "action": str(rec["action"] or ""),
        "sdgs": ";".join(map(str, rec["sdgs"])),
        "implementation_status": rec["implementation"][-1]["status"] if rec["implementation"] else "",
    }


def json_record(rec: dict) -> dict:
    return {
        "id": rec["id"],
        "session": rec["session"],
        "cycle": rec["cycle"],
        "state": rec["state"],
        "by": rec["by"],
        "text": rec["text"],
        "themes": rec["themes"],
        "response": rec["response"],
        "action": rec["action"],
        "sdgs": rec["sdgs"],
        "implementation": [dict(a.items()) for a in rec["implementation"]],
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


def upr_info_rows(content, recs, root: Path = ROOT / "content") -> list[list[str]]:
    """The rows UPR Info's export would have: one per recommending State, names in English."""
    regions = {
        "africa": "Africa",
        "asia-pacific": "Asia",
        "eeg": "EEG",
        "grulac": "GRULAC",
        "weog": "WEOG",
        "none": "Observer",
    }
    organisations = yaml.load((root / "organisations.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    orgs = {o["id"]: o["acronym"]["en"] for o in organisations}

    def state(code):
        country = content.countries[code]
        return [
            as_cell(content.english_state(code)),
            regions[country["region"]],
            as_cell(", ".join(orgs[o] for o in country.get("organisations") or [])),
        ]

    rows = []
    for rec in recs:
        text = rec["text"].get("en") or rec["text"].get("fr") or rec["text"]["es"]
        for code in rec["by"]:
            rows.append(
                [
                    *state(rec["state"]),
                    as_cell(text),
                    *state(code),
                    RESPONSE_NAMES[rec["response"]],
                    str(rec["action"] or ""),
                    as_cell(",".join(content.english_theme(t) for t in rec["themes"])),
                    str(rec["session"]),
                ]
            )
    return rows


def test_upr_info_flavour_has_the_exports_form(sample_site, content):
    data = gunzip(sample_site.root / "data/recommendations-upr-info.csv.gz")
    assert data.startswith(UPR_INFO_HEADER)
    assert not data.endswith(b"\n")  # as UPR Info's files: no line break after the last row
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only (no text here holds a line break)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [
        "SuR",
        "Rgrp",
        "Org",
        "Recommendation",
        "RS",
        "Rgrp",
        "Org",
        "Response",
        "Action",
        "Issue",
        "Session",
    ]
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

    def key(r):
        return (r["session"], r["state"], r["text"].get("en") or r["text"].get("fr") or r["text"]["es"])

    assert sorted(
        (key(r), tuple(r["by"]), r["response"], r["action"], tuple(sorted(r["themes"]))) for r in imported.recs
    ) == sorted((key(r), tuple(r["by"]), r["response"], r["action"], tuple(sorted(r["themes"]))) for r in kept)


FORMULAS = ["=1+1", '=HYPERLINK("http://127.0.0.1:9/","x")', "+SUM(A1:A2)", "-2", "@cmd", "\tTab first"]
FORMULAS += ["\r=1", "'=already marked", "''@twice", "Plain = later", "'plain"]


def formula_content(make_content) -> Path:
    """The base content with a State, an organisation, a theme and texts that start spreadsheet formulas."""
    recs = "".join(
        f'  - id: "{n}"\n    by: [FRA]\n    text: {{en: {json.dumps(text)}}}\n    themes: [formula]\n'
        "    response: supported\n"
        for n, text in enumerate(FORMULAS, 1)
    )
    return make_content(
        {
            "themes.yaml": "- id: formula\n  name: {en: '=Themes!A1'}\n- id: torture\n  name: {en: Torture}\n"
            "- id: womens-rights\n  name: {en: Women}\n",
            "organisations.yaml": "- id: oif\n  acronym: {en: '-OIF'}\n  name: {en: Francophonie}\n",
            "countries/NOR.yaml": "code: NOR\niso2: 'NO'\nregion: weog\norganisations: [oif]\nname: {en: '@Norway'}\n",
            "sessions/35/NOR.yaml": "state: NOR\nrecommendations:\n" + recs,
        }
    )


def test_formula_cells_are_text_in_every_csv_and_as_is_in_json(make_content, tmp_path):
    """OWASP's CSV injection: no cell of any CSV starts a formula; JSON keeps the texts; imports give them back."""
    source = formula_content(make_content)
    out = tmp_path / "site"
    build(source, out, use_cache=False)
    content = read_content(source)
    mine = [r for r in content.recs if r["state"] == "NOR"]
    assert [r["text"]["en"] for r in mine] == FORMULAS
    whole = read_csv(gunzip(out / "data/recommendations.csv.gz"))
    assert whole == [csv_row(r) for r in content.recs]
    shown = [row["text_en"] for row in whole if row["state_under_review"] == "NOR"]
    marked = ["'=1+1", "'" + FORMULAS[1], "'+SUM(A1:A2)", "'-2", "'@cmd", "'\tTab first", "'\r=1"]
    assert shown == [*marked, "''=already marked", "'''@twice", "Plain = later", "'plain"]
    for name in ("countries/nor", "countries/fra-made", "sessions/35", "themes/formula"):
        rows = read_csv(gunzip(out / f"data/{name}.csv.gz"))
        assert [row["text_en"] for row in rows if row["state_under_review"] == "NOR"] == shown, name
    cells = []
    for path in sorted((out / "data").rglob("*.csv.gz")):
        delimiter = ";" if path.name.endswith("-upr-info.csv.gz") else ","
        for row in csv.reader(io.StringIO(gunzip(path).decode("utf-8-sig"), newline=""), delimiter=delimiter):
            cells.extend(row)
    assert len(cells) > 1000
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    upr_info = gunzip(out / "data/recommendations-upr-info.csv.gz")
    rows = list(csv.reader(io.StringIO(upr_info.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1:] == upr_info_rows(content, content.recs, source)
    first = rows[1:][sum(len(r["by"]) for r in content.recs[: content.recs.index(mine[0])])]
    assert first[:4] == ["'@Norway", "WEOG", "'-OIF", "'=1+1"] and first[9] == "'=Themes!A1"
    document = json.loads(gunzip(out / "data/recommendations.json.gz"))
    assert [r["text"]["en"] for r in document["recommendations"] if r["state"] == "NOR"] == FORMULAS

    # The importer reads the site's own UPR Info file back to the same texts, names and themes.
    target = tmp_path / "target"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("[A-Z][A-Z][A-Z].yaml"))
    shutil.copytree(source / "countries", target / "countries", dirs_exist_ok=True)
    export = tmp_path / "export.csv"
    export.write_bytes(upr_info)
    result = run_cli("import-upr-info", str(export), "--content", str(target))
    assert result.returncode == 0, result.stderr
    imported = [r for r in read_content(target).recs if r["state"] == "NOR"]
    # The importer collapses white space (README), so the tab and the carriage return go; the rest is as written.
    assert [r["text"]["en"] for r in imported] == [" ".join(text.split()) for text in FORMULAS]
    assert {theme for r in imported for theme in r["themes"]} == {"formula"}


@pytest.mark.browser
def test_search_results_csv_has_no_formula_cells(make_content, tmp_path, page):
    out = tmp_path / "site"
    build(formula_content(make_content), out, use_cache=False)
    page.goto((out / "en/search/index.html").as_uri() + "?sur=NOR")
    page.wait_for_selector("#search-results[data-shown*='sur=NOR']")
    with page.expect_download() as info:
        page.locator("#search-download").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8"), newline="")))
    assert sorted(row["text"] for row in rows) == sorted(as_cell(text) for text in FORMULAS)
    assert [cell for row in rows for cell in row.values() if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []


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
        page = sample_site.root / "en" / PAGE_OF[name.split("/")[0]](name)
        html = page.read_text(encoding="utf-8")
        if name.endswith("-made.csv.gz"):  # the links of the "made" section
            pattern, html = r'href="[^"#]*#r-(\d+)-([A-Z]{3})-([0-9A-Za-z.-]+)"', html[html.index('id="made"') :]
        elif name.startswith("countries/"):  # full records on the State's review pages
            pattern = r'<li id="r-(\d+)-([A-Z]{3})-([0-9A-Za-z.-]+)"'
            html = "".join(p.read_text(encoding="utf-8") for p in sorted(page.parent.glob("[0-9]*/**/index.html")))
        else:  # session and theme pages: a link to each full record
            pattern = (
                r'href="[^"#]*countries/[a-z]{3}/[0-9]+/(?:page-[0-9]+/)?index\.html'
                r'#r-(\d+)-([A-Z]{3})-([0-9A-Za-z.-]+)"'
            )
        shown = set(re.findall(pattern, html))
        assert shown == {(r["session"], r["state_under_review"], r["id"]) for r in rows}, name
        checked += 1
    assert checked > 100


PAGE_OF = {
    "countries": lambda name: f"countries/{name.split('/')[1][:3]}/index.html",
    "sessions": lambda name: f"sessions/{name.split('/')[1].split('.')[0]}/index.html",
    "themes": lambda name: f"themes/{name.split('/')[1][: -len('.csv.gz')]}/index.html",
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
    expectations = {
        "statistics/index.html": [
            "recommendations.csv.gz",
            "recommendations.json.gz",
            "recommendations-upr-info.csv.gz",
        ],
        "countries/esp/index.html": ["countries/esp.csv.gz", "countries/esp-made.csv.gz"],
        "countries/arm/index.html": ["countries/arm.csv.gz"],
        "countries/fra/index.html": ["countries/fra-made.csv.gz"],
        "sessions/35/index.html": ["sessions/35.csv.gz"],
        "themes/torture/index.html": ["themes/torture.csv.gz"],
    }
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
    for lang, cite in (
        ("en", "Armenia, UPR session 35, para. 96.1 (France, Iceland)"),
        ("fr", "Arménie, EPU, session 35, par. 96.1 (France, Islande)"),
        ("es", "Armenia, EPU, período de sesiones 35, párr. 96.1 (Francia, Islandia)"),
    ):
        html = (sample_site.root / lang / "countries/arm/35/index.html").read_text(encoding="utf-8")
        assert '<a href="#r-35-ARM-96.1">96.1</a>' in html
        record = html[html.index('id="r-35-ARM-96.1"') :]
        record = record[: record.index("</small>\n") + len("</small>")]
        assert f"<small>{cite}</small>" in record
    reviews = sorted((sample_site.root / "en/countries/arm").glob("[0-9]*/**/index.html"))
    cited = sum(path.read_text(encoding="utf-8").count("<small>") for path in reviews)
    assert cited == sum(1 for r in content.recs if r["state"] == "ARM")


def test_citation_of_a_sequence_number_and_absolute_permalinks(make_content, tmp_path):
    """An importer's sequence number is no paragraph; with base_url, permalinks are absolute."""
    source = make_content(
        {
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
        }
    )
    out = tmp_path / "site"
    build(source, out, use_cache=False)
    html = (out / "en/countries/nor/35/index.html").read_text(encoding="utf-8")
    assert '<a href="https://upr.example.org/en/countries/nor/35/index.html#r-35-NOR-7">7</a>' in html
    assert "<small>Norway, UPR session 35 (France, Germany)</small>" in html
    html = (out / "fr/countries/arm/35/index.html").read_text(encoding="utf-8")
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
            f"/en/countries/{rec['state'].lower()}/35/index.html#r-35-{rec['state']}-{rec['id']}"
        )
    assert by_key == {}


# -- gzip assembled from cached pieces ---------------------------------------------------------------------------


def data_tree(site: Path) -> dict[str, bytes]:
    return {f"data/{name}": data for name, data in tree_bytes(site / "data").items()}


def test_every_file_is_one_gzip_member_read_alike_by_python_and_gzip(sample_site):
    files = sorted((sample_site.root / "data").rglob("*.gz"))
    assert len(files) > 100
    tested = subprocess.run(["gzip", "-t", *map(str, files)], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr
    # zcat of every file at once is the files' contents one after the other.
    zcat = subprocess.run(["zcat", *map(str, files)], capture_output=True)
    assert zcat.returncode == 0
    contents = []
    for path in files:
        data = path.read_bytes()
        reader = zlib.decompressobj(wbits=31)  # one gzip member, nothing after it
        content = reader.decompress(data) + reader.flush()
        assert reader.eof and reader.unused_data == b"", path
        assert content == gunzip(path), path
        contents.append(content)
    assert zcat.stdout == b"".join(contents)


@pytest.mark.parametrize("combine", [crc32_combine, crc32_combine_by_zeros])
def test_crc_of_a_file_combined_from_its_pieces(combine):
    """The gzip trailer's CRC-32 comes from the pieces' CRCs (zlib's crc32_combine, or the zeros)."""
    data = "".join(f"{k},Ratify the Convention ({k * 7919 % 1000}).\r\n" for k in range(5000)).encode()
    for cut in (0, 1, 100, 65536, len(data) - 1, len(data)):
        head, rest = data[:cut], data[cut:]
        assert combine(zlib.crc32(head), zlib.crc32(rest), len(rest)) == zlib.crc32(data), cut


def csv_lines(path: Path) -> tuple[bytes, list[bytes]]:
    """A CSV file's header and rows, as bytes (no text of the sample content holds a line break)."""
    data = gunzip(path)
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    header, *rows = data[:-2].split(b"\r\n")
    return header, [row + b"\r\n" for row in rows]


def test_every_file_holds_the_very_bytes_of_the_whole_databases_rows(sample_site, content):
    """The pieces of each file are compressed apart: each file's rows are the whole CSV's, byte for byte."""
    data = sample_site.root / "data"
    header, rows = csv_lines(data / "recommendations.csv.gz")
    fields = [next(csv.reader([row.decode("utf-8")])) for row in rows]
    column = {name: i for i, name in enumerate(CSV_COLUMNS)}

    def expected(keep):
        return [row for row, values in zip(rows, fields, strict=True) if keep(values)]

    by_session = [
        csv_lines(data / f"sessions/{n}.csv.gz")
        for n in sorted(content.sessions)
        if (data / f"sessions/{n}.csv.gz").exists()
    ]
    assert len(by_session) > 1 and all(session_header == header for session_header, _ in by_session)
    assert [row for _, session_rows in by_session for row in session_rows] == rows
    checked = 0
    for code in content.countries:
        for name, keep in (
            (f"countries/{code.lower()}.csv.gz", lambda v, code=code: v[column["state_under_review"]] == code),
            (
                f"countries/{code.lower()}-made.csv.gz",
                lambda v, code=code: code in v[column["recommended_by"]].split(";"),
            ),
        ):
            if (data / name).exists():
                assert csv_lines(data / name) == (header, expected(keep)), name
                checked += 1
    for theme in content.themes:
        name = f"themes/{theme}.csv.gz"
        if (data / name).exists():
            assert csv_lines(data / name) == (
                header,
                expected(lambda v, theme=theme: theme in v[column["themes"]].split(";")),
            )
            checked += 1
    assert checked > 100


def data_files(content_dir: Path, out: Path, cache) -> dict[str, bytes]:
    """The data-file stage alone: the files it writes, and the sizes it announced for them."""
    db = load_database(content_dir, cache=cache)
    files = DataFiles(db, cache)
    files.finish()
    with SiteWriter(out) as writer:
        files.write(writer)
        writer.publish()
    written = data_tree(out)
    assert {path: len(written[path]) for path in files.sizes} == files.sizes
    return written


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_edits_give_the_files_of_a_build_without_the_cache(tmp_path):
    """After each kind of edit, files assembled from cached pieces are those made from scratch."""
    content_dir = tmp_path / "content"
    shutil.copytree(ROOT / "content", content_dir)
    cache = ParseCache(tmp_path / "cache")
    first = data_files(content_dir, tmp_path / "warm", cache)
    assert first == data_files(content_dir, tmp_path / "cold", NoCache())
    reviews = len(list(content_dir.glob("sessions/*/[A-Z][A-Z][A-Z].yaml")))
    edits = [
        (
            "text edited",
            lambda: edit(
                content_dir / "sessions/21/KEN.yaml", "Establish an independent", "Establish promptly an independent"
            ),
        ),
        ("co-author added", lambda: edit(content_dir / "sessions/35/GUY.yaml", "by: [", "by: [NOR, ")),
        ("theme changed", lambda: edit(content_dir / "sessions/21/ARM.yaml", "themes: [", "themes: [torture, ")),
        (
            "first recommendation edited",
            lambda: edit(
                content_dir / "sessions/21/ARM.yaml", "    text:\n      en: ", "    text:\n      en: Firstly, "
            ),
        ),
        ("review removed", lambda: (content_dir / "sessions/21/KIR.yaml").unlink()),
        (
            "last review edited",
            lambda: edit(content_dir / "sessions/35/TUR.yaml", "response: noted", "response: supported"),
        ),
    ]
    for name, change in edits:
        change()
        hits, misses = cache.hits, cache.misses
        warm = data_files(content_dir, tmp_path / "warm", cache)
        # Only the edited review and its neighbours are read and compressed again (and the parse cache:
        # the edited file itself); everything else comes from the cache.
        assert cache.hits - hits > reviews and cache.misses - misses < 20, name
        assert warm == data_files(content_dir, tmp_path / f"cold-{name.replace(' ', '-')}", NoCache()), name
    assert warm != first


def long_review(state: str, count: int, words: str) -> str:
    lines = [f"state: {state}", "recommendations:"]
    for k in range(count):
        lines += [
            f'  - id: "{k + 1}"',
            "    by: [FRA, DEU]" if k % 3 else "    by: [NOR]",
            f"    text: {{en: '{k} {words * (1 + k % 7)}', fr: 'Texte {k}'}}",
            "    themes: [torture]" if k % 2 else "    themes: [torture, womens-rights]",
            "    response: supported" if k % 4 else "    response: noted",
        ]
    return "\n".join(lines) + "\n"


def test_pieces_bigger_than_the_window_through_the_cli(make_content, tmp_path):
    """Reviews of more than deflate's 32 KiB window: an edited build equals a --no-cache build."""
    words = "Strengthen the independence of the national human rights institution and its funding. "
    content_dir = make_content(
        {
            "sessions/36/session.yaml": "number: 36\ncycle: 3\n",
            "sessions/35/EGY.yaml": long_review("EGY", 150, words),
            "sessions/35/NOR.yaml": long_review("NOR", 60, words),
            "sessions/36/ARM.yaml": long_review("ARM", 150, words),
            "sessions/36/EGY.yaml": long_review("EGY", 5, words),
        }
    )
    out, cold = tmp_path / "site", tmp_path / "cold"
    assert run_cli("build", "--content", str(content_dir), "--out", str(out)).returncode == 0
    whole = gunzip(out / "data/recommendations.csv.gz")
    assert len(whole) > 4 * 32 * 1024
    # The last recommendation: the end of a piece is the next piece's dictionary.
    edit(content_dir / "sessions/35/EGY.yaml", "'149 Strengthen", "'149 Urgently strengthen")
    result = run_cli("build", "--content", str(content_dir), "--out", str(out))
    assert result.returncode == 0, result.stderr
    result = run_cli("build", "--content", str(content_dir), "--out", str(cold), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert data_tree(out) == data_tree(cold)
    assert b"149 Urgently strengthen" in gunzip(out / "data/recommendations.csv.gz")
    for path in sorted((out / "data").rglob("*.gz")):
        assert subprocess.run(["gzip", "-t", str(path)]).returncode == 0, path
