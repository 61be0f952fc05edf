#!/usr/bin/env python3
"""Search figures on a large site, per language, against the issue's targets.

    python benchmarks/search_bench.py                       # 160,000 synthetic recommendations
    python benchmarks/search_bench.py --site DIR            # a site built already
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
- the time the build spends on the search index of the three languages.
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
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

QUERIES = {
    "en": ["torture", "women", "children", "education", "journalists", "disabilities", "trafficking", "detention",
           "corruption", "migrants", "discrimination", "violence", "health", "indigenous", "judiciary", "ratify",
           "marriage", "poverty", "norway", "rights"],
    "fr": ["torture", "femmes", "enfants", "éducation", "journalistes", "discrimination", "traite", "détention",
           "corruption", "migrants", "violence", "santé", "autochtones", "judiciaire", "ratifier", "mariage",
           "pauvreté", "norvège", "droits", "protocole"],
    "es": ["tortura", "mujeres", "niños", "educación", "periodistas", "discriminación", "trata", "detención",
           "corrupción", "migrantes", "violencia", "salud", "indígenas", "judicial", "ratificar", "matrimonio",
           "pobreza", "noruega", "derechos", "protocolo"],
}
FACET_QUERIES = ["?theme=torture", "?response=noted"]

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


def build_site(content: Path, out: Path) -> float:
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                             "--out", str(out), "-v"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(result.stderr)
    print(result.stderr.strip())
    found = re.search(r"^search\s+([\d.]+) s", result.stderr, re.M)
    return float(found.group(1)) if found else float("nan")


def cold_query(browser, site: Path, sizes: GzipSizes, lang: str, query: str) -> tuple[int, int, int]:
    """(bytes until first results, further bytes until counts complete, results) in a fresh context."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(TIMING_HOOK)
    page.goto((site / lang / "search" / "index.html").as_uri() + query)
    page.wait_for_function("() => window.__bench && window.__bench.counted.length > 0", timeout=120_000)
    shown_at = page.evaluate("window.__bench.shown[0][0]")
    resources = page.evaluate("window.__bench.scripts")
    total = int(page.locator("#search-results").evaluate(
        "() => (document.getElementById('search-status').textContent.match(/[\\d\\s\\u202f\\u00a0.,]+/) || ['0'])[0]"
        ".replace(/\\D/g, '') || 0"))
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
        page.wait_for_function("q => (document.getElementById('search-results').getAttribute('data-shown') || '')"
                               ".includes(encodeURIComponent(q).replace(/%20/g, '+')) && "
                               "document.getElementById('search').hasAttribute('data-counts-done')",
                               arg=query, timeout=120_000)
    times = []
    for _ in range(rounds):
        for query in queries:
            page.evaluate("() => { window.__bench.keys = []; window.__bench.shown = []; }")
            box.fill(query + " ")  # a new query string: the search runs again
            box.press("Backspace")
            page.wait_for_function(
                "() => window.__bench.shown.length > 0 && window.__bench.shown[window.__bench.shown.length - 1][0]"
                " > window.__bench.keys[window.__bench.keys.length - 1]", timeout=60_000)
            times.append(page.evaluate(
                "() => window.__bench.shown[window.__bench.shown.length - 1][0]"
                " - window.__bench.keys[window.__bench.keys.length - 1]"))
    page.close()
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site to measure (skips the build)")
    parser.add_argument("--content", type=Path, help="content to build (default: generated)")
    parser.add_argument("--recommendations", type=int, default=160_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="search-bench-"))
    search_seconds = float("nan")
    site = args.site
    if site is None:
        content = args.content
        if content is None:
            content = work / "content"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate_content.py"), "--recommendations",
                            str(args.recommendations), "--out", str(content), "--seed", str(args.seed)], check=True)
        site = work / "site"
        search_seconds = build_site(content, site)

    from playwright.sync_api import sync_playwright

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
                print(f"  {word:<16} {total:>7} results  first results {first / 1024:6.1f} KB"
                      f"  + counts {later / 1024:6.1f} KB")
            print(f"  one-word queries: first results median {statistics.median(firsts) / 1024:.1f} KB,"
                  f" max {max(firsts) / 1024:.1f} KB (target < 300 KB); counts further median"
                  f" {statistics.median(laters) / 1024:.1f} KB, max {max(laters) / 1024:.1f} KB (target < 500 KB)")
            for query in FACET_QUERIES:
                first, later, total = cold_query(browser, site, sizes, lang, query)
                print(f"  facet-only {query:<16} {total:>7} results  first results {first / 1024:6.1f} KB"
                      f"  + counts {later / 1024:6.1f} KB")
            times = keystroke_times(browser, site, lang, QUERIES[lang])
            print(f"  keystroke to results: median {statistics.median(times):.1f} ms,"
                  f" p95 {percentile(times, 95):.1f} ms (target < 50 ms), {len(times)} keystrokes")
        browser.close()
    print(f"\nsearch index build, three languages: {search_seconds:.1f} s (target < 60 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
