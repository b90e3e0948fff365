"""The home page's listing of every document, with counts and totals per year
(inserted where ``site_src/index.md`` has the marker, by the hook)."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ...vocabulary import PHASES, SCOPES
from ..catalog import Catalog
from ..figures import check_counts, check_label, total_spending_or_class_sum
from ..format import esc, fmt_amount, md_table, year_number
from .links import region


def home_listing(cat: Catalog, prefix: str = "") -> str:
    """The table of every document shown on the home page."""
    rows = []
    for d in cat.documents:
        b = cat.bureaus[d["bureau_id"]]
        total, label = total_spending_or_class_sum(cat, d["document_id"])
        rows.append([
            f"[{esc(b.get('name'))}]({prefix}bureaus/{d['bureau_id']}.md)",
            esc(region(b)),
            esc(d.get("year")),
            PHASES.get(d.get("phase"), esc(d.get("phase"))),
            SCOPES.get(d.get("scope"), esc(d.get("scope"))),
            fmt_amount(total) + (f"（{label}）" if label and label != "支出合计" else ""),
            esc(check_label(cat, d["document_id"])),
            f"[查看]({prefix}documents/{d['document_id']}.md)",
        ])
    if not rows:
        return "暂无文件。\n"
    return (corpus_overview(cat)
            + md_table(["部门", "地区", "年度", "预算/决算", "范围", "支出合计（万元）", "核对", "文件"],
                       rows, "lllllrll"))


def corpus_overview(cat: Catalog) -> str:
    """Counts (bureaus, documents, years, provinces) and total spending per year and phase."""
    years = sorted({year_number(d.get("year")) for d in cat.documents if year_number(d.get("year"))})
    provinces = sorted({b.get("province") for b in cat.bureaus.values() if b.get("province")})
    span = f"{years[0]}–{years[-1]} 年" if len(years) > 1 else (f"{years[0]} 年" if years else "")
    text = (f"共 **{len(cat.bureaus)}** 个部门、**{len(cat.documents)}** 份文件，覆盖 **{len(years)}** 个年度"
            f"（{span}）、**{len(provinces)}** 个省份（{'、'.join(esc(p) for p in provinces)}）。金额单位：万元。\n\n")
    groups: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for d in cat.documents:
        total, _ = total_spending_or_class_sum(cat, d["document_id"])
        if total is not None:
            groups[(year_number(d.get("year")), d.get("phase") or "")].append(total)
    body = [[str(year), PHASES.get(phase, esc(phase)), str(len(v)), fmt_amount(sum(v, Decimal(0)))]
            for (year, phase), v in sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1]))]
    if body:
        text += ("各年度支出合计（各文件“支出合计”相加；预算与决算分列，不跨年相加）：\n\n"
                 + md_table(["年度", "预算/决算", "文件数", "支出合计（万元）"], body, "llrr") + "\n")
    failed_files = [e for e in cat.build_status if e.get("status") == "failed"]
    if failed_files:
        body = [["、".join(esc(f) for f in e.get("source_files") or []), esc(e.get("error"))] for e in failed_files]
        text += (f"**{len(failed_files)} 个文件未能读取**，未列入下表（原因如下；其余文件照常发布）：\n\n"
                 + md_table(["文件", "原因"], body) + "\n")
    passed = sum(check_counts(cat, d["document_id"])[2] == 0 for d in cat.documents)
    text += f"核对：{passed} 份文件全部检查通过，{len(cat.documents) - passed} 份有未通过的检查（见下表“核对”列）。\n\n"
    return text
