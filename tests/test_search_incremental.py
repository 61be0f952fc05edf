"""The search index after an edit: what changed is redone, the rest kept, and the bytes equal a cold build's."""

import os
import re
from pathlib import Path

from uprsite.build import build

from .conftest import tree_bytes


def search_files(site: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree_bytes(site).items() if "search/" in path}


def edit(content_dir: Path, old: str, new: str) -> None:
    review = content_dir / "sessions/35/ARM.yaml"
    text = review.read_text(encoding="utf-8")
    assert old in text
    review.write_text(text.replace(old, new), encoding="utf-8")


def add_many_words(content_dir: Path) -> None:
    """A review of 100 recommendations with 2,000 words of their own: several shards and details files."""
    recs = "".join(
        f"""
  - id: "{i}"
    by: [FRA]
    text:
      en: Consider {" ".join(f"wordform{i}x{j}" for j in range(20))}.
    themes: []
    response: supported
"""
        for i in range(100)
    )
    (content_dir / "sessions/35/NOR.yaml").write_text("state: NOR\nrecommendations:" + recs, encoding="utf-8")


def test_one_text_edited_changes_only_its_terms_and_details(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    add_many_words(content_dir)
    build(content_dir, out)
    before = search_files(out)
    inodes = {path: (out / path).stat().st_ino for path in before}
    edit(content_dir, "Ratify the Optional Protocol", "Ratify promptly the Optional Protocol")
    build(content_dir, out)
    after = search_files(out)
    # The new word is searchable...
    assert b'"promptli"' in after["en/search/data/v.js"]
    changed = {path for path in after if before.get(path) != after[path]}
    # ... from the shards that hold its terms: other shards, the facet lists and counts
    # (nothing of them changed) and the other documents' details keep their bytes.
    shards = {path for path in after if re.fullmatch(r"en/search/data/s\d+\.js", path)}
    assert shards & changed and shards - changed
    assert {path for path in changed if path.startswith("search/")} == {"search/d0.js"}
    # Unchanged data files are the published ones, linked into the new site rather than written again.
    kept = [path for path in after if path.endswith(".js") and path not in changed]
    assert kept and all((out / path).stat().st_ino == inodes[path] for path in kept)
    # And the whole search is what a build without the cache makes.
    cold = tmp_path / "cold"
    build(content_dir, cold, use_cache=False)
    assert after == search_files(cold)


def test_recommendations_added_shift_ids_and_still_equal_a_cold_build(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    add_many_words(content_dir)
    build(content_dir, out)
    edit(
        content_dir,
        "recommendations:\n",
        """recommendations:
  - id: "96.9"
    by: [NOR]
    text:
      en: Abolish the death penalty for every crime.
    themes: [torture]
    response: noted
""",
    )
    build(content_dir, out)
    cold = tmp_path / "cold"
    build(content_dir, cold, use_cache=False)
    assert search_files(out) == search_files(cold)
    assert b'"abolish"' in search_files(out)["en/search/data/v.js"]


def test_corrupt_search_cache_entries_are_made_again(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    build(content_dir, out)
    entries = [p for p in (Path(os.environ["XDG_CACHE_HOME"]) / "uprsite").rglob("search-*/**/*") if p.is_file()]
    assert any(p.suffix == ".bin" for p in entries) and any(p.suffix == ".json" for p in entries)
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    again = tmp_path / "again"
    build(content_dir, again)
    cold = tmp_path / "cold"
    build(content_dir, cold, use_cache=False)
    assert search_files(again) == search_files(cold)
