"""Tests of generator/ingest_pdf.py: exact lines from the project's own fixture PDFs
(tests/pdf_fixtures.py), exact error reasons, and rows read off the real disclosures in
../shared/real-pdfs when that folder is present."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the repo has no package config: make `generator` importable
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pdf_fixtures  # noqa: E402
from generator.ingest import pdf as ingest_pdf  # noqa: E402
from generator.ingest.pdf import pdf_to_lines  # noqa: E402
from generator.records import IngestError, Line  # noqa: E402

REAL_PDFS = ROOT.parent / "shared" / "real-pdfs"


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf-fixtures")


def cells_of(lines: list[Line], page: int | None = None) -> list[tuple[str, ...]]:
    return [line.cells for line in lines if page is None or line.page == page]


# ------------------------------------------------------------------------- fixture font


def test_fixture_font_extracts_faithfully(fixture_dir: Path) -> None:
    path = pdf_fixtures.write_ruled_table_pdf(fixture_dir / "font.pdf")
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[0].extract_text()
    assert "2026年一般公共预算支出表" in text
    assert "其他医疗保障管理事务" in text
    assert "(cid:" not in text


# ------------------------------------------------------------------------- ruled table


def test_ruled_table_rows_are_positional_and_exact(fixture_dir: Path) -> None:
    path = pdf_fixtures.write_ruled_table_pdf(fixture_dir / "ruled.pdf")
    lines, pages = pdf_to_lines(path, "ruled.pdf")
    assert pages == 2
    assert cells_of(lines, page=1) == [
        ("2026年一般公共预算支出表",),
        ("部门名称：示例市医疗保障局", "单位：万元"),
        ("科目编码", "科目名称", "预算数", "", ""),  # merged header cell: text at its first column
        ("", "", "合计", "基本支出", "项目支出"),
        ("210", "卫生健康支出", "1,045.47", "275.47", "770.00"),
        ("21015", "医疗保障管理事务", "1,045.47", "275.47", "770.00"),
        ("2101501", "行政运行", "345.47", "275.47", "70.00"),
        ("2101504", "信息化建设", "500.00", "", "500.00"),  # empty 基本支出 cell kept
        ("2101599", "其他医疗保障管理事务支出", "200.00", "0.00", "200.00"),  # wrapped in its cell
        ("注：本表反映一般公共预算拨款支出情况。",),
        ("一般公共预算支出1,045.47万元，其中行政运行345.47万元。",),
    ]  # the page number '- 1 -' is dropped
    assert cells_of(lines, page=2) == [
        ("2026年一般公共预算基本支出表",),
        ("单位：万元",),
        ("科目编码", "科目名称", "预算数", "", ""),
        ("", "", "合计", "人员经费", "公用经费"),
        ("301", "工资福利支出", "237.46", "237.46", "0.00"),
        ("302", "商品和服务支出", "38.01", "", "38.02"),
    ]


def test_line_fields(fixture_dir: Path) -> None:
    path = pdf_fixtures.write_ruled_table_pdf(fixture_dir / "fields.pdf")
    lines, _ = pdf_to_lines(path, "fields.pdf")
    row = next(line for line in lines if line.cells[:1] == ("2101501",))
    assert row == Line(
        cells=("2101501", "行政运行", "345.47", "275.47", "70.00"),
        text="2101501 行政运行 345.47 275.47 70.00",
        page=1,
        positional=True,
        source="fields.pdf",
    )
    title = lines[0]
    assert (title.positional, title.page, title.source) == (False, 1, "fields.pdf")
    assert all(line.source == "fields.pdf" and line.page in (1, 2) for line in lines)


# ----------------------------------------------------------------------- unruled table


def test_unruled_table_columns_by_position(fixture_dir: Path) -> None:
    path = pdf_fixtures.write_unruled_table_pdf(fixture_dir / "unruled.pdf")
    lines, pages = pdf_to_lines(path, "unruled.pdf")
    assert pages == 1
    assert [(line.cells, line.positional) for line in lines] == [
        (("2026年一般公共预算支出表",), False),
        (("单位：万元",), False),
        (("科目编码", "科目名称", "合计", "基本支出", "项目支出"), True),
        (("210", "卫生健康支出", "1,045.47", "275.47", "770.00"), True),
        (("21015", "医疗保障管理事务", "1,045.47", "275.47", "770.00"), True),
        (("2101501", "行政运行", "345.47", "275.47", "70.00"), True),
        (("2101504", "信息化建设", "500.00", "", "500.00"), True),
        # 深圳 layout: 其他医疗保障管理事务 / 2101599 … / 支出 joined into the code row
        (("2101599", "其他医疗保障管理事务支出", "200.00", "0.00", "200.00"), True),
        (("注：本表无表格线。",), False),
    ]


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("writer", "reason"),
    [
        (pdf_fixtures.write_empty_file, "empty file (0 bytes)"),
        (pdf_fixtures.write_not_a_pdf, "not a PDF"),
        (pdf_fixtures.write_truncated_pdf, "truncated PDF (no %%EOF marker)"),
        (pdf_fixtures.write_corrupt_pdf, "corrupt PDF"),
        (pdf_fixtures.write_encrypted_pdf, "encrypted PDF, needs a password"),
        (pdf_fixtures.write_image_only_pdf, "scanned PDF, needs OCR (OCR disabled: --no-ocr)"),
        (
            pdf_fixtures.write_owner_only_encrypted_cid_pdf,
            "text layer cannot be decoded (fonts without a Unicode map), needs OCR (OCR disabled: --no-ocr)",
        ),
    ],
)
def test_unreadable_files_raise_with_reason(fixture_dir: Path, writer, reason: str) -> None:  # type: ignore[no-untyped-def]
    name = f"{writer.__name__}.pdf"
    path = writer(fixture_dir / name)
    with pytest.raises(IngestError) as caught:
        pdf_to_lines(path, name, ocr=False)  # OCR reads such pages by default: tests/test_ocr_ingest.py
    assert caught.value.file == name
    assert caught.value.reason == reason
    assert str(caught.value) == f"{name}: {reason}"


def test_owner_password_only_opens(fixture_dir: Path) -> None:
    path = pdf_fixtures.write_owner_only_encrypted_pdf(fixture_dir / "owner.pdf")
    lines, pages = pdf_to_lines(path, "owner.pdf")
    assert pages == 1
    assert cells_of(lines) == [("Budget 2026 total 345.47",)]


# ------------------------------------------------------------------------- small units


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("本 年 收 入 合 计", "本年收入合计"),
        ("2024 年度   收入", "2024年度收入"),
        ("1,935.36 1,517.95", "1,935.36 1,517.95"),
        (" Budget  total ", "Budget total"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert ingest_pdf.normalize(raw) == expected


def test_column_groups_merge_misaligned_header_rule() -> None:
    # grid columns 0,1,2: the header row has rules at 0 and 2, data rows at 0 and 1
    starts = [(0, 0), (0, 2), (1, 0), (1, 1), (2, 0), (2, 1)]
    assert ingest_pdf.column_groups(3, starts) == [0, 1, 1]
    # a tall cell spanning rows 1-2 at column 0 keeps column 1 separate
    assert ingest_pdf.column_groups(2, [(0, 0), (1, 0), (1, 1), (2, 0), (2, 1)]) == [0, 1]


def test_debug_cli_prints_pages_and_cells(fixture_dir: Path) -> None:
    path = pdf_fixtures.write_ruled_table_pdf(fixture_dir / "cli.pdf")
    result = subprocess.run(
        [sys.executable, "-m", "generator.ingest.pdf", str(path)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert "   1 T| 2101501 | 行政运行 | 345.47 | 275.47 | 70.00" in result.stdout.splitlines()
    assert "   2 T| 302 | 商品和服务支出 | 38.01 |  | 38.02" in result.stdout.splitlines()


# --------------------------------------------------------------------------- real PDFs


def real_pdf(name: str) -> Path:
    path = REAL_PDFS / name
    if not path.exists():
        pytest.skip(f"real disclosure PDFs not available: {path} is absent")
    return path


_cache: dict[str, tuple[list[Line], int]] = {}


def real_lines(name: str) -> tuple[list[Line], int]:
    if name not in _cache:
        _cache[name] = pdf_to_lines(real_pdf(name), name)
    return _cache[name]


def test_shenzhen_wrapped_name_joined_into_code_row() -> None:
    lines, pages = real_lines("shenzhen-ybj-2026-bumen-yusuan.pdf")
    assert pages == 34
    page20 = [line for line in lines if line.page == 20]
    row = ("", "2101599", "其他医疗保障管理事务支出", "1,725.63", "0.00", "1,725.63",
           "0.00", "0.00", "0.00", "0.00", "0.00", "0.00")  # leftmost 预算单位 column empty
    assert row in [line.cells for line in page20]
    texts = [line.text for line in page20]
    assert texts.index("支出总表") < texts.index("部门名称：深圳市医疗保障局（本级） 单位：万元")
    assert texts.index("部门名称：深圳市医疗保障局（本级） 单位：万元") < [line.cells for line in page20].index(row)
    # page footers like '- 17 -' are gone
    assert not [line for line in lines if re.fullmatch(r"-\s*\d+\s*-", line.text)]


def test_shenzhen_budget_unit_row() -> None:
    lines, _ = real_lines("shenzhen-ybj-2026-bumen-yusuan.pdf")
    assert ("深圳市医疗保障局（本级）", "", "", "15,480.26", "11,012.04", "4,468.22",
            "0.00", "0.00", "0.00", "627.40", "30.30", "0.00") in cells_of(lines, page=19)


def test_changsha_split_code_columns_and_column_number_row() -> None:
    lines, _ = real_lines("changsha-xfj-2026-bumen-yusuan.pdf")
    page14 = cells_of(lines, page=14)
    assert ("**", "**", "**", "**", "1", "2", "3", "4", "5", "6") in page14
    assert ("201", "", "", "一般公共服务支出", "1,935.36", "1,517.95", "417.41", "", "", "") in page14
    assert ("", "40", "", "信访事务", "1,935.36", "1,517.95", "417.41", "", "", "") in page14
    assert ("201", "40", "01", "行政运行", "1,517.95", "1,517.95", "", "", "", "") in page14
    assert ("201", "40", "04", "信访业务", "417.41", "", "417.41", "", "", "") in page14
    texts = [line.text for line in lines if line.page == 14]
    assert texts[:2] == ["2026年部门支出总体情况表", "部门名称：长沙市信访局 单位：万元"]


def test_beijing_codes_joined_to_names_six_decimals() -> None:
    lines, pages = real_lines("beijing-ybj-2026-bumen-yusuan-baobiao.pdf")
    assert pages == 28
    page3 = cells_of(lines, page=3)
    assert ("2101501-行政运行", "50101-工资奖金津补贴", "30101-基本工资",
            "1,184.986800", "1,184.986800", "", "", "", "") in page3
    assert ("2101504-信息化建设", "50601-资本性支出", "31007-信息网络及软件购置更新",
            "970.000000", "", "970.000000", "", "", "") in page3
    assert ("预算03表支出总表", "", "", "", "", "", "", "", "") in page3


def test_beijing_narrative_is_one_cell_lines() -> None:
    lines, pages = real_lines("beijing-ybj-2026-bumen-yusuan-shuoming.pdf")
    assert pages == 8
    assert not any(line.positional for line in lines)
    assert ("2026年度收入预算110896.62万元，比2025年年初预",) in cells_of(lines, page=4)


def test_shanghai_putuo_sfj_codes_split_into_lei_kuan_xiang() -> None:
    lines, _ = real_lines("shanghai-putuo-sfj-2026-bumen-yusuan.pdf")
    page11 = cells_of(lines, page=11)
    assert ("类", "款", "项", "", "", "", "", "", "") in page11
    assert ("204", "", "", "公共安全支出", "87267272.44", "87267272.44", "0.00", "0.00", "0.00") in page11
    assert ("204", "06", "01", "行政运行", "16726725.44", "16726725.44", "0.00", "0.00", "0.00") in page11
    assert ("204", "06", "01", "行政运行", "16726725.44", "16726725.44", "0.00") in cells_of(lines, page=12)


def test_shanghai_putuo_czj_two_sided_table_and_baseline_shifted_numbers() -> None:
    lines, pages = real_lines("shanghai-putuo-czj-2024-juesuan.pdf")
    assert pages == 25
    page16 = cells_of(lines, page=16)
    assert ("301", "02", "津贴补贴", "1,238.58", "302", "02", "印刷费", "7.61") in page16
    # numbers set in another font on a lower baseline stay on their prose line
    assert ("上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入",) in cells_of(lines, page=21)


def test_zhuhai_bracketed_codes() -> None:
    lines, _ = real_lines("zhuhai-swj-2026-bumen-yusuan.pdf")
    assert ("2011301", "行政运行", "4,967.40", "4,967.40", "0.00", "0.00", "0.00", "0.00") in cells_of(lines, page=9)
    assert ("[2011301]行政运行", "4,965.28", "4,965.28", "0.00") in cells_of(lines, page=13)


def test_jiangsu_misaligned_header_rule_merged() -> None:
    lines, _ = real_lines("jiangsu-jcy-2019-bumen-yusuan.pdf")
    page16 = cells_of(lines, page=16)
    assert ("功能科目代码", "功能科目名称", "金额") in page16
    assert ("2040401", "行政运行", "12,268.62") in page16
    # 公开03表: header rules a few points off the figures' rules, borders drawn as double lines
    assert ("合计", "基本支出", "项目支出", "单位预留机动经费", "结转下年资金") in cells_of(lines, page=15)
    assert ("24169.74", "15844.04", "4335.30", "3990.4", "") in cells_of(lines, page=15)


def test_jiangsu_double_rule_table_keeps_last_column() -> None:
    lines, _ = real_lines("jiangsu-jcy-2019-bumen-yusuan.pdf")
    page20 = cells_of(lines, page=20)
    assert ("合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费") in page20
    assert ("1276.7", "418.26", "80", "237", "", "237", "101.26", "158.44", "700") in page20


def test_every_real_pdf_ingests_with_pages_on_every_line() -> None:
    if not REAL_PDFS.exists():
        pytest.skip(f"real disclosure PDFs not available: {REAL_PDFS} is absent")
    for path in sorted(REAL_PDFS.glob("*.pdf")):
        lines, pages = real_lines(path.name)
        assert pages > 0 and lines, path.name
        assert all(line.page is not None and 1 <= line.page <= pages for line in lines), path.name
        assert all(line.source == path.name for line in lines)
        assert [line.page for line in lines] == sorted(line.page for line in lines), path.name
        assert not any("(cid:" in line.text or "\n" in line.text for line in lines), path.name
