"""The document pages: the key figures and the drill-down first, then every table of one
document (tables longer than :data:`OPEN_ROWS` collapsed under their heading, which keeps its
anchor), its data quality (the checks) and how to cite it."""
from __future__ import annotations

import re
from collections import Counter

from ...vocabulary import TABLE_NAMES
from ..catalog import Catalog
from ..charts.drilldown import drilldown_html
from ..figures import CHECK_STATUS, UNCERTAIN_MARK, check_counts, check_label, severity_name
from ..format import doc_label, esc, front_matter, md_table
from ..review.workbook import file_name as review_file
from .data import DOWNLOADS_DIR
from .links import CHECKS_PAGE, check_link, csv_link
from .sections import (document_heading, economic_section, function_section, simple_section,
                       summary_section, tables_section, three_public_section)
from .sources import citation
from .viewer import annotated_line, check_page_link

#: a table with more rows than this is collapsed (``<details>``, summary: its name and row count)
OPEN_ROWS = 8
_ATTRS = re.compile(r"\s*\{[^{}]*\}\s*$")


def collapse_tables(markdown: str, open_rows: int = OPEN_ROWS) -> str:
    """Every Markdown table of ``markdown`` longer than ``open_rows`` wrapped in a closed
    ``<details>`` whose summary names it (the heading above it, already escaped page text)
    and counts its rows; the heading, its anchor and links stay outside, always visible."""
    lines = markdown.split("\n")
    out: list[str] = []
    title, i = "", 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            title = _ATTRS.sub("", line.lstrip("#").strip())
        if not line.startswith("|"):
            out.append(line)
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].startswith("|"):
            j += 1
        block, rows = lines[i:j], j - i - 2
        if rows > open_rows:
            out += ['<details class="budget-table" markdown="1">',
                    f"<summary>{title or '表格'}（{rows} 行，点击展开）</summary>", "", *block, "", "</details>"]
        else:
            out += block
        i = j
    return "\n".join(out)


def searchable(markdown: str) -> str:
    """A section of :mod:`.sections` drawn for the document page (anchored tables) but left in
    the search index: the bureau page no longer repeats the 收支总表, the economic classification
    and the “三公”经费, so the document page is where they are found. (The function table stays
    out: the bureau page's items and the code pages index its figures.)"""
    return re.sub(r" \{ ?\}", "", re.sub(r" data-search-exclude(?= ?\})", "", markdown))


def drilldown_section(cat: Catalog, document_id: str, prefix: str) -> str:
    """The drill-down (:mod:`..charts.drilldown`) under a heading of its own, right after the
    key figures; kept out of the search index (its labels repeat the items, which the bureau
    page's list of items indexes once)."""
    block = drilldown_html(cat, document_id, prefix)
    if not block:
        return ""
    return "### 支出结构（类 → 款 → 项） { #drilldown data-search-exclude }\n\n" + block + "\n"


def ocr_notice(cat: Catalog, doc: dict) -> str:
    """For a scan read by OCR (``source_format`` ``pdf-ocr``): that its figures were recognized from
    page images, and how many of its key figures no identity of its tables confirms (marked ？)."""
    facts = cat.rows(doc["document_id"], "facts")
    ocr = [r for r in facts if r.get("read_by") == "ocr"]
    if doc.get("source_format") != "pdf-ocr" and not ocr:
        return ""
    uncertain = sum(r.get("certainty") == "uncertain" for r in facts)
    count = (f"{len(ocr)} 个核心数字经 OCR 识别，其中 {uncertain} 个未能由表内勾稽关系（合计等于各行之和、"
             f"两表同一数字相同等）核实，标为“{UNCERTAIN_MARK}”（存疑）" if uncertain else
             f"{len(ocr)} 个核心数字经 OCR 识别，均已由表内勾稽关系核实")
    return (f"**本文件为扫描件，数字经 OCR 识别**，可能有识别错误：{count}。"
            f"请以原文为准（数据包 facts 的 read_by、certainty 列）。\n\n")


def checks_summary(cat: Catalog, document_id: str) -> str:
    passed, counted, failed = check_counts(cat, document_id)
    if not counted:
        return ""
    return (f"**数据质量：{passed}/{counted} 项检查通过"
            + (f"，{failed} 项未通过" if failed else "") + "**，详见[本页“数据质量”](#quality)。\n\n")


def review_line(cat: Catalog, document_id: str, prefix: str) -> str:
    """``审核报告（Excel）：`` the document's 检查表 workbook (:mod:`..review.workbook`), made
    with the downloads of its package; empty for a document without a package folder."""
    if document_id not in cat.packages:
        return ""
    return (f"审核报告（Excel）：[检查表：每个问题的页码、原文、应为、实际和修改建议]"
            f"({prefix}{DOWNLOADS_DIR}/{review_file(document_id)})")


def checks_section(cat: Catalog, document_id: str, prefix: str) -> str:
    """The quality report: N of M checks pass, then every failure and repair with expected and
    actual figures, table and source page, then the results counted by rule (every single
    result, passes included, is in the document's checks.csv, linked)."""
    rows = cat.rows(document_id, "checks")
    if not rows:
        return "## 数据质量 { #quality }\n\n未运行任何检查。\n\n"
    doc = cat.document(document_id)
    statuses = Counter(r.get("status") for r in rows)
    counts = "，".join(f"{CHECK_STATUS.get(k, k)} {statuses[k]} 项" for k in CHECK_STATUS if statuses.get(k))
    text = [f"## 数据质量 {{ #quality }}\n\n**{esc(check_label(cat, document_id))}**（{counts}）。"
            f"“不适用”和“数据不足”不计入检查数。每项检查的含义见[核对规则]({prefix}{CHECKS_PAGE})。\n\n"]
    reports = [review_line(cat, document_id, prefix),  # the 检查表 workbook
               annotated_line(cat, doc, prefix)]  # the source PDF with each failure boxed
    if any(reports):
        text.append("　".join(r for r in reports if r) + "\n\n")

    def detail(status: str, heading: str) -> None:
        found = [r for r in rows if r.get("status") == status]
        if not found:
            return
        body = [[check_link(r.get("check"), prefix), esc(severity_name(cat, r)),
                 esc(TABLE_NAMES.get(r.get("table") or "", r.get("table"))),
                 esc(r.get("expected")), esc(r.get("actual")), check_page_link(cat, doc, r, prefix),
                 esc(r.get("message")) + (f"<br>已豁免：{esc(r.get('waiver'))}" if status == "waived" else "")]
                for r in found]
        text.append(f"### {heading}\n\n" + md_table(["检查", "严重程度", "表", "应为", "实为", "原文页", "说明"], body)
                    + "\n")

    detail("fail", f"未通过（{statuses.get('fail', 0)} 项）")
    detail("waived", f"已豁免（{statuses.get('waived', 0)} 项）：维护者确认的已知问题，附豁免理由")
    detail("repaired", f"已修复（{statuses.get('repaired', 0)} 项）：发布的是修复后的数字")
    # by rule, not row by row: a row per result made this table ~2/3 of a document page (and of
    # its build time) while saying "通过" a few hundred times
    by_rule = Counter((r.get("check") or "", r.get("status")) for r in rows)
    shown = [k for k in CHECK_STATUS if statuses.get(k)]
    body = [[check_link(cid, prefix), esc(cat.check_definitions.get(cid, ""))]
            + [str(by_rule[(cid, k)] or "") for k in shown]
            for cid in sorted({c for c, _ in by_rule})]
    text.append("### 各项检查（按规则汇总） { data-search-exclude }\n\n"
                f"本文件共 {len(rows)} 条检查结果，下表按规则计数。每一条结果（包括通过的）及其应为、实为的数字"
                f"都在本文件的 checks.csv 中：{csv_link(cat, document_id, 'checks', prefix)}。\n\n"
                + md_table(["检查", "含义", *(CHECK_STATUS[k] for k in shown)], body, "ll" + "r" * len(shown))
                + "\n")
    return "".join(text)


def document_page(cat: Catalog, document_id: str) -> str:
    doc = next(d for d in cat.documents if d["document_id"] == document_id)
    b = cat.bureaus[doc["bureau_id"]]
    title = f"{b.get('name') or doc['bureau_id']} {doc_label(doc)}"
    p = "../"
    tables = "".join([
        tables_section(cat, document_id, p), searchable(summary_section(cat, document_id, p, False)),
        function_section(cat, document_id, p, False), searchable(economic_section(cat, document_id, p, False)),
        searchable(three_public_section(cat, document_id, p, False)),
        simple_section(cat, document_id, p, "projects", "项目支出（万元）",
                       [("project", "项目", "l"), ("unit", "实施单位", "l"), ("amount", "金额", "n")]),
        simple_section(cat, document_id, p, "performance_targets", "绩效目标",
                       [("project", "项目", "l"), ("level1", "一级指标", "l"), ("level2", "二级指标", "l"),
                        ("indicator", "指标", "l"), ("target", "目标值", "l"), ("actual", "实际值", "l")]),
        simple_section(cat, document_id, p, "narrative", "情况说明中的数字（万元）",
                       [("topic", "事项", "l"), ("amount", "金额", "n"), ("sentence", "原句", "l")]),
        simple_section(cat, document_id, p, "glossary", "名词解释",
                       [("term", "名词", "l"), ("definition", "解释", "l")]),
        checks_section(cat, document_id, p),
    ])
    return "".join([
        front_matter(title, hide=("navigation",)), f"# {esc(title)}\n\n",
        f"[返回部门页：{esc(b.get('name'))}]({p}bureaus/{doc['bureau_id']}.md)\n\n",
        ocr_notice(cat, doc),
        document_heading(cat, doc, p, "##", own_page=True),
        drilldown_section(cat, document_id, p),
        checks_summary(cat, document_id),
        "## 全部表格\n\n较长的表格已折叠，点击表名展开；每张表的标题带固定锚点、原文页码和本表 CSV。\n\n"
        if tables else "",
        collapse_tables(tables),
        citation(cat, doc, f"documents/{document_id}/"),
    ])
