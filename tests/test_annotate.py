"""The annotated source PDF of the reviewer's report (generator/publish/review/annotate.py and
locate.py): a box around every failing figure, on the page that prints it, read back with pypdf
and compared with the words pdfplumber reads off the original.

普陀司法局 2026 单位预算 (../shared/real-pdfs/shanghai-putuo-sfj-2026-danwei-yusuan.pdf, in 元) prints
on p.11 the row “204 06 01 行政运行 14,348,853.34 14,348,853.34 64,840,547.00”: its 合计 equals its
基本支出 while 项目支出 is printed too (function.row_total), and the 项目支出 of “204 06 司法”
64,840,547.00 is not the sum of its items (function.section_sum); its p.21 leaves the template's
“主要原因是。” in “公务用车购置及运行费9.98万元，与2025年预算数持平，主要原因是。其中：…”, its p.6
“增加（减少）”. 北京市医疗保障局's 2026 说明 (…-shuoming.pdf, the second file of the disclosure)
prints on p.4 “减少 4144.72 万元，下降 3.60%”.
"""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter

from generator.publish.review.annotate import (COLOURS, annotated_pdf, annotated_pdfs, cached_annotations,
                                               placements)
from tests.conftest import DOCUMENTS, REAL_PDFS, WILD, needs_real_pdfs, run_build

UNIT_PDF = REAL_PDFS / "shanghai-putuo-sfj-2026-danwei-yusuan.pdf"
UNIT = "shanghai-putuo-sifaju-2026-budget-unit"
BEIJING_TABLES = REAL_PDFS / "beijing-ybj-2026-bumen-yusuan-baobiao.pdf"
BEIJING_TEXT = REAL_PDFS / "beijing-ybj-2026-bumen-yusuan-shuoming.pdf"
WANGDU_TXT = DOCUMENTS / "004_1dc876329a8abae6.txt"
WANGDU = "baoding-wangdu-ybj-2024-budget"

pytestmark = needs_real_pdfs


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """普陀司法局's 单位预算 and 望都 built by the real build: (documents folder, packages folder)."""
    docs = tmp_path_factory.mktemp("annotate-docs")
    for path in (UNIT_PDF, WANGDU_TXT):
        (docs / path.name).symlink_to(path)
    out = tmp_path_factory.mktemp("annotate-packages") / "datapackages"
    result = run_build(docs, out, "--strict", "--no-cache")
    assert result.returncode == 0, result.stderr[-3000:]
    return docs, out


def checks_of(built, document_id: str) -> list[dict]:
    with (built[1] / document_id / "checks.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def unit_checks(built) -> list[dict]:
    return checks_of(built, UNIT)


@pytest.fixture(scope="module")
def unit_pdf(unit_checks) -> bytes:
    data = annotated_pdf(UNIT_PDF, unit_checks, source_unit="元")
    assert data is not None
    return data


def annotations(data: bytes, page: int) -> list[dict]:
    """The annotations of page ``page`` (1-based): subtype, rectangle, colour, contents."""
    p = PdfReader(io.BytesIO(data)).pages[page - 1]
    out = []
    for ref in p.get("/Annots") or []:
        a = ref.get_object()
        out.append({"subtype": a["/Subtype"], "rect": [float(v) for v in a["/Rect"]],
                    "colour": tuple(round(float(v), 2) for v in a.get("/C", [])),
                    "contents": str(a.get("/Contents", "")), "keys": set(a.keys())})
    return out


def word_boxes(pdf: Path, page: int, text: str, line_of: str | None = None) -> list[tuple[float, ...]]:
    """The boxes, in PDF user space (x0, y0, x1, y1), of the words of page ``page`` reading
    ``text`` (on the line of the word ``line_of``, when given), as pdfplumber reads them."""
    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page - 1]
        words = p.extract_words()
        tops = {round(w["top"]) for w in words if w["text"] == line_of} if line_of else None
        return [(w["x0"], float(p.height) - w["bottom"], w["x1"], float(p.height) - w["top"])
                for w in words if w["text"] == text and (tops is None or round(w["top"]) in tops)]


def covers(rect: list[float], box: tuple[float, ...], slack: float = 2.5) -> bool:
    """``rect`` surrounds ``box`` tightly (each side within ``slack`` points)."""
    return all(abs(a - b) <= slack for a, b in zip(rect, box)) and rect[0] <= box[0] and rect[2] >= box[2]


def squares(data: bytes, page: int, words: str) -> list[dict]:
    return [a for a in annotations(data, page) if a["subtype"] == "/Square" and words in a["contents"]]


# ------------------------------------------------------------------------ 普陀司法局 单位预算


def test_row_total_boxes_both_printed_copies_on_the_row_of_its_code(unit_pdf):
    row = word_boxes(UNIT_PDF, 11, "14,348,853.34", line_of="行政运行")
    assert len(row) == 2  # 合计 and 基本支出 of 204 06 01 行政运行
    found = squares(unit_pdf, 11, "2040601 行政运行：合计")
    assert len(found) == 2
    for box in row:
        assert any(covers(a["rect"], box) for a in found), (box, [a["rect"] for a in found])
    # the same figure on the rows 204 and 204 06 (基本支出) is not boxed
    others = [b for b in word_boxes(UNIT_PDF, 11, "14,348,853.34") if b not in row]
    assert len(others) == 2 and not any(covers(a["rect"], b) for a in found for b in others)
    assert all(a["colour"] == COLOURS["error"] and a["contents"].startswith("[错误] ") for a in found)


def test_section_sum_boxes_the_project_total_of_20406(unit_pdf):
    (box,) = word_boxes(UNIT_PDF, 11, "64,840,547.00", line_of="司法")
    (found,) = squares(unit_pdf, 11, "20406 司法：项目支出")
    assert covers(found["rect"], box)


def test_template_leftover_boxes_its_words_in_the_sentence_that_leaves_them(unit_pdf, unit_checks):
    failed = [c for c in unit_checks if c["check"] == "narrative.template_leftover" and c["source_page"] == "21"]
    assert failed and failed[0]["status"] == "fail"
    with pdfplumber.open(UNIT_PDF) as doc:
        p = doc.pages[20]
        (m,) = p.search("持平，主要原因是。其中")  # the sentence of 公务用车购置及运行费
        (leftover,) = [w for w in p.search("主要原因是。") if w["top"] == m["top"]]
        box = (leftover["x0"], float(p.height) - leftover["bottom"], leftover["x1"], float(p.height) - leftover["top"])
    found = squares(unit_pdf, 21, "主要原因是。")
    assert len(found) == 1 and covers(found[0]["rect"], box), (found, box)
    severity = failed[0]["severity"]
    assert found[0]["colour"] == COLOURS[severity]
    if failed[0]["suggestion"]:
        assert f"；建议：{failed[0]['suggestion']}" in found[0]["contents"]


def test_every_failure_of_the_unit_budget_is_boxed_on_its_page(unit_checks):
    failed = [c for c in unit_checks if c["status"] == "fail"]
    marks = placements([UNIT_PDF], unit_checks, source_unit="元")
    assert len(marks) == len(failed) >= 6
    unplaced = [m.check["check"] for m in marks if not m.boxes and m.check["source_page"]]
    assert not unplaced, unplaced


def test_quote_printed_twice_is_boxed_where_the_message_cites_it():
    """普陀司法局 2026 部门预算 p.8 prints “与2026年预算持平” twice: after 政府性基金拨款支出预算0万元 and
    after 国有资本经营预算拨款支出预算0万元; each finding boxes the 2026 of its own sentence."""
    bumen = REAL_PDFS / "shanghai-putuo-sfj-2026-bumen-yusuan.pdf"
    head = "文字说明与 2026 年比较，但本文件就是该年度的，比较年份有误："
    rows = [{"check": "narrative.comparison_year", "status": "fail", "severity": "error", "table": "narrative",
             "expected": "<2026", "actual": "2026", "source_page": "8", "quote": "与2026年预算持平",
             "message": head + words, "suggestion": ""}
            for words in ("政府性基金拨款支出预算0万元，与2026年预算持平；", "国有资本经营预算拨款支出预算0万元，与2026年预算持平。")]
    with pdfplumber.open(bumen) as doc:
        p = doc.pages[7]
        places = p.search("与2026年预算持平")
        assert len(places) == 2
        years = [[w for w in p.search("2026") if w["top"] == m["top"] and m["x0"] <= w["x0"] <= m["x1"]][0]
                 for m in places]
        boxes = [(w["x0"], float(p.height) - w["bottom"], w["x1"], float(p.height) - w["top"]) for w in years]
    data = annotated_pdf(bumen, rows, source_unit="元")
    for words, box in zip(("政府性基金", "国有资本经营"), boxes):
        (found,) = squares(data, 8, words)
        assert covers(found["rect"], box), (words, found["rect"], box)


def test_rebuild_is_byte_identical_and_only_appends(unit_pdf, unit_checks):
    original = UNIT_PDF.read_bytes()
    assert annotated_pdf(UNIT_PDF, unit_checks, source_unit="元") == unit_pdf
    assert unit_pdf.startswith(original)  # an incremental update: the original bytes untouched
    tail = unit_pdf[len(original):]
    assert b"/CreationDate" not in tail and b"/ModDate" not in tail and b"/M (" not in tail
    trailer_id = PdfReader(io.BytesIO(unit_pdf)).trailer["/ID"]
    assert trailer_id[0] == PdfReader(UNIT_PDF).trailer["/ID"][0]  # the file's permanent identifier


def test_page_text_unchanged(unit_pdf):
    with pdfplumber.open(UNIT_PDF) as a, pdfplumber.open(io.BytesIO(unit_pdf)) as b:
        assert len(a.pages) == len(b.pages)
        for n in (6, 11, 21):
            assert a.pages[n - 1].extract_text() == b.pages[n - 1].extract_text()
    reader = PdfReader(io.BytesIO(unit_pdf))
    original = PdfReader(UNIT_PDF)
    for n in range(len(original.pages)):
        assert reader.pages[n].get_contents().get_data() == original.pages[n].get_contents().get_data()


def test_no_failure_gives_no_file(unit_checks):
    passed = [c for c in unit_checks if c["status"] == "pass"]
    assert passed and annotated_pdf(UNIT_PDF, passed, source_unit="元") is None
    assert annotated_pdf(UNIT_PDF, [], source_unit="元") is None


def test_figure_not_on_its_page_goes_to_the_margin_note():
    lost = {"check": "cross.summary_vs_income", "status": "fail", "severity": "error", "table": "summary",
            "expected": "123456.78", "actual": "876543.21", "source_page": "11",
            "message": "收支总表本年收入合计 123456.78 ≠ 收入总表合计 876543.21", "quote": "", "suggestion": ""}
    missing = {"check": "completeness.table_present", "status": "fail", "severity": "warning",
               "table": "state_capital", "expected": "国有资本经营预算支出表", "actual": "", "source_page": "",
               "message": "国有资本经营预算支出表未找到。", "quote": "", "suggestion": "补充该表。"}
    data = annotated_pdf(UNIT_PDF, [lost, missing], source_unit="元")
    (note,) = [a for a in annotations(data, 11) if a["subtype"] == "/Text"]
    assert "本页有 1 项问题未能在页面上定位" in note["contents"] and lost["message"] in note["contents"]
    assert not [a for a in annotations(data, 11) if a["subtype"] == "/Square"]
    (first,) = [a for a in annotations(data, 1) if a["subtype"] == "/Text"]
    assert "不属于某一页" in first["contents"] and "[警告] 国有资本经营预算支出表未找到。；建议：补充该表。" in first["contents"]
    with pdfplumber.open(UNIT_PDF) as doc:  # in the top margin, above everything printed
        top_of_text = min(c["top"] for c in doc.pages[10].chars)
        height = float(doc.pages[10].height)
    assert height - note["rect"][3] < top_of_text


def test_waived_finding_in_grey_with_its_reason(unit_checks):
    row = next(c for c in unit_checks if c["check"] == "function.section_sum" and c["source_page"] == "11"
               and c["status"] == "fail")
    waived = dict(row, status="waived", waiver="编制说明已更正，原表保留")
    data = annotated_pdf(UNIT_PDF, [waived], source_unit="元")
    (found,) = squares(data, 11, "20406 司法")
    assert found["colour"] == COLOURS["waived"]
    assert found["contents"].startswith("[已豁免·错误] ") and "豁免理由：编制说明已更正，原表保留" in found["contents"]


def test_document_words_stay_plain_text():
    hostile = {"check": "narrative.template_leftover", "status": "fail", "severity": "warning",
               "table": "narrative", "expected": "", "actual": "主要原因是。", "source_page": "21",
               "message": "<script>app.alert(1)</script> /JavaScript (x) 文字说明中有模板残留“主要原因是。”",
               "quote": "持平，主要原因是。其中", "suggestion": "/S /JavaScript /JS (app.alert(2))"}
    data = annotated_pdf(UNIT_PDF, [hostile], source_unit="元")
    (found,) = squares(data, 21, "<script>")
    assert found["contents"].startswith("[警告] <script>app.alert(1)</script>")
    assert found["keys"].isdisjoint({"/A", "/AA", "/JS", "/S"})
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/OpenAction" not in catalog and "/Names" not in catalog or "/JavaScript" not in catalog["/Names"]


def test_rotated_page_boxes_the_figure_in_user_space(tmp_path, unit_checks):
    """A page turned by /Rotate 90: the box lands on the figure the page prints (read back with
    pypdfium2 from the annotation's rectangle, in the page's own coordinates)."""
    import pypdfium2

    writer = PdfWriter(clone_from=UNIT_PDF)
    writer.pages[10].rotate(90)
    rotated = tmp_path / "rotated.pdf"
    writer.write(rotated)
    row = next(c for c in unit_checks if c["check"] == "function.section_sum" and c["source_page"] == "11"
               and c["status"] == "fail")
    data = annotated_pdf(rotated, [row], source_unit="元")
    assert data is not None
    found = squares(data, 11, "20406 司法")  # the page turned, its rows are no longer lines
    page = pypdfium2.PdfDocument(data)[10]
    assert found and all(page.get_textpage().get_text_bounded(*a["rect"]).strip() == "64,840,547.00"
                         for a in found)


def test_password_protected_copy_is_annotated_and_a_damaged_one_skipped(tmp_path, unit_checks):
    """A publisher's PDF encrypted for permissions only (opens without a password) cannot take an
    incremental update: its decrypted copy is annotated, the same bytes twice; a file pypdf
    cannot write gives no annotated copy, not a failed build."""
    writer = PdfWriter(clone_from=UNIT_PDF)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    row = next(c for c in unit_checks if c["check"] == "function.section_sum" and c["source_page"] == "11"
               and c["status"] == "fail")
    data = annotated_pdf(locked, [row], source_unit="元")
    assert data is not None and data == annotated_pdf(locked, [row], source_unit="元")
    (found,) = squares(data, 11, "20406 司法")
    (box,) = word_boxes(UNIT_PDF, 11, "64,840,547.00", line_of="司法")
    assert covers(found["rect"], box)
    with pdfplumber.open(UNIT_PDF) as a, pdfplumber.open(io.BytesIO(data)) as b:
        assert a.pages[10].extract_text() == b.pages[10].extract_text()
    from generator.publish.review.annotate import Mark, _written
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n%broken\n")
    assert _written(damaged, [Mark(0, 1, (), row)]) is None


@pytest.mark.skipif(not WILD.is_dir(), reason=f"wild development corpus not available: {WILD} is absent")
def test_wild_figures_on_the_row_of_their_code_and_beside_their_label():
    """福州 巡特警支队 2026 (wild-dev w0172.pdf) p.10 prints “20402 公安 7,927.40 6,556.70 1,370.70” and
    “2040299 其他公安支出 1,051.46 … 1,051.46”: its 项目支出 finding boxes the 1,370.70 of 20402, not
    2040299's figures; 福州 民政局 (w0180.pdf) p.12 prints “本年收入合计 2219.92 本年支出合计 2249.92”
    and 2249.92 twice more: the finding on 收支总表本年收入合计 boxes the 2219.92."""
    section = {"check": "function.section_sum", "status": "fail", "severity": "error", "table": "expenditure",
               "expected": "1370.70", "actual": "1051.46", "source_page": "10", "quote": "", "suggestion": "",
               "message": "20402 公安：项目支出 1370.70 ≠ 下级 2040201 0 + 2040299 1051.46"}
    (box,) = word_boxes(WILD / "w0172.pdf", 10, "1,370.70")
    (found,) = squares(annotated_pdf(WILD / "w0172.pdf", [section], source_unit="万元"), 10, "20402 公安")
    assert covers(found["rect"], box)
    total = {"check": "cross.summary_vs_income", "status": "fail", "severity": "error", "table": "summary",
             "expected": "2219.92", "actual": "2249.92", "source_page": "12", "quote": "", "suggestion": "",
             "message": "收支总表本年收入合计 2219.92 ≠ 收入总表合计 2249.92"}
    assert len(word_boxes(WILD / "w0180.pdf", 12, "2249.92")) == 3
    (box,) = word_boxes(WILD / "w0180.pdf", 12, "2219.92")
    (found,) = squares(annotated_pdf(WILD / "w0180.pdf", [total], source_unit="万元"), 12, "收支总表")
    assert covers(found["rect"], box)


# ------------------------------------------------------------------------ two files, the site


def test_two_file_document_annotates_the_file_that_prints_the_figure():
    finding = {"check": "narrative.yoy_percent", "status": "fail", "severity": "error", "table": "narrative",
               "expected": "3.61", "actual": "3.60", "source_page": "4", "quote": "",
               "message": "增减额 4144.72 ÷ 上年 115041.34 = 3.61%，文字说明为 3.60%（检验用的假设发现）",
               "suggestion": ""}
    tables, text = annotated_pdfs([BEIJING_TABLES, BEIJING_TEXT], [finding], source_unit="万元")
    assert tables is None and text is not None
    with pdfplumber.open(BEIJING_TEXT) as doc:
        p = doc.pages[3]
        (m,) = p.search("3.60")
        box = (m["x0"], float(p.height) - m["bottom"], m["x1"], float(p.height) - m["top"])
    (found,) = squares(text, 4, "文字说明为 3.60%")
    assert covers(found["rect"], box), (found["rect"], box)


def test_finding_of_no_page_is_boxed_on_the_pages_of_its_table():
    """北京市医疗保障局's 支出总表 (预算03表) starts on p.3 of the tables file and ends on p.4 with
    “合 计 110,896.619602 11,161.558229 99,735.061373”; a finding about its 合计 row that names
    no page is boxed there, one that names none and has no table known goes to page 1's note."""
    total = {"check": "function.table_total", "status": "fail", "severity": "error", "table": "expenditure",
             "expected": "110896.619602", "actual": "29117.619602", "source_page": "", "quote": "",
             "message": "合计：合计行 110896.619602 ≠ 各类之和 29117.619602", "suggestion": ""}
    pages = {"summary": 1, "income": 2, "expenditure": 3, "fiscal_summary": 5}
    (marks,) = [placements([BEIJING_TABLES, BEIJING_TEXT], [total], source_unit="万元", table_pages=pages)]
    assert [(m.file, m.page, len(m.boxes)) for m in marks] == [(0, 4, 1)]
    data = annotated_pdf(BEIJING_TABLES, [total], source_unit="万元", table_pages=pages)
    (box,) = word_boxes(BEIJING_TABLES, 4, "110,896.619602", line_of="合")
    (found,) = squares(data, 4, "合计：合计行")
    assert covers(found["rect"], box)
    unknown = annotated_pdf(BEIJING_TABLES, [total], source_unit="万元")
    (note,) = [a for a in annotations(unknown, 1) if a["subtype"] == "/Text"]
    assert "不属于某一页" in note["contents"] and total["message"] in note["contents"]


def test_site_links_the_annotated_pdf_and_keeps_it_by_content(built, tmp_path):
    from generator.publish.pages.viewer import annotated_downloads, annotated_line
    from generator.publish.settings import SiteSettings
    from generator.publish.site import load_site

    docs, packages = built
    settings = SiteSettings(datapackages=packages, documents=docs, build_status=tmp_path / "status.json",
                            downloads_cache=tmp_path / "downloads", chart_cache=None)
    cat = load_site(settings)
    files = annotated_downloads(cat)
    assert set(files) == {f"downloads/{UNIT}-review.pdf"}
    assert files[f"downloads/{UNIT}-review.pdf"].read_bytes() == annotated_pdf(
        UNIT_PDF, checks_of(built, UNIT), source_unit="元")
    assert annotated_line(cat, cat.document(UNIT), "../") == f"[标注原文（PDF）](../downloads/{UNIT}-review.pdf)"
    assert annotated_line(cat, cat.document(WANGDU), "../") == ""  # a text source: no PDF to annotate
    from generator.publish.pages.data import data_page
    assert f"[标注原文（PDF）](downloads/{UNIT}-review.pdf)" in data_page(cat)
    # the next build reads it back from the cache
    slot = files[f"downloads/{UNIT}-review.pdf"]
    with (built[1] / UNIT / "tables.csv").open(encoding="utf-8", newline="") as f:
        pages: dict[str, int] = {}
        for t in csv.DictReader(f):
            pages[t["table"]] = min(pages.get(t["table"], 10**9), int(t["source_page"]))
    made = cached_annotations([UNIT_PDF], checks_of(built, UNIT), source_unit="元",
                              cache_dir=tmp_path / "downloads-review", table_pages=pages)
    assert made == [slot]
    assert hashlib.sha256(slot.read_bytes()).hexdigest() == hashlib.sha256(
        annotated_pdf(UNIT_PDF, checks_of(built, UNIT), source_unit="元")).hexdigest()


def test_wangdu_still_has_no_failure(built):
    assert not [c for c in checks_of(built, WANGDU) if c["status"] == "fail"]
