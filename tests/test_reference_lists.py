"""Code lists and check definitions published as package resources, referenced by foreign key."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from generator.verify import CHECK_DESCRIPTIONS


def test_function_code_list_names_variants_and_english(all_package):
    row = all_package.one("function_codes", code="2101501")
    assert (row["level"], row["name"]) == ("item", "行政运行")
    health = all_package.one("function_codes", code="210")
    assert (health["name"], health["name_en"]) == ("卫生健康支出", "Health")
    assert all_package.one("economic_codes", code="30101")["name"] == "基本工资"
    # every code of the data rows is in the list (the foreign key holds)
    listed = {r["code"] for r in all_package.rows("function_codes")}
    assert {r["code"] for r in all_package.rows("function_expenditure")} <= listed


def test_every_check_id_is_defined_once(all_package):
    defs = {r["check"]: r for r in all_package.rows("check_definitions")}
    assert len(defs) == len(CHECK_DESCRIPTIONS) == 96
    assert defs["function.row_total"]["family"] == "function"
    assert "基本支出" in defs["function.row_total"]["description"]
    assert {r["check"] for r in all_package.rows("checks")} <= set(defs)


def test_per_document_package_keeps_only_its_codes(sample_packages):
    from tests.conftest import Package
    wangdu = Package(sample_packages / "baoding-wangdu-ybj-2024-budget")
    codes = {r["code"] for r in wangdu.rows("function_codes")}
    assert codes == {r["code"] for r in wangdu.rows("function_expenditure")}
    assert "2101202" in codes


def test_foreign_keys_are_declared_and_enforced(sample_packages, tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(sample_packages / "baoding-wangdu-ybj-2024-budget", pkg)
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    fks = {r["name"]: r["schema"].get("foreignKeys", []) for r in desc["resources"]}
    assert {"fields": ["code"], "reference": {"resource": "function_codes", "fields": ["code"]}} \
        in fks["function_expenditure"]
    assert {"fields": ["check"], "reference": {"resource": "check_definitions", "fields": ["check"]}} \
        in fks["checks"]
    # drop 2101202 from the code list: frictionless must report the broken reference
    path = pkg / "function_codes.csv"
    path.write_text("".join(l for l in path.read_text(encoding="utf-8").splitlines(True)
                            if not l.startswith("2101202,")), encoding="utf-8")
    for res in desc["resources"]:  # keep the declared size and hash out of the way
        res.pop("bytes", None), res.pop("hash", None)
    (pkg / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(frictionless), "validate", str(pkg / "datapackage.json")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "foreign-key" in result.stdout
