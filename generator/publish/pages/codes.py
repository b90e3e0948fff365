"""A page per classification code: every document that has it, side by side.

``codes/function/<code>.md`` for every 类/款/项 of the 支出功能分类 and ``codes/economic/<code>.md``
for every 类/款 of the 支出经济分类 that any document's ``facts`` have (dimension function or
economic, part total, the document's own measure: 预算数 of a budget, 决算数 of a final account),
and ``codes/index.md`` listing them by 类. Each page: a sortable table (amount linked to its page of
the original, share of the document's total, year, phase, level, province, bureau type), filters
(``site_src/assets/js/table-filter.js``; without JavaScript every row shows), a chart per year and
phase (:mod:`..charts.codes`) and the CSV of exactly the table's rows.
"""
from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from dataclasses import dataclass

from ...vocabulary import PHASES, TABLE_NAMES, UNIT
from ..catalog import Catalog
from ..charts.codes import code_drafts
from ..charts.html import chart_html
from ..charts.records import Draft
from ..figures import Figure, fact, fact_figure, marks, marks_note, measure_of
from ..format import SAFE_ID, doc_label, esc, fmt_amount, front_matter, md_table, share, year_number
from .links import CHARTS_DIR
from .sources import source_page_link
from .viewer import figure_link

CODES_DIR = "codes"  # codes/function/<code>.md, codes/economic/<code>.md
INDEX_URI = f"{CODES_DIR}/index.md"
DIMENSIONS = {"function": "支出功能分类", "economic": "支出经济分类"}
LEVEL_WORDS = {"class": "类", "section": "款", "item": "项"}
ECONOMIC_LEVEL_WORDS = {"class": "类", "item": "款"}
#: bureaus.level as a page shows it
ADMIN_WORDS = {"central": "中央", "province": "省", "prefecture": "市", "county": "县"}
#: what each code's share is of: (fact code of dimension total, words)
SHARE_OF = {"function": ("general_public", "一般公共预算支出"), "economic": ("basic", "基本支出")}
#: the filters of the code and comparison pages: column headers of their tables
FILTER_COLUMNS = ("年度", "阶段", "省份", "部门类型")

#: (words in a bureau's name, its type), the first that matches; longer words first where they overlap
BUREAU_TYPES = (
    ("医疗保障", "医疗保障"), ("医保", "医疗保障"), ("信访", "信访"), ("检察院", "检察院"), ("法院", "法院"),
    ("司法", "司法"), ("财政", "财政"), ("商务", "商务"), ("公安", "公安"), ("人力资源和社会保障", "人力资源社会保障"),
    ("人力资源社会保障", "人力资源社会保障"), ("卫生健康", "卫生健康"), ("卫健", "卫生健康"), ("教育", "教育"),
    ("民政", "民政"), ("自然资源", "自然资源"), ("生态环境", "生态环境"), ("住房和城乡建设", "住房城乡建设"),
    ("住房城乡建设", "住房城乡建设"), ("交通运输", "交通运输"), ("水利", "水利"), ("水务", "水利"),
    ("农业农村", "农业农村"), ("文化和旅游", "文化旅游"), ("文化广电", "文化旅游"), ("市场监督管理", "市场监管"),
    ("市场监管", "市场监管"), ("应急管理", "应急管理"), ("审计", "审计"), ("税务", "税务"), ("统计", "统计"),
    ("发展和改革", "发展改革"), ("发展改革", "发展改革"), ("科学技术", "科技"), ("科技", "科技"),
    ("工业和信息化", "工业信息化"), ("退役军人", "退役军人事务"), ("体育", "体育"), ("林业", "林业草原"),
    ("档案", "档案"), ("机关事务", "机关事务"), ("政务服务", "政务服务"), ("气象", "气象"), ("人民政府", "政府"),
)
_PLACE = re.compile(r"^.*?(?:省|自治区|市|自治州|州|盟|区|自治县|县|旗)(?=[^省市区县旗州盟]+$)")
_SUFFIX = re.compile(r"(?:管理局|局|厅|委员会|委|办公室|办|部|院|署)$")


def bureau_type(name: str | None) -> str:
    """The kind of bureau, from its name: ``深圳市医疗保障局`` -> ``医疗保障``, ``上海市普陀区司法局``
    -> ``司法``, ``江苏省人民检察院`` -> ``检察院``; a name no word matches loses its place and its
    ``局``/``委员会``…, or is ``其他``."""
    name = re.sub(r"\s+", "", name or "")
    for words, kind in BUREAU_TYPES:
        if words in name:
            return kind
    rest = _SUFFIX.sub("", _PLACE.sub("", name))
    return rest or "其他"


def code_page_uri(dimension: str, code: str) -> str:
    """The page of a function or economic code, from the site root (``codes/function/2101501.md``)."""
    return f"{CODES_DIR}/{dimension}/{code}.md"


def compare_link(dimension: str, code: str, prefix: str) -> str:
    """Markdown link “与其他部门比较” to the code's page."""
    return f"[与其他部门比较]({prefix}{code_page_uri(dimension, code)})"


# ------------------------------------------------------------------------------ rows


@dataclass(frozen=True)
class CodeRow:
    """One document's fact for a code, and the total its share is of."""

    doc: dict
    bureau: dict
    fig: Figure
    level: str
    whole: Figure | None

    @property
    def year(self) -> str:
        return self.doc.get("year") or ""

    @property
    def phase(self) -> str:
        return self.doc.get("phase") or ""

    @property
    def scope_label(self) -> str:
        return doc_label(self.doc)


_ROWS: dict[int, tuple[Catalog, dict]] = {}


def code_rows(cat: Catalog) -> dict[tuple[str, str], list[CodeRow]]:
    """(dimension, code) -> the documents' facts of that code (part total, each document's own
    measure), latest year first, then budget before final, then largest first. Read once per
    catalog."""
    cached = _ROWS.get(id(cat))
    if cached is not None and cached[0] is cat:
        return cached[1]
    out: dict[tuple[str, str], list[CodeRow]] = {}
    for doc in cat.documents:
        did = doc["document_id"]
        measure = measure_of(cat, did)
        wholes = {dim: fact(cat, did, "total", code) for dim, (code, _) in SHARE_OF.items()}
        for row in cat.rows(did, "facts"):
            dim = row.get("dimension")
            if dim not in DIMENSIONS or row.get("measure") != measure or row.get("part") != "total":
                continue
            fig = fact_figure(row)
            if fig is None or not SAFE_ID.match(fig.code):
                continue
            out.setdefault((dim, fig.code), []).append(
                CodeRow(doc, cat.bureaus[doc["bureau_id"]], fig, row.get("level") or "", wholes[dim]))
    for rows in out.values():
        rows.sort(key=lambda r: (-year_number(r.year), r.phase != "budget", -r.fig.value, r.doc["document_id"]))
    out = dict(sorted(out.items()))
    _ROWS.clear()
    _ROWS[id(cat)] = (cat, out)
    return out


def code_name(rows: list[CodeRow]) -> str:
    """The name most documents print for the code (ties: the first in code point order)."""
    counts = Counter(r.fig.name for r in rows if r.fig.name)
    return min(counts, key=lambda n: (-counts[n], n)) if counts else ""


def year_phase_groups(rows: list) -> list[tuple[tuple[str, str], list]]:
    """Rows (or documents) by (year, phase): the groups with the most documents first, then
    the latest year, budget before final."""
    groups: dict[tuple[str, str], list] = {}
    for r in rows:
        d = r.doc if isinstance(r, CodeRow) else r
        groups.setdefault((d.get("year") or "", d.get("phase") or ""), []).append(r)
    return sorted(groups.items(), key=lambda kv: (-len({(x.doc if isinstance(x, CodeRow) else x)["document_id"]
                                                          for x in kv[1]}),
                                                  -year_number(kv[0][0]), kv[0][1] != "budget"))


def default_group(docs: list[dict]) -> tuple[str, str, int] | None:
    """(year, phase, number of documents) of the group of documents compared by default: the
    year and phase with the most documents, the latest year of those."""
    groups = year_phase_groups(docs)
    if not groups:
        return None
    (year, phase), members = groups[0]
    return year, phase, len(members)


def phase_word(phase: str) -> str:
    return PHASES.get(phase, phase)


def filter_html(default: tuple[str, str] | None = None, note: str = "") -> str:
    """The filter box (``table-filter.js`` fills it; without JavaScript it stays empty and every
    row shows): selects for :data:`FILTER_COLUMNS` of the tables after it, the default year and
    phase selected when given."""
    e = lambda s: html.escape(s, quote=True)  # noqa: E731
    attrs = f' data-columns="{e("|".join(FILTER_COLUMNS))}"'
    if default is not None:
        attrs += f' data-default="{e(f"年度={default[0]}|阶段={phase_word(default[1])}")}"'
    if note:
        attrs += f' data-note="{e(note)}"'
    return f'<div class="budget-filter"{attrs}></div>\n\n'


def filter_item(year: str, phase: str, block: str) -> str:
    """``block`` (raw HTML, no blank line) shown by the filters only when its year and phase are
    selected (or 全部)."""
    keys = html.escape(f"年度={year}|阶段={phase_word(phase)}", quote=True)
    return f'<div class="budget-filter-item" data-filter="{keys}">\n{block.rstrip()}\n</div>\n\n'


def province_of(bureau: dict) -> str:
    return bureau.get("province") or ("中央" if bureau.get("level") == "central" else "—")


# ------------------------------------------------------------------------------ charts


def chart_key(dimension: str, code: str) -> str:
    """Key of a code page's charts in ``cat.charts`` (never a bureau id: those have no ``/``)."""
    return f"{CODES_DIR}/{dimension}/{code}"


def all_code_drafts(cat: Catalog) -> dict[str, list[Draft]]:
    """chart key -> the drafts of every code page (:func:`..charts.codes.code_drafts`)."""
    return {chart_key(dim, code): code_drafts(code, code_name(rows), year_phase_groups(rows))
            for (dim, code), rows in code_rows(cat).items()}


def chart_folder(dimension: str, code: str) -> str:
    return f"{CHARTS_DIR}/{CODES_DIR}/{dimension}/{code}"


# ------------------------------------------------------------------------------ pages


def code_pages(cat: Catalog) -> dict[str, str]:
    """src_uri -> Markdown of every code page and the index (none without facts of codes)."""
    rows = code_rows(cat)
    if not rows:
        return {}
    out = {INDEX_URI: index_page(rows)}
    for (dim, code), mine in rows.items():
        out[code_page_uri(dim, code)] = code_page(cat, dim, code, mine, rows)
    return out


def _level_word(dim: str, level: str) -> str:
    return (LEVEL_WORDS if dim == "function" else ECONOMIC_LEVEL_WORDS).get(level, level)


def _parents(dim: str, code: str) -> list[str]:
    return [p for p in ((code[:3], code[:5]) if dim == "function" else (code[:3],)) if len(p) < len(code)]


def _parent(dim: str, code: str, every) -> str | None:
    """The nearest parent code that has a page, or None."""
    found = [p for p in _parents(dim, code) if (dim, p) in every]
    return found[-1] if found else None


def code_page(cat: Catalog, dim: str, code: str, rows: list[CodeRow],
              every: dict[tuple[str, str], list[CodeRow]]) -> str:
    name = code_name(rows)
    level = Counter(r.level for r in rows).most_common(1)[0][0]
    share_code, share_words = SHARE_OF[dim]
    title = f"{code} {name}".strip()
    parts = [front_matter(title, hide=("navigation", "toc")), f"# {esc(title)}\n\n"]
    trail = ["[科目索引](../index.md)", f"{DIMENSIONS[dim]} · {_level_word(dim, level)}"]
    parent = _parent(dim, code, every)
    if parent is not None:
        trail.append(f"上级：[{esc(parent)} {esc(code_name(every[(dim, parent)]))}]({parent}.md)")
    parts.append(" · ".join(trail) + "\n\n")
    children = [c for (d, c) in every if d == dim and _parent(dim, c, every) == code]
    if children:
        parts.append("下级科目：" + "、".join(f"[{esc(c)} {esc(code_name(every[(dim, c)]))}]({c}.md)"
                                          for c in children) + "\n\n")
    groups = year_phase_groups(rows)
    bureaus = {r.bureau["bureau_id"] for r in rows}
    counts = "、".join(f"{y}年{phase_word(p)} {len(g)} 份" for (y, p), g in
                      sorted(groups, key=lambda kv: (-year_number(kv[0][0]), kv[0][1] != "budget")))
    parts.append(f"共 {len(rows)} 份文件（{len(bureaus)} 个部门）印有此科目：{counts}。"
                 f"金额单位：{UNIT}，为各文件自身的口径（预算文件为预算数，决算文件为决算数）；"
                 f"“占比”为该金额占同一文件{share_words}合计的比例。"
                 "点击金额打开原文所在页；点击表头可排序，可按年度、阶段、省份和部门类型筛选。\n\n")
    parts.append(filter_html())
    printed_names = {r.fig.name for r in rows}
    # the amount and its share first: on a phone they show before the table scrolls
    head = ["部门", f"金额（{UNIT}）", f"占{share_words}", "文件", "年度", "阶段", "层级", "省份", "部门类型"] + \
        (["原文名称"] if len(printed_names) > 1 else []) + ["原文"]
    body = []
    for r in rows:
        did, bid = r.doc["document_id"], r.bureau["bureau_id"]
        amount = figure_link(cat, r.doc, r.fig.page, r.fig.amount, fmt_amount(r.fig.amount), "../../")
        source = esc(TABLE_NAMES.get(r.fig.table, r.fig.table))
        page_link = source_page_link(cat, r.doc, r.fig.page, "../../")
        body.append([f"[{esc(r.bureau.get('name') or bid)}](../../bureaus/{bid}.md)", amount + marks(r.fig),
                     share(r.fig.value, r.whole.value if r.whole else None),
                     f"[{esc(r.scope_label)}](../../documents/{did}.md)", esc(r.year), phase_word(r.phase),
                     ADMIN_WORDS.get(r.bureau.get("level") or "", "—"), esc(province_of(r.bureau)),
                     esc(bureau_type(r.bureau.get("name")))]
                    + ([esc(r.fig.name)] if len(printed_names) > 1 else [])
                    + [source + (f" {page_link}" if page_link else "")])
    parts.append("## 各文件的金额\n\n" + md_table(head, body, "lrr") + "\n"
                 + f"[下载本表 CSV]({code}.csv)（{len(rows)} 行，与上表相同）。"
                 + f"“占{share_words}”的分母为该文件的{share_words}合计（无此数字时为空）。"
                 + marks_note([r.fig for r in rows]) + "\n\n")
    charts = cat.charts.get(chart_key(dim, code), [])
    if charts:
        base = f"../../../{chart_folder(dim, code)}/"
        parts.append("## 图表\n\n每张图只比较同一年度、同一阶段的文件。\n\n")
        for c in charts:
            year, phase = c.slug.split("-", 1)
            parts.append(filter_item(year, phase, chart_html(c, base)))
    sources = {}
    for r in sorted(rows, key=lambda r: (r.bureau.get("name") or "", r.doc["document_id"])):
        where = esc(TABLE_NAMES.get(r.fig.table, r.fig.table)) + (f" 第 {r.fig.page} 页" if r.fig.page else "")
        sources.setdefault(r.doc["document_id"], (r, []))[1].append(where)
    parts.append("## 来源\n\n" + "\n".join(
        f"- [{esc(r.bureau.get('name') or r.bureau['bureau_id'])} {esc(r.scope_label)}](../../documents/{did}.md)："
        f"{'、'.join(dict.fromkeys(where))}"
        for did, (r, where) in sources.items()) + "\n")
    return "".join(parts)


def index_page(rows: dict[tuple[str, str], list[CodeRow]]) -> str:
    parts = [front_matter("科目索引", hide=("navigation",)), "# 科目索引\n\n",
             "各文件印出的每个支出功能分类科目（类、款、项）和支出经济分类科目（类、款）一页："
             "列出印有该科目的全部文件及其金额，可按年度、阶段、省份和部门类型筛选比较。\n\n"]
    for dim, words in DIMENSIONS.items():
        codes = [(c, r) for (d, c), r in rows.items() if d == dim]
        if not codes:
            continue
        parts.append(f"## {words}\n\n")
        by_class: dict[str, list] = {}
        for c, r in codes:
            by_class.setdefault(c[:3], []).append((c, r))
        for cls, members in by_class.items():
            cls_name = code_name(rows[(dim, cls)]) if (dim, cls) in rows else ""
            parts.append(f"### {esc(cls)} {esc(cls_name)}\n\n")
            body = [[f"[{esc(c)}]({dim}/{c}.md)", esc(code_name(r)), str(len(r)),
                     _level_word(dim, Counter(x.level for x in r).most_common(1)[0][0])] for c, r in members]
            parts.append(md_table(["科目编码", "名称", "文件数", "级次"], body, "llrl") + "\n")
    return "".join(parts)


# ------------------------------------------------------------------------------ files


def code_files(cat: Catalog) -> dict[str, str]:
    """The CSV of each code page's table (``codes/<dimension>/<code>.csv``) and its charts' SVG
    and CSV."""
    out: dict[str, str] = {}
    for (dim, code), rows in code_rows(cat).items():
        out[f"{CODES_DIR}/{dim}/{code}.csv"] = code_csv(dim, rows)
        for c in cat.charts.get(chart_key(dim, code), []):
            out.update(c.files(chart_folder(dim, code)))
    return out


def code_csv(dim: str, rows: list[CodeRow]) -> str:
    """Exactly the rows of the page's table, amounts as in the package."""
    share_code = SHARE_OF[dim][0]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["document_id", "bureau_id", "bureau", "year", "phase", "scope", "level", "province",
                "bureau_type", "dimension", "code", "name", "amount", "share_of", "share_of_amount", "share",
                "source_table", "source_page", "basis"])
    for r in rows:
        w.writerow([r.doc["document_id"], r.bureau["bureau_id"], r.bureau.get("name") or "", r.year, r.phase,
                    r.doc.get("scope") or "", r.bureau.get("level") or "", r.bureau.get("province") or "",
                    bureau_type(r.bureau.get("name")), dim, r.fig.code, r.fig.name, r.fig.amount, share_code,
                    r.whole.amount if r.whole else "", share(r.fig.value, r.whole.value if r.whole else None),
                    r.fig.table, "" if r.fig.page is None else r.fig.page, r.fig.basis])
    return buf.getvalue()
