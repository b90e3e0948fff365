"""Hostile text in a disclosure never blocks the site and is never published raw.

Each test builds one copy of a sample (documents/000, a text extract) with something hostile
inserted, through the real command line with the site and ``--strict``:

* a ``.md`` disclosure holding a ``<script>``: published as a file under ``sources/``, never
  rendered as a page (MkDocs' strict mode used to fail on it, without naming the file);
* a sentence of the narrative longer than the csv module's default field limit (128 KiB):
  read back whole by the site;
* NUL, bidi overrides and other control characters in the bureau's name, an item and a
  sentence: removed where the text enters, counted, and reported by ``text.control_characters``.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
from conftest import DOCUMENTS, generator_build

SAMPLE = DOCUMENTS / "000_a8cda960e0db61c9.txt"
DOCUMENT_ID = "baoji-fengxian-ybj-2024-budget-unit"
SCRIPT = "<script>alert('hostile')</script>"
#: every character the ingest removes: C0 and C1 controls but tab and line ends, bidi controls
CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TEXT_SUFFIXES = (".html", ".csv", ".json", ".md", ".txt", ".xml", ".svg", ".js")


def build(tmp_path: Path, name: str, text: str) -> tuple[Path, Path]:
    """Build a documents folder holding only ``name`` with ``text``; (datapackages, site)."""
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / name).write_text(text, encoding="utf-8")
    out, site = tmp_path / "datapackages", tmp_path / "site"
    result = generator_build(docs, out, "--site", str(site), "--strict", "--report", str(tmp_path / "build"),
                             "--cache", str(tmp_path / "cache"))
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    assert (site / "index.html").is_file()
    return out, site


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def read_rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)  # this test reads the long field back itself
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------ a .md disclosure


def test_markdown_disclosure_is_published_as_a_file_not_a_page(tmp_path):
    text = sample_text().replace("第一部分 单位概况", f"第一部分 单位概况\n\n{SCRIPT}\n\n<b>粗体</b>", 1)
    name = "000_hostile.md"
    out, site = build(tmp_path, name, text)
    copied = site / "sources" / f"{DOCUMENT_ID}.md"
    assert copied.is_file(), sorted(p.name for p in (site / "sources").iterdir())
    assert copied.read_bytes() == text.encode("utf-8")  # the very file, as published
    assert not (site / "sources" / DOCUMENT_ID).exists()  # no page rendered from it
    for page in html_pages(site):
        assert "<script>alert(" not in page.read_text(encoding="utf-8"), page
    document = (site / "documents" / DOCUMENT_ID / "index.html").read_text(encoding="utf-8")
    assert f'href="../../sources/{DOCUMENT_ID}.md"' in document


# ------------------------------------------------------------------ a very long field


def test_a_field_longer_than_128_kib_is_published_whole(tmp_path):
    filler = "原因是在职在编人员机关事业单位基本养老保险缴费基数上调" * (210 * 1024 // 27)
    marker = "（1）机关事业单位基本养老保险缴费支出（2080505）11.1394 万元，较上年 9.3248 万元增加 1.8146 万元，"
    text = sample_text()
    assert marker in text
    text = text.replace(marker, marker + filler, 1)
    out, site = build(tmp_path, "000_long.txt", text)
    sentences = [r["sentence"] for r in read_rows(out / "all" / "narrative.csv")]
    longest = max(sentences, key=len)
    assert len(longest) > 200 * 1024 and filler in longest
    copied = read_rows(site / "data" / "all" / "narrative.csv")
    assert [r["sentence"] for r in copied] == sentences


# ------------------------------------------------------------------ control characters


def hostile_controls(text: str) -> tuple[str, int]:
    """The sample with control characters in the bureau's name (first lines), a summary item
    (past the first 4 KiB, where a NUL does not make the file binary) and a sentence."""
    inserted = 0

    def put(old: str, new: str) -> None:
        nonlocal text, inserted
        assert old in text, old
        text = text.replace(old, new, 1)
        inserted += len(CONTROL.findall(new)) - len(CONTROL.findall(old))

    put("凤县医疗保障局\n", "凤县医疗\u202e保障\u2066局\u2069\n")
    put("1、财政拨款\t", "1、财政\x00拨款\u202e\t")
    put("本单位 2024 年预算收入", "本单位\x1b 2024 年预算\x7f收入\u202d")
    assert "\x00" not in text[:4096]
    return text, inserted


def test_control_characters_are_removed_counted_and_reported(tmp_path):
    text, inserted = hostile_controls(sample_text())
    out, site = build(tmp_path, "000_controls.txt", text)
    for root in (out, site):
        for path in sorted(root.rglob("*")):
            if path.suffix in TEXT_SUFFIXES and "sources" not in path.relative_to(root).parts:
                found = CONTROL.findall(path.read_text(encoding="utf-8"))
                assert not found, f"{path}: {found[:5]}"
    bureaus = read_rows(out / "all" / "bureaus.csv")
    assert [b["name"] for b in bureaus] == ["凤县医疗保障局"]
    items = {r["item"] for r in read_rows(out / "all" / "summary.csv")}
    assert "1、财政拨款" in items or "财政拨款" in items, sorted(items)[:20]
    checks = [r for r in read_rows(out / "all" / "checks.csv") if r["check"] == "text.control_characters"]
    assert [(c["status"], c["actual"]) for c in checks] == [("repaired", str(inserted))], checks
    definitions = {r["check"] for r in read_rows(out / "all" / "check_definitions.csv")}
    assert "text.control_characters" in definitions


@pytest.mark.parametrize("text, removed", [
    ("a\x00b\u202ec", 2), ("制表\t保留", 0), ("\u2066隔离\u2069", 2), ("\x7f\x9f", 2), ("普通", 0),
])
def test_strip_controls(text, removed):
    from generator.ingest.clean import strip_controls
    cleaned, n = strip_controls(text)
    assert n == removed and not CONTROL.search(cleaned) and ("\t" in cleaned) == ("\t" in text)


def test_the_url_guard_reads_a_long_field(tmp_path):
    from generator.guard import document_url, previous_build
    csv.field_size_limit(128 * 1024)  # the csv module's default, whatever ran before in this process
    all_dir = tmp_path / "all"
    all_dir.mkdir()
    title = "标题" * (100 * 1024)
    (all_dir / "documents.csv").write_text(f'document_id,title,source_files\nd1,"{title}",a.txt\n',
                                           encoding="utf-8")
    published = previous_build(tmp_path)
    assert published.urls == {document_url("d1")} and published.documents_by_file == {"a.txt": "d1"}
