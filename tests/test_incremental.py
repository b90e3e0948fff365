"""Incremental builds: parsed documents cached by content and code; the report says what ran."""
from __future__ import annotations

import json
from decimal import Decimal
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DOCUMENTS, REPO, build_command, run_build
from test_cli import tree_digest

from bench.synthetic import TEMPLATES, Division, perturb
from generator.parse import parse_files

SAMPLE_IDS = ["baoding-wangdu-ybj-2024-budget", "baoji-fengxian-ybj-2024-budget-unit",
              "haidong-huzhu-ybj-2024-final", "leshan-shizhong-ybj-2023-budget",
              "anhui-suzhou-ybj-2024-budget"]
NEW_ID = "baoji-meixian-ybj-2025-budget"  # 望都县 2024 moved to 宝鸡市眉县, a year later


def build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    """The CLI on root/documents → root/datapackages (cache: root/.cache, report: root/build)."""
    return run_build(root / "documents", root / "datapackages", "--jobs", "2", *extra)


def new_document() -> str:
    template = TEMPLATES[4]  # 望都县 2024 部门预算
    text = (DOCUMENTS / template.file).read_text(encoding="utf-8")
    return perturb(text, template, Division("陕西省", "宝鸡市", "眉县", "610326"), shift=1, scale=2)


@pytest.fixture
def corpus(tmp_path) -> Path:
    shutil.copytree(DOCUMENTS, tmp_path / "documents")
    return tmp_path


def report(root: Path) -> dict:
    return json.loads((root / "build" / "report.json").read_text(encoding="utf-8"))


def test_second_build_parses_nothing_and_adding_one_parses_one(corpus, sample_packages):
    first = build(corpus)
    assert first.returncode == 0, first.stderr
    assert "5 documents: 5 parsed, 0 failed, 0 reused" in first.stdout
    assert sorted((corpus / ".cache" / "parsed").glob("*/*/*.pickle")).__len__() == 5
    digest = tree_digest(corpus / "datapackages")
    assert digest == tree_digest(sample_packages)

    second = build(corpus)
    assert second.returncode == 0, second.stderr
    assert "5 documents: 0 parsed, 0 failed, 5 reused" in second.stdout
    assert tree_digest(corpus / "datapackages") == digest  # cached records, same bytes
    entries = report(corpus)["documents"]
    assert [e["status"] for e in entries] == ["reused"] * 5
    assert report(corpus)["summary"] == {"documents": 5, "parsed": 0, "reused": 5, "failed": 0,
                                         "tables": 63, "checks": 1426, "checks_failed": 23, "checks_waived": 0}

    (corpus / "documents" / "zz-new.txt").write_text(new_document(), encoding="utf-8")
    third = build(corpus)
    assert third.returncode == 0, third.stderr
    assert "6 documents: 1 parsed, 0 failed, 5 reused" in third.stdout
    statuses = {e["document_id"]: e["status"] for e in report(corpus)["documents"]}
    assert statuses == {**{i: "reused" for i in SAMPLE_IDS}, NEW_ID: "ok"}
    packages = sorted(p.name for p in (corpus / "datapackages").iterdir())
    assert packages == sorted(["all", NEW_ID, *SAMPLE_IDS])
    # the five old packages did not change; only all/ and the new one are new
    after = tree_digest(corpus / "datapackages")
    assert {k: v for k, v in after.items() if not k.startswith(("all/", NEW_ID))} == \
           {k: v for k, v in digest.items() if not k.startswith("all/")}


def test_changed_file_parses_again(corpus):
    assert build(corpus).returncode == 0
    path = corpus / "documents" / "004_1dc876329a8abae6.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = build(corpus)
    assert again.returncode == 0, again.stderr
    assert "5 documents: 1 parsed, 0 failed, 4 reused" in again.stdout
    statuses = {e["source_files"][0]: e["status"] for e in report(corpus)["documents"]}
    assert statuses["004_1dc876329a8abae6.txt"] == "ok"


def test_renamed_file_parses_again(corpus):
    """File names are part of the records (source_files), hence of the key."""
    assert build(corpus).returncode == 0
    docs = corpus / "documents"
    (docs / "004_1dc876329a8abae6.txt").rename(docs / "wangdu-2024.txt")
    again = build(corpus)
    assert "5 documents: 1 parsed, 0 failed, 4 reused" in again.stdout
    with (corpus / "datapackages" / "all" / "documents.csv").open(encoding="utf-8") as f:
        assert "wangdu-2024.txt" in f.read()


def test_failures_are_cached_as_failures(corpus):
    (corpus / "documents" / "empty.txt").write_bytes(b"")
    first = build(corpus)
    assert "6 documents: 5 parsed, 1 failed, 0 reused" in first.stdout
    second = build(corpus)
    assert "6 documents: 0 parsed, 1 failed, 5 reused" in second.stdout
    assert "empty.txt: empty file" in second.stderr
    entry = next(e for e in report(corpus)["documents"] if e["source_files"] == ["empty.txt"])
    assert entry["status"] == "failed" and entry["reused"] is True
    assert entry["error"] == "empty.txt: empty file" and entry["document_id"] is None
    strict = build(corpus, "--strict")
    assert strict.returncode == 1


def test_no_cache_and_cache_dir(corpus, tmp_path):
    result = build(corpus, "--no-cache")
    assert "5 documents: 5 parsed, 0 failed, 0 reused" in result.stdout
    assert not (corpus / ".cache").exists()
    elsewhere = tmp_path / "elsewhere"
    assert "5 parsed" in build(corpus, "--cache", str(elsewhere)).stdout
    assert "5 reused" in build(corpus, "--cache", str(elsewhere)).stdout
    assert len(list(elsewhere.glob("*/*/*.pickle"))) == 5
    assert "5 documents: 5 parsed, 0 failed, 0 reused" in build(corpus).stdout  # default: empty


def test_code_change_invalidates(tmp_path, monkeypatch):
    """The key covers the parse stage's source: editing any module it runs gives another
    fingerprint; editing a later stage (the site) does not."""
    from generator import cache

    copy = tmp_path / "generator"
    shutil.copytree(cache.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", copy)

    def fingerprint_after(edit: str | None) -> str:
        if edit:
            (copy / edit).write_text((copy / edit).read_text(encoding="utf-8") + "\n# edit\n",
                                     encoding="utf-8")
        return cache.code_fingerprint.__wrapped__()

    before = fingerprint_after(None)
    assert fingerprint_after("publish/downloads.py") == before
    assert fingerprint_after("package/write.py") == before
    assert fingerprint_after("cli.py") == before
    changed = [fingerprint_after(m) for m in ("recognize/document.py", "recognize/regions.py",
                                              "verify/base.py", "ingest/pdf.py", "parse.py")]
    assert len({before, *changed}) == 6  # each edit: a new fingerprint
    names = sorted(str(p.relative_to(copy)) for p in cache.parse_modules())
    assert {"recognize/document.py", "recognize/metadata.py", "verify/arithmetic.py",
            "records.py"} <= set(names)
    assert not {"publish/downloads.py", "package/write.py", "cli.py",
                "pipeline.py"} & set(names)

    after = changed[-1]
    files = [DOCUMENTS / "004_1dc876329a8abae6.txt"]
    assert cache.content_key(files, before) != cache.content_key(files, after)
    store = cache.ParseCache(tmp_path / "c", before)
    store.put(cache.content_key(files, before), parse_files(files))
    assert store.get(cache.content_key(files, before)).summary.meta.document_id == SAMPLE_IDS[0]
    other = cache.ParseCache(tmp_path / "c", after)
    assert other.get(cache.content_key(files, after)) is None


def test_cache_entry_is_summary_then_record(tmp_path):
    """A rebuild reads only an entry's first part: the summary the guard, the code lists and the
    report need; the whole record is read only on demand (a package not in the package cache)."""
    from generator import cache

    files = [DOCUMENTS / "004_1dc876329a8abae6.txt"]
    result = parse_files(files)
    store = cache.ParseCache(tmp_path / "c")
    key = cache.content_key(files)
    store.put(key, result)
    hit = store.get(key)
    assert hit.parsed is None and hit.summary == result.summary
    s = hit.summary
    assert (s.meta.document_id, s.checks, len(s.failed_checks), len(s.tables)) == (SAMPLE_IDS[0], 334, 0, 16)
    assert ("2101202", "财政对城乡居民基本医疗保险基金的补助") in s.function_names
    assert len(s.function_names) == len(result.parsed.function_rows) == 60
    assert store.record(key) == result.parsed
    assert store.record("0" * 64) is None


def test_records_read_again_when_the_package_cache_is_gone(corpus, sample_packages):
    """With the parse cache warm but no package cache, the packages are written from the
    records in the parse cache (nothing parsed) and are the same bytes; and a record whose
    cache entry vanished mid-build is parsed again."""
    from generator import cache, pipeline

    assert build(corpus).returncode == 0
    shutil.rmtree(corpus / ".cache" / "packages")
    shutil.rmtree(corpus / "datapackages")
    again = build(corpus)
    assert again.returncode == 0, again.stderr
    assert "5 documents: 0 parsed, 0 failed, 5 reused" in again.stdout
    assert tree_digest(corpus / "datapackages") == tree_digest(sample_packages)

    store = cache.ParseCache(corpus / ".cache" / "parsed")
    results = pipeline.parse_directory(corpus / "documents", jobs=1, progress=False, cache=store)
    assert all(r.reused and r.parsed is None for r in results)
    shutil.rmtree(store.dir)
    load = pipeline._record_loader(results, corpus / "documents", store)
    wangdu = next(r for r in results if r.summary.meta.document_id == SAMPLE_IDS[0])
    record = load(wangdu.summary)
    assert [r.project for r in record.function_rows
            if r.code == "2101202" and r.table == "general_public_function"] == [Decimal("2832.00")]


def test_internal_errors_are_not_cached(tmp_path, monkeypatch):
    """A crash (bug, memory) is reported but never stored: the next build tries again."""
    from generator import cache, parse, pipeline, workers

    def boom(doc):
        raise MemoryError("simulated")

    monkeypatch.setattr(parse, "verify", boom)
    docs = tmp_path / "documents"
    docs.mkdir()
    shutil.copy(DOCUMENTS / "004_1dc876329a8abae6.txt", docs)
    store = cache.ParseCache(tmp_path / "cache")
    results = pipeline.parse_directory(docs, jobs=1, progress=False, cache=store,
                                       limits=workers.Limits(None, None))  # in this process
    assert results[0].error == "004_1dc876329a8abae6.txt: out of memory"
    assert list((tmp_path / "cache").rglob("*.pickle")) == []


def test_corrupt_cache_entry_is_a_miss(corpus):
    assert build(corpus).returncode == 0
    entries = sorted((corpus / ".cache" / "parsed").glob("*/*/*.pickle"))
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # as if cut off
    again = build(corpus)
    assert again.returncode == 0, again.stderr
    assert "5 documents: 1 parsed, 0 failed, 4 reused" in again.stdout


def test_progress_bar_on_a_terminal_plain_lines_otherwise(corpus):
    """On a terminal a tqdm bar counts documents; piped (CI), one line per document."""
    import fcntl
    import os
    import pty
    import struct
    import termios
    import threading

    assert build(corpus).returncode == 0  # piped: plain lines
    piped = build(corpus)
    assert piped.stderr.count("reused  ") == 5 and "parse:" in piped.stderr
    assert "%|" not in piped.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 × 24
    chunks: list[bytes] = []

    def read_terminal() -> None:  # drain while the build runs, so it never blocks on a full pty
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the build closed its end
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    proc = subprocess.Popen(
        build_command(corpus / "documents", corpus / "datapackages", "--no-site"),
        cwd=REPO, stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    out, _ = proc.communicate(timeout=600)
    reader.join(timeout=60)
    os.close(master)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "parse: 100%" in terminal and "5/5" in terminal
    assert "reused  " not in terminal  # the bar replaces the per-document lines
    assert "5 documents: 0 parsed, 0 failed, 5 reused" in out
