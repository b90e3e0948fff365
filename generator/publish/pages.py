"""Publish stage: Frictionless data packages -> Markdown pages -> the MkDocs site.

Input: a package tree as in /work/shared/DATA-CONTRACT.md (``datapackages/all/*.csv`` plus one
folder per document). Nothing else from the pipeline is read (one-way).
Output: generated Markdown pages and copied package files, handed to MkDocs by the hook
``site_src/hooks/budget_pages.py``; ``build_site`` runs the real MkDocs build.

Every text taken from a document goes through :func:`esc` (HTML and Markdown specials become
numeric character references), so a printed name can never become markup, a link or a
template expression on the page.
"""
from __future__ import annotations

import csv
import html
import json
import multiprocessing
import os
import re
import subprocess
import sys
import hashlib
import io
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MKDOCS_YML = REPO / "mkdocs.yml"
ENV_VAR = "BUDGET_DATAPACKAGES"
DOCUMENTS_ENV_VAR = "BUDGET_DOCUMENTS"  # the source files, copied into the site under sources/

#: resources of the contract, in the order the data page lists them
RESOURCES = ("documents", "bureaus", "tables", "function_expenditure", "economic_expenditure",
             "summary", "three_public", "projects", "performance_targets", "checks",
             "narrative", "glossary")

#: every column this stage reads, per resource of ``all/`` (the package stage must keep them;
#: tests/test_publish.py checks the fixture and, when present, the committed ``datapackages/``).
#: Rows are shown in file order. From each package folder every ``*.csv`` / ``*.json`` is
#: copied to ``data/<folder>/``, and ``datapackage.json`` ``resources[].path`` is listed.
READS = {
    "documents": ("document_id", "bureau_id", "title", "year", "phase", "scope", "source_files",
                  "source_unit"),
    "bureaus": ("bureau_id", "name", "province", "prefecture", "county", "level", "division_code"),
    "tables": ("document_id", "table", "title", "source_page", "rows", "empty", "empty_reason"),
    "function_expenditure": ("document_id", "table", "code", "name", "level", "total", "basic",
                             "project"),
    "economic_expenditure": ("document_id", "table", "code", "name", "level", "total", "personnel",
                             "public"),
    "summary": ("document_id", "table", "side", "item", "amount"),
    "three_public": ("document_id", "item", "measure", "amount", "table"),
    "projects": ("document_id", "project", "unit", "amount"),
    "performance_targets": ("document_id", "project", "level1", "level2", "indicator", "target",
                            "actual"),
    "checks": ("document_id", "check", "status", "table", "expected", "actual", "message"),
    "narrative": ("document_id", "topic", "amount", "sentence"),
    "glossary": ("document_id", "term", "definition"),
}

PHASES = {"budget": "预算", "final": "决算"}
SCOPES = {"department": "部门", "unit": "单位"}
LEVELS = {"central": "中央", "province": "省级", "prefecture": "市级", "county": "县级"}
SIDES = {"income": "收入", "expenditure": "支出"}
THREE_PUBLIC_ITEMS = {"overseas_travel": "因公出国（境）费", "vehicle_purchase": "公务用车购置费",
                      "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费",
                      "total": "合计"}
CHECK_STATUS = {"pass": "通过", "fail": "未通过", "repaired": "已修复", "rounding": "尾差",
                "not_applicable": "不适用", "insufficient_data": "数据不足"}
#: statuses counted as passed in "N/M 项检查通过"; the others count in M except these:
PASSED = {"pass", "rounding"}
NOT_COUNTED = {"not_applicable", "insufficient_data"}
#: canonical table ids in display order (DATA-CONTRACT.md); unknown ids follow
TABLE_ORDER = ("summary", "income", "expenditure", "fiscal_summary", "general_public_function",
               "general_public_economic", "basic_economic", "project_economic", "government_fund",
               "state_capital", "three_public", "operating_costs", "procurement", "purchased_services", "projects",
               "performance_targets", "assets", "narrative")
TABLE_NAMES = {"summary": "收支总表", "income": "收入总表", "expenditure": "支出总表",
               "fiscal_summary": "财政拨款收支总表", "general_public_function": "一般公共预算支出表（功能分类）",
               "general_public_economic": "一般公共预算支出表（经济分类）",
               "basic_economic": "一般公共预算基本支出表",
               "project_economic": "一般公共预算项目支出表（经济分类）", "government_fund": "政府性基金预算支出表",
               "state_capital": "国有资本经营预算支出表", "three_public": "“三公”经费支出表",
               "operating_costs": "机关运行经费", "procurement": "政府采购", "purchased_services": "政府购买服务",
               "projects": "项目支出表", "performance_targets": "绩效目标表", "assets": "国有资产占用情况表",
               "narrative": "情况说明（文字）"}
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


# ------------------------------------------------------------------------------ formatting


#: Markdown / Jinja / extension syntax; `-`, `+` and `.` only matter at a line start, where
#: escaped text never stands (cells and headings start with `|`, `#` or a label)
_ESCAPES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#!|~^$=%:\"'"}
_ESCAPES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def esc(text: object) -> str:
    """Text of a document as inert page text: HTML-escaped, Markdown and Jinja specials as
    character references, newlines as spaces. ``esc('[x](y)')`` shows ``[x](y)`` literally."""
    s = re.sub(r"\s+", " ", "" if text is None else str(text)).strip()
    return "".join(_ESCAPES.get(c, c) for c in s)


def parse_amount(value: str | None) -> Decimal | None:
    """A contract amount (exact decimal in 万元) or None for an empty cell."""
    if value is None or value.strip() == "":
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None


def fmt_amount(value: Decimal | str | None) -> str:
    """Chinese-style figure: thousands separators, at least two decimals, never rounded.

    ``fmt_amount('3654.18') == '3,654.18'``, ``fmt_amount('202.15284') == '202.15284'``,
    ``fmt_amount('89') == '89.00'``, empty -> ''.
    """
    if isinstance(value, str):
        value = parse_amount(value)
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{value.normalize():,f}"
    return f"{value:,.2f}"


def md_table(header: list[str], rows: list[list[str]], align: str = "") -> str:
    """A Markdown pipe table; cells must already be escaped (or be trusted markup).

    ``align`` has one letter per column: ``l`` or ``r`` (numbers)."""
    align = align.ljust(len(header), "l")
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(c if c != "" else " " for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def check_id(kind: str, value: str, source: Path) -> str:
    """document_id / bureau_id become URLs and folder names: ASCII slugs only."""
    if not SAFE_ID.match(value or ""):
        raise ValueError(f"{source}: {kind} {value!r} is not an ASCII slug "
                         f"(DATA-CONTRACT.md: letters, digits, '.', '_', '-')")
    return value


# ------------------------------------------------------------------------------- loading


@dataclass
class Catalog:
    """The package tree as read from disk: rows of ``all/`` keyed by resource, grouped by
    document, plus the folders of the per-document packages."""

    root: Path
    documents: list[dict] = field(default_factory=list)
    bureaus: dict[str, dict] = field(default_factory=dict)
    by_document: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)  # folder names, "all" first
    documents_dir: Path | None = None  # where the source files are, to publish them
    build_status: list[dict] = field(default_factory=list)  # status.json of the build, if any
    #: work done once per build for many pages: drawn charts by bureau (None: comparison),
    #: the source files published
    charts: dict[str | None, list] = field(default_factory=dict, repr=False)
    published_sources: set[str] | None = field(default=None, repr=False)
    #: downloads being made in other processes: (future, package folder, file) (:func:`download_files`)
    pending_downloads: list = field(default_factory=list, repr=False)
    #: check id -> what it checks, in Chinese (``all/check_definitions.csv``)
    check_definitions: dict[str, str] = field(default_factory=dict)

    def document(self, document_id: str) -> dict:
        return next(d for d in self.documents if d["document_id"] == document_id)

    def rows(self, document_id: str, resource: str) -> list[dict]:
        return self.by_document.get(document_id, {}).get(resource, [])

    def documents_of(self, bureau_id: str) -> list[dict]:
        docs = [d for d in self.documents if d["bureau_id"] == bureau_id]
        return sorted(docs, key=lambda d: (-_int(d["year"]), d["phase"], d["scope"], d["document_id"]))

    def csv_path(self, package: str, resource: str) -> Path | None:
        path = self.root / package / f"{resource}.csv"
        return path if path.is_file() else None


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_catalog(root: Path) -> Catalog:
    """Read ``root/all/*.csv`` and list the package folders; missing optional resources
    (anything but documents and bureaus) read as empty."""
    root = Path(root)
    cat = Catalog(root=root)
    all_dir = root / "all"
    if not (all_dir / "documents.csv").is_file():
        raise FileNotFoundError(f"{all_dir / 'documents.csv'}: no data packages here "
                                f"(set {ENV_VAR} or run the package stage)")
    cat.documents = read_csv(all_dir / "documents.csv")
    for d in cat.documents:
        check_id("document_id", d["document_id"], all_dir / "documents.csv")
        check_id("bureau_id", d["bureau_id"], all_dir / "documents.csv")
    cat.documents.sort(key=lambda d: (d["bureau_id"], -_int(d["year"]), d["phase"], d["document_id"]))
    for b in read_csv(all_dir / "bureaus.csv"):
        cat.bureaus[check_id("bureau_id", b["bureau_id"], all_dir / "bureaus.csv")] = b
    for d in cat.documents:  # a document whose bureau row is missing still gets a page
        cat.bureaus.setdefault(d["bureau_id"], {"bureau_id": d["bureau_id"], "name": d["bureau_id"]})
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for resource in RESOURCES[2:]:
        path = all_dir / f"{resource}.csv"
        if path.is_file():
            for row in read_csv(path):
                grouped[row.get("document_id", "")][resource].append(row)
    cat.by_document = {k: dict(v) for k, v in grouped.items()}
    folders = sorted(p.name for p in root.iterdir()
                     if p.is_dir() and (p / "datapackage.json").is_file() and p.name != "all")
    for name in folders:
        check_id("package folder", name, root / name)
    cat.packages = ["all"] * (all_dir / "datapackage.json").is_file() + folders
    if (all_dir / "check_definitions.csv").is_file():
        cat.check_definitions = {r.get("check", ""): r.get("description", "")
                                 for r in read_csv(all_dir / "check_definitions.csv")}
    return cat


# ------------------------------------------------------------------------------- figures


def check_counts(cat: Catalog, document_id: str) -> tuple[int, int, int]:
    """(passed, counted, failed) over checks.csv rows of the document."""
    statuses = [r.get("status", "") for r in cat.rows(document_id, "checks")]
    counted = [s for s in statuses if s not in NOT_COUNTED]
    return (sum(s in PASSED for s in counted), len(counted), sum(s == "fail" for s in counted))


def check_label(cat: Catalog, document_id: str) -> str:
    passed, counted, failed = check_counts(cat, document_id)
    if counted == 0:
        return "无检查"
    label = f"{passed}/{counted} 项检查通过"
    return label + (f"（{failed} 项未通过）" if failed else "")


def spending_total(cat: Catalog, document_id: str) -> tuple[Decimal | None, str]:
    """The document's total spending and where it comes from.

    Order: 本年支出合计 of the summary table; else the sum of class rows (类) of the
    支出总表, else of the 一般公共预算支出表 (then labelled 一般公共预算)."""
    for line in cat.rows(document_id, "summary"):
        if line.get("table") == "summary" and line.get("side") == "expenditure" \
                and re.sub(r"\s", "", line.get("item", "")) in ("本年支出合计", "支出合计"):
            amount = parse_amount(line.get("amount"))
            if amount is not None:
                return amount, "支出合计"
    for table, label in (("expenditure", "支出合计"), ("general_public_function", "一般公共预算支出")):
        classes = [parse_amount(r.get("total")) for r in cat.rows(document_id, "function_expenditure")
                   if r.get("table") == table and r.get("level") == "class"]
        classes = [a for a in classes if a is not None]
        if classes:
            return sum(classes, Decimal(0)), label
    return None, ""


def region(bureau: dict) -> str:
    parts = [bureau.get(k) or "" for k in ("province", "prefecture", "county")]
    parts = [p for i, p in enumerate(parts) if p and p not in parts[:i]]
    return " ".join(parts)


def table_title(cat: Catalog, document_id: str, table: str) -> str:
    for t in cat.rows(document_id, "tables"):
        if t.get("table") == table and t.get("title"):
            return t["title"]
    return TABLE_NAMES.get(table, table)


def _by_table(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r.get("table") or ""].append(r)
    order = {t: i for i, t in enumerate(TABLE_ORDER)}
    return sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


# --------------------------------------------------------------------------------- pages


def doc_label(doc: dict) -> str:
    return f"{doc.get('year', '')}年{SCOPES.get(doc.get('scope'), '')}{PHASES.get(doc.get('phase'), '')}"


def front_matter(title: str, hide: tuple[str, ...] = (), search_boost: float | None = None) -> str:
    """YAML front matter; ``hide`` names Material's sidebars to hide (``navigation``, ``toc``)
    on pages whose wide tables need the room; ``search_boost`` below 1 ranks the page lower in
    Material's search (reference pages, so that a query finds the figures first)."""
    # JSON strings are valid YAML; the title is shown by the theme, so it is escaped too
    hidden = "".join(f"  - {h}\n" for h in hide)
    return (f"---\ntitle: {json.dumps(html.escape(title), ensure_ascii=False)}\n"
            + (f"hide:\n{hidden}" if hidden else "")
            + (f"search:\n  boost: {search_boost}\n" if search_boost is not None else "") + "---\n\n")


def csv_link(cat: Catalog, document_id: str, resource: str, prefix: str) -> str:
    """Markdown link to the per-document package CSV (copied to ``data/<id>/``), or ''."""
    package = document_id if document_id in cat.packages else None
    if package is None or cat.csv_path(package, resource) is None:
        return ""
    return f"[下载 CSV（{resource}.csv）]({prefix}data/{document_id}/{resource}.csv)"


# ---------------------------------------------------------------------------- charts

CHARTS_DIR = "charts"  # charts/<bureau_id>/<slug>.svg|.csv, charts/comparison/<slug>.svg|.csv


def charts_of(cat: Catalog, bureau_id: str | None) -> list:
    """The charts of a bureau page (or of the comparison page for None), drawn once per build."""
    from . import charts  # Altair and vl-convert load only when a site is built

    if bureau_id not in cat.charts:
        cat.charts[bureau_id] = charts.comparison_charts(cat) if bureau_id is None \
            else charts.bureau_charts(cat, bureau_id)
    return cat.charts[bureau_id]


def chart_html(chart, href_base: str) -> str:
    from . import charts
    return charts.chart_html(chart, href_base)


# ------------------------------------------------------------------------ provenance

TABLE_RESOURCES = ("summary", "function_expenditure", "economic_expenditure", "three_public", "projects")


def source_names(doc: dict) -> list[tuple[str, str]]:
    """(original file name, sha256) of each source file of a document."""
    names = [n for n in (doc.get("source_files") or "").split(";") if n]
    shas = (doc.get("source_sha256") or "").split(";")
    return list(zip(names, shas + [""] * (len(names) - len(shas))))


def source_uri(doc: dict, index: int) -> str:
    """Stable site path of a document's source file: ``sources/<document_id>[-<n>].<ext>``."""
    names = source_names(doc)
    suffix = Path(names[index][0]).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""
    tail = f"-{index + 1}" if len(names) > 1 else ""
    return f"sources/{doc['document_id']}{tail}{suffix}"


def source_files(cat: Catalog) -> dict[str, Path]:
    """Source files copied into the site, only where the file on disk is the one the package
    was built from (same sha256): a page never links a different file than it describes."""
    out: dict[str, Path] = {}
    if cat.documents_dir is None:
        return out
    for doc in cat.documents:
        for i, (name, sha) in enumerate(source_names(doc)):
            path = cat.documents_dir / name
            if path.is_file() and "/" not in name and hashlib.sha256(path.read_bytes()).hexdigest() == sha:
                out[source_uri(doc, i)] = path
    return out


def _published_sources(cat: Catalog) -> set[str]:
    if cat.published_sources is None:
        cat.published_sources = set(source_files(cat))
    return cat.published_sources


def source_page_link(cat: Catalog, doc: dict, page: str | int | None, prefix: str) -> str:
    """``第 N 页`` linked to the page of the source PDF (``#page=N``), or the source file."""
    page = str(page or "").strip()
    label = f"第 {esc(page)} 页" if page.isdigit() else "原文"
    uri = source_uri(doc, 0) if source_names(doc) else ""
    if not uri or uri not in _published_sources(cat):
        return label if page.isdigit() else ""
    anchor = f"#page={page}" if page.isdigit() and uri.endswith(".pdf") else ""
    return f"[{label}]({prefix}{uri}{anchor})"


def sources_line(cat: Catalog, doc: dict, prefix: str) -> str:
    links = []
    for i, (name, _) in enumerate(source_names(doc)):
        uri = source_uri(doc, i)
        if uri in _published_sources(cat):
            links.append(f"[{esc(name)}]({prefix}{uri}){{ .source-link }}")
        else:
            links.append(esc(name))
    return "、".join(links)


def package_version(cat: Catalog, package: str) -> str:
    try:
        return str(json.loads((cat.root / package / "datapackage.json").read_text(encoding="utf-8"))
                   .get("version") or "")
    except (OSError, ValueError):
        return ""


def citation(cat: Catalog, doc: dict, page_path: str) -> str:
    """A "如何引用" block: source document, publisher, page, data version."""
    b = cat.bureaus[doc["bureau_id"]]
    version = package_version(cat, doc["document_id"])
    files = "、".join(esc(n) for n, _ in source_names(doc))
    text = (f"{esc(b.get('name'))}：《{esc(doc.get('title'))}》，{esc(doc.get('year'))} 年，原文文件 {files}。"
            f"转引自：医疗保障局预决算公开数据，数据包 `{doc['document_id']}`"
            + (f"（数据版本 {esc(version)}）" if version else "") + f"，页面 `{page_path}`。")
    return ("### 如何引用\n\n" + f"> {text}\n\n"
            "引用具体数字时请同时注明表格名称和原文页码（见各表标题下的“原文”链接）。\n\n")


def table_rows_csv(cat: Catalog, document_id: str, resource: str, table: str) -> str | None:
    """The rows of one table of a per-document package CSV, header included, same bytes
    per row as the package (comma, minimal quoting, ``\\n``)."""
    path = cat.csv_path(document_id, resource)
    if path is None:
        return None
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header or "table" not in header:
            return None
        i = header.index("table")
        rows = [r for r in reader if len(r) > i and r[i] == table]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def table_csv_uri(document_id: str, resource: str, table: str) -> str:
    return f"data/{document_id}/tables/{resource}-{table}.csv"


def table_files(cat: Catalog) -> dict[str, str]:
    """One CSV per table of every document (the rows of exactly that table)."""
    out = {}
    for doc in cat.documents:
        did = doc["document_id"]
        if did not in cat.packages:
            continue
        for resource in TABLE_RESOURCES:
            for table in sorted({r.get("table") or "" for r in cat.rows(did, resource)}):
                if SAFE_ID.match(table):
                    text = table_rows_csv(cat, did, resource, table)
                    if text is not None:
                        out[table_csv_uri(did, resource, table)] = text
    return out


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


def home_listing(cat: Catalog, prefix: str = "") -> str:
    """The table of every document shown on the home page."""
    rows = []
    for d in cat.documents:
        b = cat.bureaus[d["bureau_id"]]
        total, label = spending_total(cat, d["document_id"])
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
    years = sorted({_int(d.get("year")) for d in cat.documents if _int(d.get("year"))})
    provinces = sorted({b.get("province") for b in cat.bureaus.values() if b.get("province")})
    span = f"{years[0]}–{years[-1]} 年" if len(years) > 1 else (f"{years[0]} 年" if years else "")
    text = (f"共 **{len(cat.bureaus)}** 个部门、**{len(cat.documents)}** 份文件，覆盖 **{len(years)}** 个年度"
            f"（{span}）、**{len(provinces)}** 个省份（{'、'.join(esc(p) for p in provinces)}）。金额单位：万元。\n\n")
    groups: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for d in cat.documents:
        total, _ = spending_total(cat, d["document_id"])
        if total is not None:
            groups[(_int(d.get("year")), d.get("phase") or "")].append(total)
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


# ---------------------------------------------------------------------- comparison

CLASS_COLUMNS = ("201", "208", "210", "221")  # the classes a 医疗保障局 spends in; the rest is 其他


def _sum(rows: list[dict], column: str) -> Decimal | None:
    values = [parse_amount(r.get(column)) for r in rows]
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


def document_figures(cat: Catalog, document_id: str) -> dict[str, Decimal | None]:
    """The figures the comparison page puts side by side, chosen as the charts choose them
    (generator/charts.py: printed 合计 rows first, the 情况说明 text where no table prints them)."""
    from . import charts

    def value(fig) -> Decimal | None:
        return fig.value if fig is not None else None

    split = charts.basic_project(cat, document_id)
    basic, project = split if split else (None, None)
    total = value(charts.total_spending(cat, document_id))
    if basic is not None and basic.table != "narrative":  # the total of the table the parts come from
        total = value(charts.printed_total(cat, document_id, basic.table)) or total
    personnel, public = charts.personnel_public(cat, document_id) or (None, None)
    measure = "final" if cat.document(document_id).get("phase") == "final" else "budget"
    three_public = next((parse_amount(r.get("amount")) for r in cat.rows(document_id, "three_public")
                         if r.get("item") == "total" and r.get("measure") == measure), None)
    classes = [r for r in charts.function_classes(cat, document_id) if r.get("table") != "narrative"]
    by_code = {r.get("code"): parse_amount(r.get("total")) for r in classes}
    class_total = _sum(classes, "total")
    listed = sum((v for c, v in by_code.items() if c in CLASS_COLUMNS and v is not None), Decimal(0))
    return {"total": total, "basic": value(basic), "project": value(project),
            "personnel": value(personnel), "public": value(public), "three_public": three_public,
            **{code: by_code.get(code) for code in CLASS_COLUMNS}, "class_total": class_total,
            "other": class_total - listed if class_total is not None else None}


def share(part: Decimal | None, whole: Decimal | None) -> str:
    from .charts import percent
    return percent(part, whole) if part is not None and whole is not None else ""


def comparison_page(cat: Catalog) -> str:
    """Every document side by side: totals, shares by function class, basic/project,
    personnel/public, "三公" — as sortable tables (and charts when given)."""
    parts = [front_matter("部门比较", hide=("navigation", "toc")), "# 部门比较\n\n",
             "各部门、各年度的预算和决算并列比较。金额单位：万元；占比按一般公共预算支出表（无此表时按支出总表）"
             "各类之和计算。点击表头可排序。\n\n"]
    figures = charts_of(cat, None)
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


def bureaus_index_page(cat: Catalog) -> str:
    rows = []
    for bid, b in sorted(cat.bureaus.items(), key=lambda kv: (region(kv[1]), kv[0])):
        docs = cat.documents_of(bid)
        rows.append([f"[{esc(b.get('name'))}]({bid}.md)", esc(region(b)),
                     esc(LEVELS.get(b.get("level") or "", b.get("level") or "")),
                     esc(b.get("division_code")), "、".join(esc(doc_label(d)) for d in docs)])
    return (front_matter("部门") + "# 部门\n\n"
            + md_table(["部门", "地区", "级次", "区划代码", "文件"], rows))


def _no_search(search: bool) -> str:
    """attr_list suffix that keeps a section out of Material's search index (used on document
    pages for the tables the bureau page already shows, so each figure is found once)."""
    return "" if search else " { data-search-exclude }"


def class_sums(rows: list[dict], columns: tuple[str, ...]) -> list[str] | None:
    """Formatted sums of the class rows (类) per column, or None without class rows."""
    classes = [r for r in rows if r.get("level") == "class"]
    if not classes:
        return None
    sums = []
    for col in columns:
        values = [parse_amount(r.get(col)) for r in classes]
        values = [v for v in values if v is not None]
        sums.append(fmt_amount(sum(values, Decimal(0))) if values else "")
    return sums


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
    for table, rows in _by_table(cat.rows(document_id, resource)):
        body = [[esc(r.get("code")),
                 "　" * (int(r.get("level") == "item") if economic else _INDENT.get(r.get("level"), 0))
                 + esc(r.get("name")), *(fmt_amount(r.get(c)) for c in columns)] for r in rows]
        sums = class_sums(rows, columns)
        if sums:
            body.append(["", "合计（各类之和）", *sums])
        out.append(table_heading(cat, document_id, resource, table, prefix, not search)
                   + md_table(["科目编码", "科目名称", *headers], body, "llrrr"))
    if not out:
        return ""
    return (f"### {heading}{_no_search(search)}\n\n" + "\n".join(out) + "\n"
            + csv_link(cat, document_id, resource, prefix) + "\n\n")


def function_section(cat: Catalog, document_id: str, prefix: str, search: bool = True) -> str:
    return coded_section(cat, document_id, prefix, "function_expenditure", search)


def economic_section(cat: Catalog, document_id: str, prefix: str, search: bool = True) -> str:
    return coded_section(cat, document_id, prefix, "economic_expenditure", search)


def summary_section(cat: Catalog, document_id: str, prefix: str, search: bool = True) -> str:
    out = []
    for table, rows in _by_table(cat.rows(document_id, "summary")):
        if search:  # the bureau page: lines with a figure; the document page shows every line
            rows = [r for r in rows if (r.get("amount") or "").strip()]
        body = [[SIDES.get(r.get("side"), esc(r.get("side"))), esc(r.get("item")), fmt_amount(r.get("amount"))]
                for r in rows]
        out.append(table_heading(cat, document_id, "summary", table, prefix, not search)
                   + md_table(["收/支", "项目", "金额"], body, "llr"))
    if not out:
        return ""
    return (f"### 收支总表（万元）{_no_search(search)}\n\n" + "\n".join(out) + "\n"
            + csv_link(cat, document_id, "summary", prefix) + "\n\n")


def three_public_section(cat: Catalog, document_id: str, prefix: str, search: bool = True) -> str:
    rows = cat.rows(document_id, "three_public")
    empty = [t for t in cat.rows(document_id, "tables") if t.get("table") == "three_public"
             and t.get("empty") == "true"]
    if not rows and not empty:
        return ""
    measures = [m for m in ("budget", "final") if any(r.get("measure") == m for r in rows)]
    values = {(r.get("item"), r.get("measure")): r.get("amount") for r in rows}
    items = [i for i in THREE_PUBLIC_ITEMS if any(r.get("item") == i for r in rows)]
    items += sorted({r.get("item") for r in rows} - set(items))
    text = f"### “三公”经费（万元）{_no_search(search)}\n\n"
    if empty:
        text += f"原表为空表：{esc(empty[0].get('empty_reason') or '无数据')}\n\n"
    if rows:
        body = [[THREE_PUBLIC_ITEMS.get(i, esc(i))] + [fmt_amount(values.get((i, m))) for m in measures]
                for i in items]
        sources = sorted({r.get("table") or "three_public" for r in rows})
        if sources == ["narrative"]:
            text += "以下数字摘自情况说明文字。\n\n"
        text += md_table(["项目"] + [PHASES[m] + "数" for m in measures], body, "l" + "r" * len(measures))
        text += "\n" + csv_link(cat, document_id, "three_public", prefix) + "\n"
    return text + "\n"


def document_heading(cat: Catalog, doc: dict, prefix: str, level: str) -> str:
    did = doc["document_id"]
    total, label = spending_total(cat, did)
    lines = [f"{level} {esc(doc_label(doc))}：{esc(doc.get('title'))}\n",
             f"- 文件编号：`{did}`" if SAFE_ID.match(did) else "",
             f"- {label or '支出合计'}：{fmt_amount(total) or '—'} 万元",
             f"- 核对：{esc(check_label(cat, did))}",
             f"- 原文：{sources_line(cat, doc, prefix)}（原表金额单位：{esc(doc.get('source_unit'))}）",
             f"- [文件全部表格]({prefix}documents/{did}.md) · "
             f"[数据包 datapackage.json]({prefix}data/{did}/datapackage.json)"
             if did in cat.packages else f"- [文件全部表格]({prefix}documents/{did}.md)"]
    return "\n".join(x for x in lines if x) + "\n\n"


def bureau_page(cat: Catalog, bureau_id: str) -> str:
    b = cat.bureaus[bureau_id]
    name = b.get("name") or bureau_id
    short = name.replace("医疗保障局", "医保局") if "医疗保障局" in name else ""
    facts = [f"- 简称：{esc(short)}" if short else "",
             f"- 地区：{esc(region(b)) or '—'}",
             f"- 级次：{esc(LEVELS.get(b.get('level') or '', b.get('level') or '—'))}",
             f"- 行政区划代码：{esc(b.get('division_code')) or '—'}"]
    parts = [front_matter(name), f"# {esc(name)}\n\n", "\n".join(f for f in facts if f), "\n\n金额单位：万元。\n\n"]
    figures = charts_of(cat, bureau_id)
    if figures:
        parts.append("## 图表\n\n" + "\n\n".join(chart_html(c, f"../../{CHARTS_DIR}/{bureau_id}/") for c in figures)
                     + "\n\n")
    for doc in cat.documents_of(bureau_id):
        did = doc["document_id"]
        parts.append(document_heading(cat, doc, "../", "##"))
        parts += [summary_section(cat, did, "../"), function_section(cat, did, "../"),
                  economic_section(cat, did, "../"), three_public_section(cat, did, "../")]
    return "".join(parts)


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
    body = [[fmt_amount(r.get(f)) if kind == "n" else esc(r.get(f)) for f, _, kind in columns]
            for r in rows]
    align = "".join("r" if kind == "n" else "l" for _, _, kind in columns)
    return (f"### {heading}\n\n" + md_table([h for _, h, _ in columns], body, align) + "\n"
            + csv_link(cat, document_id, resource, prefix) + "\n\n")


#: generated pages that mkdocs.yml lists in its nav (the others are reached by links)
NAV_PAGES = ("bureaus/index.md", "comparison.md", "data.md", "checks.md", "glossary.md", "dictionary.md",
             "changelog.md")
CHECKS_PAGE = "checks.md"  # the page that explains every check id (generator/reference.py)


def check_link(check: str, prefix: str) -> str:
    """A check id linked to its rule; it may wrap only after a ``.`` or ``_`` (``<wbr>``), so a
    narrow column shows ``cross.`` / ``summary_`` / ``vs_income``, never ``cross.su`` / ``mmary``."""
    cid = check or ""
    if not re.fullmatch(r"[a-z0-9_.]+", cid):
        return esc(cid)
    label = re.sub(r"([._])", r"\1<wbr>", cid)
    return f'[<code class="check-id">{label}</code>]({prefix}{CHECKS_PAGE}#{cid})'


def checks_summary(cat: Catalog, document_id: str) -> str:
    passed, counted, failed = check_counts(cat, document_id)
    if not counted:
        return ""
    return (f"**数据质量：{passed}/{counted} 项检查通过"
            + (f"，{failed} 项未通过" if failed else "") + "**，详见[本页“数据质量”](#quality)。\n\n")


def checks_section(cat: Catalog, document_id: str, prefix: str) -> str:
    """The quality report: N of M checks pass, then every failure and repair with expected and
    actual figures, table and source page, then the results counted by rule (every single
    result, passes included, is in the document's checks.csv, linked)."""
    rows = cat.rows(document_id, "checks")
    if not rows:
        return "## 数据质量 { #quality }\n\n未运行任何检查。\n\n"
    doc = cat.document(document_id)
    statuses = Counter(r.get("status") for r in rows)
    counts = "，".join(f"{CHECK_STATUS.get(k, k)} {statuses[k]} 项" for k in CHECK_STATUS if statuses.get(k))
    text = [f"## 数据质量 {{ #quality }}\n\n**{esc(check_label(cat, document_id))}**（{counts}）。"
            f"“不适用”和“数据不足”不计入检查数。每项检查的含义见[核对规则]({prefix}{CHECKS_PAGE})。\n\n"]

    def detail(status: str, heading: str) -> None:
        found = [r for r in rows if r.get("status") == status]
        if not found:
            return
        body = [[check_link(r.get("check"), prefix), esc(TABLE_NAMES.get(r.get("table") or "", r.get("table"))),
                 esc(r.get("expected")), esc(r.get("actual")), source_page_link(cat, doc, r.get("source_page"), prefix),
                 esc(r.get("message"))] for r in found]
        text.append(f"### {heading}\n\n" + md_table(["检查", "表", "应为", "实为", "原文页", "说明"], body) + "\n")

    detail("fail", f"未通过（{statuses.get('fail', 0)} 项）")
    detail("repaired", f"已修复（{statuses.get('repaired', 0)} 项）：发布的是修复后的数字")
    # by rule, not row by row: a row per result made this table ~2/3 of a document page (and of
    # its build time) while saying "通过" a few hundred times
    by_rule = Counter((r.get("check") or "", r.get("status")) for r in rows)
    shown = [k for k in CHECK_STATUS if statuses.get(k)]
    body = [[check_link(cid, prefix), esc(cat.check_definitions.get(cid, ""))]
            + [str(by_rule[(cid, k)] or "") for k in shown]
            for cid in sorted({c for c, _ in by_rule})]
    text.append("### 各项检查（按规则汇总） { data-search-exclude }\n\n"
                f"本文件共 {len(rows)} 条检查结果，下表按规则计数。每一条结果（包括通过的）及其应为、实为的数字"
                f"都在本文件的 checks.csv 中：{csv_link(cat, document_id, 'checks', prefix)}。\n\n"
                + md_table(["检查", "含义", *(CHECK_STATUS[k] for k in shown)], body, "ll" + "r" * len(shown))
                + "\n")
    return "".join(text)


def document_page(cat: Catalog, document_id: str) -> str:
    doc = next(d for d in cat.documents if d["document_id"] == document_id)
    b = cat.bureaus[doc["bureau_id"]]
    title = f"{b.get('name') or doc['bureau_id']} {doc_label(doc)}"
    p = "../"
    return "".join([
        front_matter(title), f"# {esc(title)}\n\n",
        f"[返回部门页：{esc(b.get('name'))}]({p}bureaus/{doc['bureau_id']}.md)\n\n",
        document_heading(cat, doc, p, "##"),
        checks_summary(cat, document_id),
        tables_section(cat, document_id, p), summary_section(cat, document_id, p, False),
        function_section(cat, document_id, p, False), economic_section(cat, document_id, p, False),
        three_public_section(cat, document_id, p, False),
        simple_section(cat, document_id, p, "projects", "项目支出（万元）",
                       [("project", "项目", "l"), ("unit", "实施单位", "l"), ("amount", "金额", "n")]),
        simple_section(cat, document_id, p, "performance_targets", "绩效目标",
                       [("project", "项目", "l"), ("level1", "一级指标", "l"), ("level2", "二级指标", "l"),
                        ("indicator", "指标", "l"), ("target", "目标值", "l"), ("actual", "实际值", "l")]),
        simple_section(cat, document_id, p, "narrative", "情况说明中的数字（万元）",
                       [("topic", "事项", "l"), ("amount", "金额", "n"), ("sentence", "原句", "l")]),
        simple_section(cat, document_id, p, "glossary", "名词解释",
                       [("term", "名词", "l"), ("definition", "解释", "l")]),
        checks_section(cat, document_id, p),
        citation(cat, doc, f"documents/{document_id}/"),
    ])


def data_page(cat: Catalog) -> str:
    parts = [front_matter("数据下载"), "# 数据下载\n\n",
             "每个数据包符合 [Frictionless Data Package](https://specs.frictionlessdata.io/data-package/) "
             "规范：`datapackage.json` 描述字段，CSV 为 UTF-8 编码、逗号分隔、一行表头；金额单位为万元，"
             "按原文精确记录，未经四舍五入。`all` 包含全部文件，其余每个文件一个数据包。\n\n"]
    titles = {d["document_id"]: d for d in cat.documents}
    for package in cat.packages:
        desc_path = cat.root / package / "datapackage.json"
        try:
            desc = json.loads(desc_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ValueError(f"{desc_path}: cannot read data package descriptor: {e}") from None
        if package == "all":
            heading = "全部文件（all）"
        elif package in titles:
            d = titles[package]
            heading = f"{cat.bureaus[d['bureau_id']].get('name', '')} {doc_label(d)}"
        else:
            heading = str(desc.get("title") or package)
        links = [f"[Excel 工作簿（.xlsx）]({DOWNLOADS_DIR}/{package}.xlsx)",
                 f"[全部文件（.zip）]({DOWNLOADS_DIR}/{package}.zip)",
                 f"[datapackage.json](data/{package}/datapackage.json)"]
        for res in desc.get("resources", []):
            path = str(res.get("path") or "")
            if SAFE_ID.match(path) and (cat.root / package / path).is_file():
                links.append(f"[{esc(path)}](data/{package}/{path})")
        parts.append(f"## {esc(heading)}\n\n`{package}` · " + " · ".join(links) + "\n\n")
    return "".join(parts)


# ------------------------------------------------------------------------------ site files


def pages(cat: Catalog) -> dict[str, str]:
    """Every generated Markdown page: src_uri -> content (home listing excluded, see hook)."""
    from . import charts, reference

    if cat.packages and not cat.charts:
        charts.draw_missing(cat)  # in parallel; the pages then read every chart from the cache
    out = {"bureaus/index.md": bureaus_index_page(cat), "data.md": data_page(cat),
           "comparison.md": comparison_page(cat)}
    out.update(reference.pages(cat, REPO))
    for bid in sorted(cat.bureaus):
        out[f"bureaus/{bid}.md"] = bureau_page(cat, bid)
    for d in cat.documents:
        out[f"documents/{d['document_id']}.md"] = document_page(cat, d["document_id"])
    return out


DOWNLOADS_DIR = "downloads"  # downloads/<package>.zip, downloads/<package>.xlsx


#: zips and workbooks kept by content: unchanged packages are not rebuilt (``BUDGET_DOWNLOADS_CACHE``
#: puts the cache elsewhere, as the benchmarks do)
DOWNLOADS_CACHE = Path(os.environ.get("BUDGET_DOWNLOADS_CACHE", REPO / ".cache" / "downloads"))


def process_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``spawn``-started processes for the site's slow, independent work (charts,
    workbooks), or None where this machine cannot make one (no ``/dev/shm``, no semaphores):
    the caller then does the work in place."""
    try:
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, NotImplementedError, ImportError):
        return None


def download_files(cat: Catalog) -> dict[str, Path]:
    """A zip of every package and an Excel workbook per package (generator/downloads.py),
    kept in a cache folder by each package's content. Those not in the cache yet are made in
    other processes while MkDocs renders the pages (the combined workbook alone takes ~36 s
    for 500 documents): call :func:`wait_for_downloads` before the files are copied."""
    from . import downloads

    if not cat.packages:
        return {}
    out, missing = downloads.plan_downloads(cat.root, DOWNLOADS_CACHE)
    if not missing:
        return out
    missing.sort(key=lambda item: item[0].name != "all")  # the combined package first: the largest
    pool = process_pool(max(1, min(len(missing), (os.cpu_count() or 1) - 1)))
    if pool is None:
        for folder, path in missing:
            downloads.make_download(folder, path)
        return out
    cat.pending_downloads = [(pool.submit(downloads.make_download, folder, path), folder, path)
                             for folder, path in missing]
    pool.shutdown(wait=False)  # the submitted files are still made
    return out


def wait_for_downloads(cat: Catalog) -> None:
    """Wait until the downloads :func:`download_files` started are written; raises the first
    error of any of them. One whose process died (the pool broke) is made here instead."""
    from . import downloads

    pending, cat.pending_downloads = cat.pending_downloads, []
    for future, folder, path in pending:
        try:
            future.result()
        except BrokenProcessPool:
            downloads.make_download(folder, path)


def generated_files(cat: Catalog) -> dict[str, str | bytes]:
    """Files made at build time: the CSV of each table, each chart's SVG and CSV."""
    out: dict[str, str | bytes] = dict(table_files(cat))
    for key in [*sorted(cat.bureaus), None]:
        folder = f"{CHARTS_DIR}/{key or 'comparison'}"
        for c in charts_of(cat, key):
            out[f"{folder}/{c.slug}.svg"] = c.svg
            out[f"{folder}/{c.slug}.csv"] = c.csv
    if cat.packages:  # every chart of the site is drawn: the cache can forget the others
        from . import charts
        charts.prune_cache()
    return out


def data_files(cat: Catalog) -> dict[str, Path]:
    """Files copied into the site: package files ``data/<package>/<file>`` and the source
    files ``sources/<document_id>.<ext>`` and the downloads -> path on disk."""
    out = dict(source_files(cat))
    out.update(download_files(cat))
    for package in cat.packages:
        for path in sorted((cat.root / package).iterdir()):
            if path.is_file() and path.suffix in (".csv", ".json") and SAFE_ID.match(path.name):
                out[f"data/{package}/{path.name}"] = path
    return out


STATUS_ENV_VAR = "BUDGET_BUILD_STATUS"  # status.json of the build (generator/report.py)


def build_status(config_file: str | os.PathLike | None = None) -> list[dict]:
    """The documents of ``$BUDGET_BUILD_STATUS`` (else ``build/status.json`` next to
    mkdocs.yml), or [] when there is none or it cannot be read."""
    path = Path(os.environ[STATUS_ENV_VAR]) if os.environ.get(STATUS_ENV_VAR) else \
        (Path(config_file).resolve().parent if config_file else REPO) / "build" / "status.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    docs = data.get("documents") if isinstance(data, dict) else None
    return [d for d in docs if isinstance(d, dict)] if isinstance(docs, list) else []


def documents_dir(config_file: str | os.PathLike | None = None) -> Path:
    """``$BUDGET_DOCUMENTS`` if set, else ``documents`` next to mkdocs.yml."""
    if os.environ.get(DOCUMENTS_ENV_VAR):
        return Path(os.environ[DOCUMENTS_ENV_VAR]).resolve()
    base = Path(config_file).resolve().parent if config_file else REPO
    return base / "documents"


def datapackages_dir(config_file: str | os.PathLike | None = None) -> Path:
    """``$BUDGET_DATAPACKAGES`` if set, else ``datapackages`` next to mkdocs.yml."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).resolve()
    base = Path(config_file).resolve().parent if config_file else REPO
    return base / "datapackages"


# ---------------------------------------------------------------------------------- build


def build_site(datapackages: Path, site_dir: Path, *, strict: bool = True,
               documents: Path | None = None) -> None:
    """Build the site from ``datapackages`` into ``site_dir`` with the real MkDocs build
    (``python -m mkdocs build -f mkdocs.yml``); raises CalledProcessError on failure.
    ``documents`` is the folder of the source files the pages link to."""
    env = dict(os.environ, **{ENV_VAR: str(Path(datapackages).resolve())})
    if documents is not None:
        env[DOCUMENTS_ENV_VAR] = str(Path(documents).resolve())
    # not --quiet: it raises the log level above WARNING, and MkDocs then counts no warnings
    # for --strict (a broken link would pass); the output is kept and shown on failure
    cmd = [sys.executable, "-m", "mkdocs", "build",
           "--strict" if strict else "--no-strict",  # overrides `strict:` of mkdocs.yml
           "-f", str(MKDOCS_YML), "-d", str(Path(site_dir).resolve())]
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    result = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        problems = [l for l in result.stderr.splitlines() if l.startswith(("WARNING", "ERROR"))]
        raise subprocess.CalledProcessError(
            result.returncode, cmd, output=result.stdout,
            stderr="\n".join(problems[:50] + [l for l in result.stderr.splitlines()[-3:]]))


def main(argv: list[str] | None = None) -> None:
    import argparse
    parser = argparse.ArgumentParser(description="Build the MkDocs site from data packages.")
    parser.add_argument("--datapackages", type=Path, default=datapackages_dir(MKDOCS_YML))
    parser.add_argument("--site-dir", type=Path, default=REPO / "site")
    parser.add_argument("--no-strict", action="store_true", help="let MkDocs warnings pass")
    args = parser.parse_args(argv)
    build_site(args.datapackages, args.site_dir, strict=not args.no_strict)


if __name__ == "__main__":
    main()
