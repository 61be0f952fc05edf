"""The site writer: a staged site replaces the published one in one step, and the old one goes away."""

import os
import time

from uprsite.write import BACKGROUND_REMOVAL_FILES, SiteWriter


def publish(out, files: int, text: str) -> None:
    with SiteWriter(out) as writer:
        for n in range(files):
            writer.write(f"en/page-{n}/index.html", text.encode())
        writer.publish()


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "site")


def wait_until_removed(folder, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while leftovers(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    return leftovers(folder)


def test_a_small_replaced_site_is_removed_at_once(tmp_path):
    out = tmp_path / "site"
    publish(out, 10, "one")
    publish(out, 10, "two")
    assert (out / "en/page-3/index.html").read_text() == "two"
    assert leftovers(tmp_path) == []


def test_a_big_replaced_site_is_removed_in_the_background_and_stale_ones_too(tmp_path):
    out = tmp_path / "site"
    big = BACKGROUND_REMOVAL_FILES + 10
    publish(out, big, "one")
    stale = tmp_path / ".site.old-killed"  # a removal that was cut short
    (stale / "site/en").mkdir(parents=True)
    (stale / "site/en/index.html").write_text("old")
    publish(out, big, "two")
    # The new site is whole the moment publish() returns...
    assert len(list(out.rglob("index.html"))) == big
    assert (out / f"en/page-{big - 1}/index.html").read_text() == "two"
    # ...and the old ones are gone soon after.
    assert wait_until_removed(tmp_path) == []


def test_prefilled_links_never_write_through_to_the_published_site(tmp_path):
    out = tmp_path / "site"
    with SiteWriter(out) as writer:
        for name in ("kept", "changed", "gone"):
            writer.write(f"en/{name}/index.html", name.encode())
        writer.publish()
    recorded = {p.relative_to(out).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in out.rglob("*.html")}
    with SiteWriter(out) as writer:
        writer.prefill(out, recorded)
        writer.wait_prefill()  # linked before anything is written, the riskiest order
        writer.write("en/changed/index.html", b"changed again")
        writer.keep(["en/kept/index.html"])
        # Until the new site is published, the published one is exactly as it was.
        assert (out / "en/changed/index.html").read_bytes() == b"changed"
        assert (writer.staging / "en/changed/index.html").read_bytes() == b"changed again"
        writer.publish()
    assert (out / "en/changed/index.html").read_bytes() == b"changed again"
    assert (out / "en/kept/index.html").read_bytes() == b"kept"
    # What the new site does not have is not carried over, nor its empty folder.
    assert not (out / "en/gone").exists()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "en",
        "en/changed",
        "en/changed/index.html",
        "en/kept",
        "en/kept/index.html",
    ]


def test_the_replaced_site_becomes_the_next_staging_folder_and_leaves_nothing_stale(tmp_path):
    out = tmp_path / "site"

    def build(pages: dict, search: dict, previous: dict | None):
        with SiteWriter(out, keep_spare=True) as writer:
            if previous:
                writer.prefill(out, previous)
            writer.wait_prefill()
            for path, text in pages.items():
                if path in writer.prefilled and (out / path).read_text() == text:
                    writer.keep([path])
                else:
                    writer.write(path, text.encode())
            made = tmp_path / "made-search"
            for name, text in search.items():
                (made / name).parent.mkdir(parents=True, exist_ok=True)
                (made / name).write_text(text)
            writer.adopt("search", made)
            writer.write("data/all.csv", b",".join(t.encode() for t in pages.values()))
            published_before = (
                {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
                if out.exists()
                else {}
            )
            writer.publish()
        return {
            p.relative_to(out).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in out.rglob("*")
            if p.is_file()
        }, published_before

    v1 = {"en/a/index.html": "a1", "en/b/index.html": "b1", "en/c/index.html": "c1"}
    stats, _ = build(v1, {"s1.js": "s1", "s2.js": "s2"}, None)
    v2 = {"en/a/index.html": "a2", "en/b/index.html": "b1", "en/c/index.html": "c1", "en/d/index.html": "d2"}
    stats, before = build(v2, {"s1.js": "s1"}, stats)
    assert (tmp_path / ".site.spare/en/a/index.html").read_text() == "a1"  # the replaced site, kept
    # Built from the spare: a page changed last time (a), a page changed now (b), one gone (c).
    v3 = {"en/a/index.html": "a2", "en/b/index.html": "b3", "en/d/index.html": "d2", "en/e/index.html": "e3"}
    stats, before = build(v3, {"s2.js": "s2 again"}, stats)
    assert before["en/b/index.html"] == b"b1" and before["en/c/index.html"] == b"c1"  # untouched until the swap
    files = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()}
    assert files == {**v3, "search/s2.js": "s2 again", "data/all.csv": "a2,b3,d2,e3"}
    assert not (out / "en/c").exists()
    deadline = time.monotonic() + 60
    while leftovers(tmp_path) != [".site.spare"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert leftovers(tmp_path) == [".site.spare"]  # the replaced sites and search folders went


def test_a_spare_without_a_build_record_is_never_used(tmp_path):
    """With no record to check the spare against (no prefill), the new site is made from scratch:
    no page is written through a link shared with the published site, and nothing of the spare
    (pages the new site lacks) is published."""
    out = tmp_path / "site"
    for text in ("one", "two"):  # the second build keeps the first's site as the spare
        with SiteWriter(out, keep_spare=True) as writer:
            writer.write("en/a/index.html", text.encode())
            writer.write("en/gone/index.html", b"gone")
            writer.publish()
    spare = tmp_path / ".site.spare"
    # The spare's page as a hard link to the published one, as a prefill leaves it.
    (spare / "en/a/index.html").unlink()
    os.link(out / "en/a/index.html", spare / "en/a/index.html")
    with SiteWriter(out, keep_spare=True) as writer:
        writer.write("en/a/index.html", b"three")
        assert (out / "en/a/index.html").read_bytes() == b"two"
        writer.publish()
    assert (out / "en/a/index.html").read_bytes() == b"three"
    assert not (out / "en/gone").exists()
    assert leftovers(tmp_path) == [".site.spare"]


def test_files_and_folders_are_readable_by_others_under_any_umask(tmp_path):
    out = tmp_path / "site"
    previous = os.umask(0o077)
    try:
        publish(out, 3, "text")
    finally:
        os.umask(previous)
    assert os.umask(previous) == previous  # the writer gave the umask back
    for path in [out, *out.rglob("*")]:
        assert path.stat().st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path
