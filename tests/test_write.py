"""The site writer: a staged site replaces the published one in one step, and the old one goes away."""

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
        writer._prefill_thread.join()  # linked before anything is written, the riskiest order
        writer.write("en/changed/index.html", b"changed again")
        writer.reuse("en/kept/index.html", out / "en/kept/index.html", recorded["en/kept/index.html"])
        # Until the new site is published, the published one is exactly as it was.
        assert (out / "en/changed/index.html").read_bytes() == b"changed"
        assert (writer.staging / "en/changed/index.html").read_bytes() == b"changed again"
        writer.publish()
    assert (out / "en/changed/index.html").read_bytes() == b"changed again"
    assert (out / "en/kept/index.html").read_bytes() == b"kept"
    # What the new site does not have is not carried over, nor its empty folder.
    assert not (out / "en/gone").exists()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "en", "en/changed", "en/changed/index.html", "en/kept", "en/kept/index.html"]
