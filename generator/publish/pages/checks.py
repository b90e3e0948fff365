"""The 核对规则 page: every check rule of ``all/check_definitions.csv``, grouped by family,
each under a heading whose anchor is the id itself (``checks.md#function.row_total``, as
:func:`~generator.publish.pages.links.check_link` links it), with its explanation, its severity
(错误 / 警告 / 提示), the publisher's suggested fix and its results over the corpus
(``all/checks.csv``)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from ...vocabulary import SEVERITY_NAMES
from ..catalog import Catalog
from ..figures import CHECK_STATUS, NOT_COUNTED, PASSED
from ..format import esc, front_matter, md_table
from .links import doc_link, doc_order


#: families in display order, with their Chinese headings; unknown families follow by id
FAMILIES = {
    "repair": "数据修复",
    "function": "支出功能分类表内核对",
    "economic": "支出经济分类表内核对",
    "summary": "收支总表核对",
    "three_public": "“三公”经费核对",
    "projects": "项目支出核对",
    "performance": "绩效目标核对",
    "cross": "表间核对",
    "narrative": "文字说明与表格核对",
    "codelist": "科目编码核对",
    "code": "科目编码核对",
    "completeness": "完整性核对",
    "text": "原文文字核对",
    "cells": "单元格数值核对",
    "years": "年度与日期核对",
    "hygiene": "文字规范（标点、引号、单位）",
}


STATUS_ORDER = ("pass", "rounding", "fail", "waived", "repaired", "not_applicable", "insufficient_data")

#: what each severity means (the checks' ``severity``, named by ``vocabulary.SEVERITY_NAMES``)
SEVERITY_MEANING = {
    "error": "数字或表述有误，公开前必须改正。",
    "warning": "可能有误，或缺少必须公开的内容，须由审核人员判断。",
    "note": "用词和格式问题，建议改正，不涉及数字错误。",
}


STATUS_MEANING = {
    "pass": "两边的数字完全相同。",
    "rounding": "两边的数字不完全相同，但差额小于 (n+1) × 最后一位印刷数字的半个单位（n 为相加的项数；"
                "例如两个印到分位的数相比，差额须小于 0.01），即差异只来自各数字分别四舍五入。算作通过。",
    "fail": "差额超出舍入范围：原文的数字之间互相矛盾，或表格识别有误。",
    "waived": "未通过，但维护者已确认这是原文的已知问题（如已向发布单位核实），在文件旁的豁免文件中写明了理由；"
              "不计入未通过，但也不算通过。",
    "repaired": "原文的数字有可以确定的错误（如科目编码被截断、数字被截断），已按同一文件中的其他表格修正；"
                "“应为”是发布的修正值，“实为”是原文的值；原文中的控制字符（如空字符、双向控制符）已删除，"
                "“实为”是删除的个数。计入检查数，但不算通过。",
    "not_applicable": "该文件没有这项核对涉及的表格或情形（例如支出总表的口径与一般公共预算支出表不同）。"
                      "不计入检查数。",
    "insufficient_data": "缺少核对所需的数字（表格未公开或未能识别）。不计入检查数。",
}


#: The order the rules are shown in within their family: the order the verify stage runs
#: them (row, then table, then across tables). ``all/check_definitions.csv`` lists the rules
#: sorted by id and carries no order, so the page keeps its own until the resource does (then
#: read it from there). A rule not named here follows those named, by id.
RULE_ORDER = (
    "function.row_total", "function.class_sum", "function.section_sum", "function.table_total",
    "function.table_basic", "function.table_project", "function.table_total_parts",
    "economic.row_total", "economic.class_sum", "economic.table_total",
    "economic.personnel_is_301_303", "economic.public_is_302_310",
    "economic.basic_is_personnel_plus_public",
    "summary.current_year_balance", "summary.grand_total_balance", "summary.income_grand_total",
    "summary.expenditure_grand_total", "summary.income_lines_sum", "summary.expenditure_lines_sum",
    "three_public.total",
    "projects.sum_vs_project_spending",
    "performance.funds_vs_project_spending",
    "codelist.function_hierarchy", "codelist.economic_hierarchy", "codelist.class_name",
    "codelist.assigned_class_vs_items",
    "completeness.table_present", "completeness.empty_table_note", "completeness.glossary",
    "completeness.table_has_rows",
    "cross.summary_vs_income", "cross.summary_vs_expenditure",
    "cross.summary_class_vs_expenditure", "cross.fiscal_summary_vs_general_public",
    "cross.fiscal_summary_vs_government_fund", "cross.fiscal_summary_vs_state_capital",
    "cross.fiscal_class_vs_general_public", "cross.expenditure_vs_general_public.total",
    "cross.expenditure_vs_general_public.basic", "cross.expenditure_vs_general_public.project",
    "cross.income_vs_expenditure", "cross.final_income_less_expenditure",
    "cross.basic_vs_basic_economic", "cross.basic_function_vs_general_public",
    "cross.same_code_same_name", "cross.same_code_same_amount", "cross.three_public_vs_economic",
    "narrative.code_amount", "narrative.item_amount", "narrative.total", "narrative.basic",
    "narrative.project", "narrative.personnel", "narrative.public", "narrative.three_public",
    "narrative.three_public_item", "narrative.operating_costs",
    "narrative.total_is_basic_plus_project", "narrative.basic_is_personnel_plus_public",
    "narrative.listed_parts", "narrative.share", "narrative.yoy_difference",
    "narrative.yoy_direction", "narrative.comparison_year", "narrative.yoy_percent",
    "narrative.completion_rate", "narrative.template_leftover", "narrative.present",
    "repair.code_assigned", "repair.code_truncated", "repair.code_lengths", "repair.truncated_amount",
    "text.control_characters", "text.unreadable_figures",
)


def rule_order(definitions) -> list[str]:
    """The rule ids of ``definitions`` in :data:`RULE_ORDER`, the others after them by id."""
    rank = {c: i for i, c in enumerate(RULE_ORDER)}
    return sorted(definitions, key=lambda c: (rank.get(c, len(rank)), c))


def _family(check: str) -> str:
    return check.split(".", 1)[0]


def _family_order(families) -> list[str]:
    known = list(FAMILIES)
    return sorted(set(families), key=lambda f: (known.index(f) if f in known else len(known), f))


def _anchor_ok(value: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9_.]+", value or ""))


def check_results(cat: Catalog) -> dict[str, dict[str, Counter]]:
    """check id -> status -> Counter of document ids (one count per result row)."""
    out: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for doc in cat.documents:
        for row in cat.rows(doc["document_id"], "checks"):
            out[row.get("check", "")][row.get("status", "")][doc["document_id"]] += 1
    return out


def _counts_row(results: dict[str, Counter]) -> list[str]:
    return [str(sum(results.get(s, Counter()).values())) for s in STATUS_ORDER]


def _severity_line(cat: Catalog, check: str) -> str:
    """``严重程度：**错误**。修改建议：…`` of a rule, as its definition gives them."""
    severity, suggestion = cat.check_severity.get(check), cat.check_suggestions.get(check)
    text = (f"严重程度：**{esc(SEVERITY_NAMES.get(severity, severity))}**。" if severity else "") + (
        f"修改建议：{esc(suggestion)}" if suggestion else "")
    return text + "\n\n" if text else ""


def checks_page(cat: Catalog) -> str:
    results = check_results(cat)
    described = {c: cat.check_definitions[c] for c in rule_order(cat.check_definitions)}
    # ids found in the results but not defined in check_definitions still get an anchor
    # (document pages link every id they show)
    extra = sorted(c for c in results if c and c not in described and _anchor_ok(c))
    ids = list(described) + extra
    by_family: dict[str, list[str]] = defaultdict(list)
    for c in ids:
        by_family[_family(c)].append(c)
    families = _family_order(by_family)
    docs = {d["document_id"]: d for d in cat.documents}
    n_results = sum(sum(sum(c.values()) for c in r.values()) for r in results.values())
    n_docs = sum(1 for d in cat.documents if cat.rows(d["document_id"], "checks"))

    parts = [front_matter("核对规则"), "# 核对规则\n\n",
             ("发布之前，生成程序逐项核对每份文件中的数字：同一张表内的合计与明细、不同表格之间的同一数字、"
              "文字说明中的金额与表格，以及必须公开的表格是否齐全。每份文件页面的“数据质量”部分逐条列出该文件"
              "未通过和已修复的核对（写明应为和实为的数字），并按规则汇总它的全部结果（每一条结果都在该文件的 "
              "checks.csv 中）；本页解释每项核对的含义，并汇总全部文件的结果。\n\n"),
             (f"共 **{len(described)}** 项核对规则，分为 **{len({_family(c) for c in described})}** 类"
              f"；{len(cat.documents)} 份文件中有 {n_docs} 份经过核对，共 {n_results} 条核对结果"
              "（一项规则在一份文件中可以核对多处，例如每一行各核对一次）。\n\n")]
    if extra:
        parts.append(f"另有 {len(extra)} 项核对只见于数据、程序中已无说明，列在各类末尾。\n\n")

    parts.append("## 核对结果的含义 { #statuses }\n\n")
    parts.append(md_table(["结果", "代码", "含义"],
                          [[CHECK_STATUS.get(s, s), f"`{s}`", STATUS_MEANING[s]] for s in STATUS_ORDER]))
    passed = "、".join(CHECK_STATUS[s] for s in STATUS_ORDER if s in PASSED)
    not_counted = "、".join(CHECK_STATUS[s] for s in STATUS_ORDER if s in NOT_COUNTED)
    parts.append(f"\n文件页面上的“N/M 项检查通过”中，N 是{passed}的条数，M 是除{not_counted}以外的全部条数："
                 f"{not_counted}的核对从不算作已核对。\n\n")

    parts.append("## 严重程度 { #severities }\n\n")
    parts.append(md_table(["严重程度", "代码", "含义"],
                          [[SEVERITY_NAMES[s], f"`{s}`", SEVERITY_MEANING[s]] for s in SEVERITY_MEANING]) + "\n")

    parts.append("## 各类规则一览 { #families }\n\n")
    header = ["类别", "规则数"] + [CHECK_STATUS.get(s, s) for s in STATUS_ORDER]
    rows = []
    for fam in families:
        merged: dict[str, Counter] = defaultdict(Counter)
        for c in by_family[fam]:
            for s, cnt in results.get(c, {}).items():
                merged[s].update(cnt)
        rows.append([f"[{FAMILIES.get(fam, esc(fam))}](#family-{fam})", str(len(by_family[fam]))]
                    + _counts_row(merged))
    parts.append(md_table(header, rows, "lr" + "r" * len(STATUS_ORDER)) + "\n")

    for fam in families:
        title = FAMILIES.get(fam, esc(fam))
        parts.append(f"## {title} {{ #family-{fam} }}\n\n")
        rows = [[f"[`{c}`](#{c})"] + _counts_row(results.get(c, {})) for c in by_family[fam]]
        parts.append(md_table(["规则"] + [CHECK_STATUS.get(s, s) for s in STATUS_ORDER], rows,
                              "l" + "r" * len(STATUS_ORDER)) + "\n")
        for c in by_family[fam]:
            text = described.get(c) or "（程序中已无此项核对的说明。）"
            parts.append(f"### `{c}` {{ #{c} }}\n\n{esc(text)}\n\n" + _severity_line(cat, c))
            res = results.get(c, {})
            counted = [f"{CHECK_STATUS.get(s, s)} {sum(res[s].values())}" for s in STATUS_ORDER
                       if sum(res.get(s, Counter()).values())]
            if not counted:
                parts.append("全部文件中尚无这项核对的结果。\n\n")
                continue
            parts.append("全部文件中的结果：" + " · ".join(counted) + "。\n\n")
            for status in ("fail", "waived", "repaired"):
                found = res.get(status)
                if not found:
                    continue
                links = [doc_link(cat, docs[d]) + (f"（{n} 条）" if n > 1 else "")
                         for d, n in sorted(found.items(), key=lambda kv: doc_order(cat, kv[0]))
                         if d in docs]
                parts.append(f"{CHECK_STATUS[status]}的文件：" + "、".join(links) + "。\n\n")
    return "".join(parts)
