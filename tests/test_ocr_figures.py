"""OCR gives the figures of the text: image-only PDFs the project makes (``ocr_fixtures``: real
pages rendered as scans, seed 001's tables drawn) built through the real command line and
compared, fact by fact, with the build of their text versions (issue 19, "What it must show").

* the key figures — the general-public total, the 类 totals of the function table, the 三公
  figures — are the same in both builds and equal the figures read by hand off the pages;
* the share of the text build's facts that the OCR build gives with the identical amount (same
  measure, dimension, code, part) stays above a floor measured on these fixtures;
* the scans are published as ``source_format`` ``pdf-ocr``;
* an image-only PDF that is no budget disclosure is refused with its name and the reason, and
  with ``--no-ocr`` a scanned disclosure is refused as "scanned PDF, needs OCR".

The builds run once per session (``ocr_builds``), with the build's default limits; the time the
fixtures and both builds took is printed (``pytest -s``).
"""
from __future__ import annotations

import json
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest

import ocr_fixtures as fx
from conftest import REAL_PDFS, WILD, Package, run_build

#: per fixture: (file name of the scan, document id of both builds)
FIXTURES = {
    "zhuhai": ("zhuhai-swj-2026-bumen-yusuan.pdf", "zhuhai-shangwuju-2026-budget"),
    "changsha": ("changsha-xfj-2026-bumen-yusuan.pdf", "changsha-xinfangju-2026-budget"),
    "sample": ("001_e75bfe8e2417c16e.pdf", "leshan-shizhong-ybj-2023-budget"),
}

#: the key figures, read by hand off the printed pages (万元, 预算数): (dimension, code, part) → amount
KEY_FIGURES: dict[str, dict[tuple[str, str, str], Decimal]] = {
    "zhuhai": {
        # 珠海 商务局 2026 p. 13, 表5 一般公共预算支出情况表: 合计 46,402.33
        ("total", "general_public", "total"): Decimal("46402.33"),
        # p. 13, 表5: [201]一般公共服务支出 41,350.29 / [208]社会保障和就业支出 2,366.15 /
        # [210]卫生健康支出 185.89; p. 14 (its continuation): [216]商业服务业等支出 2,500.00
        ("function", "201", "total"): Decimal("41350.29"),
        ("function", "208", "total"): Decimal("2366.15"),
        ("function", "210", "total"): Decimal("185.89"),
        ("function", "216", "total"): Decimal("2500.00"),
        # p. 18, 表8 行政经费及“三公”经费预算表, 合计 column: “三公”经费 19.84, 因公出国（境）支出
        # 13.20, 公务用车购置费 0.00, 公务用车运行维护费 0.00, 公务接待费支出 6.64
        ("three_public", "total", "total"): Decimal("19.84"),
        ("three_public", "overseas_travel", "total"): Decimal("13.20"),
        ("three_public", "vehicle_purchase", "total"): Decimal("0"),
        ("three_public", "vehicle_operation", "total"): Decimal("0"),
        ("three_public", "reception", "total"): Decimal("6.64"),
    },
    "changsha": {
        # 长沙 信访局 2026 p. 17, 一般公共预算支出情况表: 合计 1,935.36; 201 一般公共服务支出 1,935.36
        ("total", "general_public", "total"): Decimal("1935.36"),
        ("function", "201", "total"): Decimal("1935.36"),
        # p. 20, “三公”经费支出情况表, 合计 row: 小计 8.00, 公务接待费 3.00, 因公出国（境）费 empty,
        # 公务用车购置及运行费 5.00 of which 购置费 empty and 运行费 5.00 (p. 8 says the same in words)
        ("three_public", "total", "total"): Decimal("8.00"),
        ("three_public", "reception", "total"): Decimal("3.00"),
        ("three_public", "vehicle_operation", "total"): Decimal("5.00"),
    },
    "sample": {
        # seed 001 (documents/001_e75bfe8e2417c16e.txt) line 264, 一般公共预算支出预算表: 合计 515.19
        # (drawn on page 5 of the scan)
        ("total", "general_public", "total"): Decimal("515.19"),
        # lines 228, 230, 240, 财政拨款收支预算总表 (drawn on pages 4-5, 住房保障支出 on 5):
        # 社会保障和就业支出 38.86, 卫生健康支出 447.76, 住房保障支出 28.57 — the
        # 一般公共预算支出预算表 prints no 类 rows
        ("function", "208", "total"): Decimal("38.86"),
        ("function", "210", "total"): Decimal("447.76"),
        ("function", "221", "total"): Decimal("28.57"),
        # lines 356-358, “三公”经费支出预算表 (drawn on page 8): 合计 1.39, 公务接待费 1.39
        ("three_public", "total", "total"): Decimal("1.39"),
        ("three_public", "reception", "total"): Decimal("1.39"),
    },
}

#: the lowest share of a text build's facts the OCR build must give exactly (see the module's
#: docstring): measured with the OCR reader of a2fd498 — 珠海 126/126, 长沙 81/81, seed 001 79/82
#: (0.963: 2101599 read 2101566 and 30109 read 30160, the 2-digit cells 99 and 09 turned upside
#: down by the recognizer's direction classifier, since turned off: 82/82 at c85ff8e); each floor
#: leaves room for about two facts (another CPU's onnxruntime kernels may round differently)
EXACT_FLOOR = {"zhuhai": 0.98, "changsha": 0.97, "sample": 0.93}

NOT_BUDGET_REASON = "not a budget disclosure"


def _facts(pkg: Package, document_id: str) -> dict[tuple[str, str, str, str], dict[str, str]]:
    return {(r["measure"], r["dimension"], r["code"], r["part"]): r
            for r in pkg.rows("facts", document_id=document_id)}


def _statuses(report: Path) -> dict[str, dict]:
    """status.json's documents by their (first) source file."""
    status = json.loads((report / "status.json").read_text(encoding="utf-8"))
    return {d["source_files"][0]: d for d in status["documents"]}


@pytest.fixture(scope="session")
def ocr_builds(tmp_path_factory):
    """The fixtures written and built once: ``text`` (the text versions, ``--strict``), ``scan``
    (every scan, budget or not, with OCR) and ``no_ocr`` (seed 001's scan with ``--no-ocr``).
    Returns a dict of the packages, the report folders and the fixtures made."""
    root = tmp_path_factory.mktemp("ocr")
    folders = {name: root / name for name in ("text", "scan", "no-ocr")}
    for folder in folders.values():
        folder.mkdir()
    started = time.perf_counter()
    made = ["sample"]
    fx.sample_pair(folders["text"], folders["scan"])
    if REAL_PDFS.is_dir():
        for key in fx.REAL_PAGES:
            fx.real_pair(key, folders["text"], folders["scan"])
            made.append(key)
    not_budget = [p.name for p in fx.not_budget_scans(folders["scan"])]
    shutil.copy(folders["scan"] / FIXTURES["sample"][0], folders["no-ocr"])
    made_at = time.perf_counter()
    out = {}
    for name, extra in (("text", ("--strict",)), ("scan", ()), ("no-ocr", ("--no-ocr",))):
        result = run_build(folders[name], root / f"{name}-out" / "datapackages", "--no-cache",
                           "--report", str(root / f"{name}-report"), *extra, timeout=1200)
        assert (root / f"{name}-report" / "status.json").is_file(), result.stderr[-3000:]
        if name == "text":
            assert result.returncode == 0, result.stderr[-3000:]
        out[name] = (Package(root / f"{name}-out" / "datapackages" / "all"), root / f"{name}-report")
        out[f"{name}-stderr"] = result.stderr
        print(f"\nOCR fixtures: {name} build {time.perf_counter() - made_at:.1f} s")
        made_at = time.perf_counter()
    print(f"OCR fixtures: everything {time.perf_counter() - started:.1f} s")
    return {"made": made, "not_budget": not_budget, **out}


def _needs(ocr_builds, key: str) -> None:
    if key not in ocr_builds["made"]:
        pytest.skip(f"real PDFs not available: {REAL_PDFS} is absent")


def test_fixtures_have_no_text_layer(tmp_path):
    """The scans are pictures only: pdfplumber finds no character on any page."""
    text_dir = tmp_path / "text"
    text_dir.mkdir()
    scans = [fx.sample_pair(text_dir, tmp_path)[1], *fx.not_budget_scans(tmp_path)]
    for key in fx.REAL_PAGES if REAL_PDFS.is_dir() else ():
        text, scan = fx.real_pair(key, text_dir, tmp_path)
        assert fx.has_text_layer(text), text  # the text version keeps its text layer
        scans.append(scan)
    for scan in scans:
        assert not fx.has_text_layer(scan), scan.name


@pytest.mark.parametrize("key", sorted(FIXTURES))
def test_key_figures_same_as_text(ocr_builds, key):
    """General-public total, 类 totals and 三公: the OCR build gives the text build's figure,
    which is the one printed on the page."""
    _needs(ocr_builds, key)
    document_id = FIXTURES[key][1]
    text, scan = (_facts(ocr_builds[name][0], document_id) for name in ("text", "scan"))
    for (dimension, code, part), printed in KEY_FIGURES[key].items():
        fact = ("budget", dimension, code, part)
        assert fact in text and Decimal(text[fact]["amount"]) == printed, (key, fact, text.get(fact))
        assert fact in scan, (key, fact, "missing from the OCR build")
        assert Decimal(scan[fact]["amount"]) == printed, (key, fact, scan[fact])
    # no 类 and no 三公 item the OCR build has that the text does not, nor the other way round
    for dimension, width in (("function", 3), ("three_public", None)):
        keys = [{k for k in facts if k[1] == dimension and (width is None or len(k[2]) == width)}
                for facts in (text, scan)]
        assert keys[0] == keys[1], (key, dimension, keys[0] ^ keys[1])


@pytest.mark.parametrize("key", sorted(FIXTURES))
def test_share_recovered_exactly(ocr_builds, key):
    """The share of the text build's facts the OCR build gives with the identical amount."""
    _needs(ocr_builds, key)
    document_id = FIXTURES[key][1]
    text, scan = (_facts(ocr_builds[name][0], document_id) for name in ("text", "scan"))
    exact = [k for k, row in text.items() if k in scan and scan[k]["amount"] == row["amount"]]
    missed = sorted((k, text[k]["amount"], scan[k]["amount"] if k in scan else None)
                    for k in text if k not in exact)
    share = len(exact) / len(text)
    print(f"\n{key}: {len(exact)}/{len(text)} facts recovered exactly ({share:.3f}); missed {missed}")
    assert len(text) >= 20, (key, len(text))
    assert share >= EXACT_FLOOR[key], (key, share, missed)


@pytest.mark.parametrize("key", sorted(FIXTURES))
def test_ocr_never_silent(ocr_builds, key):
    """Every fact of a scan is marked read by OCR, and one the text version does not give
    (another amount, or a code it does not have: a misread) is never published as confirmed."""
    _needs(ocr_builds, key)
    document_id = FIXTURES[key][1]
    text, scan = (_facts(ocr_builds[name][0], document_id) for name in ("text", "scan"))
    assert {row["read_by"] for row in text.values()} == {"text"}
    assert {row["read_by"] for row in scan.values()} == {"ocr"}
    wrong = {k: (text[k]["amount"] if k in text else None, row["amount"], row["certainty"])
             for k, row in scan.items() if k not in text or text[k]["amount"] != row["amount"]}
    assert not {k: v for k, v in wrong.items() if v[2] == "confirmed"}, (key, wrong)


@pytest.mark.parametrize("key", sorted(FIXTURES))
def test_scan_published_as_pdf_ocr(ocr_builds, key):
    _needs(ocr_builds, key)
    name, document_id = FIXTURES[key]
    scan = ocr_builds["scan"][0].one("documents", document_id=document_id)
    assert scan["source_format"] == "pdf-ocr", scan
    assert scan["source_files"] == name
    text = ocr_builds["text"][0].one("documents", document_id=document_id)
    assert text["source_format"] != "pdf-ocr", text


def test_scan_that_is_no_budget_refused(ocr_builds):
    """The drawn notice (always) and, with ../shared/wild-dev, 泉州's statistics table and 福州's
    logistics report, scanned: each refused by name, as no budget disclosure, even read by OCR."""
    statuses = _statuses(ocr_builds["scan"][1])
    expected = {"notice-scan.pdf"} | ({"w0220.pdf", "w0178.pdf"} if WILD.is_dir() else set())
    assert set(ocr_builds["not_budget"]) == expected
    for name in expected:
        document = statuses[name]
        assert document["status"] == "failed", document
        assert document["error"].startswith(f"{name}: {NOT_BUDGET_REASON}"), document
        assert f"{name}: {NOT_BUDGET_REASON}" in ocr_builds["scan-stderr"]
    published = {r["source_files"] for r in ocr_builds["scan"][0].rows("documents")}
    assert not published & expected


def test_no_ocr_refuses_the_scan(ocr_builds):
    """``--no-ocr``: seed 001's scan is refused as a scan that needs OCR, by name."""
    name = FIXTURES["sample"][0]
    document = _statuses(ocr_builds["no-ocr"][1])[name]
    assert document["status"] == "failed", document
    assert document["error"].startswith(f"{name}: scanned PDF, needs OCR"), document
    assert ocr_builds["no-ocr"][0].rows("documents") == []
