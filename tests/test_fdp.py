"""Fiscal Data Package semantics of ``facts`` and the package metadata (version, created,
homepage, licence, sources) on the sample build (documents/, ``conftest.sample_packages``).

Figures read off the samples by hand: 凤县医疗保障局 2024 单位预算 (documents/000_a8cda960e0db61c9.txt,
printed in 元; text source, no pages) prints 本年收入合计 / 本年支出合计 2021528.40 in its 收支总表;
望都县医疗保障局 2024 部门预算 (documents/004_1dc876329a8abae6.txt, printed in 万元) prints
``2101202 财政对城乡居民基本医疗保险基金的补助 2832.00`` in its 一般公共预算支出表 and ``30101 基本工资
179.42`` in its 基本支出表.
"""
from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import DOCUMENTS, REPO, Package, run_build
from generator.package import schemas
from generator.package.changelog import DATA_VERSION, RELEASES, SITE_URL
from generator.package.descriptors import LICENSE, source_path
from generator.publish import catalog
from generator.publish.pages import sources

FENGXIAN = "baoji-fengxian-ybj-2024-budget-unit"
WANGDU = "baoding-wangdu-ybj-2024-budget"

#: the Fiscal Data Package ColumnType of each field of ``facts`` that has one
COLUMN_TYPES = {
    "measure": "phase:id",
    "amount": "value",
    "year": "date:fiscal-year",
    "function_class": "functional-classification:generic:level1:code",
    "function_section": "functional-classification:generic:level2:code",
    "function_item": "functional-classification:generic:level3:code",
    "economic_class": "economic-classification:generic:level1:code",
    "economic_item": "economic-classification:generic:level2:code",
}


def descriptor(root: Path, package: str) -> dict:
    return json.loads((root / package / "datapackage.json").read_text(encoding="utf-8"))


def facts_schema(desc: dict) -> dict:
    return next(r for r in desc["resources"] if r["name"] == "facts")["schema"]


# ------------------------------------------------------------------ Fiscal Data Package


def test_every_package_declares_the_column_types_of_facts(sample_packages):
    packages = sorted(p.name for p in sample_packages.iterdir() if (p / "datapackage.json").is_file())
    assert len(packages) == 6 and "all" in packages  # five documents and all
    for name in packages:
        schema = facts_schema(descriptor(sample_packages, name))
        declared = {f["name"]: f["columnType"] for f in schema["fields"] if "columnType" in f}
        assert declared == COLUMN_TYPES, name
        amount = next(f for f in schema["fields"] if f["name"] == "amount")
        assert (amount["type"], amount["currency"], amount["factor"], amount["direction"]) == \
            ("number", "CNY", 10000, "expenditure"), name
        year = next(f for f in schema["fields"] if f["name"] == "year")
        assert year["type"] == "integer"  # the spec's dataType of date:fiscal-year
        assert schema["extraFields"] == [
            {"name": "currency", "type": "string", "columnType": "value-currency:code", "constant": "CNY"},
            {"name": "direction", "type": "string", "columnType": "direction", "constant": "expenditure"},
        ], name
        # the other resources carry no Fiscal Data Package properties
        others = [r for r in descriptor(sample_packages, name)["resources"] if r["name"] != "facts"]
        assert not any("columnType" in f for r in others for f in r["schema"]["fields"])
        assert not any("extraFields" in r["schema"] for r in others)


def test_amount_times_factor_is_the_printed_yuan(sample_packages):
    """凤县 prints in 元: 本年支出合计 2021528.40 元 is the facts amount 202.15284 (万元) × 10000."""
    pkg = Package(sample_packages / FENGXIAN)
    factor = next(f for f in facts_schema(descriptor(sample_packages, FENGXIAN))["fields"]
                  if f["name"] == "amount")["factor"]
    row = pkg.one("facts", measure="budget", dimension="total", code="expenditure", part="total")
    assert row["amount"] == "202.15284" and row["year"] == "2024"
    assert Decimal(row["amount"]) * factor == Decimal("2021528.40")


def test_classification_levels_hold_the_codes(sample_packages):
    """望都 2101202 (一般公共预算支出表) sits under 款 21012 and 类 210; 30101 基本工资 under 类 301."""
    pkg = Package(sample_packages / WANGDU)
    item = pkg.one("facts", measure="budget", dimension="function", code="2101202", part="total")
    assert (item["amount"], item["level"], item["function_class"], item["function_section"],
            item["function_item"], item["economic_class"]) == ("2832.00", "item", "210", "21012", "2101202", "")
    wage = pkg.one("facts", measure="budget", dimension="economic", code="30101", part="total")
    assert (wage["amount"], wage["economic_class"], wage["economic_item"], wage["function_class"]) == \
        ("179.42", "301", "30101", "")


@pytest.mark.parametrize("package", ["all", FENGXIAN])
def test_frictionless_validate_passes_on_a_built_package(sample_packages, package):
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate",
                             str(sample_packages / package / "datapackage.json")],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "facts.csv" in result.stdout and "INVALID" not in result.stdout


def test_field_spec_extra_properties():
    f = schemas.FieldSpec("x", "number", "金额", "An amount.", required=True,
                          extra={"columnType": "value", "factor": 10000})
    assert list(f.to_descriptor()) == ["name", "type", "title", "description", "columnType", "factor",
                                       "constraints"]
    assert schemas.FieldSpec("y", "string", "y", "y").to_descriptor() == \
        {"name": "y", "type": "string", "title": "y", "description": "y"}
    with pytest.raises(ValueError, match="overrides a property"):
        schemas.FieldSpec("z", "string", "z", "z", extra={"constraints": {}})
    hash(f)  # still usable in sets, like every other field spec


# ------------------------------------------------------------------- package metadata


def test_descriptor_metadata(sample_packages):
    release = RELEASES[0]
    assert (DATA_VERSION, release.date) == ("1.2.0", "2026-12-04")
    assert RELEASES[-1].version == "1.0.0"  # the contract's first release
    for name in ("all", FENGXIAN, WANGDU):
        desc = descriptor(sample_packages, name)
        assert desc["version"] == "1.2.0", name  # the data's, not the generator's 0.1.0
        assert desc["created"] == "2026-12-04T00:00:00Z", name  # the release day, not the build time
        assert desc["homepage"] == SITE_URL == "https://budget-open-data.github.io/budget-open-data/"
        assert desc["licenses"] == [dict(LICENSE)] and desc["licenses"][0]["name"] == "ODC-PDDL-1.0"
    fengxian = descriptor(sample_packages, FENGXIAN)["sources"]
    assert fengxian == [{"title": "凤县医疗保障局2024年单位预算公开说明",
                         "path": SITE_URL + f"sources/{FENGXIAN}.txt",
                         "file": "000_a8cda960e0db61c9.txt",
                         "sha256": fengxian[0]["sha256"], "format": "text"}]
    combined = descriptor(sample_packages, "all")["sources"]
    assert len(combined) == 5 and all(s["path"].startswith(SITE_URL + "sources/") for s in combined)


def test_source_path_rule():
    """One rule for the site's sources/ folder, shared by the descriptor and the site."""
    assert source_path("x-ybj-2024-budget", ["表格.PDF", "说明.txt"], 0) == "sources/x-ybj-2024-budget-1.pdf"
    assert source_path("x-ybj-2024-budget", ["表格.PDF", "说明.txt"], 1) == "sources/x-ybj-2024-budget-2.txt"
    assert source_path("x-ybj-2024-budget", ["a.p df"], 0) == "sources/x-ybj-2024-budget"
    doc = {"document_id": "x-ybj-2024-budget", "source_files": "表格.PDF;说明.txt", "source_sha256": "a;b"}
    assert sources.source_uri(doc, 1) == "sources/x-ybj-2024-budget-2.txt"


def test_sources_path_is_the_file_the_site_publishes(sample_packages):
    """Every ``sources[].path`` is the address of a file the site copies (same name rule, same
    bytes: the site copies a source only when its sha256 is the package's)."""
    cat = catalog.load_catalog(sample_packages)
    cat.documents_dir = DOCUMENTS
    published = sources.source_files(cat)
    paths = {s["path"].removeprefix(SITE_URL) for s in descriptor(sample_packages, "all")["sources"]}
    assert paths == set(published) and len(paths) == 5
    assert f"sources/{WANGDU}.txt" in paths


def test_two_builds_are_byte_identical(tmp_path):
    """Two builds of documents/ (each parsing afresh) write the same bytes: descriptors included,
    whose ``created`` is the release date, not the build time."""
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = run_build(DOCUMENTS, out, "--no-cache")
        assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len([f for f in files if f.name == "datapackage.json"]) == 6
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    assert mismatch == [] and errors == []
    assert descriptor(first, "all")["created"] == f"{RELEASES[0].date}T00:00:00Z"


# ---------------------------------------------------------------------------- licence


def test_licence_on_the_site(sample_packages):
    about = (REPO / "site_src" / "about.md").read_text(encoding="utf-8")
    assert LICENSE["name"] in about and LICENSE["path"] in about and LICENSE["title"] in about
    assert sources.LICENCE_LINE in sources.citation(*_wangdu(sample_packages))
    block = sources.citation(*_wangdu(sample_packages))
    assert f"数据包 `{WANGDU}`（数据版本 1.2.0）" in block
    assert f"页面 `{SITE_URL}documents/{WANGDU}/`" in block
    assert f"[{LICENSE['title']}（ODC-PDDL-1.0）]({LICENSE['path']})" in sources.LICENCE_LINE


def _wangdu(root: Path):
    cat = catalog.load_catalog(root)
    doc = next(d for d in cat.documents if d["document_id"] == WANGDU)
    return cat, doc, f"documents/{WANGDU}/"
