"""Data-file phase benchmark: uprsite.downloads cold, warm, and after one review is edited.

    python benchmarks/downloads_bench.py --content /tmp/syn160 [--one-stream]

Loads the content once (through a private parse cache), then times
`Downloads(db, cache)` + `finish()`:
- cold without a cache (as `build --no-cache`),
- cold with an empty cache (what the first build pays to fill it),
- warm, nothing changed,
- warm after one review is edited (in memory: the first English text of the
  middle review gets "Urgently: " in front, and the review a new file digest,
  as benchmarks/build_bench.py does on disk).
It checks that the files of the edited build are the same bytes as a cold
build of the edited content, and prints the size of data/ by kind of file.
With --one-stream it also compresses every file as one gzip stream (what the
files would weigh compressed whole) and checks that both decompress to the
same bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import gzip
import hashlib
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from uprsite import content, downloads, model
from uprsite.reuse import NoCache, ParseCache
from uprsite.validate import validate


class MemoryWriter:
    """Stands in for the site writer: keeps what would be written."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def write(self, path: str, data: bytes) -> None:
        self.files[path] = bytes(data)


def timed(db, cache) -> tuple[str, MemoryWriter]:
    """`Downloads(db, cache)` + `finish()`: wall and CPU time (all threads), and the files it writes."""
    start, cpu = time.perf_counter(), time.process_time()
    files = downloads.Downloads(db, cache)
    files.finish()
    seconds = f"{time.perf_counter() - start:7.2f} s   (CPU {time.process_time() - cpu:6.2f} s)"
    writer = MemoryWriter()
    files.write(writer)
    return seconds, writer


def edited(db: model.Database) -> model.Database:
    """The database with one recommendation's English text changed, as if its review file was edited."""
    index = len(db.reviews) // 2
    review = db.reviews[index]
    position = next(k for k, rec in enumerate(review.recommendations) if rec.text.get("en") is not None)
    rec = review.recommendations[position]
    text = model.Text(tuple((lang, "Urgently: " + value if lang == "en" else value) for lang, value in rec.text.values))
    recs = list(review.recommendations)
    recs[position] = dataclasses.replace(rec, text=text)
    review = dataclasses.replace(
        review, recommendations=tuple(recs), digest=hashlib.blake2b((review.digest + "edited").encode()).hexdigest()
    )
    reviews = list(db.reviews)
    reviews[index] = review
    print(f"  (edited session {review.session}, {review.state}, recommendation {rec.id})")
    return dataclasses.replace(db, reviews=tuple(reviews))


def kind(path: str) -> str:
    parts = path.split("/")
    if len(parts) == 2:
        return parts[1]
    return "countries (made)" if parts[1] == "countries" and "-made" in parts[2] else parts[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", required=True, type=Path)
    parser.add_argument("--one-stream", action="store_true", help="compare with each file compressed whole")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="uprsite-downloads-bench-"))
    try:
        start = time.perf_counter()
        parse_cache = ParseCache(work / "parse")
        db = validate(content.load(args.content, parse_cache), parse_cache)
        print(
            f"{args.content}: {db.recommendation_count:,} recommendations in {len(db.reviews):,} reviews "
            f"(loaded in {time.perf_counter() - start:.1f} s, not counted)"
        )
        # As in the build (uprsite.build._gc_paused): no cyclic collector scanning the database's objects.
        gc.disable()
        gc.freeze()
        cache = ParseCache(work / "downloads")

        seconds, cold = timed(db, NoCache())
        print(f"  cold, no cache            {seconds}")
        seconds, filled = timed(db, cache)
        print(f"  cold, empty cache         {seconds}")
        seconds, warm = timed(db, cache)
        print(f"  warm, nothing changed     {seconds}")
        same = warm.files == cold.files == filled.files

        changed = edited(db)
        seconds, incremental = timed(changed, cache)
        print(f"  warm, one review edited   {seconds}")
        _, reference = timed(changed, NoCache())
        same = same and incremental.files == reference.files
        print(f"  files the same bytes as a cold build of the same content: {'yes' if same else 'NO'}")

        sizes = Counter()
        for path, data in reference.files.items():
            sizes[kind(path)] += len(data)
        print(f"  data/: {sum(sizes.values()) / 1e6:.2f} MB in {len(reference.files)} files")
        if args.one_stream:
            whole = Counter()
            for path, data in reference.files.items():
                if path.endswith(".gz"):
                    plain = gzip.decompress(data)
                    again = gzip.compress(plain, downloads.GZIP_LEVEL, mtime=0)
                    assert gzip.decompress(again) == plain
                    whole[kind(path)] += len(again)
                else:
                    whole[kind(path)] += len(data)
        for name in sorted(sizes):
            line = f"    {name:<42} {sizes[name] / 1e6:8.2f} MB"
            if args.one_stream:
                line += f"   one stream {whole[name] / 1e6:8.2f} MB ({(sizes[name] / whole[name] - 1) * 100:+.1f}%)"
            print(line)
        if args.one_stream:
            total, one = sum(sizes.values()), sum(whole.values())
            print(
                f"    {'total':<42} {total / 1e6:8.2f} MB   one stream {one / 1e6:8.2f} MB "
                f"({(total / one - 1) * 100:+.1f}%)"
            )
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
