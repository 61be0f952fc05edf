#!/usr/bin/env python3
"""Search figures on a large site, per language, against the issue's targets.

    python benchmarks/search_bench.py                       # 160,000 synthetic recommendations
    python benchmarks/search_bench.py --site DIR            # a site built already
    python benchmarks/search_bench.py --site DIR --content C  # ... and time the index of its content
    python benchmarks/search_bench.py --content DIR         # any content folder

Prints, per language:
- bytes (gzip level 6, as a web server sends them) of every file loaded after
  the page's HTML and CSS until the first results of a first one-word query
  show: scripts (lunr.js included), manifest, term shards, result details; for
  20 typical queries, each in a fresh browser (nothing cached);
- the same for facet-only queries (one theme; one response);
- the further bytes until every facet count is complete;
- keystroke-to-results time in headless Chromium with the shards loaded
  (median and 95th percentile over the 20 queries, 3 rounds);
- the time the build spends on the search index of the three languages;
and the size on disk of the search data, per kind of file.
Targets: 300 KB, 300 KB, 500 KB, 50 ms, 60 s.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

# Words a reader would type, each found in the synthetic corpus (whose French and
# Spanish texts are few, drawn from a handful of sentences: the rest of those
# languages' index is the English fallback texts and the names of States and themes).
QUERIES = {
    "en": [
        "torture",
        "women",
        "children",
        "education",
        "journalists",
        "disabilities",
        "trafficking",
        "detention",
        "corruption",
        "migrants",
        "discrimination",
        "violence",
        "health",
        "indigenous",
        "judiciary",
        "ratify",
        "marriage",
        "poverty",
        "norway",
        "rights",
    ],
    "fr": [
        "torture",
        "protocole",
        "facultatif",
        "éducation",
        "enfants",
        "accès",
        "discrimination",
        "indépendance",
        "judiciaire",
        "traite",
        "personnes",
        "détention",
        "carcérale",
        "défenseurs",
        "journalistes",
        "ratifier",
        "corruption",
        "migrants",
        "norvège",
        "droits",
    ],
    "es": [
        "tortura",
        "protocolo",
        "facultativo",
        "educación",
        "niños",
        "acceso",
        "discriminación",
        "independencia",
        "judicial",
        "trata",
        "personas",
        "detención",
        "hacinamiento",
        "defensores",
        "garantizar",
        "ratificar",
        "corrupción",
        "migrantes",
        "noruega",
        "derechos",
    ],
}
FACET_QUERIES = ["?theme=torture", "?response=noted"]
# The query language: every word required, OR, a phrase (word positions), a typo (suggestions), a fuzzy term.
LANGUAGE_QUERIES = {
    "en": ["child marriage", "child OR marriage", '"death penalty"', "torure", "torure~1"],
    "fr": ["mariage enfants", "mariage OR enfants", '"peine de mort"', "torure", "torure~1"],
    "es": ["matrimonio infantil", "matrimonio OR infantil", '"pena de muerte"', "torure", "torure~1"],
}

# Records, in the page, when each search shows its results and completes its counts.
TIMING_HOOK = """
window.__bench = {keys: [], shown: [], counted: [], scripts: []};
// Every script the page loads, static or added later (Resource Timing leaves out file:// loads).
new MutationObserver(records => {
  const now = performance.now();
  for (const record of records) for (const node of record.addedNodes) {
    if (node.tagName === 'SCRIPT' && node.src) window.__bench.scripts.push([node.src, now]);
  }
}).observe(document, {childList: true, subtree: true});
window.addEventListener('input', () => window.__bench.keys.push(performance.now()), true);
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('search');
  form.addEventListener('search-shown', e => window.__bench.shown.push([performance.now(), e.detail.url]));
  form.addEventListener('search-counted', e => window.__bench.counted.push([performance.now(), e.detail.url]));
});
"""


class GzipSizes:
    def __init__(self, site: Path):
        self.site = site
        self.cache: dict[Path, int] = {}

    def of(self, url: str) -> int:
        path = Path(unquote(urlparse(url).path))
        if path not in self.cache:
            self.cache[path] = len(gzip.compress(path.read_bytes(), 6))
        return self.cache[path]


def counted(url: str) -> bool:
    """Files after the page's HTML and CSS."""
    return url.endswith(".js")


def build_site(content: Path, out: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out), "-v"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(result.stderr)
    print(result.stderr.strip())


class NullWriter:
    def adopt(self, path, folder):
        pass

    def copy(self, path, source):
        pass


def index_seconds(content: Path) -> float:
    """Seconds the search index of the three languages takes alone, with nothing cached.

    In a build it runs beside the views and the rendering, so that no build
    phase shows its whole time.
    """
    sys.path.insert(0, str(ROOT))
    from uprsite.build import load_database
    from uprsite.reuse import Reuse
    from uprsite.search import SearchBuild

    db = load_database(content)
    start = time.perf_counter()
    out = Path(tempfile.mkdtemp(prefix="search-bench-")) / "site"
    SearchBuild(db, out, Reuse(out, enabled=False)).start().finish(NullWriter())
    return time.perf_counter() - start


def cold_query(browser, site: Path, sizes: GzipSizes, lang: str, query: str) -> tuple[int, int, int]:
    """(bytes until first results, further bytes until counts complete, results) in a fresh context."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(TIMING_HOOK)
    page.goto((site / lang / "search" / "index.html").as_uri() + query)
    page.wait_for_function("() => window.__bench && window.__bench.counted.length > 0", timeout=120_000)
    shown_at = page.evaluate("window.__bench.shown[0][0]")
    resources = page.evaluate("window.__bench.scripts")
    total = int(
        page.locator("#search-results").evaluate(
            "() => (document.getElementById('search-status').textContent"
            ".match(/[\\d\\s\\u202f\\u00a0.,]+/) || ['0'])[0]"
            ".replace(/\\D/g, '') || 0"
        )
    )
    first = sum(sizes.of(url) for url, start in resources if counted(url) and start <= shown_at)
    later = sum(sizes.of(url) for url, start in resources if counted(url) and start > shown_at)
    context.close()
    return first, later, total


def keystroke_times(browser, site: Path, lang: str, queries: list[str], rounds: int = 3) -> list[float]:
    """Milliseconds from a keystroke to its results, with every query's files loaded."""
    page = browser.new_page()
    page.add_init_script(TIMING_HOOK)
    page.goto((site / lang / "search" / "index.html").as_uri())
    box = page.locator("#search-q")
    for query in queries:  # warm up: load the shards, details and facet lists
        box.fill(query)
        page.wait_for_function(
            "q => (document.getElementById('search-results').getAttribute('data-shown') || '')"
            ".includes(encodeURIComponent(q).replace(/%20/g, '+')) && "
            "document.getElementById('search').hasAttribute('data-counts-done')",
            arg=query,
            timeout=120_000,
        )
    times = []
    for _ in range(rounds):
        for query in queries:
            page.evaluate("() => { window.__bench.keys = []; window.__bench.shown = []; }")
            box.fill(query + " ")  # a new query string: the search runs again
            box.press("Backspace")
            page.wait_for_function(
                "() => window.__bench.shown.length > 0 && window.__bench.shown[window.__bench.shown.length - 1][0]"
                " > window.__bench.keys[window.__bench.keys.length - 1]",
                timeout=60_000,
            )
            times.append(
                page.evaluate(
                    "() => window.__bench.shown[window.__bench.shown.length - 1][0]"
                    " - window.__bench.keys[window.__bench.keys.length - 1]"
                )
            )
    page.close()
    return times


KINDS = {
    "m": "manifest",
    "s": "term shards",
    "r": "term counts",
    "v": "vocabulary",
    "c": "core",
    "d": "result details",
    "l": "facet lists",
    "x": "facet value counts",
    "p": "word positions",
    "w": "suggestions",
}


def print_sizes(site: Path) -> None:
    """Bytes on disk of the search data, per folder and kind of file."""
    print("search data on disk:")
    total = 0
    for folder in [site / "search", *(site / lang / "search" / "data" for lang in ("en", "fr", "es"))]:
        if not folder.is_dir():
            continue
        kinds: dict[str, list[int]] = {}
        for path in folder.glob("*.js"):
            entry = kinds.setdefault(KINDS.get(re.match(r"[a-z]", path.name).group(0), "other"), [0, 0])
            entry[0] += path.stat().st_size
            entry[1] += 1
        size = sum(entry[0] for entry in kinds.values())
        total += size
        print(
            f"  {folder.relative_to(site)}/  {size / 1e6:7.2f} MB: "
            + ", ".join(f"{kind} {entry[0] / 1e6:.2f} MB ({entry[1]:,} files)" for kind, entry in sorted(kinds.items()))
        )
    print(f"  total {total / 1e6:.2f} MB")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site to measure (skips the build)")
    parser.add_argument("--content", type=Path, help="content to build (default: generated)")
    parser.add_argument("--recommendations", type=int, default=160_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="search-bench-"))
    site, content = args.site, args.content
    if site is None:
        if content is None:
            content = work / "content"
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "generate_content.py"),
                    "--recommendations",
                    str(args.recommendations),
                    "--out",
                    str(content),
                    "--seed",
                    str(args.seed),
                ],
                check=True,
            )
        site = work / "site"
        build_site(content, site)

    from playwright.sync_api import sync_playwright

    print_sizes(site)
    sizes = GzipSizes(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for lang in ("en", "fr", "es"):
            if not (site / lang / "search" / "index.html").exists():
                continue
            print(f"\n== {lang} ==")
            firsts, laters = [], []
            for word in QUERIES[lang]:
                first, later, total = cold_query(browser, site, sizes, lang, "?q=" + word)
                firsts.append(first)
                laters.append(later)
                print(
                    f"  {word:<16} {total:>7} results  first results {first / 1024:6.1f} KB"
                    f"  + counts {later / 1024:6.1f} KB"
                )
            print(
                f"  one-word queries: first results median {statistics.median(firsts) / 1024:.1f} KB,"
                f" max {max(firsts) / 1024:.1f} KB (target < 300 KB); counts further median"
                f" {statistics.median(laters) / 1024:.1f} KB, max {max(laters) / 1024:.1f} KB (target < 500 KB)"
            )
            for words in LANGUAGE_QUERIES[lang]:
                first, later, total = cold_query(browser, site, sizes, lang, "?q=" + quote(words))
                print(
                    f"  {words:<24} {total:>7} results  first results {first / 1024:6.1f} KB"
                    f"  + counts (and suggestions) {later / 1024:6.1f} KB"
                )
            for query in FACET_QUERIES:
                first, later, total = cold_query(browser, site, sizes, lang, query)
                print(
                    f"  facet-only {query:<16} {total:>7} results  first results {first / 1024:6.1f} KB"
                    f"  + counts {later / 1024:6.1f} KB"
                )
            times = keystroke_times(browser, site, lang, QUERIES[lang])
            print(
                f"  keystroke to results: median {statistics.median(times):.1f} ms,"
                f" p95 {percentile(times, 95):.1f} ms (target < 50 ms), {len(times)} keystrokes"
            )
        browser.close()
    if content is not None:
        seconds = index_seconds(content)
        print(f"\nsearch index build, three languages, nothing cached: {seconds:.1f} s (target < 60 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
