"""The bureau pages: the list of bureaus, and one page per bureau with its charts and every
document's figures."""
from __future__ import annotations

from ...vocabulary import ADMIN_LEVELS
from ..catalog import Catalog
from ..charts.html import chart_html
from ..format import doc_label, esc, front_matter, md_table
from .links import CHARTS_DIR, region
from .sections import (document_heading, economic_section, function_section, summary_section,
                       three_public_section)


def bureaus_index_page(cat: Catalog) -> str:
    rows = []
    for bid, b in sorted(cat.bureaus.items(), key=lambda kv: (region(kv[1]), kv[0])):
        docs = cat.documents_of(bid)
        rows.append([f"[{esc(b.get('name'))}]({bid}.md)", esc(region(b)),
                     esc(ADMIN_LEVELS.get(b.get("level") or "", b.get("level") or "")),
                     esc(b.get("division_code")), "、".join(esc(doc_label(d)) for d in docs)])
    return (front_matter("部门") + "# 部门\n\n"
            + md_table(["部门", "地区", "级次", "区划代码", "文件"], rows))


def bureau_page(cat: Catalog, bureau_id: str) -> str:
    b = cat.bureaus[bureau_id]
    name = b.get("name") or bureau_id
    short = name.replace("医疗保障局", "医保局") if "医疗保障局" in name else ""
    facts = [f"- 简称：{esc(short)}" if short else "",
             f"- 地区：{esc(region(b)) or '—'}",
             f"- 级次：{esc(ADMIN_LEVELS.get(b.get('level') or '', b.get('level') or '—'))}",
             f"- 行政区划代码：{esc(b.get('division_code')) or '—'}"]
    parts = [front_matter(name), f"# {esc(name)}\n\n", "\n".join(f for f in facts if f), "\n\n金额单位：万元。\n\n"]
    figures = cat.charts.get(bureau_id, [])
    if figures:
        parts.append("## 图表\n\n" + "\n\n".join(chart_html(c, f"../../{CHARTS_DIR}/{bureau_id}/") for c in figures)
                     + "\n\n")
    for doc in cat.documents_of(bureau_id):
        did = doc["document_id"]
        parts.append(document_heading(cat, doc, "../", "##"))
        parts += [summary_section(cat, did, "../"), function_section(cat, did, "../"),
                  economic_section(cat, did, "../"), three_public_section(cat, did, "../")]
    return "".join(parts)
