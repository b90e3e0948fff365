"""``python -m generator.recognize FILE`` shows what the recognizer reads in one document, and why.

The sample 望都 2024 budget (``documents/004_*.txt``) is text split on spaces, so the empty cells
of its 部门预算支出总表 are lost: ``2101202 财政对城乡居民基本医疗保险基金的补助 2832.00 2832.00``
(line 298) is 合计 plus one part, which the rows above it decide (项目支出), while
``2101501 行政运行 345.47 275.47 70.00`` (line 306) prints all three columns under the header
``合计 基本支出 项目支出`` (line 264).
"""
from __future__ import annotations

import subprocess
import sys

from conftest import DOCUMENTS, REPO

WANGDU = next(DOCUMENTS.glob("004_*.txt"))


def watch(path) -> str:
    done = subprocess.run([sys.executable, "-m", "generator.recognize", str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=True)
    return done.stdout


def _region(out: str, table: str) -> str:
    """The printed block of the first region of ``table``."""
    start = out.index(f": {table} “")
    end = out.find("\n== region", start)
    return out[start:] if end < 0 else out[start:end]


def test_watch_prints_regions_rows_and_column_reasons():
    out = watch(WANGDU)
    assert out.startswith("baoding-wangdu-ybj-2024-budget:")
    assert "expenditure “部门预算支出总表”" in out and "recognizer recognize_function" in out
    block = _region(out, "expenditure")
    # the rows, with their code and figures (万元)
    assert ("function_row: code=2101202, name=财政对城乡居民基本医疗保险基金的补助, level=item, "
            "total=2832.00, project=2832.00") in block
    assert ("function_row: code=2101501, name=行政运行, level=item, total=345.47, basic=275.47, "
            "project=70.00") in block
    # which header keyword named each column
    assert ("columns: total (the first figure) | basic (“基本支出” in the header text) | "
            "project (“项目支出” in the header text)") in block
    # a figure printed in its own column …
    assert ("2101501: 345.47 → total (figure 1; the first figure); 275.47 → basic (figure 2; "
            "“基本支出” in the header text); 70.00 → project (figure 3; “项目支出” in the header text)") in block
    # … and one whose column was lost and is decided by arithmetic over the parent rows
    assert "2101202: lost its empty cells: 2832.00 is total and one of basic / project, left open" in block
    assert ("2101202: project: the only placement where the rows under 21012 add up to its basic 0 "
            "and project 2832.00") in block
    assert "2101202: 2832.00 → total (figure 1; the first figure); 2832.00 → project (figure 3;" in block
