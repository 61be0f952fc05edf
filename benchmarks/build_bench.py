#!/usr/bin/env python3
"""Build benchmark: cold, with nothing changed, and after editing one review.

    python benchmarks/build_bench.py                 # both cases below
    python benchmarks/build_bench.py --case synthetic --recommendations 160000
    python benchmarks/build_bench.py --case real     # the UPR Info export in ../shared

For each case it prints the wall time of each build phase (load, validate,
views, render, search, assets, write), the total, the peak memory of the
whole process tree (the build and its workers, sampled from /proc: PSS, which
counts a page shared by forked workers once, and for comparison RSS summed
over the processes and the largest single process), and the output's size and
file count. Each build runs as a user runs it: `python build.py build --content
... --out ... -v`. The phase "validate" includes parsing the reviews the cache
does not know (in worker processes); "search" is the wait for the search
indexer, which runs from "index" on beside the other phases. Timings on a
shared virtual machine vary by a second between runs: `--edits 5` edits five
reviews in turn and prints the median.

Targets (issue 3): real export cold < 30 s; 160k synthetic cold < 60 s and
< 2 GB; output < 1 GB; nothing changed < 2 s; one review edited < 5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXPORT = SHARED / "data" / "upr-info-export-2018"
sys.path.insert(0, str(ROOT / "benchmarks"))


def _tree_memory_kib(root_pid: int) -> tuple[int, int, int]:
    """Memory of a process and all its descendants, in KiB: (PSS summed, RSS summed, largest RSS).

    Forked workers share most of their pages with the build process: summed
    RSS counts those pages once per process, PSS (proportional set size)
    shares each page out between the processes that map it, so its sum is the
    memory the tree really holds.
    """
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * page_kib
        except (OSError, IndexError, ValueError):
            continue
    tree, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    pss = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                pss += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pss += rss.get(pid, 0)
    return pss, sum(rss.get(pid, 0) for pid in tree), max((rss.get(pid, 0) for pid in tree), default=0)


def run_build(content: Path, out: Path, cache: Path, label: str, extra=()) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out), "-v", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0, 0, 0]

    def sample():
        while process.poll() is None:
            peak[:] = [max(a, b) for a, b in zip(peak, _tree_memory_kib(process.pid), strict=False)]
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{label}: build failed\n{stdout}\n{stderr}")
    phases = {name: float(seconds) for name, seconds in re.findall(r"^(\w+)\s+([\d.]+) s$", stderr, re.M)}
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "label": label,
        "wall": wall,
        "phases": phases,
        "peak_tree_mb": peak[0] / 1024,
        "peak_rss_sum_mb": peak[1] / 1024,
        "peak_process_mb": peak[2] / 1024,
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "summary": stderr.strip().splitlines()[-1] if stderr.strip() else "",
    }


def report(result: dict) -> None:
    phases = "  ".join(f"{name} {seconds:.2f}" for name, seconds in result["phases"].items() if name != "total")
    print(
        f"  {result['label']:<22} wall {result['wall']:6.2f} s   peak {result['peak_tree_mb']:7.0f} MB   "
        f"output {result['bytes'] / 1e6:8.1f} MB in {result['files']:,} files"
    )
    print(
        f"  {'':<22} memory: PSS of the process tree {result['peak_tree_mb']:.0f} MB (RSS summed over "
        f"processes {result['peak_rss_sum_mb']:.0f} MB, largest process {result['peak_process_mb']:.0f} MB)"
    )
    print(f"  {'':<22} {phases}")


def edit_one_review(content: Path, which: int = 0) -> Path:
    """Change one recommendation's text (the edit an editor makes most often) in the middle review,
    or, for which > 0, in another review further on."""
    reviews = sorted(p for p in (content / "sessions").rglob("*.yaml") if p.name != "session.yaml")
    review = reviews[(len(reviews) // 2 + which * 37) % len(reviews)]
    text = review.read_text(encoding="utf-8")
    text = re.sub(r'(\n      en: "?)', r"\1Urgently: ", text, count=1)
    review.write_text(text, encoding="utf-8")
    return review


def bench(content: Path, name: str, edits: int = 1) -> None:
    with tempfile.TemporaryDirectory(prefix="uprsite-bench-") as work:
        work = Path(work)
        out, cache = work / "site", work / "cache"
        print(f"{name}:")
        report(run_build(content, out, cache, "cold (empty cache)"))
        report(run_build(content, out, cache, "nothing changed"))
        walls = []
        for which in range(edits):
            edited = edit_one_review(content, which)
            print(f"  (edited {edited.relative_to(content)})")
            result = run_build(content, out, cache, "one review edited")
            report(result)
            walls.append(result["wall"])
        if edits > 1:
            walls.sort()
            print(
                f"  one review edited, {edits} edits: median {walls[len(walls) // 2]:.2f} s, "
                f"fastest {walls[0]:.2f} s, slowest {walls[-1]:.2f} s"
            )
        check = work / "check"
        run_build(content, check, work / "cache2", "cold check", ("--no-cache",))
        diff = subprocess.run(["diff", "-rq", str(out), str(check)], capture_output=True, text=True)
        print(f"  incremental output byte-identical to a cold build: {'yes' if diff.returncode == 0 else 'NO'}")
        for line in diff.stdout.splitlines()[:10]:
            print(f"    {line}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=("real", "synthetic", "both"), default="both")
    parser.add_argument("--recommendations", type=int, default=160_000)
    parser.add_argument("--content", type=Path, help="synthetic content generated before (copied, then edited)")
    parser.add_argument(
        "--edits",
        type=int,
        default=1,
        help="edit (and rebuild) this many reviews one after the other; prints the median",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="uprsite-content-") as scratch:
        scratch = Path(scratch)
        if args.case in ("real", "both"):
            if not EXPORT.is_dir():
                print(f"skipping the real export: {EXPORT} not found")
            else:
                content = scratch / "real"
                reference_content(content)
                start = time.perf_counter()
                subprocess.run(
                    [
                        sys.executable,
                        str(ROOT / "build.py"),
                        "import-upr-info",
                        *sorted(map(str, EXPORT.glob("*.csv"))),
                        "--content",
                        str(content),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                print(f"imported the UPR Info export in {time.perf_counter() - start:.1f} s")
                bench(content, "real export (UPR Info, sessions 1-27)", args.edits)
        if args.case in ("synthetic", "both"):
            from generate_content import generate

            content = scratch / "synthetic"
            if args.content:
                shutil.copytree(args.content, content)
                bench(content, f"synthetic, from {args.content}", args.edits)
            else:
                generate(args.recommendations, content, seed=1)
                bench(content, f"synthetic, {args.recommendations:,} recommendations", args.edits)
    return 0


def reference_content(target: Path) -> None:
    """The shipped content without its sample reviews: States, themes, sessions."""
    source = ROOT / "content"
    shutil.copytree(
        source,
        target,
        ignore=lambda folder, names: [
            n for n in names if Path(folder).parent.name == "sessions" and n.endswith(".yaml") and n != "session.yaml"
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
