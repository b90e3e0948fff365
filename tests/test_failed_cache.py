"""Failed documents are cached by content like parsed ones: a no-change rebuild reads no
refused file again, and says the same about it; a changed file is read again.

Real refusals from ../shared/wild-dev (manifest.tsv labels): w0220.pdf (``not-budget``, one
page: no fiscal year), w0166.pdf (``not-budget``, two scanned pages read by OCR: a funding notice) and w0048.pdf (the
narrative of 北京市国资委's two-file disclosure, without its tables file: a half refused alone,
``generator.pairing``), plus a broken file (w0220 cut in half) and one sample that parses.
Each build is the real command line with the parse cache; what ran is read off its
``report.json``. A failure caused by the system rather than the file (a read error behind a
refusal) is not cached: the in-process test at the end.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DOCUMENTS, WILD, run_build

from generator import cache, parse, pipeline, workers
from generator.records import IngestError

SAMPLE = "004_1dc876329a8abae6.txt"
REFUSED = {
    "w0220.pdf": ("w0220.pdf: not a budget disclosure: no fiscal year found "
                  "(expected a title such as '2024年部门预算')", 1),
    # two scanned pages read by OCR (ingest.ocr): 长沙市财政局's notice of project funds, no budget title
    "w0166.pdf": ("w0166.pdf: not a budget disclosure: no fiscal year found "
                  "(expected a title such as '2024年部门预算')", 2),
    "w0048.pdf": ("w0048.pdf: narrative without its tables: no standard budget table found; "
                  "its tables file is missing", 6),
    "broken.pdf": ("broken.pdf: truncated PDF (no %%EOF marker)", None),
}


def build(root: Path) -> tuple[subprocess.CompletedProcess, dict, bytes]:
    """root/documents → root/datapackages with the cache in root/cache: (the process, its
    report.json, its status.json bytes)."""
    result = run_build(root / "documents", root / "datapackages", "--jobs", "2",
                       "--cache", str(root / "cache"))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((root / "build" / "report.json").read_text(encoding="utf-8"))
    return result, report, (root / "build" / "status.json").read_bytes()


def by_file(report: dict) -> dict[str, dict]:
    return {e["source_files"][0]: e for e in report["documents"]}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Three builds of one folder: first (empty cache), no change, broken.pdf changed."""
    if not WILD.is_dir():
        pytest.skip(f"wild development corpus not available: {WILD} is absent")
    root = tmp_path_factory.mktemp("failed-cache")
    docs = root / "documents"
    docs.mkdir()
    for name in ("w0220.pdf", "w0166.pdf", "w0048.pdf"):
        (docs / name).symlink_to(WILD / name)
    data = (WILD / "w0220.pdf").read_bytes()
    (docs / "broken.pdf").write_bytes(data[: len(data) // 2])  # cut short: no %%EOF
    shutil.copy(DOCUMENTS / SAMPLE, docs)
    first = build(root)
    second = build(root)
    (docs / "broken.pdf").write_bytes(b"<html>moved</html>\n")  # replaced by an error page
    third = build(root)
    return first, second, third


def test_the_files_are_refused_with_their_reasons(builds):
    (_, report, _), _, _ = builds
    entries = by_file(report)
    for name, (error, pages) in REFUSED.items():
        assert entries[name]["status"] == "failed", name
        assert entries[name]["error"] == error
        assert entries[name]["pages"] == pages, name
        assert entries[name]["reused"] is False, name
    assert report["summary"]["parsed"] == 1 and report["summary"]["failed"] == 4


def test_no_change_rebuild_reads_no_failed_file_again(builds):
    _, (result, report, _), _ = builds
    assert report["summary"] == {**report["summary"], "parsed": 0, "reused": 1, "failed": 4}
    assert "5 documents: 0 parsed, 4 failed, 1 reused" in result.stdout
    entries = by_file(report)
    assert all(entries[name]["reused"] for name in (*REFUSED, SAMPLE)), entries
    for name, (error, _) in REFUSED.items():
        assert f"FAILED  {error} (cached)" in result.stderr


def test_a_cached_failure_reports_the_same_bytes(builds):
    (_, report1, status1), (_, report2, status2), _ = builds
    assert status1 == status2  # reasons, pages, statuses: byte for byte
    entries1, entries2 = by_file(report1), by_file(report2)
    for name in REFUSED:
        same = {k: v for k, v in entries1[name].items() if k not in ("seconds", "reused")}
        assert same == {k: v for k, v in entries2[name].items() if k not in ("seconds", "reused")}


def test_a_changed_file_is_read_again(builds):
    _, _, (result, report, _) = builds
    entries = by_file(report)
    assert entries["broken.pdf"]["reused"] is False
    assert entries["broken.pdf"]["error"] == "broken.pdf: not a PDF"
    assert all(entries[name]["reused"] for name in ("w0220.pdf", "w0166.pdf", "w0048.pdf", SAMPLE))
    assert "5 documents: 0 parsed, 4 failed, 1 reused" in result.stdout


def test_a_refusal_behind_a_read_error_is_not_cached(tmp_path, monkeypatch):
    """pdfminer wraps whatever fails under it: a read error (EIO on a network disk) comes back
    as "corrupt PDF". The reason is kept; the result is not cached, as the file may be fine."""
    def unreadable(files, **options):
        try:
            raise OSError(5, "Input/output error")
        except OSError as exc:
            raise IngestError(files[0].name, "corrupt PDF") from exc

    monkeypatch.setattr(parse, "ingest_files", unreadable)
    docs = tmp_path / "documents"
    docs.mkdir()
    shutil.copy(DOCUMENTS / SAMPLE, docs)
    store = cache.ParseCache(tmp_path / "cache")
    results = pipeline.parse_directory(docs, jobs=1, progress=False, cache=store,
                                       limits=workers.Limits(None, None))  # in this process
    assert results[0].error == f"{SAMPLE}: corrupt PDF"
    assert list((tmp_path / "cache").rglob("*.pickle")) == []
