"""The bureau pages: the list of bureaus, and one page per bureau that leads with its key
figures and charts, then per document a summary (key figures, its largest function items with
links to compare them across bureaus) linking to the document page, which has every table.
Every figure is a ``facts`` row (:mod:`generator.publish.figures`); no table is repeated here."""
from __future__ import annotations

from ...vocabulary import ADMIN_LEVELS, BUREAU_ABBREVIATIONS, PHASES
from ..catalog import Catalog
from ..charts.html import chart_html
from ..figures import (basic_project, facts, general_public, marks_note, shown, three_public_total,
                       total_spending)
from ..format import doc_label, esc, front_matter, md_table, share
from .codes import compare_link
from .links import CHARTS_DIR, region
from .sections import document_heading
from .viewer import figure_link

#: function items shown openly under each document; the others are in a collapsed list
TOP_ITEMS = 8


def bureaus_index_page(cat: Catalog) -> str:
    rows = []
    for bid, b in sorted(cat.bureaus.items(), key=lambda kv: (region(kv[1]), kv[0])):
        docs = cat.documents_of(bid)
        rows.append([f"[{esc(b.get('name'))}]({bid}.md)", esc(region(b)),
                     esc(ADMIN_LEVELS.get(b.get("level") or "", b.get("level") or "")),
                     esc(b.get("division_code")), "、".join(esc(doc_label(d)) for d in docs)])
    return (front_matter("部门") + "# 部门\n\n"
            + md_table(["部门", "地区", "级次", "区划代码", "文件"], rows))


def key_figures(cat: Catalog, bureau_id: str, prefix: str) -> str:
    """One row per document: 支出合计, 一般公共预算支出, 基本 / 项目支出, “三公”经费 (facts),
    each linked to its page of the original."""
    rows, figs = [], []
    for doc in cat.documents_of(bureau_id):
        did = doc["document_id"]
        bp = basic_project(cat, did)
        row_figs = [total_spending(cat, did), general_public(cat, did), *(bp or (None, None)),
                    three_public_total(cat, did)]
        figs += row_figs
        rows.append([f"[{esc(doc_label(doc))}]({prefix}documents/{did}.md)",
                     *(figure_link(cat, doc, f.page, f.amount, shown(f), prefix) if f is not None else "—"
                       for f in row_figs)])
    if not rows:
        return ""
    return ("## 主要数字\n\n"
            + md_table(["文件", "支出合计", "一般公共预算支出", "基本支出", "项目支出", "“三公”经费"],
                       rows, "lrrrrr")
            + "\n金额单位：万元；点击数字查看原文所在页。各数字的口径见下方各文件。" + marks_note(figs) + "\n\n")


def main_items(cat: Catalog, doc: dict, prefix: str) -> str:
    """The document's function items (项, facts), largest first, each with its share of the
    document's 一般公共预算支出 (the share its code page shows), its page of the original and
    its code page (“与其他部门比较”); the first :data:`TOP_ITEMS` shown, the rest collapsed."""
    did = doc["document_id"]
    items = sorted(facts(cat, did, "function", level="item"), key=lambda f: (-f.value, f.code))
    if not items:
        return ""
    whole = general_public(cat, did)

    def table(figs) -> str:
        body = [[esc(f.code), esc(f.name), figure_link(cat, doc, f.page, f.amount, shown(f), prefix),
                 share(f.value, whole.value if whole is not None else None),
                 compare_link("function", f.code, prefix)] for f in figs]
        return md_table(["科目编码", "科目名称", "金额（万元）", "占一般公共预算支出", "比较"], body, "llrrl")

    phase = PHASES.get(doc.get("phase"), "")
    text = (f"#### 主要支出项目（{esc(doc_label(doc))}，按功能分类的项，共 {len(items)} 项）\n\n"
            + table(items[:TOP_ITEMS]) + "\n")
    if len(items) > TOP_ITEMS:
        text += (f'<details class="budget-more" markdown="1">\n<summary>其余 {len(items) - TOP_ITEMS} 项'
                 f"（{phase}支出功能分类的项）</summary>\n\n" + table(items[TOP_ITEMS:]) + "\n</details>\n\n")
    return text + (f"全部表格（类、款、项，基本支出和项目支出，经济分类，“三公”经费）见"
                   f"[文件页]({prefix}documents/{did}.md)。" + marks_note(items) + "\n\n")


def bureau_page(cat: Catalog, bureau_id: str) -> str:
    b = cat.bureaus[bureau_id]
    name = b.get("name") or bureau_id
    short = next((name.replace(full, abbr) for full, abbr in BUREAU_ABBREVIATIONS if full in name), "")
    about = [f"简称：{esc(short)}" if short else "",
             f"地区：{esc(region(b)) or '—'}",
             f"级次：{esc(ADMIN_LEVELS.get(b.get('level') or '', b.get('level') or '—'))}",
             f"行政区划代码：{esc(b.get('division_code')) or '—'}"]
    # no sidebars: the bureau page is short, and its tables and charts need the width
    parts = [front_matter(name, hide=("navigation", "toc")), f"# {esc(name)}\n\n", " · ".join(f for f in about if f) + "\n\n",
             key_figures(cat, bureau_id, "../")]
    figures = cat.charts.get(bureau_id, [])
    if figures:
        parts.append("## 图表\n\n" + "\n\n".join(chart_html(c, f"../../{CHARTS_DIR}/{bureau_id}/") for c in figures)
                     + "\n\n")
    docs = cat.documents_of(bureau_id)
    if docs:
        parts.append("## 各文件\n\n")
    for doc in docs:
        parts += [document_heading(cat, doc, "../", "###"), main_items(cat, doc, "../")]
    return "".join(parts)
