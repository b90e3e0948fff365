"""The comparison page: every document side by side (totals, 基本/项目, 人员/公用, “三公”,
shares by function class), with the comparison charts. Every amount is a ``facts`` row.

Like with like by default: the tables list every document, with filters by year, phase, province
and bureau type (``table-filter.js``; without JavaScript every row shows), and the year and phase
with the most documents selected; the charts are drawn per year and phase, and the filters show
those of the selected year and phase."""
from __future__ import annotations

from ..catalog import Catalog
from ..charts.compare import comparison_groups, group_prefix
from ..charts.html import chart_html
from ..figures import (CLASS_COLUMNS, TOTAL_SPENDING_RULE, class_shares, document_figures, marks_note,
                       shown)
from ..format import doc_label, esc, front_matter, md_table, share
from .codes import INDEX_URI, bureau_type, default_group, filter_html, filter_item, phase_word, province_of
from .links import CHARTS_DIR

CLASS_NAMES = {"201": "一般公共服务", "208": "社会保障和就业", "210": "卫生健康", "221": "住房保障"}


def comparison_page(cat: Catalog) -> str:
    """Every document side by side: totals, basic/project, personnel/public, "三公", shares
    by function class — as sortable tables (and charts when given)."""
    parts = [front_matter("部门比较", hide=("navigation", "toc")), "# 部门比较\n\n",
             "各部门、各年度的预算和决算并列比较（各文件自身的口径：预算文件为预算数，决算文件为决算数）。"
             "金额单位：万元。点击表头可排序。每张图只比较同一年度、同一阶段的文件（每个部门一份，部门预算优先于单位预算）。"
             f"按科目（如 2101501 行政运行）比较各部门：见[科目索引]({INDEX_URI})。\n\n"]
    default = default_group(cat.documents)
    note = ""
    if default is not None:
        year, phase, n = default
        note = (f"默认显示 {year} 年{phase_word(phase)}（文件最多的年度和阶段中最近的一个，{n} 份文件），"
                "以免不同年度或预算与决算混在一起；可在下面切换年度、阶段，或选“全部”。")
    parts.append(filter_html(default[:2] if default else None, note))
    figures = cat.charts.get(None, [])
    if figures:
        parts.append("## 图表（按年度和阶段）\n\n只有一个部门的年度和阶段不作图，其数字见下面的表格。\n\n")
        base = f"../{CHARTS_DIR}/comparison/"
        for (year, phase), members in comparison_groups(cat):
            mine = [c for c in figures if c.slug.startswith(group_prefix(year, phase))]
            if mine:
                block = (f"<h3>{esc(year)} 年{phase_word(phase)}（{len(members)} 个部门）</h3>\n"
                         + "".join(chart_html(c, base) for c in mine))
                parts.append(filter_item(year, phase, block))
    rows = [(d, cat.bureaus[d["bureau_id"]], document_figures(cat, d["document_id"])) for d in cat.documents]
    head = ["部门", "文件", *FILTER_HEAD, "支出合计", "一般公共预算支出", "基本支出", "项目支出", "基本支出占比",
            "人员经费", "公用经费", "“三公”经费"]
    body = [[f"[{esc(b.get('name'))}](bureaus/{d['bureau_id']}.md)",
             f"[{esc(doc_label(d))}](documents/{d['document_id']}.md)", *_filter_cells(d, b),
             shown(f["total"]), shown(f["general_public"]), shown(f["basic"]), shown(f["project"]),
             _basic_share(f), shown(f["personnel"]), shown(f["public"]), shown(f["three_public"])]
            for d, b, f in rows]
    figs = [fig for _, _, f in rows for fig in f.values()]
    parts.append("## 支出规模与结构\n\n" + md_table(head, body, "l" * 6 + "r" * 8) + "\n"
                 + TOTAL_SPENDING_RULE + "基本支出占比 = 基本支出 ÷（基本支出 + 项目支出）。"
                 + marks_note(figs) + "\n\n")
    head = ["部门", "文件", *FILTER_HEAD] + [f"{CLASS_NAMES[c]}（{c}）" for c in CLASS_COLUMNS] + ["其他"]
    body = []
    for d, b, _ in rows:
        whole, amounts = class_shares(cat, d["document_id"])
        body.append([f"[{esc(b.get('name'))}](bureaus/{d['bureau_id']}.md)", esc(doc_label(d)), *_filter_cells(d, b)]
                    + [share(amounts.get(c), whole) for c in (*CLASS_COLUMNS, "other")])
    parts.append("## 按功能分类的占比\n\n" + md_table(head, body, "l" * 6 + "r" * 5) + "\n"
                 + "占比 = 该类金额 ÷ 该文件支出功能分类各类（类级科目）金额之和；各类金额见各部门页的图表。\n\n")
    return "".join(parts)


#: the columns the filters read (pages.codes.FILTER_COLUMNS)
FILTER_HEAD = ("年度", "阶段", "省份", "部门类型")


def _filter_cells(d: dict, b: dict) -> list[str]:
    return [esc(d.get("year")), phase_word(d.get("phase") or ""), esc(province_of(b)), esc(bureau_type(b.get("name")))]


def _basic_share(f: dict) -> str:
    basic, project = f["basic"], f["project"]
    if basic is None or project is None:
        return ""
    return share(basic.value, basic.value + project.value)
