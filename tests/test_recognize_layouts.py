"""Layouts of real disclosures the recognizer must read, through the real command line on files
of ../shared/wild-dev (see its README.md; manifest.tsv carries each file's original name and city
folder), each symlinked into a temporary documents folder and built with ``--no-site``.

* 重庆: the text layer of the 商务委员会's narrative tears the year from its title
  (``重庆市商务委员会年部门预算情况说明`` then ``2026`` alone on the next line): the year is read.
* 上海 单位预算: the 目录 page lists the nine tables (``9. 2026年单位“三公”经费和机关运行经费
  预算表`` last, then ``六、其他相关情况说明`` and the narrative): a table of contents entry is
  not a table, so no table is published on the 目录 page and every table has its true page.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SHARED, run_build

WILD = SHARED / "wild-dev"
needs_wild = pytest.mark.skipif(not WILD.is_dir(), reason=f"wild development corpus not available: "
                                                          f"{WILD} is absent")


def _manifest() -> dict[str, str]:
    with (WILD / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        return {r["file"]: r["path"] for r in csv.DictReader(f, delimiter="\t")}


def _build(tmp_path: Path, *files: str) -> Path:
    """``files`` of wild-dev symlinked into a documents folder and built; the ``all`` package."""
    docs = tmp_path / "documents"
    docs.mkdir()
    for file in files:
        (docs / file).symlink_to((WILD / file).resolve())
    out = tmp_path / "datapackages"
    result = run_build(docs, out, "--no-cache", "--jobs", "1", "--report", str(tmp_path / "report"))
    assert (out / "all" / "documents.csv").is_file(), result.stderr[-3000:]
    return out / "all"


def _rows(folder: Path, resource: str, document_id: str | None = None) -> list[dict[str, str]]:
    with (folder / f"{resource}.csv").open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if document_id is None or r["document_id"] == document_id]


@needs_wild
def test_chongqing_year_torn_from_its_title(tmp_path):
    # w0096: 004_重庆/商务局_1、_重庆市商务委员会2026年部门预算情况说明.pdf, one file (28 pages);
    # page 1 prints “重庆市商务委员会 年部门预算情况说明” and “2026” below it
    assert "004_重庆/商务局_1、_重庆市商务委员会2026年部门预算情况说明" in _manifest()["w0096.pdf"]
    folder = _build(tmp_path, "w0096.pdf")
    docs = _rows(folder, "documents")
    assert [(d["year"], d["phase"], d["source_files"]) for d in docs] == [("2026", "budget", "w0096.pdf")]
    assert docs[0]["document_id"].startswith("chongqing-") and docs[0]["document_id"].endswith("-2026-budget")
    assert docs[0]["title"] == "重庆市商务委员会2026年部门预算情况说明"


# (file, original name, document id, the 一般公共预算支出功能分类预算表's page, a class of it as
#  printed there in 元: code, 合计, 基本支出, 项目支出; the 三公 table's page and its 合计 in 万元)
SHANGHAI = [
    # page 13: “205 教育支出 236,893,390 215,477,090 21,416,300”; page 20: 合计 67.59
    ("w0001.pdf", "001_上海/交通运输局_上海交通职业技术学院2026年度预算",
     "shanghai-jiaotongzhiyejishuxueyuan-2026-budget-unit", 13,
     ("205", "236,893,390", "215,477,090", "21,416,300"), 20, "67.59"),
    # page 13: “201 一般公共服务支出 134,339,860 114,479,860 19,860,000”; page 19: 合计 237.92
    ("w0012.pdf", "001_上海/审计局_上海市审计局(本级)2026年度预算",
     "shanghai-shenjiju-2026-budget-unit", 13,
     ("201", "134,339,860", "114,479,860", "19,860,000"), 19, "237.92"),
]


def _wan(yuan: str) -> Decimal:
    return Decimal(yuan.replace(",", "")) / 10000


@needs_wild
@pytest.mark.parametrize("file, original, doc_id, function_page, printed, three_public_page, three_public_total",
                         SHANGHAI, ids=[s[0] for s in SHANGHAI])
def test_shanghai_table_of_contents_is_not_a_table(tmp_path, file, original, doc_id, function_page, printed,
                                                   three_public_page, three_public_total):
    assert original in _manifest()[file]
    folder = _build(tmp_path, file)
    tables = _rows(folder, "tables", doc_id)
    # page 2 is the 目录: nine titles listed there, none of them a table
    assert [t for t in tables if t["source_page"] == "2"] == []
    pages = {t["table"]: int(t["source_page"]) for t in tables}
    # nine printed tables, and the 机关运行经费 column of the last read as the operating_costs total
    assert len(pages) == len(tables) == 10, [(t["table"], t["source_page"]) for t in tables]
    assert pages["operating_costs"] == three_public_page
    assert pages["general_public_function"] == function_page
    assert pages["three_public"] == three_public_page
    three_public = [t for t in tables if t["table"] == "three_public"]
    assert three_public[0]["empty"] == "false" and three_public[0]["seq"] == "1"
    # the class as printed on the function table's page
    code, total, basic, project = printed
    rows = [r for r in _rows(folder, "function_expenditure", doc_id)
            if r["table"] == "general_public_function" and r["code"] == code]
    assert [(Decimal(r["total"]), Decimal(r["basic"]), Decimal(r["project"]), int(r["source_page"]))
            for r in rows] == [(_wan(total), _wan(basic), _wan(project), function_page)]
    # the 三公 total: the one printed on its page, no zero from the 目录
    totals = [(r["amount"], r["source_page"]) for r in _rows(folder, "three_public", doc_id)
              if r["item"] == "total" and r["measure"] == "budget"]
    assert totals == [(three_public_total, str(three_public_page))]
