"""Package stage: real figures from two sample disclosures, written and validated.

望都县医疗保障局 2024 部门预算 (documents/004_1dc876329a8abae6.txt, printed in 万元) and
凤县医疗保障局 2024 单位预算 (documents/000_a8cda960e0db61c9.txt, printed in 元).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from generator.package import write as package_module
from generator.package.rows import PackageError, decimal_to_cell
from generator.package.write import validate_package, write_packages
from generator.records import Bureau, Check, DocumentMeta, EconomicRow, FunctionRow, NarrativeFact, ParsedDocument, PerformanceTarget, SummaryLine, TableInfo
from generator.package.schemas import RESOURCES

ROOT = Path(__file__).resolve().parents[1]
WANGDU = "wangdu-ybj-2024-budget"
FENGXIAN = "fengxian-ybj-2024-budget"
VERSION = "0.1.0"


def sha256_of(name: str) -> str:
    return hashlib.sha256((ROOT / "documents" / name).read_bytes()).hexdigest()


def wan_from_yuan(text: str) -> Decimal:
    return Decimal(text) / Decimal(10000)


def wangdu() -> ParsedDocument:
    did = WANGDU
    src = "004_1dc876329a8abae6.txt"
    meta = DocumentMeta(
        document_id=did, bureau_id="wangdu-ybj", title="望都县医疗保障局2024年部门预算",
        year=2024, phase="budget", scope="department", source_files=(src,),
        source_sha256=(sha256_of(src),), source_format="text", source_unit="万元",
    )
    bureau = Bureau("wangdu-ybj", "望都县医疗保障局", "河北省", "保定市", "望都县", "county",
                    "130631")
    fn = "general_public_function"
    return ParsedDocument(
        meta=meta,
        bureau=bureau,
        tables=[
            TableInfo(did, "summary", "部门预算收支总表", None, 34, False, None, "万元"),
            TableInfo(did, "income", "部门预算收入总表", None, 12, False, None, "万元"),
            TableInfo(did, fn, "一般公共预算支出表", None, 12, False, None, "万元"),
        ],
        function_rows=[
            FunctionRow(did, fn, "210", "卫生健康支出", "class", Decimal("3617.46"),
                        None, None, None),
            FunctionRow(did, fn, "2101202", "财政对城乡居民基本医疗保险基金的补助", "item",
                        Decimal("2832.00"), None, Decimal("2832.00"), None),
            FunctionRow(did, fn, "2101501", "行政运行", "item", Decimal("345.47"),
                        Decimal("275.47"), Decimal("70.00"), None),
        ],
        summary_lines=[
            SummaryLine(did, "summary", "income", "一般公共预算拨款收入", Decimal("3654.18"), None),
            SummaryLine(did, "summary", "expenditure", "社会保障和就业支出", Decimal("22.45"), None),
            SummaryLine(did, "summary", "expenditure", "卫生健康支出", Decimal("3617.46"), None),
            SummaryLine(did, "summary", "expenditure", "住房保障支出", Decimal("14.27"), None),
            SummaryLine(did, "summary", "expenditure", "本年支出合计", Decimal("3654.18"), None),
        ],
        checks=[
            Check(did, "function.row_total", "pass", fn, "3654.18", "321.38+3332.80",
                  "一般公共预算支出合计等于基本支出加项目支出。", None),
        ],
    )


def fengxian() -> ParsedDocument:
    did = FENGXIAN
    src = "000_a8cda960e0db61c9.txt"
    meta = DocumentMeta(
        document_id=did, bureau_id="fengxian-ybj", title="凤县医疗保障局2024年单位预算公开说明",
        year=2024, phase="budget", scope="unit", source_files=(src,),
        source_sha256=(sha256_of(src),), source_format="text", source_unit="元",
    )
    bureau = Bureau("fengxian-ybj", "凤县医疗保障局", "陕西省", "宝鸡市", "凤县", "county",
                    "610330")
    return ParsedDocument(
        meta=meta,
        bureau=bureau,
        tables=[
            TableInfo(did, "summary", "2024年单位综合预算收支总表", None, 30, False, None, "元"),
            TableInfo(did, "fiscal_summary", "2024年单位综合预算财政拨款收支总表", None, 28,
                      False, None, "元"),
            TableInfo(did, "government_fund", "2024年单位综合预算政府性基金收支表", None, 0,
                      True, "不涉及", "元"),
            TableInfo(did, "performance_targets", "2024年单位专项业务经费绩效目标表", None, 2,
                      False, None, "元"),
            TableInfo(did, "performance_targets", "2024年单位整体支出绩效目标表", None, 0,
                      False, None, "元"),
        ],
        function_rows=[
            FunctionRow(did, "summary", "210", "卫生健康支出", "class",
                        wan_from_yuan("1771261.40"), None, None, None),
            FunctionRow(did, "narrative", "2101501", "行政运行", "item", Decimal("81.3261"),
                        None, None, None),
        ],
        economic_rows=[
            EconomicRow(did, "summary", "301", "工资福利支出", "class",
                        wan_from_yuan("1115661.00"), None, None, None),
        ],
        summary_lines=[
            SummaryLine(did, "summary", "income", "一般公共预算拨款", wan_from_yuan("2021528.40"),
                        None),
            SummaryLine(did, "summary", "income", "本年收入合计", wan_from_yuan("2021528.40"),
                        None),
            SummaryLine(did, "fiscal_summary", "income", "一般公共预算拨款",
                        wan_from_yuan("2021528.40"), None),
            SummaryLine(did, "summary", "expenditure", "科学技术支出", wan_from_yuan("0.00"),
                        None),
        ],
        performance_targets=[
            PerformanceTarget(did, "医疗保障信息业务编码工作经费", "产出指标", "数量指标",
                              "保障全县330个参加城镇职工医保的财供企业单位", "5万", None, None),
        ],
        narrative=[
            NarrativeFact(did, "total", Decimal("202.15284"),
                          "本单位 2024 年一般公共预算支出 202.15284 万元，其中：", None),
            NarrativeFact(did, "2101501", Decimal("81.3261"),
                          "(4)行政运行(2101501)81.3261万元,较上年69.5221万元增加11.8040万元,"
                          "原因是在职在编人员工资调整及工伤保险缴费基数上调;", None),
        ],
        glossary=[
            ("公用经费", "包括办公及印刷费、邮电费、差旅费、会议费、福利费……以及其他费用。"),
            ("机关运行经费", "指各部门的公用经费。"),
        ],
    )


@pytest.fixture
def docs() -> list[ParsedDocument]:
    return [wangdu(), fengxian()]


@pytest.fixture
def out_dir(tmp_path: Path, docs) -> Path:
    out = tmp_path / "datapackages"
    write_packages(docs, out, generator_version=VERSION)
    return out


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def file_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def rewrite_resource(package_dir: Path, resource: str, text: str) -> None:
    """Replace a CSV and update its bytes/hash, so only the data itself can be invalid."""
    data = text.encode("utf-8")
    (package_dir / f"{resource}.csv").write_bytes(data)
    descriptor_path = package_dir / "datapackage.json"
    descriptor = json.loads(read(descriptor_path))
    for res in descriptor["resources"]:
        if res["name"] == resource:
            res["bytes"] = len(data)
            res["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")


# ------------------------------------------------------------------------- layout


def test_layout_and_report(tmp_path, docs):
    out = tmp_path / "datapackages"
    report = write_packages(docs, out, generator_version=VERSION)
    assert report.packages == [FENGXIAN, WANGDU, "all"]
    assert sorted(p.name for p in out.iterdir()) == ["all", FENGXIAN, WANGDU]
    expected_files = {"datapackage.json"} | {f"{spec.name}.csv" for spec in RESOURCES}
    for name in report.packages:
        assert {p.name for p in (out / name).iterdir()} == expected_files
    assert report.rows["documents"] == 2
    assert report.rows["function_expenditure"] == 5
    assert report.rows["summary"] == 9
    assert report.rows["narrative"] == 2
    assert report.rows["glossary"] == 2
    assert report.rows["three_public"] == 0
    # no temporary or backup directories left beside out_dir
    assert [p.name for p in tmp_path.iterdir()] == ["datapackages"]


def test_every_package_is_valid(out_dir):
    for package_dir in sorted(out_dir.iterdir()):
        assert validate_package(package_dir) == [], package_dir.name


def test_frictionless_cli_validates_every_package(out_dir):
    for package_dir in sorted(out_dir.iterdir()):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "frictionless", "validate",
             str(package_dir / "datapackage.json")],
            capture_output=True, text=True,
        )
        elapsed = time.perf_counter() - started
        assert result.returncode == 0, result.stdout + result.stderr
        print(f"frictionless validate {package_dir.name}: {elapsed:.2f}s")


# ---------------------------------------------------------------------- CSV text


def test_function_rows_exact_text(out_dir):
    text = read(out_dir / WANGDU / "function_expenditure.csv")
    assert text == (
        "document_id,table,code,name,level,total,basic,project,source_page,row\n"
        f"{WANGDU},general_public_function,210,卫生健康支出,class,3617.46,,,,1\n"
        f"{WANGDU},general_public_function,2101202,财政对城乡居民基本医疗保险基金的补助,"
        "item,2832.00,,2832.00,,2\n"
        f"{WANGDU},general_public_function,2101501,行政运行,item,345.47,275.47,70.00,,3\n"
    )
    # the combined package holds the same rows, documents in document_id order
    all_lines = read(out_dir / "all" / "function_expenditure.csv").splitlines()
    assert [line.split(",")[0] for line in all_lines[1:]] == [FENGXIAN] * 2 + [WANGDU] * 3
    assert f"{WANGDU},general_public_function,2101501,行政运行,item,345.47,275.47,70.00,,3" \
        in all_lines


def test_yuan_converted_exactly(out_dir):
    summary = read(out_dir / FENGXIAN / "summary.csv")
    assert f"{FENGXIAN},summary,income,一般公共预算拨款,202.15284,,1\n" in summary
    assert f"{FENGXIAN},fiscal_summary,income,一般公共预算拨款,202.15284,,1\n" in summary
    # 0.00 元 / 10000 is zero, written plainly
    assert f"{FENGXIAN},summary,expenditure,科学技术支出,0,,3\n" in summary
    assert "202.15284000" not in summary and "E" not in summary
    function = read(out_dir / FENGXIAN / "function_expenditure.csv")
    assert f"{FENGXIAN},summary,210,卫生健康支出,class,177.12614,,,,1\n" in function
    assert f"{FENGXIAN},narrative,2101501,行政运行,item,81.3261,,,,1\n" in function
    economic = read(out_dir / FENGXIAN / "economic_expenditure.csv")
    assert f"{FENGXIAN},summary,301,工资福利支出,class,111.5661,,,,1\n" in economic
    narrative = read(out_dir / FENGXIAN / "narrative.csv")
    assert f"{FENGXIAN},total,202.15284,本单位 2024 年一般公共预算支出 202.15284 万元，其中：,,1\n" \
        in narrative
    # a sentence with commas is quoted, not split
    rows = list(csv.reader(io.StringIO(narrative)))
    assert rows[2][3].startswith("(4)行政运行(2101501)81.3261万元,较上年")


def test_tables_seq_booleans_and_documents(out_dir):
    tables = read(out_dir / FENGXIAN / "tables.csv")
    assert tables.splitlines()[0] == \
        "document_id,table,title,source_page,rows,empty,empty_reason,unit,seq,total,basic,project," \
        "personnel,public,reserve"
    assert f"{FENGXIAN},government_fund,2024年单位综合预算政府性基金收支表,,0,true,不涉及,元,1,,,,,," \
        in tables.splitlines()
    assert f"{FENGXIAN},performance_targets,2024年单位整体支出绩效目标表,,0,false,,元,2,,,,,," \
        in tables.splitlines()
    documents = read(out_dir / FENGXIAN / "documents.csv").splitlines()
    assert documents == [
        "document_id,bureau_id,title,year,phase,scope,source_files,source_sha256,"
        "source_format,source_unit,source_publisher,source_title,source_url,source_published,"
        "source_retrieved,source_note",  # provenance: empty without a sidecar (test_provenance)
        f"{FENGXIAN},fengxian-ybj,凤县医疗保障局2024年单位预算公开说明,2024,budget,unit,"
        f"000_a8cda960e0db61c9.txt,{sha256_of('000_a8cda960e0db61c9.txt')},text,元,,,,,,",
    ]
    bureaus = read(out_dir / "all" / "bureaus.csv").splitlines()
    assert bureaus == [
        "bureau_id,name,province,prefecture,county,level,division_code",
        "fengxian-ybj,凤县医疗保障局,陕西省,宝鸡市,凤县,county,610330",
        "wangdu-ybj,望都县医疗保障局,河北省,保定市,望都县,county,130631",
    ]


def test_csv_bytes_utf8_lf(out_dir):
    for path in out_dir.rglob("*.csv"):
        data = path.read_bytes()
        assert b"\r" not in data, path
        assert not data.startswith(b"\xef\xbb\xbf"), path  # no BOM
        assert data.endswith(b"\n"), path
        data.decode("utf-8")


@pytest.mark.parametrize("value, text", [
    ("202.15284", "202.15284"),
    ("2832.00", "2832.00"),
    ("70.00", "70.00"),
    ("0E-8", "0"),
    ("-0.00", "0"),
    ("2.832E+3", "2832"),
    ("1E-7", "0.0000001"),
    ("-12.5", "-12.5"),
])
def test_decimal_to_cell(value, text):
    assert decimal_to_cell(Decimal(value)) == text


def test_float_and_nan_rejected(tmp_path):
    with pytest.raises(PackageError):
        decimal_to_cell(Decimal("NaN"))
    doc = wangdu()
    doc.narrative.append(NarrativeFact(WANGDU, "total", 3654.18, "x", None))  # type: ignore
    with pytest.raises(PackageError, match="float"):
        write_packages([doc], tmp_path / "out", generator_version=VERSION)
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------- metadata


def test_package_metadata(out_dir):
    descriptor = json.loads(read(out_dir / FENGXIAN / "datapackage.json"))
    assert descriptor["name"] == FENGXIAN
    assert descriptor["title"] == "凤县医疗保障局 2024 年单位预算"
    assert descriptor["version"] == "1.2.0" != VERSION  # the data's version, not the generator's
    assert descriptor["created"] == "2026-12-04T00:00:00Z"  # its release date (changelog.RELEASES)
    assert descriptor["licenses"][0]["name"] == "ODC-PDDL-1.0"
    assert descriptor["sources"] == [{
        "title": "凤县医疗保障局2024年单位预算公开说明",
        "path": f"https://budget-open-data.github.io/budget-open-data/sources/{FENGXIAN}.txt",
        "file": "000_a8cda960e0db61c9.txt",
        "sha256": sha256_of("000_a8cda960e0db61c9.txt"),
        "format": "text",
    }]
    assert json.loads(read(out_dir / WANGDU / "datapackage.json"))["title"] == \
        "望都县医疗保障局 2024 年部门预算"
    combined = json.loads(read(out_dir / "all" / "datapackage.json"))
    assert [s["file"] for s in combined["sources"]] == \
        ["000_a8cda960e0db61c9.txt", "004_1dc876329a8abae6.txt"]
    text = read(out_dir / "all" / "datapackage.json")
    assert "凤县医疗保障局" in text and text.endswith("}\n")  # ensure_ascii=False


def test_schemas_declare_titles_types_and_keys(out_dir):
    descriptor = json.loads(read(out_dir / "all" / "datapackage.json"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert list(resources) == [spec.name for spec in RESOURCES]
    for name, res in resources.items():
        schema = res["schema"]
        for f in schema["fields"]:
            assert f["title"] and f["description"], (name, f["name"])
            assert any("\u4e00" <= ch <= "\u9fff" for ch in f["title"]), (name, f["name"])
        assert schema["primaryKey"], name
        if name not in ("bureaus", "function_codes", "economic_codes", "check_definitions"):
            refs = {fk["fields"][0]: fk["reference"]["resource"]
                    for fk in schema["foreignKeys"]}
            assert refs.get("document_id", "documents") == "documents"
    assert resources["documents"]["schema"]["primaryKey"] == ["document_id"]
    assert resources["bureaus"]["schema"]["primaryKey"] == ["bureau_id"]
    assert resources["tables"]["schema"]["primaryKey"] == ["document_id", "table", "seq"]
    assert resources["function_expenditure"]["schema"]["primaryKey"] == \
        ["document_id", "table", "row"]
    types = {f["name"]: f for f in resources["function_expenditure"]["schema"]["fields"]}
    assert types["total"]["type"] == "number"
    assert types["level"]["constraints"]["enum"] == ["class", "section", "item"]
    docs_fields = {f["name"]: f for f in resources["documents"]["schema"]["fields"]}
    assert docs_fields["year"]["type"] == "integer"
    tables_fields = {f["name"]: f for f in resources["tables"]["schema"]["fields"]}
    assert tables_fields["empty"]["type"] == "boolean"


# DATA-CONTRACT.md v1 minimum fields, in the contract's order: never renamed, dropped or moved.
CONTRACT_FIELDS = {
    "documents": "document_id bureau_id title year phase scope source_files source_sha256 "
                 "source_format source_unit",
    "bureaus": "bureau_id name province prefecture county level division_code",
    "tables": "document_id table title source_page rows empty empty_reason",
    "function_expenditure": "document_id table code name level total basic project source_page",
    "economic_expenditure": "document_id table code name level total personnel public "
                            "source_page",
    "summary": "document_id table side item amount source_page",
    "three_public": "document_id item measure amount source_page",
    "projects": "document_id project unit amount source_page",
    "performance_targets": "document_id project level1 level2 indicator target actual "
                           "source_page",
    "checks": "document_id check status table expected actual message source_page",
}


def test_contract_fields_come_first_in_contract_order(out_dir):
    for resource, names in CONTRACT_FIELDS.items():
        header = read(out_dir / "all" / f"{resource}.csv").splitlines()[0].split(",")
        assert header[:len(names.split())] == names.split(), resource


# ------------------------------------------------------------------ enforcement


def test_unknown_document_fails_foreign_key(out_dir):
    package_dir = out_dir / WANGDU
    text = read(package_dir / "function_expenditure.csv")
    text += "no-such-document,general_public_function,2101501,行政运行,item,1.00,,,,9\n"
    rewrite_resource(package_dir, "function_expenditure", text)
    errors = validate_package(package_dir)
    assert len(errors) == 1
    assert "[foreign-key]" in errors[0] and "no-such-document" in errors[0]

    cli = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(package_dir / "datapackage.json")],
        capture_output=True, text=True,
    )
    assert cli.returncode != 0
    assert "foreign-key" in cli.stdout


def test_unknown_bureau_fails_foreign_key(out_dir):
    package_dir = out_dir / FENGXIAN
    text = read(package_dir / "documents.csv").replace(",fengxian-ybj,", ",nobody,")
    rewrite_resource(package_dir, "documents", text)
    errors = validate_package(package_dir)
    assert errors and all("[foreign-key]" in e for e in errors)


def test_duplicate_row_fails_primary_key(out_dir):
    package_dir = out_dir / WANGDU
    lines = read(package_dir / "summary.csv").splitlines(keepends=True)
    rewrite_resource(package_dir, "summary", "".join(lines + lines[-1:]))
    errors = validate_package(package_dir)
    assert errors and "[primary-key]" in errors[0]


def test_tampered_file_fails_hash(out_dir):
    package_dir = out_dir / FENGXIAN
    path = package_dir / "summary.csv"
    path.write_bytes(path.read_bytes().replace(b"202.15284", b"202.15285"))
    errors = validate_package(package_dir)
    assert any("hash-count" in e for e in errors)


def test_bad_enum_fails(out_dir):
    package_dir = out_dir / WANGDU
    text = read(package_dir / "function_expenditure.csv").replace(",item,345.47", ",项,345.47")
    rewrite_resource(package_dir, "function_expenditure", text)
    errors = validate_package(package_dir)
    assert errors and "[constraint-error]" in errors[0]


def test_contract_errors_raise_before_writing(tmp_path, docs):
    out = tmp_path / "out"
    with pytest.raises(PackageError, match="appears twice"):
        write_packages(docs + [wangdu()], out, generator_version=VERSION)
    bad = wangdu()
    bad.meta = DocumentMeta(**{**bad.meta.__dict__, "document_id": "Wangdu 2024"})
    with pytest.raises(PackageError, match="slug"):
        write_packages([bad], out, generator_version=VERSION)
    stray = wangdu()
    stray.checks.append(Check(FENGXIAN, "x", "pass", None, None, None, "m", None))
    with pytest.raises(PackageError, match="names document"):
        write_packages([stray], out, generator_version=VERSION)
    other = fengxian()
    other.bureau = Bureau("wangdu-ybj", "望都县医疗保障局", "河北省", None, "望都县", "county",
                          "130631")
    other.meta = DocumentMeta(**{**other.meta.__dict__, "bureau_id": "wangdu-ybj"})
    with pytest.raises(PackageError, match="differs between documents"):
        write_packages([wangdu(), other], out, generator_version=VERSION)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------ determinism and atomicity


def test_second_write_is_byte_identical(tmp_path, docs, out_dir):
    first = file_hashes(out_dir)
    write_packages([wangdu(), fengxian()], out_dir, generator_version=VERSION)
    assert file_hashes(out_dir) == first
    # input order does not matter either; a fresh directory gives the same bytes
    other = tmp_path / "elsewhere" / "datapackages"
    write_packages(list(reversed(docs)), other, generator_version=VERSION)
    assert file_hashes(other) == first


def test_removed_document_disappears(tmp_path, out_dir):
    report = write_packages([wangdu()], out_dir, generator_version=VERSION)
    assert report.packages == [WANGDU, "all"]
    assert sorted(p.name for p in out_dir.iterdir()) == ["all", WANGDU]
    assert read(out_dir / "all" / "documents.csv").count("\n") == 2
    assert validate_package(out_dir / "all") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackages"]


def test_failure_mid_write_keeps_previous_out_dir(tmp_path, out_dir, monkeypatch):
    before = file_hashes(out_dir)
    real_write = package_module._write_files
    calls = []

    def failing_write(directory, files, previous=None):
        calls.append(directory.name)
        if len(calls) == 2:  # first package written, second breaks half-way
            (directory).mkdir(parents=True)
            (directory / "documents.csv").write_bytes(b"half")
            raise OSError("disk full (injected)")
        real_write(directory, files, previous)

    monkeypatch.setattr(package_module, "_write_files", failing_write)
    changed = wangdu()
    changed.function_rows.pop()
    with pytest.raises(OSError, match="injected"):
        write_packages([changed], out_dir, generator_version=VERSION)
    assert file_hashes(out_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackages"]


def test_failure_during_swap_restores_previous_out_dir(tmp_path, out_dir, monkeypatch):
    before = file_hashes(out_dir)
    real_rename = package_module.os.rename
    calls = []

    def failing_rename(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:  # old tree moved away; moving the new one in fails
            raise OSError("rename failed (injected)")
        real_rename(src, dst)

    monkeypatch.setattr(package_module.os, "rename", failing_rename)
    with pytest.raises(OSError, match="injected"):
        write_packages([wangdu()], out_dir, generator_version=VERSION)
    assert file_hashes(out_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackages"]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_package_cache_gives_the_same_bytes_and_only_redoes_what_changed(tmp_path, docs, out_dir):
    cache = tmp_path / "cache"
    first, second = tmp_path / "first", tmp_path / "second"
    write_packages(docs, first, generator_version=VERSION, cache_dir=cache, parse_fingerprint="p1")
    entries = sorted(p.name for p in cache.glob("*/*.pickle"))
    assert len(entries) == 2  # one per document
    write_packages(docs, second, generator_version=VERSION, cache_dir=cache, parse_fingerprint="p1")
    assert _tree(first) == _tree(second) == _tree(out_dir)  # cached or not, the same bytes
    assert sorted(p.name for p in cache.glob("*/*.pickle")) == entries
    # a damaged entry is a miss, not an error
    next(cache.glob("*/*.pickle")).write_bytes(b"not a pickle")
    third = tmp_path / "third"
    write_packages(docs, third, generator_version=VERSION, cache_dir=cache, parse_fingerprint="p1")
    assert _tree(third) == _tree(out_dir)
    # other parse code: new entries, and the unused old ones are pruned
    write_packages(docs[:1], tmp_path / "fourth", generator_version=VERSION, cache_dir=cache,
                   parse_fingerprint="p2")
    assert len(list(cache.glob("*/*.pickle"))) == 1


def test_unchanged_files_are_hard_linked_from_the_previous_tree(tmp_path, docs, out_dir):
    new = tmp_path / "new"
    changed = wangdu()
    changed.function_rows.pop()
    write_packages([changed, docs[1]], new, generator_version=VERSION, previous=out_dir)
    assert _tree(new) != _tree(out_dir)
    fresh = tmp_path / "fresh"
    write_packages([changed, docs[1]], fresh, generator_version=VERSION)
    assert _tree(new) == _tree(fresh)  # the same bytes as a build from nothing
    did_same, did_changed = docs[1].meta.document_id, changed.meta.document_id
    same = new / did_same / "checks.csv"
    assert same.stat().st_ino == (out_dir / did_same / "checks.csv").stat().st_ino  # linked
    edited = new / did_changed / "function_expenditure.csv"
    assert edited.stat().st_ino != (out_dir / did_changed / "function_expenditure.csv").stat().st_ino
