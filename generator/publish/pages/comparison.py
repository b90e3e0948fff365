"""The comparison page: every document side by side (totals, 基本/项目, 人员/公用, “三公”,
shares by function class), with the comparison charts. Every amount is a ``facts`` row."""
from __future__ import annotations

from ..catalog import Catalog
from ..charts.html import chart_html
from ..figures import (CLASS_COLUMNS, TOTAL_SPENDING_RULE, class_shares, document_figures, marks_note,
                       shown)
from ..format import doc_label, esc, front_matter, md_table, share
from .links import CHARTS_DIR

CLASS_NAMES = {"201": "一般公共服务", "208": "社会保障和就业", "210": "卫生健康", "221": "住房保障"}


def comparison_page(cat: Catalog) -> str:
    """Every document side by side: totals, basic/project, personnel/public, "三公", shares
    by function class — as sortable tables (and charts when given)."""
    parts = [front_matter("部门比较", hide=("navigation", "toc")), "# 部门比较\n\n",
             "各部门、各年度的预算和决算并列比较（各文件自身的口径：预算文件为预算数，决算文件为决算数）。"
             "金额单位：万元。点击表头可排序。\n\n"]
    figures = cat.charts.get(None, [])
    if figures:
        parts.append("## 图表（各部门最新一份预算）\n\n"
                     + "\n\n".join(chart_html(c, f"../{CHARTS_DIR}/comparison/") for c in figures) + "\n\n")
    rows = [(d, cat.bureaus[d["bureau_id"]], document_figures(cat, d["document_id"])) for d in cat.documents]
    head = ["部门", "文件", "支出合计", "一般公共预算支出", "基本支出", "项目支出", "基本支出占比", "人员经费",
            "公用经费", "“三公”经费"]
    body = [[f"[{esc(b.get('name'))}](bureaus/{d['bureau_id']}.md)",
             f"[{esc(doc_label(d))}](documents/{d['document_id']}.md)",
             shown(f["total"]), shown(f["general_public"]), shown(f["basic"]), shown(f["project"]),
             _basic_share(f), shown(f["personnel"]), shown(f["public"]), shown(f["three_public"])]
            for d, b, f in rows]
    figs = [fig for _, _, f in rows for fig in f.values()]
    parts.append("## 支出规模与结构\n\n" + md_table(head, body, "llrrrrrrrr") + "\n"
                 + TOTAL_SPENDING_RULE + "基本支出占比 = 基本支出 ÷（基本支出 + 项目支出）。"
                 + marks_note(figs) + "\n\n")
    head = ["部门", "文件"] + [f"{CLASS_NAMES[c]}（{c}）" for c in CLASS_COLUMNS] + ["其他"]
    body = []
    for d, b, _ in rows:
        whole, amounts = class_shares(cat, d["document_id"])
        body.append([f"[{esc(b.get('name'))}](bureaus/{d['bureau_id']}.md)", esc(doc_label(d))]
                    + [share(amounts.get(c), whole) for c in (*CLASS_COLUMNS, "other")])
    parts.append("## 按功能分类的占比\n\n" + md_table(head, body, "llrrrrr") + "\n"
                 + "占比 = 该类金额 ÷ 该文件支出功能分类各类（类级科目）金额之和；各类金额见各部门页的图表。\n\n")
    return "".join(parts)


def _basic_share(f: dict) -> str:
    basic, project = f["basic"], f["project"]
    if basic is None or project is None:
        return ""
    return share(basic.value, basic.value + project.value)
