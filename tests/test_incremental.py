"""The build cache: nothing changed does nothing, one change renders only what depends on it."""

import os
import shutil

from uprsite.build import build

from .conftest import ROOT, run_cli, tree_bytes


def test_nothing_changed_does_nothing(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    assert run_cli("build", "--content", str(content_dir), "--out", str(out)).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = run_cli("build", "--content", str(content_dir), "--out", str(out))
    assert again.returncode == 0 and f"{out}/ is up to date" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_one_review_edited_renders_only_its_pages_and_equals_a_cold_build(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    first = build(content_dir, out)
    assert first.rendered == first.pages
    review = content_dir / "sessions/35/ARM.yaml"
    review.write_text(
        review.read_text(encoding="utf-8").replace(
            "Ratify the Optional Protocol", "Ratify promptly the Optional Protocol"
        ),
        encoding="utf-8",
    )
    report = build(content_dir, out)
    rendered = set(report.rendered_paths)
    assert len(rendered) == report.rendered and 0 < report.rendered < report.pages
    # Pages that show its text were rendered again (France's shows the size of the CSV of what it recommended),
    # in every language.
    for lang in ("en", "fr", "es"):
        for path in (
            "countries/arm/35/index.html",
            "countries/fra/index.html",
            "themes/torture/index.html",
            "sessions/35/index.html",
        ):
            assert f"{lang}/{path}" in rendered, f"{lang}/{path}"
    # Pages that do not show Armenia's review, and pages that only count recommendations (a text edit
    # leaves every count as it was), were reused.
    for path in (
        "en/countries/nor/index.html",
        "fr/pages/about/index.html",
        "en/index.html",
        "fr/themes/index.html",
        "es/countries/index.html",
        "index.html",
    ):
        assert path not in rendered, path
    assert "Ratify promptly the Optional Protocol" in (out / "en/countries/arm/35/index.html").read_text()
    cold = tmp_path / "cold"
    build(content_dir, cold, use_cache=False)
    assert tree_bytes(out) == tree_bytes(cold)


def test_one_response_changed_renders_the_pages_that_count_it(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    build(content_dir, out)
    review = content_dir / "sessions/35/ARM.yaml"
    text = review.read_text(encoding="utf-8")
    assert "response: noted" in text
    review.write_text(text.replace("response: noted", "response: supported", 1), encoding="utf-8")
    report = build(content_dir, out)
    rendered = set(report.rendered_paths)
    assert 0 < report.rendered < report.pages
    for path in ("en/index.html", "fr/statistics/index.html", "es/sessions/index.html", "en/sessions/35/index.html"):
        assert path in rendered, path
    assert "fr/pages/about/index.html" not in rendered
    cold = tmp_path / "cold"
    build(content_dir, cold, use_cache=False)
    assert tree_bytes(out) == tree_bytes(cold)


def test_touched_but_unchanged_files_reuse_every_page(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    build(content_dir, out)
    review = content_dir / "sessions/35/ARM.yaml"
    os.utime(review, ns=(review.stat().st_atime_ns, review.stat().st_mtime_ns + 10**9))
    report = build(content_dir, out)
    assert not report.up_to_date  # the stamp saw a newer file...
    assert report.rendered == 0  # ...whose bytes, and so every page, are the same


def test_output_edited_by_hand_is_restored(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    build(content_dir, out)
    original = (out / "en/countries/arm/index.html").read_bytes()
    (out / "en/countries/arm/index.html").write_text("defaced", encoding="utf-8")
    (out / "en/stray.html").write_text("not ours", encoding="utf-8")
    report = build(content_dir, out)
    assert not report.up_to_date
    assert (out / "en/countries/arm/index.html").read_bytes() == original
    assert not (out / "en/stray.html").exists()


def test_corrupt_cache_entries_are_parsed_again(make_content, tmp_path):
    content_dir, out = make_content(), tmp_path / "site"
    build(content_dir, out)
    cache = tmp_path.parent / os.environ["XDG_CACHE_HOME"].rsplit("/", 1)[-1]
    entries = list((cache / "uprsite").rglob("*.pickle"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"garbage")
    cold = tmp_path / "cold"
    build(content_dir, cold)
    assert tree_bytes(cold) == tree_bytes(out)


def _drop_recommendation(text: str, rec_id: str) -> str:
    start = text.index(f'  - id: "{rec_id}"')
    end = text.find("\n  - id:", start + 1)
    return text[:start] + (text[end + 1 :] if end != -1 else "")


# Each edit an editor may make, applied one after the other: after each, the incremental
# build must equal a cold build of the same content. Page fingerprints say which reviews a
# page shows in full and which it only counts; an edit they miss would leave a stale page.
EDITS = [
    (
        "text",
        "sessions/35/ARM.yaml",
        lambda t: t.replace("Adopt a comprehensive", "Adopt without delay a comprehensive"),
    ),
    ("response", "sessions/35/ARM.yaml", lambda t: t.replace("response: partially-supported", "response: noted", 1)),
    ("themes", "sessions/35/ARM.yaml", lambda t: t.replace("themes: [sogi]", "themes: [sogi, torture]", 1)),
    ("co-author", "sessions/35/ARM.yaml", lambda t: t.replace("by: [NOR]", "by: [NOR, SWE]", 1)),
    ("review date", "sessions/35/ARM.yaml", lambda t: t.replace("date: 2020-01-20", "date: 2020-01-21", 1)),
    ("newest date", "sessions/35/ARM.yaml", lambda t: t.replace("date: 2023-06-30", "date: 2026-06-30", 1)),
    ("recommendation removed", "sessions/35/ARM.yaml", lambda t: _drop_recommendation(t, "96.3")),
    (
        "translation added",
        "sessions/21/SWE.yaml",
        lambda t: t.replace("\n    text:\n      en: ", "\n    text:\n      es: Texto añadido.\n      en: ", 1),
    ),
    ("review removed", "sessions/21/KIR.yaml", None),
    # A page's title is on the home pages and the list of pages; the footers only link to that list.
    ("page title", "pages/how-to-use.en.md", lambda t: "# How to read this site\n" + t.split("\n", 1)[1]),
    ("page removed", "pages/about-the-data.fr.md", None),
]


def test_every_kind_of_edit_gives_the_cold_build(tmp_path):
    content_dir, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(ROOT / "content", content_dir)  # the sample: 28 reviews, many pages per review
    build(content_dir, out)
    for name, path, edit in EDITS:
        target = content_dir / path
        if edit is None:
            target.unlink()
        else:
            before = target.read_text(encoding="utf-8")
            target.write_text(edit(before), encoding="utf-8")
            assert target.read_text(encoding="utf-8") != before, f"{name}: the edit changed nothing"
        report = build(content_dir, out)
        # A newer date anywhere is the "data as of" date in every page's footer.
        assert report.rendered == report.pages if name == "newest date" else report.rendered < report.pages, name
        cold = tmp_path / f"cold-{name.replace(' ', '-')}"
        build(content_dir, cold, use_cache=False)
        assert tree_bytes(out) == tree_bytes(cold), name
