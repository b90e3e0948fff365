"""Two-file disclosures paired by content, whatever their files are called (generator.pairing).

北京 publishes each department as ``附件1 …情况说明.pdf`` (the narrative: no table) and
``附件2 …报表.pdf`` (the tables: no year on their pages). Under any names, the two build as one
document; a narrative alone is refused because its tables are missing; a tables file alone is
refused with the reason it gives alone. Through the real command line, on the real PDFs of
../shared (the tests skip where it is absent).
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REAL_PDFS, SHARED, Package, D, run_build

WILD = SHARED / "wild-dev"
needs_wild = pytest.mark.skipif(not (WILD / "manifest.tsv").is_file(),
                                reason=f"wild development corpus not available: {WILD} is absent")
needs_real = pytest.mark.skipif(not REAL_PDFS.is_dir(),
                                reason=f"real PDFs not available: {REAL_PDFS} is absent")

BJ_TABLES = "beijing-ybj-2026-bumen-yusuan-baobiao.pdf"
BJ_NARRATIVE = "beijing-ybj-2026-bumen-yusuan-shuoming.pdf"
DOC = "beijing-ybj-2026-budget"
MISSING = "narrative without its tables: no standard budget table found; its tables file is missing"
NO_YEAR = "not a budget disclosure: no fiscal year found (expected a title such as '2024年部门预算')"


def build(tmp_path: Path, files: dict[str, Path]) -> tuple[dict, Path]:
    """Build ``files`` (name in the folder → the real file, symlinked); (report, datapackages)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, target in files.items():
        (docs / name).symlink_to(target.resolve())
    out = tmp_path / "out" / "datapackages"
    result = run_build(docs, out, "--no-cache")
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((tmp_path / "out" / "build" / "report.json").read_text()), out


def by_files(report: dict) -> dict[tuple[str, ...], dict]:
    return {tuple(d["source_files"]): d for d in report["documents"]}


@needs_real
def test_real_beijing_pair_under_opaque_names(tmp_path, real_packages):
    """The narrative as a.pdf (read first by name), the tables as z.pdf: one document, tables
    first, with the figures of the -baobiao / -shuoming build (test_real_beijing)."""
    report, out = build(tmp_path, {"a.pdf": REAL_PDFS / BJ_NARRATIVE, "z.pdf": REAL_PDFS / BJ_TABLES})
    assert [(d["source_files"], d["document_id"], d["status"]) for d in report["documents"]] == [
        (["z.pdf", "a.pdf"], DOC, "ok")]
    pkg = Package(out / "all")
    gp = pkg.one("function_expenditure", document_id=DOC, table="general_public_function", code="2101501")
    assert (gp["name"], D(gp["total"]), gp["source_page"]) == ("行政运行", Decimal("9472.056108"), "6")
    income = pkg.one("tables", document_id=DOC, table="income")
    assert (D(income["total"]), income["source_page"]) == (Decimal("110896.619602"), "2")
    basic = pkg.one("tables", document_id=DOC, table="basic_economic")
    assert (D(basic["total"]), D(basic["public"])) == (Decimal("11161.558229"), Decimal("858.991446"))
    for resource in ("function_expenditure", "economic_expenditure", "summary", "three_public", "tables"):
        if not (out / "all" / f"{resource}.csv").is_file():
            continue
        assert pkg.rows(resource, document_id=DOC) == real_packages.rows(resource, document_id=DOC), resource


@needs_wild
def test_wild_beijing_pairs_build_as_one_document_each(tmp_path):
    """信访办公室 (w0033 narrative, w0069 tables) and 重大项目建设指挥部办公室 (w0065, w0070):
    four files under opaque names, two documents."""
    names = ["w0033.pdf", "w0065.pdf", "w0069.pdf", "w0070.pdf"]
    report, _ = build(tmp_path, {n: WILD / n for n in names})
    docs = by_files(report)
    assert set(docs) == {("w0069.pdf", "w0033.pdf"), ("w0070.pdf", "w0065.pdf")}
    assert docs["w0069.pdf", "w0033.pdf"]["document_id"] == "beijing-xinfangbangongshi-2026-budget"
    assert docs["w0070.pdf", "w0065.pdf"]["document_id"] == (
        "beijing-zhongdaxiangmujianshezhihuibubangongshi-2026-budget")
    assert all(d["status"] == "ok" and d["tables"] >= 10 for d in docs.values())


@needs_wild
def test_halves_of_different_disclosures_are_not_paired(tmp_path):
    """A narrative (首都绿化委员会办公室, w0066) and the tables of another bureau (信访办公室,
    w0069): neither is the other's half. The narrative is refused for its missing tables, the
    tables with the reason they give alone."""
    report, _ = build(tmp_path, {"n.pdf": WILD / "w0066.pdf", "t.pdf": WILD / "w0069.pdf"})
    docs = by_files(report)
    assert set(docs) == {("n.pdf",), ("t.pdf",)}
    assert docs["n.pdf",]["error"] == f"n.pdf: {MISSING}"
    assert docs["t.pdf",]["error"] == f"t.pdf: {NO_YEAR}"
    assert report["summary"]["failed"] == 2


@needs_real
def test_narrative_alone_is_refused_for_its_missing_tables(tmp_path):
    report, _ = build(tmp_path, {"x.pdf": REAL_PDFS / BJ_NARRATIVE})
    assert [d["error"] for d in report["documents"]] == [f"x.pdf: {MISSING}"]


@needs_real
def test_tables_alone_give_their_own_reason(tmp_path):
    report, _ = build(tmp_path, {"x.pdf": REAL_PDFS / BJ_TABLES})
    assert [d["error"] for d in report["documents"]] == [f"x.pdf: {NO_YEAR}"]
