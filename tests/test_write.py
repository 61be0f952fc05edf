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
