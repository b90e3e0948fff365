"""The site-wide checks page (核对结果): every failed, waived, repaired and rounding result of
every document, with its severity (错误 / 警告 / 提示) and, when waived, the maintainer's reason,
filterable by status, rule and document (``assets/js/table-filter.js``), each
linked to its figure on its page of the original (:func:`.viewer.check_page_link`). The rules
themselves are explained on the checks page (:mod:`.checks`)."""
from __future__ import annotations

from collections import Counter

from ...vocabulary import TABLE_NAMES
from ..catalog import Catalog
from ..figures import CHECK_STATUS, severity_name
from ..format import esc, front_matter, md_table
from .links import CHECKS_PAGE, check_link, doc_title
from .viewer import check_page_link

FINDINGS_PAGE = "findings.md"
#: the statuses listed, in this order
LISTED = ("fail", "waived", "repaired", "rounding")


def findings_page(cat: Catalog) -> str:
    rows = [(status, doc, r) for status in LISTED for doc in cat.documents
            for r in cat.rows(doc["document_id"], "checks") if r.get("status") == status]
    head = (front_matter("核对结果", hide=("navigation", "toc")) + "# 核对结果\n\n"
            "全部文件中未通过、已豁免、已修复和尾差的核对结果，一行一条，注明严重程度（错误、警告、提示）；"
            "已豁免的是维护者确认过的已知问题，附豁免理由，不计入未通过。“原文”链接打开原文所在页，"
            f"并用方框标出应为或实为的数字。各项检查的含义见[核对规则]({CHECKS_PAGE})；"
            "每个文件的全部结果（包括通过的）在其文件页的“数据质量”一节和 checks.csv 中。\n\n")
    if not rows:
        return head + "没有未通过、已豁免、已修复或尾差的核对结果。\n"
    counts = Counter(s for s, _, _ in rows)
    summary = "，".join(f"{CHECK_STATUS[s]} {counts[s]} 条" for s in LISTED if counts[s])
    body = [[CHECK_STATUS[status], esc(severity_name(cat, r)), check_link(r.get("check"), ""),
             esc(doc_title(cat, doc)), esc(TABLE_NAMES.get(r.get("table") or "", r.get("table"))), esc(r.get("expected")),
             esc(r.get("actual")), check_page_link(cat, doc, r, ""),
             f"{esc(r.get('message'))}" + (f"<br>已豁免：{esc(r.get('waiver'))}" if status == "waived" else "")
             + f" · [文件页](documents/{doc['document_id']}.md#quality)"]
            for status, doc, r in rows]
    return (head + f"共 {len(rows)} 条（{summary}），来自 {len({d['document_id'] for _, d, _ in rows})} 个文件。\n\n"
            '<div class="budget-filter" data-columns="状态|严重程度|检查|文件" '
            'data-note="按状态、严重程度、检查规则和文件筛选："></div>\n\n'
            + md_table(["状态", "严重程度", "检查", "文件", "表", "应为", "实为", "原文", "说明"], body, "lllllrrll"))
