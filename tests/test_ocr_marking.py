"""OCR is never silent (issue 19, part 2): every figure read by OCR says so in ``facts.read_by``,
and one that no identity of its tables confirms is published as ``uncertain``.

Real OCR is not needed here: the documents are real text disclosures whose lines are flagged as
read by OCR (``records.Line.ocr``), as ``ingest.ocr`` flags the lines it reads from a page image,
then run through recognize → verify → facts. Seed 002 (互助县医疗保障局 2024 决算) is itself the
output of an OCR pass (``341. 39``, ``138 . 59``, truncated ``341. 3``); its figures are quoted
from ``documents/002_2e4bf1e814f589dd.txt`` (a text extract: no page numbers; line numbers of the
file in the comments)."""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from generator.facts import decide
from generator.ingest.files import ingest_files
from generator.publish.catalog import Catalog
from generator.publish.figures import UNCERTAIN_MARK, fact_figure, shown
from generator.publish.pages.document import ocr_notice
from generator.recognize.document import ingested_to_parsed
from generator.records import IngestedDocument, ParsedDocument
from generator.verify import verify

REPO = Path(__file__).resolve().parents[1]
SEED_002 = REPO / "documents" / "002_2e4bf1e814f589dd.txt"
SHARED_PDFS = REPO.parent / "shared" / "real-pdfs"


def parse(ingested: IngestedDocument) -> ParsedDocument:
    return decide(verify(ingested_to_parsed(ingested)))


def as_ocr(ingested: IngestedDocument, pages=None, replace: dict | None = None) -> IngestedDocument:
    """``ingested`` with its lines (those on ``pages``, else all) flagged as read by OCR, and the
    lines of ``replace`` (index -> line) swapped in: one misread the way an OCR would."""
    lines = [(replace or {}).get(i, line) for i, line in enumerate(ingested.lines)]
    lines = [dataclasses.replace(line, ocr=True) if pages is None or line.page in pages else line for line in lines]
    return dataclasses.replace(ingested, lines=tuple(lines))


def facts_by_key(doc: ParsedDocument) -> dict:
    return {(f.measure, f.dimension, f.code, f.part): f for f in doc.facts}


@pytest.fixture(scope="module")
def seed():
    return ingest_files([SEED_002])


@pytest.fixture(scope="module")
def text_doc(seed):
    return parse(seed)


@pytest.fixture(scope="module")
def ocr_doc(seed):
    return parse(as_ocr(seed))


def test_text_document_reads_as_text(text_doc):
    assert text_doc.ocr_pages == frozenset()
    assert {f.read_by for f in text_doc.facts} == {"text"}
    assert "uncertain" not in {f.certainty for f in text_doc.facts}


def test_ocr_changes_no_figure_only_how_it_was_read(text_doc, ocr_doc):
    """The same document read by OCR gives the same facts, marked ``ocr``; the checks and repairs
    that handle 互助's OCR noise run as before (5 truncated figures of its 收支总表 repaired:
    本年支出合计 printed ``341. 3``, line 84; the 支出决算表 prints 341.39, line 145)."""
    strip = lambda f: dataclasses.replace(f, read_by="", certainty="")  # noqa: E731
    assert [strip(f) for f in ocr_doc.facts] == [strip(f) for f in text_doc.facts]
    assert {f.read_by for f in ocr_doc.facts} == {"ocr"}
    repaired = [(c.check, c.expected, c.actual) for c in ocr_doc.checks if c.status == "repaired"]
    assert repaired == [(c.check, c.expected, c.actual) for c in text_doc.checks if c.status == "repaired"]
    assert ("repair.truncated_amount", "341.39", "341.3") in repaired
    total = facts_by_key(ocr_doc)[("final", "total", "expenditure", "total")]
    assert (total.amount, total.basis, total.repair) == (Decimal("341.39"), "repaired", "repair.truncated_amount")
    # 341.39 = the 支出决算表's 合计 (line 145): two tables agree on the repaired figure
    assert total.certainty == "confirmed"


def test_identities_confirm_ocr_figures(ocr_doc):
    """一般公共预算财政拨款支出决算表 (lines 206-233): 2101501 行政运行 80.91 = 基本支出 80.91 (its
    row adds up) and the 支出决算表 prints it too; the 合计 row 341.39 = 101.80 + 239.59."""
    facts = facts_by_key(ocr_doc)
    assert facts[("final", "function", "2101501", "total")].amount == Decimal("80.91")
    assert facts[("final", "function", "2101501", "total")].certainty == "confirmed"
    assert facts[("final", "total", "general_public", "total")].amount == Decimal("341.39")
    assert facts[("final", "total", "general_public", "total")].certainty == "confirmed"


def test_rounding_does_not_confirm_an_ocr_figure(text_doc, ocr_doc):
    """The 基本支出决算表 (lines 234-268) prints 301 工资福利支出 74.82 over items adding up to 74.81
    (30101 基本工资 18.21, …): within rounding, which an OCR's cut digit is too. Its items are
    confirmed by no identity: ``uncertain`` when read by OCR, ``unconfirmed`` as text."""
    item = ("final", "economic", "30101", "total")
    assert facts_by_key(ocr_doc)[item].amount == Decimal("18.21")
    assert facts_by_key(ocr_doc)[item].certainty == "uncertain"
    assert facts_by_key(text_doc)[item].certainty == "unconfirmed"


# 2101505 医疗保障政策管理 in the 一般公共预算财政拨款支出决算表 (line 229): 9. 46 | (基本) | 9.46
_GP_2101505 = ("2101505", "医疗保障政策管理", "9. 46", "9.46")
# the “三公” table's figures (line 301): 预算数 合计 2.10, 小计 2.10, 运行维护费 2.10; 决算数 the same
_THREE_PUBLIC = ("2. 10", "2.10", "2.10", "2. 10", "2.10", "2. 10")


def _misread(seed, line: tuple[str, ...], old: str, new: str) -> ParsedDocument:
    """Seed 002 read by OCR with the last cell ``old`` of the line printing ``line`` (its non-empty
    cells) misread as ``new``."""
    found = [i for i, l in enumerate(seed.lines) if tuple(c for c in l.cells if c) == line]
    assert len(found) == 1, f"line not found once: {line!r}"
    cells = list(seed.lines[found[0]].cells)
    k = max(i for i, c in enumerate(cells) if c == old)
    cells[k] = new
    misread = dataclasses.replace(seed.lines[found[0]], cells=tuple(cells), text=" ".join(c for c in cells if c))
    return parse(as_ocr(seed, replace={found[0]: misread}))


def test_a_misread_digit_is_uncertain(seed, ocr_doc):
    """9. 46 misread as 9. 48: the row no longer adds up (9.48 ≠ 项目支出 9.46) and the 支出决算表
    prints 9.46 (line 161): 2101505's 合计 is uncertain, its 项目支出 9.46 still confirmed by the
    other table; 21015's 合计 219.50 = 80.91 + 138.59 still holds, so it stays confirmed."""
    doc = _misread(seed, _GP_2101505, "9. 46", "9. 48")
    facts = facts_by_key(doc)
    misread = facts[("final", "function", "2101505", "total")]
    assert (misread.amount, misread.read_by, misread.certainty) == (Decimal("9.48"), "ocr", "uncertain")
    assert facts_by_key(ocr_doc)[("final", "function", "2101505", "total")].certainty == "confirmed"
    assert facts[("final", "function", "2101505", "project")].certainty == "confirmed"
    assert facts[("final", "function", "21015", "total")].certainty == "confirmed"
    assert any(c.check == "function.row_total" and c.status == "fail" and c.expected == "9.48" for c in doc.checks)


def test_a_misread_code_is_uncertain(seed, text_doc):
    """The code 2101505 misread as 2101565 (9 read as 6, as the OCR of seed 001's scan read 2101599
    as 2101566): 合计 9.46 = 项目支出 9.46 still holds, but no code list knows 2101565 as
    医疗保障政策管理, so its figure is not confirmed. The same line as text stays as printed."""
    doc = _misread(seed, _GP_2101505, "2101505", "2101565")
    misread = facts_by_key(doc)[("final", "function", "2101565", "total")]
    assert (misread.amount, misread.name, misread.certainty) == (Decimal("9.46"), "医疗保障政策管理", "uncertain")
    assert any(c.check == "function.row_total" and c.status == "pass" and "2101565" in c.message for c in doc.checks)
    assert facts_by_key(text_doc)[("final", "function", "2101505", "total")].certainty == "confirmed"


def test_a_misread_item_makes_its_total_uncertain(seed, ocr_doc):
    """The “三公” 决算数 公务用车运行维护费 2. 10 misread as 2. 19: the cells no longer add up, the
    recognizer does not place the misread cell (the item is not published), and the 决算数 合计
    2.10 it breaks is confirmed by no identity: uncertain. The 预算数 (same line) still add up."""
    before = facts_by_key(ocr_doc)
    assert before[("final", "three_public", "total", "total")].certainty == "confirmed"
    assert before[("final", "three_public", "vehicle_operation", "total")].certainty == "confirmed"
    doc = _misread(seed, _THREE_PUBLIC, "2. 10", "2. 19")
    facts = facts_by_key(doc)
    assert ("final", "three_public", "vehicle_operation", "total") not in facts
    total = facts[("final", "three_public", "total", "total")]
    assert (total.amount, total.read_by, total.certainty) == (Decimal("2.10"), "ocr", "uncertain")
    assert facts[("budget", "three_public", "total", "total")].certainty == "confirmed"


def test_site_marks_uncertain_figures_and_says_the_document_was_read_by_ocr(seed):
    """The package rows of the misread document, read back by the site: the uncertain figure is
    shown with ？ and the document page says it is a scan read by OCR."""
    from generator.package.rows import document_to_rows, to_cell

    doc = _misread(seed, _THREE_PUBLIC, "2. 10", "2. 19")
    doc.meta = dataclasses.replace(doc.meta, source_format="pdf-ocr")
    rows = {name: [{k: to_cell(v) for k, v in r.items()} for r in table]
            for name, table in document_to_rows(doc).items()}
    did = doc.meta.document_id
    facts = {(r["measure"], r["dimension"], r["code"]): r for r in rows["facts"] if r["part"] == "total"}
    assert shown(fact_figure(facts[("final", "three_public", "total")])) == "2.10" + UNCERTAIN_MARK
    assert shown(fact_figure(facts[("budget", "three_public", "total")])) == "2.10"
    cat = Catalog(root=REPO, documents=rows["documents"], by_document={did: rows})
    notice = ocr_notice(cat, rows["documents"][0])
    uncertain = sum(r["certainty"] == "uncertain" for r in rows["facts"])
    assert notice.startswith("**本文件为扫描件，数字经 OCR 识别**")
    assert f"{len(rows['facts'])} 个核心数字经 OCR 识别，其中 {uncertain} 个未能" in notice
    text = parse(seed)
    text_rows = document_to_rows(text)
    assert ocr_notice(Catalog(root=REPO, documents=text_rows["documents"],
                              by_document={did: {k: [{f: to_cell(v) for f, v in r.items()} for r in t]
                                                 for k, t in text_rows.items()}}),
                      {k: to_cell(v) for k, v in text_rows["documents"][0].items()}) == ""


# ---------------------------------------------------------------------- a PDF with pages read by OCR

PUTUO_UNIT = SHARED_PDFS / "shanghai-putuo-sfj-2026-danwei-yusuan.pdf"
needs_putuo = pytest.mark.skipif(not PUTUO_UNIT.is_file(), reason="../shared/real-pdfs not present")


@pytest.fixture(scope="module")
def putuo():
    return ingest_files([PUTUO_UNIT])


@needs_putuo
def test_only_figures_on_pages_read_by_ocr_are_marked(putuo):
    """普陀区司法局 2026 单位预算, p. 20 (“三公”经费和机关运行经费预算表) read by OCR, the rest from
    the text layer: 合计 10.71 = 因公出国(境)费 0.00 + 公务接待费 0.73 + 公务用车购置及运行费 9.98
    (confirmed); 机关运行经费 184.59 has no identity (the 基本支出表's 公用经费 184.588034, p. 18,
    agrees only within rounding): uncertain. Every figure of another page stays ``text``."""
    doc = parse(as_ocr(putuo, pages={20}))
    assert doc.ocr_pages == frozenset({20})
    facts = facts_by_key(doc)
    three = facts[("budget", "three_public", "total", "total")]
    assert (three.amount, three.source_page, three.read_by, three.certainty) == (Decimal("10.71"), 20, "ocr",
                                                                                 "confirmed")
    assert facts[("budget", "three_public", "reception", "total")].amount == Decimal("0.73")
    operating = facts[("budget", "three_public", "operating_costs", "total")]
    assert (operating.amount, operating.read_by, operating.certainty) == (Decimal("184.59"), "ocr", "uncertain")
    assert {f.read_by for f in doc.facts if f.source_page != 20} == {"text"}
    assert "uncertain" not in {f.certainty for f in doc.facts if f.source_page != 20}
    text = facts_by_key(parse(putuo))
    assert text[("budget", "three_public", "operating_costs", "total")].certainty == "unconfirmed"


@needs_putuo
def test_a_table_total_is_read_by_ocr_when_any_page_of_its_table_was(putuo):
    """The 一般公共预算支出功能分类预算表 starts on p. 14 and goes on to p. 15, where its 合计 row is
    printed (86,959,408.34 元 = 8695.940834 万元; the table's 合计 is given the table's first page,
    14): with p. 15 read by OCR, the 合计 counts as read by OCR; the rows printed on p. 14 do not."""
    doc = parse(as_ocr(putuo, pages={15}))
    facts = facts_by_key(doc)
    gp = facts[("budget", "total", "general_public", "total")]
    assert (gp.amount, gp.source_page, gp.read_by) == (Decimal("8695.940834"), 14, "ocr")
    on_14 = [f for f in doc.facts if f.source_table == "general_public_function" and f.source_page == 14
             and f.dimension == "function"]
    assert on_14 and {f.read_by for f in on_14} == {"text"}
    assert {f.read_by for f in doc.facts if f.source_page == 15} == {"ocr"}


CHANGSHA = SHARED_PDFS / "changsha-xfj-2026-bumen-yusuan.pdf"


@pytest.mark.skipif(not CHANGSHA.is_file(), reason=f"{CHANGSHA} is absent (../shared not available)")
def test_a_misread_economic_code_is_uncertain():
    """长沙市信访局 2026 部门预算, p. 18 (基本支出情况表): ``30109 | 职业年金缴费 | 62.75 | 62.75``
    (合计 = 人员经费). Read by OCR it is confirmed by that identity; with its code misread as
    30160 (0 and 9 read as 6 and 0, as seed 001's scan once read 30109) the identity still holds,
    but no economic code list knows 30160 as 职业年金缴费: uncertain, never published as clean."""
    ingested = ingest_files([CHANGSHA])
    found = [i for i, line in enumerate(ingested.lines)
             if line.page == 18 and line.cells[:3] == ("30109", "职业年金缴费", "62.75")]
    assert len(found) == 1
    facts = facts_by_key(parse(as_ocr(ingested, pages={18})))
    right = facts[("budget", "economic", "30109", "total")]
    assert (right.amount, right.read_by, right.certainty) == (Decimal("62.75"), "ocr", "confirmed")
    line = ingested.lines[found[0]]
    cells = ("30160",) + line.cells[1:]
    misread = dataclasses.replace(line, cells=cells, text=" ".join(c for c in cells if c))
    facts = facts_by_key(parse(as_ocr(ingested, pages={18}, replace={found[0]: misread})))
    wrong = facts[("budget", "economic", "30160", "total")]
    assert (wrong.amount, wrong.name, wrong.read_by, wrong.certainty) == (Decimal("62.75"), "职业年金缴费", "ocr",
                                                                          "uncertain")
    assert ("budget", "economic", "30109", "total") not in facts
