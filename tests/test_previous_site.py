"""A site build that replaces a published site links the files whose bytes did not change
(generator/publish/previous_site.py, generator/atomic.py ``link_unchanged``) and never writes
into the published tree. The end-to-end case (the pipeline rebuilding the sample site with one
document changed) is in tests/test_render_cache.py, on its builds."""
from __future__ import annotations

from pathlib import Path

from generator.publish.previous_site import PreviousSite, previous_site


def tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_same_bytes_are_linked_others_written_the_published_tree_untouched(tmp_path):
    old = tree(tmp_path / "site", {"a/index.html": b"<p>same</p>", "b.csv": b"1,2\n", "c.svg": b"<svg/>"})
    new = tmp_path / "stage" / "site"
    writer = previous_site(old, new)
    assert isinstance(writer, PreviousSite)
    writer.write(new / "a" / "index.html", b"<p>same</p>")
    writer.write(new / "b.csv", b"1,3\n")  # changed: written
    writer.write(new / "d.csv", b"new\n")  # not in the published site: written
    source = tree(tmp_path / "cache", {"chart.svg": b"<svg/>"}) / "chart.svg"
    writer.copy(source, new / "c.svg")  # a file on disk with the published bytes: linked
    assert (writer.linked, writer.written) == (2, 2)
    assert (new / "a" / "index.html").stat().st_ino == (old / "a" / "index.html").stat().st_ino
    assert (new / "c.svg").stat().st_ino == (old / "c.svg").stat().st_ino
    assert (new / "b.csv").read_bytes() == b"1,3\n" and (old / "b.csv").read_bytes() == b"1,2\n"
    # a path written again after it was linked: the new bytes in a new file, the published ones kept
    writer.write(new / "a" / "index.html", b"<p>changed</p>")
    assert (new / "a" / "index.html").read_bytes() == b"<p>changed</p>"
    assert (old / "a" / "index.html").read_bytes() == b"<p>same</p>"
    writer.copy(tmp_path / "cache" / "chart.svg", new)  # into a folder: the file of that name
    assert (new / "chart.svg").read_bytes() == b"<svg/>"


def test_no_previous_site_or_the_same_folder_means_no_linking(tmp_path):
    site = tree(tmp_path / "site", {"index.html": b"x"})
    assert previous_site(None, site) is None
    assert previous_site(tmp_path / "missing", site) is None
    assert previous_site(site, site) is None  # a bare mkdocs build over it: MkDocs empties it first
    assert previous_site(site / ".." / "site", tmp_path / "site") is None
