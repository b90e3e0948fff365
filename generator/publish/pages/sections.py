"""Sections shared by the bureau and document pages: a document's heading and its tables
(收支总表, 功能 / 经济分类, “三公”经费, …). ``search`` False keeps a section out of the search index
(the document page repeats what the bureau page shows; each figure is found once)."""
from __future__ import annotations

from ...vocabulary import PHASES, SIDES, THREE_PUBLIC_ITEMS
from ..catalog import Catalog
from ..figures import (TOTAL_SPENDING_RULE, basic_project, check_label, class_sums, general_public, marks_note,
                       personnel_public, shown, three_public_total, total_spending)
from ..format import SAFE_ID, doc_label, esc, fmt_amount, md_table
from .links import by_table, csv_link, no_search, table_title
from .sources import source_page_link, sources_line, table_csv_uri
from .viewer import figure_link


def amount_cell(cat: Catalog, doc: dict, row: dict, field: str, prefix: str, code: str = "") -> str:
    """An amount of a table row, linked to its page of the original with the figure boxed
    (:func:`.viewer.figure_link`) where the row has a page; as text otherwise (text sources)."""
    value = row.get(field)
    text = fmt_amount(value)
    if not text or not (str(row.get("source_page") or "")).strip().isdigit():
        return text
    return figure_link(cat, doc, row.get("source_page"), value, text, prefix, code)


def key_figure(cat: Catalog, doc: dict, fig, prefix: str) -> str:
    """A key figure (a ``facts`` row, marks included) linked to the page it was read from."""
    return figure_link(cat, doc, fig.page, fig.amount, shown(fig), prefix) if fig is not None else shown(fig)


def table_heading(cat: Catalog, document_id: str, resource: str, table: str, prefix: str,
                  anchored: bool) -> str:
    """A table's title; on the document page with its stable anchor ``#table-<id>``, the source
    page and the CSV of exactly its rows."""
    title = esc(table_title(cat, document_id, table))
    if not anchored or not SAFE_ID.match(table):
        return f"**{title}**\n\n"
    doc = cat.document(document_id)
    info = next((t for t in cat.rows(document_id, "tables") if t.get("table") == table), {})
    links = [source_page_link(cat, doc, info.get("source_page"), prefix)]
    if info.get("unit") == "元":
        links.append("原表以元为单位，本页已精确换算为万元（÷10000，未四舍五入）")
    repaired = [c for c in cat.rows(document_id, "checks") if c.get("status") == "repaired" and c.get("table") == table]
    if repaired:
        links.append(f"本表有 {len(repaired)} 处原文数字或编码已修复，见[数据质量](#quality)")
    if document_id in cat.packages:
        links.append(f"[本表 CSV]({prefix}{table_csv_uri(document_id, resource, table)})")
    # kept out of search like the section it is in: the bureau page indexes these figures once
    return (f"#### {title} {{ #table-{table} data-search-exclude }}\n\n" + " · ".join(x for x in links if x) + "\n\n")


#: the two classification resources as shown: heading, the three amount columns, their headers
CODED = {
    "function_expenditure": ("支出功能分类（万元）", ("total", "basic", "project"), ("合计", "基本支出", "项目支出")),
    "economic_expenditure": ("基本支出经济分类（万元）", ("total", "personnel", "public"), ("合计", "人员经费", "公用经费")),
}


_INDENT = {"class": 0, "section": 1, "item": 2}


def coded_section(cat: Catalog, document_id: str, prefix: str, resource: str, search: bool = True) -> str:
    """A classification resource, one table per source table: code, name indented by level, the
    three amounts, and the sum of the class rows (类) under it."""
    heading, columns, headers = CODED[resource]
    economic = resource == "economic_expenditure"
    out = []
    doc = cat.document(document_id)
    for table, rows in by_table(cat.rows(document_id, resource)):
        body = [[esc(r.get("code")),
                 "　" * (int(r.get("level") == "item") if economic else _INDENT.get(r.get("level"), 0))
                 + esc(r.get("name")), *(amount_cell(cat, doc, r, c, prefix, r.get("code") or "") for c in columns)]
                for r in rows]
        sums = class_sums(rows, columns)
        if sums:
            body.append(["", "合计（各类之和）", *(fmt_amount(v) for v in sums)])
        out.append(table_heading(cat, document_id, resource, table, prefix, not search)
                   + md_table(["科目编码", "科目名称", *headers], body, "llrrr"))
    if not out:
        return ""
    return (f"### {heading}{no_search(search)}\n\n" + "\n".join(out) + "\n"
            + csv_link(cat, document_id, resource, prefix) + "\n\n")


def function_section(cat: Catalog, document_id: str, prefix: str, search: bool = True) -> str:
    return coded_section(cat, document_id, prefix, "function_expenditure", search)


def economic_section(cat: Catalog, document_id: str, prefix: str, search: bool = True) -> str:
    return coded_section(cat, document_id, prefix, "economic_expenditure", search)


def summary_section(cat: Catalog, document_id: str, prefix: str, search: bool = True) -> str:
    out = []
    doc = cat.document(document_id)
    for table, rows in by_table(cat.rows(document_id, "summary")):
        if search:  # the bureau page: lines with a figure; the document page shows every line
            rows = [r for r in rows if (r.get("amount") or "").strip()]
        body = [[SIDES.get(r.get("side"), esc(r.get("side"))), esc(r.get("item")),
                 amount_cell(cat, doc, r, "amount", prefix)] for r in rows]
        out.append(table_heading(cat, document_id, "summary", table, prefix, not search)
                   + md_table(["收/支", "项目", "金额"], body, "llr"))
    if not out:
        return ""
    return (f"### 收支总表（万元）{no_search(search)}\n\n" + "\n".join(out) + "\n"
            + csv_link(cat, document_id, "summary", prefix) + "\n\n")


def three_public_section(cat: Catalog, document_id: str, prefix: str, search: bool = True) -> str:
    rows = cat.rows(document_id, "three_public")
    empty = [t for t in cat.rows(document_id, "tables") if t.get("table") == "three_public"
             and t.get("empty") == "true"]
    if not rows and not empty:
        return ""
    measures = [m for m in ("budget", "final") if any(r.get("measure") == m for r in rows)]
    values = {(r.get("item"), r.get("measure")): r for r in rows}
    doc = cat.document(document_id)
    items = [i for i in THREE_PUBLIC_ITEMS if any(r.get("item") == i for r in rows)]
    items += sorted({r.get("item") for r in rows} - set(items))
    text = f"### “三公”经费（万元）{no_search(search)}\n\n"
    if empty:
        text += f"原表为空表：{esc(empty[0].get('empty_reason') or '无数据')}\n\n"
    if rows:
        body = [[THREE_PUBLIC_ITEMS.get(i, esc(i))]
                + [amount_cell(cat, doc, values.get((i, m)) or {}, "amount", prefix) for m in measures]
                for i in items]
        sources = sorted({r.get("table") or "three_public" for r in rows})
        if sources == ["narrative"]:
            text += "以下数字摘自情况说明文字。\n\n"
        text += md_table(["项目"] + [PHASES[m] + "数" for m in measures], body, "l" + "r" * len(measures))
        text += "\n" + csv_link(cat, document_id, "three_public", prefix) + "\n"
    return text + "\n"


def document_heading(cat: Catalog, doc: dict, prefix: str, level: str, own_page: bool = False) -> str:
    """A document's title and its key figures, every one a ``facts`` row (“—” for 支出合计
    when the document has none; the other lines only where it has them); ``own_page``: shown
    on the document's own page (no link to itself)."""
    did = doc["document_id"]
    total, gp = total_spending(cat, did), general_public(cat, did)
    shown_figs = [total, gp]
    key = [f"- 支出合计：{key_figure(cat, doc, total, prefix)} 万元"]
    if gp is not None:
        key.append(f"- 一般公共预算支出：{key_figure(cat, doc, gp, prefix)} 万元")
    for names, parts in ((("基本支出", "项目支出"), basic_project(cat, did)),
                         (("人员经费", "公用经费"), personnel_public(cat, did))):
        if parts is not None:
            shown_figs += parts
            key.append(f"- {names[0]}：{key_figure(cat, doc, parts[0], prefix)} 万元，"
                       f"{names[1]}：{key_figure(cat, doc, parts[1], prefix)} 万元")
    three = three_public_total(cat, did)
    if three is not None:
        shown_figs.append(three)
        key.append(f"- “三公”经费（{PHASES.get(doc.get('phase'), '预算')}数）：{key_figure(cat, doc, three, prefix)} 万元")
    links = ([] if own_page else [f"[文件全部表格]({prefix}documents/{did}.md)"]) + (
        [f"[数据包 datapackage.json]({prefix}data/{did}/datapackage.json)"] if did in cat.packages else [])
    lines = [f"{level} {esc(doc_label(doc))}：{esc(doc.get('title'))}\n",
             f"- 文件编号：`{did}`" if SAFE_ID.match(did) else "",
             *key,
             f"- 核对：{esc(check_label(cat, did))}",
             f"- 原文：{sources_line(cat, doc, prefix)}（原表金额单位：{esc(doc.get('source_unit'))}）",
             "- " + " · ".join(links) if links else ""]
    return ("\n".join(x for x in lines if x) + "\n\n" + TOTAL_SPENDING_RULE + marks_note(shown_figs) + "\n\n")


def tables_section(cat: Catalog, document_id: str, prefix: str) -> str:
    rows = cat.rows(document_id, "tables")
    if not rows:
        return ""
    body = [[esc(r.get("table")), esc(r.get("title")), esc(r.get("source_page")), esc(r.get("rows")),
             "空表：" + esc(r.get("empty_reason")) if r.get("empty") == "true" else ""] for r in rows]
    return ("### 识别到的表格\n\n" + md_table(["表", "标题", "页码", "行数", "说明"], body, "lllrl")
            + "\n" + csv_link(cat, document_id, "tables", prefix) + "\n\n")


def simple_section(cat: Catalog, document_id: str, prefix: str, resource: str, heading: str,
                   columns: list[tuple[str, str, str]]) -> str:
    """A resource shown column by column: (field, header, 'l' | 'r' | 'n' for amounts)."""
    rows = cat.rows(document_id, resource)
    if not rows:
        return ""
    doc = cat.document(document_id)
    body = [[amount_cell(cat, doc, r, f, prefix) if kind == "n" else esc(r.get(f)) for f, _, kind in columns]
            for r in rows]
    align = "".join("r" if kind == "n" else "l" for _, _, kind in columns)
    return (f"### {heading}\n\n" + md_table([h for _, h, _ in columns], body, align) + "\n"
            + csv_link(cat, document_id, resource, prefix) + "\n\n")
