"""Shared fixtures and helpers: content written inline, builds through the real CLI,
the shipped sample site built once per test process, and one HTML parser.

The gates (links, HTML validity, accessibility, weight, phones and print)
look at every page of the same build of `content/`: the `sample_site` fixture
builds it once per process, whichever gate asks first.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# A small but complete content folder; tests override files as they need.
BASE_CONTENT = {
    "site.yaml": """
        title: {en: UPR test site, fr: Site de test EPU, es: Sitio de prueba EPU}
        languages: [en, fr, es]
        attribution: {en: "Data: test fixtures"}
        licence: {en: CC BY 4.0}
        """,
    "themes.yaml": """
        - id: torture
          name: {en: Torture and other CID treatment, fr: Torture, es: Tortura}
        - id: womens-rights
          name: {en: Women's rights, fr: Droits des femmes, es: Derechos de la mujer}
        """,
    "organisations.yaml": """
        - id: oif
          acronym: {en: OIF, fr: OIF, es: OIF}
          name: {en: International Organisation of La Francophonie, fr: Organisation internationale de la Francophonie}
        """,
    "countries/ARM.yaml": """
        code: ARM
        iso2: AM
        region: eeg
        organisations: [oif]
        """,
    "countries/FRA.yaml": """
        code: FRA
        iso2: FR
        region: weog
        organisations: [oif]
        """,
    "countries/DEU.yaml": """
        code: DEU
        iso2: DE
        region: weog
        """,
    "countries/EGY.yaml": """
        code: EGY
        iso2: EG
        region: africa
        """,
    "countries/NOR.yaml": """
        code: NOR
        iso2: NO
        region: weog
        """,
    "sessions/35/session.yaml": """
        number: 35
        cycle: 3
        start: 2020-01-20
        end: 2020-01-31
        pre_session:
          start: 2019-12-10
          end: 2019-12-13
          venue: {en: "Palais des Nations, Geneva", fr: "Palais des Nations, Genève"}
        """,
    "sessions/35/ARM.yaml": """
        state: ARM
        date: 2020-01-22
        documents:
          - type: national-report
            symbol: A/HRC/WG.6/35/ARM/1
            url: https://example.org/A-HRC-WG.6-35-ARM-1.pdf
        pre_session_speakers:
          - {en: Helsinki Citizens' Assembly Vanadzor}
        recommendations:
          - id: "96.1"
            by: [FRA, DEU]
            text:
              en: Ratify the Optional Protocol to the Convention against Torture.
              fr: Ratifier le Protocole facultatif se rapportant à la Convention contre la torture.
            themes: [torture]
            response: supported
            action: 5
            sdgs: [16]
            implementation:
              - status: partially-implemented
                date: 2022-06-30
                source: {en: Mid-term report of the State}
          - id: "96.2"
            by: [EGY]
            text:
              fr: Renforcer la protection des droits des femmes.
            themes: [womens-rights]
            response: noted
        pledges:
          - id: "p1"
            text: {en: Armenia pledges to report at mid-term.}
        """,
    "pages/about.en.md": "# About\n\nThis is a *test* page.\n",
    "pages/about.fr.md": "# À propos\n\nUne page de test.\n",
}


def write_content(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write content files; a value of None removes the file from the base set."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def txtar(text: str) -> dict[str, str]:
    """Files written as one string, as in Hugo's and Go's txtar tests: each after a line `-- path --`.

    >>> txtar("-- a.yaml --\nx: 1\n-- b/c.md --\n# C\n")
    {'a.yaml': 'x: 1\n', 'b/c.md': '# C\n'}
    """
    files: dict[str, str] = {}
    path = None
    for line in textwrap.dedent(text).splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("-- ") and stripped.endswith(" --") and len(stripped) > 6:
            path = stripped[3:-3].strip()
            files[path] = ""
        elif path is not None:
            files[path] += line
        elif stripped:
            raise ValueError(f"text before the first '-- path --' line: {line!r}")
    return files


def assert_file_content(path: Path, *needles: str) -> None:
    """Each needle is in the file; a needle written "! text" is not (Hugo's AssertFileContent)."""
    text = Path(path).read_text(encoding="utf-8")
    problems = []
    for needle in needles:
        if needle.startswith("! "):
            if needle[2:] in text:
                problems.append(f"found, but should not be: {needle[2:]!r}")
        elif needle not in text:
            problems.append(f"not found: {needle!r}")
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


def run_folder(tmp_path_factory) -> Path:
    """A folder of this test run, shared by its pytest-xdist workers: the parent of a worker's
    temporary folder is the run's. Without xdist the parent is every run's (`pytest-of-<user>`),
    and a folder there would hold what another run, of other code, made: the run's own then."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def compiled_templates(tmp_path_factory) -> list[Path]:
    """The build cache's compiled templates, made once per test run (a tenth of a second per build saved).

    A user's cache keeps them from one build to the next; a test starts from a copy, so what it does
    to its cache (damage included) stays its own. Made by a build through the CLI into a cache
    folder of the run, shared by pytest-xdist's workers as `sample_site` is.
    """
    shared = run_folder(tmp_path_factory) / "compiled-templates"
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cache = shared / "cache"
        if not (shared / "made").is_file():
            content = write_content(shared / "content", BASE_CONTENT)
            result = run_cli(
                "build", "--content", str(content), "--out", str(shared / "site"), env={"XDG_CACHE_HOME": str(cache)}
            )
            assert result.returncode == 0, result.stderr
            (shared / "made").touch()
    folders = sorted((cache / "uprsite").glob("templates-*"))
    assert folders, "the build made no compiled templates"
    return folders


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch, compiled_templates):
    """Each test gets its own build cache, also for the builds it runs as subprocesses."""
    cache = tmp_path_factory.mktemp("cache")
    for folder in compiled_templates:
        shutil.copytree(folder, cache / "uprsite" / folder.name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


@pytest.fixture
def make_content(tmp_path):
    """make_content(**overrides) -> a content folder: the base set with changes."""

    def make(changes: dict | None = None, name: str = "content") -> Path:
        root = tmp_path / name
        files = dict(BASE_CONTENT)
        files.update(changes or {})
        return write_content(root, files)

    return make


class InMemorySite:
    """The stages from content to HTML (load, validate, views, render) run in this process.

    No Node.js, no output folder: what one page shows, from inline content, in
    a tenth of a second. The whole pipeline is tested through the CLI elsewhere.
    """

    def __init__(self, content_dir: Path):
        from uprsite.build import load_database
        from uprsite.downloads import Downloads
        from uprsite.render import Renderer
        from uprsite.reuse import NoCache
        from uprsite.views import Edition, SiteViews

        self.db = load_database(content_dir)
        downloads = Downloads(self.db, NoCache())
        downloads.finish()  # pages show the sizes of their data files
        views = SiteViews(self.db, Edition(), downloads, NoCache())
        listed = [views.root(), *(page for lang in self.db.site.languages for page in views.pages(lang))]
        self.pages = {page.path: page for page in listed}
        self._renderers: dict = {}
        self._make_renderer = Renderer

    def html(self, path: str) -> str:
        """The page at `path` (as under the output folder), rendered."""
        page = self.pages[path]
        renderer = self._renderers.get(page.language)
        if renderer is None:
            renderer = self._renderers[page.language] = self._make_renderer(self.db, page.language)
        return renderer.render(page).decode("utf-8")


@pytest.fixture
def rendered(make_content):
    """rendered(changes) -> an InMemorySite of the base content with changes."""

    def make(changes: dict | None = None) -> InMemorySite:
        return InMemorySite(make_content(changes))

    return make


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` as a user would."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a folder with its bytes, for byte-for-byte comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium: Playwright's own download is not available here."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (bash .ci/run installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


LANGUAGES = ("en", "fr", "es")

_built: dict[str, SampleSite] = {}


@dataclass(frozen=True)
class SampleSite:
    root: Path
    log: str  # what `build -v` printed (timings, heaviest pages)

    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> SampleSite:
    """The sample site, built once per test run: pytest-xdist's workers share it (read only)."""
    if "site" not in _built:
        # The first worker to take the lock builds, the others wait and read what it built.
        shared = run_folder(tmp_path_factory) / "sample-site"
        shared.mkdir(exist_ok=True)
        with open(shared / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            out, log = shared / "site", shared / "build.log"
            if not log.is_file():
                # --no-cache: the session's first test may run before the private cache is set up.
                result = run_cli("build", "--content", str(ROOT / "content"), "--out", str(out), "-v", "--no-cache")
                assert result.returncode == 0, result.stderr
                log.write_text(result.stderr, encoding="utf-8")
        _built["site"] = SampleSite(out, log.read_text(encoding="utf-8"))
    return _built["site"]


@pytest.fixture(scope="session")
def large_site(tmp_path_factory) -> SampleSite:
    """A large generated site, built once per run: 8,000 recommendations of eight States, as dense
    as the 160k synthetic site's heaviest (reviews of 500 and more, split over pages), so that the
    gates that hold on the sample hold where readers' pages are heaviest."""
    if "large" not in _built:
        shared = run_folder(tmp_path_factory) / "large-site"
        shared.mkdir(exist_ok=True)
        with open(shared / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            content, out, log = shared / "content", shared / "site", shared / "build.log"
            if not log.is_file():
                generate = [sys.executable, str(ROOT / "benchmarks/generate_content.py"), "--out", str(content)]
                generate += ["--recommendations", "8000", "--states", "8", "--seed", "3"]
                generated = subprocess.run(generate, capture_output=True, text=True, timeout=600)
                assert generated.returncode == 0, generated.stderr
                result = run_cli("build", "--content", str(content), "--out", str(out), "-v", "--no-cache")
                assert result.returncode == 0, result.stderr
                log.write_text(result.stderr, encoding="utf-8")
        _built["large"] = SampleSite(out, log.read_text(encoding="utf-8"))
    return _built["large"]


class Elements(HTMLParser):
    """Every start tag of a page with its attributes and line, and the ids it defines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text_of_script: list[tuple[int, dict, str]] = []
        self._script: tuple[int, dict] | None = None
        self._chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        self.tags.append((line, tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        if tag == "script":
            self._script, self._chunks = (line, attributes), []

    def handle_data(self, data):
        if self._script is not None:
            self._chunks.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.text_of_script.append((*self._script, "".join(self._chunks)))
            self._script = None


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


_parsed: dict[Path, dict[Path, Elements]] = {}


def parsed_pages(root: Path) -> dict[Path, Elements]:
    """Every HTML page under root, parsed once per session."""
    if root not in _parsed:
        _parsed[root] = {path: parse(path) for path in sorted(root.rglob("*.html"))}
    return _parsed[root]


# The link gate (tests/test_links.py), also run on the unzipped archive (tests/test_archive.py).
# Attributes that hold a URL, and those of them whose URL the browser loads.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "srcset",
    "background",
    "longdesc",
    "manifest",
    "icon",
    "ping",
}
NAVIGATION = {
    ("a", "href"),
    ("area", "href"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
    ("blockquote", "cite"),
    ("q", "cite"),
    ("del", "cite"),
    ("ins", "cite"),
}
LINK_RELS_NOT_LOADED = {"alternate", "canonical", "author", "license", "help", "next", "prev", "search"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")


def _urls(tag: str, attributes: dict) -> list[tuple[str, str, bool]]:
    """(attribute, URL, loaded by the browser) for each URL of one element."""
    found = []
    for name, value in attributes.items():
        if name not in URL_ATTRIBUTES or value is None:
            continue
        values = [part.strip().split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
        if tag == "link" and name == "href":
            rels = set((attributes.get("rel") or "").lower().split())
            loaded = not rels or not rels <= LINK_RELS_NOT_LOADED
        else:
            loaded = (tag, name) not in NAVIGATION
        found += [(name, v, loaded) for v in values]
    return found


def _check_target(root: Path, source: Path, link: str, ids: dict[Path, set[str]]) -> str | None:
    """Why a relative link from `source` is broken, or None."""
    if link == "":
        return "empty link"
    parts = urlsplit(link)
    if parts.query and not parts.path:
        return "query without a file"
    if parts.path.endswith("/"):
        return "link to a folder"
    target = (source.parent / unquote(parts.path)).resolve() if parts.path else source.resolve()
    if not target.is_relative_to(root.resolve()):
        return "outside the site"
    if target.is_dir():
        return "link to a folder"
    if not target.is_file():
        return "no such file"
    if parts.fragment or link.endswith("#"):
        fragment = unquote(parts.fragment)
        if target.suffix != ".html":
            return "fragment on a file that is not a page"
        if target not in ids:
            ids[target] = parse(target).ids
        if fragment not in ids[target]:
            return f"no element with id {fragment!r} on {target.relative_to(root.resolve()).as_posix()}"
    return None


def link_problems(root: Path) -> list[str]:
    """Every broken or outside link of the site under root, as `file:line: link: reason`."""
    root = Path(root)
    problems = []
    pages = parsed_pages(root)
    ids = {path.resolve(): parser.ids for path, parser in pages.items()}
    for page, parser in pages.items():
        rel = page.relative_to(root).as_posix()
        for line, tag, attributes in parser.tags:
            if tag == "base":
                problems.append(f"{rel}:{line}: <base>: no base element (links are relative to their page)")
                continue
            for name, link, loaded in _urls(tag, attributes):
                where = f"{rel}:{line}: {link}"
                parts = urlsplit(link)
                if parts.scheme or link.startswith(("/", "\\")):
                    external = (
                        tag == "a"
                        and name == "href"
                        and parts.scheme in ("http", "https", "mailto")
                        and "external" in (attributes.get("rel") or "").split()
                    )
                    if loaded:
                        problems.append(f"{where}: loaded from outside the site")
                    elif not external:
                        problems.append(f'{where}: not relative (only <a rel="external"> may leave the site)')
                    continue
                reason = _check_target(root, page, link, ids)
                if reason:
                    problems.append(f"{where}: {reason}")
    for sheet in sorted(root.rglob("*.css")):
        rel = sheet.relative_to(root).as_posix()
        for number, text in enumerate(sheet.read_text(encoding="utf-8").splitlines(), 1):
            for match in CSS_URL.finditer(text):
                link = match.group(2) if match.group(2) is not None else match.group(4)
                where = f"{rel}:{number}: {link}"
                if urlsplit(link).scheme or link.startswith("/"):
                    problems.append(f"{where}: loaded from outside the site")
                    continue
                reason = _check_target(root, sheet, link, ids)
                if reason:
                    problems.append(f"{where}: {reason}")
    return problems
