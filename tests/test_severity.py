"""Severity and suggestion of every check (verify.base.describe): 错误 error (a figure or statement
is wrong), 警告 warning (probably wrong, or a required part missing), 提示 note (wording and
form), in check_definitions.csv, on every check result and on the site."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.package.rows import check_definitions
from generator.verify import CHECKS
from generator.verify.base import CHECK_SEVERITY, CHECK_SUGGESTIONS, SEVERITIES
from generator.vocabulary import SEVERITY_NAMES
from tests.conftest import REAL_PDFS, needs_real_pdfs


def test_every_check_id_has_a_severity_and_a_suggestion_in_check_definitions():
    rows = {r["check"]: r for r in check_definitions()}
    assert set(rows) == set(CHECKS)
    for check, row in rows.items():
        assert row["severity"] in SEVERITIES, check
        assert row["suggestion"] and row["suggestion"] == CHECK_SUGGESTIONS[check], check
    assert set(SEVERITY_NAMES) == set(SEVERITIES)


@pytest.mark.parametrize("check, severity", [
    ("function.row_total", "error"),  # arithmetic within a table
    ("cross.summary_vs_expenditure", "error"),  # across tables
    ("narrative.yoy_percent", "error"),  # the text's figures
    ("narrative.code_amount", "error"),
    ("narrative.template_leftover", "warning"),  # an unfilled template: a reviewer decides
    ("completeness.table_present", "warning"),  # a required part missing
    ("performance.funds_vs_project_spending", "warning"),  # only key projects may be disclosed
    ("repair.truncated_amount", "warning"),  # repaired: check the original
    ("repair.code_assigned", "note"),  # a table printing names without codes
    ("text.control_characters", "note"),
])
def test_severity_of_a_check(check, severity):
    assert CHECK_SEVERITY[check] == severity


def test_repairs_ask_to_check_the_original():
    assert CHECK_SUGGESTIONS["repair.code_truncated"].startswith("数据已修复，请核对原文")
    assert CHECK_SUGGESTIONS["repair.truncated_amount"].startswith("数据已修复，请核对原文")


@needs_real_pdfs
def test_a_real_documents_findings_carry_their_checks_severity():
    """普陀区司法局 2026 单位预算: p.6 says 减少 1.10% where 1434.89 against 1690.69 is −15.13 %
    (error); p.21 prints the template's “主要原因是。” (warning)."""
    from tests.plant import failures, plant

    doc = plant(Path(REAL_PDFS / "shanghai-putuo-sfj-2026-danwei-yusuan.pdf"))
    percent = next(c for c in failures(doc, "narrative.yoy_percent") if c.source_page == 6 and c.actual == "-1.10")
    assert (percent.severity, percent.expected) == ("error", "-15.13")
    leftover = next(c for c in failures(doc, "narrative.template_leftover") if c.source_page == 21)
    assert (leftover.severity, leftover.actual) == ("warning", "主要原因是。")
    assert all(c.severity == CHECK_SEVERITY[c.check] for c in doc.checks)
