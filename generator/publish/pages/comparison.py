"""The comparison page: every document side by side (totals, 基本/项目, 人员/公用, “三公”,
shares by function class), with the comparison charts."""
from __future__ import annotations

from ..catalog import Catalog
from ..charts.html import chart_html
from ..figures import CLASS_COLUMNS, document_figures
from ..format import doc_label, esc, fmt_amount, front_matter, md_table, share
from .links import CHARTS_DIR


def comparison_page(cat: Catalog) -> str:
    """Every document side by side: totals, shares by function class, basic/project,
    personnel/public, "三公" — as sortable tables (and charts when given)."""
    parts = [front_matter("部门比较", hide=("navigation", "toc")), "# 部门比较\n\n",
             "各部门、各年度的预算和决算并列比较。金额单位：万元；占比按一般公共预算支出表（无此表时按支出总表）"
             "各类之和计算。点击表头可排序。\n\n"]
    figures = cat.charts.get(None, [])
    if figures:
        parts.append("## 图表（各部门最新一份预算）\n\n"
                     + "\n\n".join(chart_html(c, f"../{CHARTS_DIR}/comparison/") for c in figures) + "\n\n")
    rows = []
    for d in cat.documents:
        did = d["document_id"]
        f = document_figures(cat, did)
        b = cat.bureaus[d["bureau_id"]]
        rows.append((d, b, f))
    head = ["部门", "文件", "支出合计", "基本支出", "项目支出", "基本支出占比", "人员经费", "公用经费", "“三公”经费"]
    body = [[f"[{esc(b.get('name'))}](bureaus/{d['bureau_id']}.md)",
             f"[{esc(doc_label(d))}](documents/{d['document_id']}.md)",
             fmt_amount(f["total"]), fmt_amount(f["basic"]), fmt_amount(f["project"]),
             share(f["basic"], f["total"]), fmt_amount(f["personnel"]), fmt_amount(f["public"]),
             fmt_amount(f["three_public"])] for d, b, f in rows]
    parts.append("## 支出规模与结构\n\n" + md_table(head, body, "llrrrrrrr") + "\n")
    names = {"201": "一般公共服务", "208": "社会保障和就业", "210": "卫生健康", "221": "住房保障"}
    head = ["部门", "文件", "各类之和"] + [f"{names[c]}（{c}）" for c in CLASS_COLUMNS] + ["其他"]
    body = [[f"[{esc(b.get('name'))}](bureaus/{d['bureau_id']}.md)", esc(doc_label(d)), fmt_amount(f["class_total"])]
            + [share(f[c], f["class_total"]) for c in CLASS_COLUMNS] + [share(f["other"], f["class_total"])]
            for d, b, f in rows]
    parts.append("## 按功能分类的占比\n\n" + md_table(head, body, "llrrrrrr") + "\n")
    return "".join(parts)
