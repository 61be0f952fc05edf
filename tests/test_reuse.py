"""The reuse layer: a file is reused only when made from the same key and published as recorded;
links into the staging folder never change the published site; the spare leaves nothing stale."""

import os
import time

from uprsite.reuse import BuildManifest, Reuse
from uprsite.reuse.tree import Prefill
from uprsite.write import SiteWriter


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "site")


def build(out, files: dict[str, tuple[str, str]], search: dict[str, tuple[str, str]] | None = None) -> dict:
    """A build as uprsite.build makes one, through the reuse plan: files are path -> (key, text), search
    files (made whole by another process) name -> (key, text). Returns what it produced."""
    produced = {}
    search = search or {}
    reuse = Reuse(out)
    with SiteWriter(out, keep_spare=True) as writer, reuse.prefill(writer, made_elsewhere=("search",)):
        for path, (key, text) in files.items():
            if not reuse.decide(writer, path, key):
                writer.write(path, text.encode())
                produced[path] = text
        reusable = reuse.reusable_in("search")
        made = out.with_name("made-search")
        made.mkdir()
        for name, (key, text) in search.items():
            if reusable.get(name) == key:
                os.link(out / "search" / name, made / name)
            else:
                (made / name).write_text(text)
                produced["search/" + name] = text
            reuse.produced("search/" + name, key)
        writer.adopt("search", made)
        reuse.forget()
        reuse.finish()
        writer.publish()
    reuse.record("stamp", writer.stats)
    return produced


def published(out) -> dict:
    return {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()}


def test_a_file_is_reused_only_with_the_same_key_and_as_published(tmp_path):
    out = tmp_path / "site"
    v1 = {"en/a/index.html": ("ka", "a"), "en/b/index.html": ("kb", "b"), "data/x.csv.gz": ("kx", "x")}
    assert build(out, v1, {"d1.js": ("k1", "one"), "d2.js": ("k2", "two")}) == {
        **{path: text for path, (_, text) in v1.items()},
        "search/d1.js": "one",
        "search/d2.js": "two",
    }
    # Same keys: nothing is produced again.
    assert build(out, v1, {"d1.js": ("k1", "one"), "d2.js": ("k2", "two")}) == {}
    # A new key, a file changed by hand, a file removed by hand, a file made unreadable to others:
    # each is produced again; the rest are reused.
    (out / "en/b/index.html").write_text("edited by hand")
    (out / "data/x.csv.gz").unlink()
    os.chmod(out / "search/d2.js", 0o600)
    v2 = {"en/a/index.html": ("ka2", "a2"), "en/b/index.html": ("kb", "b"), "data/x.csv.gz": ("kx", "x")}
    produced = build(out, v2, {"d1.js": ("k1", "one"), "d2.js": ("k2", "two")})
    assert produced == {"en/a/index.html": "a2", "en/b/index.html": "b", "data/x.csv.gz": "x", "search/d2.js": "two"}
    assert published(out) == {
        "en/a/index.html": "a2",
        "en/b/index.html": "b",
        "data/x.csv.gz": "x",
        "search/d1.js": "one",
        "search/d2.js": "two",
    }
    # The record holds every keyed file's key, search files included.
    record = BuildManifest(out).read()
    assert record["keys"] == {
        "data/x.csv.gz": "kx",
        "en/a/index.html": "ka2",
        "en/b/index.html": "kb",
        "search/d1.js": "k1",
        "search/d2.js": "k2",
    }
    assert sorted(record["files"]) == sorted(published(out))


def test_without_the_cache_nothing_is_reused_nor_recorded(tmp_path):
    out = tmp_path / "site"
    build(out, {"en/a/index.html": ("ka", "a")})
    reuse = Reuse(out, enabled=False)
    with SiteWriter(out) as writer, reuse.prefill(writer):
        assert not reuse.decide(writer, "en/a/index.html", "ka")
        assert reuse.reusable_in("en") == {}


def test_prefilled_links_never_write_through_to_the_published_site(tmp_path):
    out = tmp_path / "site"
    with SiteWriter(out) as writer:
        for name in ("kept", "changed", "gone"):
            writer.write(f"en/{name}/index.html", name.encode())
        writer.publish()
    recorded = {p.relative_to(out).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in out.rglob("*.html")}
    with SiteWriter(out) as writer, Prefill(writer, recorded) as prefill:
        prefill.wait()  # linked before anything is written, the riskiest order
        writer.write("en/changed/index.html", b"changed again")
        writer.record({"en/kept/index.html": prefill.linked["en/kept/index.html"]})
        # Until the new site is published, the published one is exactly as it was.
        assert (out / "en/changed/index.html").read_bytes() == b"changed"
        assert (writer.staging / "en/changed/index.html").read_bytes() == b"changed again"
        prefill.finish()
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
    v1 = {"en/a/index.html": ("a1", "a1"), "en/b/index.html": ("b1", "b1"), "en/c/index.html": ("c1", "c1")}
    build(out, v1, {"s1.js": ("s1", "s1"), "s2.js": ("s2", "s2")})
    v2 = {**v1, "en/a/index.html": ("a2", "a2"), "en/d/index.html": ("d2", "d2")}
    build(out, v2, {"s1.js": ("s1", "s1")})
    assert (tmp_path / ".site.spare/en/a/index.html").read_text() == "a1"  # the replaced site, kept
    # Built from the spare: a page changed last time (a), a page changed now (b), one gone (c).
    v3 = {
        "en/a/index.html": ("a2", "a2"),
        "en/b/index.html": ("b3", "b3"),
        "en/d/index.html": ("d2", "d2"),
        "en/e/index.html": ("e3", "e3"),
    }
    assert build(out, v3, {"s2.js": ("s2 again", "s2 again")}) == {
        "en/b/index.html": "b3",
        "en/e/index.html": "e3",
        "search/s2.js": "s2 again",
    }
    assert published(out) == {**{path: text for path, (_, text) in v3.items()}, "search/s2.js": "s2 again"}
    assert not (out / "en/c").exists()
    deadline = time.monotonic() + 60
    while leftovers(tmp_path) != [".site.spare"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert leftovers(tmp_path) == [".site.spare"]  # the replaced sites and search folders went
