"""The home page's listing of every document, with counts per year (inserted where
``site_src/index.md`` has the marker, by the hook). Every amount is a ``facts`` row
(:mod:`generator.publish.figures`); amounts of different documents are never added up."""
from __future__ import annotations

from collections import Counter

from ...vocabulary import PHASES, SCOPES
from ..catalog import Catalog
from ..figures import TOTAL_SPENDING_RULE, check_counts, check_label, general_public, marks_note, shown, total_spending
from ..format import esc, md_table, year_number
from .codes import bureau_type
from .links import region


def home_listing(cat: Catalog, prefix: str = "") -> str:
    """The table of every document shown on the home page."""
    rows, figs = [], []
    for d in cat.documents:
        b = cat.bureaus[d["bureau_id"]]
        total, gp = total_spending(cat, d["document_id"]), general_public(cat, d["document_id"])
        figs += [total, gp]
        rows.append([
            f"[{esc(b.get('name'))}]({prefix}bureaus/{d['bureau_id']}.md)",
            esc(region(b)),
            esc(d.get("year")),
            PHASES.get(d.get("phase"), esc(d.get("phase"))),
            SCOPES.get(d.get("scope"), esc(d.get("scope"))),
            shown(total),
            shown(gp),
            esc(check_label(cat, d["document_id"])),
            f"[查看]({prefix}documents/{d['document_id']}.md)",
        ])
    if not rows:
        return "暂无文件。\n"
    return (corpus_overview(cat)
            + md_table(["部门", "地区", "年度", "预算/决算", "范围", "支出合计（万元）", "一般公共预算支出（万元）",
                        "核对", "文件"], rows, "lllllrrll")
            + "\n" + TOTAL_SPENDING_RULE + marks_note(figs) + "\n\n")


def corpus_overview(cat: Catalog) -> str:
    """Counts (bureaus, documents, years, provinces) and documents per year and phase. No
    amounts are added up across documents: bureaus differ, and a 部门预算 includes its 单位预算."""
    years = sorted({year_number(d.get("year")) for d in cat.documents if year_number(d.get("year"))})
    provinces = sorted({b.get("province") for b in cat.bureaus.values() if b.get("province")})
    span = f"{years[0]}–{years[-1]} 年" if len(years) > 1 else (f"{years[0]} 年" if years else "")
    # the bureau types the code and comparison pages filter by (pages.codes.bureau_type)
    kinds = Counter(bureau_type(b.get("name")) for b in cat.bureaus.values())
    kinds_text = "、".join(f"{esc(k)} {n} 个" for k, n in sorted(kinds.items(), key=lambda kn: (-kn[1], kn[0])))
    text = (f"共 **{len(cat.bureaus)}** 个部门、**{len(cat.documents)}** 份文件，覆盖 **{len(years)}** 个年度"
            f"（{span}）、**{len(provinces)}** 个省份（{'、'.join(esc(p) for p in provinces)}）。"
            + (f"部门类型：{kinds_text}。" if kinds_text else "") + "金额单位：万元。\n\n")
    counts = Counter((year_number(d.get("year")), d.get("phase") or "", d.get("scope") or "") for d in cat.documents)
    groups = sorted({(y, p) for y, p, _ in counts}, key=lambda yp: (-yp[0], yp[1]))
    scopes = [s for s in SCOPES if any(k[2] == s for k in counts)]
    scopes += sorted({k[2] for k in counts} - set(scopes))
    body = [[str(year), PHASES.get(phase, esc(phase)), str(sum(n for k, n in counts.items() if k[:2] == (year, phase))),
             *(str(counts.get((year, phase, s), 0)) for s in scopes)] for year, phase in groups]
    if body:
        text += ("各年度文件数（各部门的金额不相加：部门不同，部门预算又已包含其所属单位的预算）：\n\n"
                 + md_table(["年度", "预算/决算", "文件数", *(f"其中{SCOPES.get(s, esc(s))}" for s in scopes)],
                            body, "llr" + "r" * len(scopes)) + "\n")
    failed_files = [e for e in cat.build_status if e.get("status") == "failed"]
    if failed_files:
        body = [["、".join(esc(f) for f in e.get("source_files") or []), esc(e.get("error"))] for e in failed_files]
        text += (f"**{len(failed_files)} 个文件未能读取**，未列入下表（原因如下；其余文件照常发布）：\n\n"
                 + md_table(["文件", "原因"], body) + "\n")
    passed = sum(check_counts(cat, d["document_id"])[2] == 0 for d in cat.documents)
    text += f"核对：{passed} 份文件全部检查通过，{len(cat.documents) - passed} 份有未通过的检查（见下表“核对”列）。\n\n"
    return text
