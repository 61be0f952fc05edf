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
