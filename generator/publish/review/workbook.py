"""The reviewer's report of one document: an ``.xlsx`` in the layout of the official 检查表.

Input is one document's package folder (DATA-CONTRACT.md): ``documents.csv``, ``bureaus.csv``,
``tables.csv``, ``checks.csv``, ``check_definitions.csv``, ``narrative.csv``, ``glossary.csv`` and
``datapackage.json``; nothing else, so the site's download and ``python -m generator review``
give the same bytes. Three sheets:

- 检查表: a header block (单位名称, 公开文件, 年度, 类型, 检查日期 — the date of the data version in
  ``datapackage.json``, never today — and the counts), then one row per part of the disclosure
  (:data:`.checklist.SECTIONS`): what is checked (the definitions of the checks run on it),
  是否公开, 是否符合要求 (否 when a failed check, not waived, belongs to it), the problems by
  severity and the pages.
- 问题清单: every failed or waived check, by severity then page: part, page, the document's
  words, expected and actual, the message, the suggestion (the finding's, else its
  definition's) and 未处理 or 已豁免 with the reason; 未发现问题 when there is none.
- 说明: how to read it, what each severity means, sources and licence.

Every cell is a text cell (never a formula: a quote starting with ``=`` stays text) except
序号 and single page numbers; the bytes are the same on every rebuild (:mod:`..xlsx`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .. import parquet
from ..catalog import read_csv
from ..format import doc_label
from ..xlsx import deterministic_zip, set_text, width, workbook_entries
from .checklist import (BY_KEY, FAMILY_CONTENT, PRESENCE, SECTIONS, SEVERITY_NAMES, Section, part_name,
                        section_of)

#: ``<document_id>-review.xlsx``: the site's download (the CLI names its copy ``-检查表.xlsx``)
SUFFIX = "-review.xlsx"
#: a result that is a problem of the document: failed, or failed and waived by a maintainer
PROBLEM = ("fail", "waived")
#: results that say a check looked at something (the others found nothing to check)
RAN = ("pass", "fail", "repaired", "rounding", "waived")

_FONT = "等线"
_BODY = Font(name=_FONT, size=11)
_BOLD = Font(name=_FONT, size=11, bold=True)
_NO = Font(name=_FONT, size=11, bold=True, color="C00000")
_TITLE = Font(name=_FONT, size=16, bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_SEVERITY_FILL = {"error": PatternFill("solid", fgColor="F8CBAD"),
                  "warning": PatternFill("solid", fgColor="FFE699"),
                  "note": PatternFill("solid", fgColor="E2EFDA")}
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
_THIN = Side(style="thin", color="BFBFBF")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LINE_POINTS = 15.0  # height of one line of 11-point text

CHECKLIST_COLUMNS = (("序号", 6), ("检查项目", 22), ("检查内容", 64), ("是否公开", 10),
                     ("是否符合要求", 12), ("问题数（错误/警告/提示）", 14), ("所在页", 12))
PROBLEM_COLUMNS = (("序号", 6), ("严重程度", 9), ("所在表/部分", 22), ("页码", 7), ("原文", 36),
                   ("应为", 16), ("实际", 16), ("问题说明", 48), ("修改建议", 40), ("状态", 16),
                   ("检查规则", 24))


def file_name(document_id: str) -> str:
    """The site's file name of a document's report (``downloads/<this>``)."""
    return f"{document_id}{SUFFIX}"


def code_files() -> list[Path]:
    """The modules the report's bytes depend on (the downloads cache keys on them)."""
    here = Path(__file__).resolve().parent
    return [here / "checklist.py", here / "workbook.py"]


@dataclass
class Review:
    """What the report says of one document, read from its package."""

    document: dict
    bureau: str
    descriptor: dict
    checks: list[dict]
    definitions: dict[str, dict]
    tables: list[dict]
    narrative: bool
    glossary: bool
    titles: dict[str, str] = field(default_factory=dict)
    table_pages: dict[str, int] = field(default_factory=dict)  # table id -> its first page

    @property
    def problems(self) -> list[dict]:
        """Failed and waived results, by severity, page, then the order of the checks."""
        rank = {s: i for i, s in enumerate(SEVERITY_NAMES)}

        def key(r: dict):
            page, _ = self.page(r)
            return (rank.get(r.get("severity") or "", len(rank)),
                    math.inf if page is None else page, int(r.get("row") or 0))

        return sorted((r for r in self.checks if r.get("status") in PROBLEM), key=key)

    def page(self, r: dict) -> tuple[int | None, bool]:
        """The page of a finding and whether the finding names it: else the first page of
        its table (``tables.csv``), else None."""
        page = r.get("source_page") or ""
        if page.isdigit():
            return int(page), True
        first = self.table_pages.get(r.get("table") or "")
        return first, False

    def counts(self, rows: list[dict] | None = None) -> dict[str, int]:
        """Open (failed, not waived) problems by severity, and ``waived``."""
        rows = self.problems if rows is None else rows
        out = {s: 0 for s in SEVERITY_NAMES}
        out["waived"] = 0
        for r in rows:
            if r.get("status") == "waived":
                out["waived"] += 1
            elif r.get("severity") in out:
                out[r["severity"]] += 1
        return out


def load(package_dir: Path) -> Review:
    """The :class:`Review` of the document package ``package_dir``."""
    package_dir = Path(package_dir)

    def rows(name: str) -> list[dict]:
        path = package_dir / f"{name}.csv"
        return read_csv(path) if path.is_file() else []

    documents = rows("documents")
    if len(documents) != 1:
        raise ValueError(f"{package_dir}: not the package of one document "
                         f"({len(documents)} rows in documents.csv)")
    bureaus = rows("bureaus")
    definitions = {r.get("check", ""): r for r in rows("check_definitions")}
    checks = rows("checks")
    for r in checks:  # a package written before checks carried their severity: the definition's
        if not r.get("severity"):
            r["severity"] = definitions.get(r.get("check") or "", {}).get("severity") or "error"
    tables = rows("tables")
    titles: dict[str, str] = {}
    table_pages: dict[str, int] = {}
    for t in tables:
        titles.setdefault(t.get("table") or "", t.get("title") or "")
        if (t.get("source_page") or "").isdigit():
            table_pages.setdefault(t.get("table") or "", int(t["source_page"]))
    return Review(document=documents[0], bureau=(bureaus[0].get("name") if bureaus else "") or "",
                  descriptor=parquet.read_descriptor(package_dir), checks=checks, definitions=definitions,
                  tables=tables, narrative=bool(rows("narrative")), glossary=bool(rows("glossary")),
                  titles=titles, table_pages=table_pages)


# ------------------------------------------------------------------------------ sheets


def _put(ws, row: int, col: int, value, font: Font = _BODY, align: Alignment = _WRAP, fill=None):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, int):
        cell.value = value
    else:
        set_text(cell, str(value))
    cell.font, cell.alignment = font, align
    if fill is not None:
        cell.fill = fill
    return cell


def _lines(text: str, columns: int) -> int:
    """Lines ``text`` takes wrapped in a column ``columns`` characters wide (a CJK character
    counts two)."""
    room = max(1, columns - 1)
    return sum(max(1, math.ceil(width(part) / room)) for part in str(text).split("\n"))


def _fit(ws, row: int, columns, values) -> None:
    """Row height for the tallest wrapped cell (Excel does not measure rows of a saved file)."""
    lines = max((_lines(v, w) for (_, w), v in zip(columns, values)), default=1)
    ws.row_dimensions[row].height = max(1, lines) * _LINE_POINTS + 3


def _header(ws, row: int, columns) -> None:
    for col, (label, w) in enumerate(columns, start=1):
        c = _put(ws, row, col, label, _BOLD, _CENTER, _HEAD_FILL)
        c.border = _GRID
        ws.column_dimensions[get_column_letter(col)].width = w
    _fit(ws, row, columns, [label for label, _ in columns])


def _pages(values) -> str:
    pages = sorted({int(p) for p in values if str(p or "").isdigit()})
    return "、".join(map(str, pages))


def _kind(doc: dict) -> str:
    return doc_label({**doc, "year": ""}).lstrip("年")


def _check_date(descriptor: dict) -> str:
    created = str(descriptor.get("created") or "")[:10]
    version = descriptor.get("version")
    return f"{created}（数据版本 {version} 的日期）" if created and version else created


def _counts_text(counts: dict[str, int]) -> str:
    text = "，".join(f"{name} {counts[s]} 项" for s, name in SEVERITY_NAMES.items())
    return f"未处理的问题：{text}；已豁免 {counts['waived']} 项。"


def _header_block(ws, review: Review) -> int:
    """Title and the document's particulars; returns the next free row."""
    doc = review.document
    last = get_column_letter(len(CHECKLIST_COLUMNS))
    _put(ws, 1, 1, f"{review.bureau} {_kind(doc)}公开检查表", _TITLE, Alignment(vertical="center"))
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 28
    files = "、".join(f for f in (doc.get("source_files") or "").split(";") if f)
    items = (("单位名称", review.bureau), ("公开文件", f"{doc.get('title') or ''}（{files}）"),
             ("年度", f"{doc.get('year') or ''}"), ("类型", _kind(doc)),
             ("检查日期", _check_date(review.descriptor)), ("检查结果", _counts_text(review.counts())))
    row = 2
    for label, value in items:
        _put(ws, row, 1, label, _BOLD, _WRAP, _LABEL_FILL)
        ws.merge_cells(f"A{row}:B{row}")
        _put(ws, row, 3, value)
        ws.merge_cells(f"C{row}:{last}{row}")
        row += 1
    return row + 1


def _rule(description: str) -> str:
    """The first sentence of a check's definition (the rule; the rest says how it is applied,
    in check_definitions.csv and on the site's 核对规则 page)."""
    depth = 0
    for i, ch in enumerate(description):
        depth += (ch in "（(") - (ch in "）)")
        if ch == "。" and depth <= 0:
            return description[:i + 1]
    return description


def _content(review: Review, checks: list[str]) -> str:
    """检查内容 of a row: what each family of ``checks`` looks at (:data:`.checklist.FAMILY_CONTENT`,
    else the first sentence of the family's first definition), in the order they ran, and how
    many rules that is."""
    families: dict[str, str] = {}
    for check in dict.fromkeys(checks):
        family = check.split(".", 1)[0]
        families.setdefault(family, FAMILY_CONTENT.get(family) or _rule(
            review.definitions.get(check, {}).get("description") or check))
    if not families:
        return ""
    lines = [f"· {text}" for text in dict.fromkeys(families.values())]
    return "\n".join(lines) + f"\n（共 {len(set(checks))} 项规则，全文见数据包的 check_definitions.csv）"


def _section_row(review: Review, section: Section, results: list[dict]) -> list:
    """The cells of one 检查表 row after 序号 and 检查项目."""
    if section.manual:
        return ["部门职责、机构设置和预算单位构成：本工具不核对，请人工查看。", "人工核对", "人工核对", "—", ""]
    ran = [r for r in results if r.get("status") in RAN]
    content = _content(review, [r.get("check") or "" for r in ran])
    tables = [t for t in review.tables if t.get("table") in section.tables]
    presence = {r.get("status") for r in results if r.get("check") == PRESENCE.get(section.key)}
    published = bool(tables) or "pass" in presence or (
        section.key == "narrative" and review.narrative) or (section.key == "glossary" and review.glossary)
    counts = review.counts([r for r in results if r.get("status") in PROBLEM])
    problems = sum(counts[s] for s in SEVERITY_NAMES)
    if not content:
        content = "（未设自动检查，请人工查看）" if published else "—"
    pages = _pages([t.get("source_page") for t in tables] + [r.get("source_page") for r in ran])
    shown = "—" if section.key == "whole" else "是" if published else "否"  # the whole text: always there
    return [content, shown, "否" if problems else "是",
            " / ".join(str(counts[s]) for s in SEVERITY_NAMES), pages]


def _print_setup(ws, title_rows: str) -> None:
    """Printed landscape on A4, as wide as one page, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def _checklist_sheet(ws, review: Review) -> None:
    row = _header_block(ws, review)
    _header(ws, row, CHECKLIST_COLUMNS)
    ws.freeze_panes = f"A{row + 1}"
    _print_setup(ws, f"{row}:{row}")
    by_section: dict[str, list[dict]] = {s.key: [] for s in SECTIONS}
    for r in review.checks:
        by_section[section_of(r.get("check") or "", r.get("table"))].append(r)
    for n, section in enumerate(SECTIONS, start=1):
        row += 1
        values = [n, section.name, *_section_row(review, section, by_section[section.key])]
        for col, value in enumerate(values, start=1):
            font = _NO if value == "否" and col == 5 else _BOLD if col == 2 else _BODY
            align = _CENTER if col in (1, 4, 5, 6, 7) else _WRAP
            _put(ws, row, col, value, font, align).border = _GRID
        _fit(ws, row, CHECKLIST_COLUMNS, [str(v) for v in values])


def _problem_values(review: Review, r: dict, n: int) -> list:
    check = r.get("check") or ""
    definition = review.definitions.get(check, {})
    page, named = review.page(r)
    status = "未处理" if r.get("status") != "waived" else f"已豁免：{r.get('waiver') or '（未写理由）'}"
    return [n, SEVERITY_NAMES.get(r.get("severity") or "", r.get("severity") or ""),
            part_name(check, r.get("table"), review.titles),
            "" if page is None else page if named else f"{page}（表首页）",
            r.get("quote") or "", r.get("expected") or "", r.get("actual") or "", r.get("message") or "",
            r.get("suggestion") or definition.get("suggestion") or "", status, check]


def _problems_sheet(ws, review: Review) -> None:
    _header(ws, 1, PROBLEM_COLUMNS)
    ws.freeze_panes = "A2"
    _print_setup(ws, "1:1")
    problems = review.problems
    if not problems:
        _put(ws, 2, 1, "未发现问题：本文件的全部自动检查均未发现问题（不适用和数据不足的检查除外）。", _BOLD)
        ws.merge_cells(f"A2:{get_column_letter(len(PROBLEM_COLUMNS))}2")
        return
    for n, r in enumerate(problems, start=1):
        values = _problem_values(review, r, n)
        for col, value in enumerate(values, start=1):
            fill = _SEVERITY_FILL.get(r.get("severity") or "") if col == 2 else None
            align = _CENTER if col in (1, 2, 4) else _WRAP
            _put(ws, n + 1, col, value, _BODY, align, fill).border = _GRID
        _fit(ws, n + 1, PROBLEM_COLUMNS, [str(v) for v in values])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(PROBLEM_COLUMNS))}{len(problems) + 1}"


def _licence(descriptor: dict) -> str:
    parts = []
    for lic in descriptor.get("licenses") or []:
        parts.append(" · ".join(dict.fromkeys(str(lic[k]) for k in ("title", "name", "path") if lic.get(k))))
    return "；".join(parts) or "（数据包未写明许可）"


def _readme_items(review: Review) -> list[tuple[str, str]]:
    files = [f for f in (review.document.get("source_files") or "").split(";") if f]
    sources = "\n".join(" · ".join(str(s.get(k)) for k in ("title", "file", "sha256") if s.get(k))
                        for s in review.descriptor.get("sources") or [])
    return [
        ("本工作簿", "一份预决算公开文件的自动检查报告，按财政部门预决算公开检查表的格式排列，供审核人员逐项复核。"
                   "检查由程序完成，每个问题都注明页码和原文，请对照原文确认后再要求修改。"),
        ("检查表", "每行一个公开内容（部门概况、各张标准表格、情况说明、名词解释）。“检查内容”概括对该部分"
                 "运行的检查（每项规则的全文见数据包的 check_definitions.csv）；“是否公开”指文件中有该部分（空表并附说明也算公开）；“是否符合要求”为“否”表示"
                 "该部分至少有一个未豁免的问题，“是”表示自动检查未发现问题；“问题数”按错误/警告/提示计数；"
                 "“所在页”为该部分在原文中的页码。"),
        ("问题清单", "每行一个问题，按严重程度、页码排列：所在表或部分、页码、原文（文件中的原话）、应为、实际、"
                   "问题说明和修改建议；页码后注“（表首页）”的，问题涉及整张表，页码为该表的第一页。状态“已豁免”表示维护者已确认此处不需修改，并写明理由；豁免的问题"
                   "不计入“是否符合要求”。"),
        ("错误", "数字或表述有误（如合计不等于各项之和、文字与表格不一致），公开前必须改正。"),
        ("警告", "很可能有误，或缺少必须公开的内容，由审核人员判断是否修改。"),
        ("提示", "文字和格式问题（如标点、模板残留），建议修改，不涉及数字错误。"),
        *([("页码", f"本文件分为 {len(files)} 份公开（{'、'.join(files)}）：报表与情况说明各自编页，"
                    "表格的页码是报表文件的页码，情况说明的页码是说明文件的页码。")] if len(files) > 1 else []),
        ("检查日期", "所用数据版本的日期（不是生成本文件的日期），同一文件每次生成的报告完全相同。"),
        ("来源文件", sources),
        ("许可", _licence(review.descriptor) + "\n可自由使用、修改和再发布；请注明来源文件。"),
        ("数据", f"本文件的全部检查结果（包括通过的）见数据包 {review.document.get('document_id', '')} 的 "
               "checks.csv，每项检查的含义见 check_definitions.csv。"),
    ]


def _readme_sheet(ws, review: Review) -> None:
    columns = (("项目", 14), ("说明", 90))
    _put(ws, 1, 1, "说明", _TITLE, Alignment(vertical="center"))
    ws.row_dimensions[1].height = 26
    for col, (_, w) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    for row, (label, text) in enumerate(_readme_items(review), start=3):
        _put(ws, row, 1, label, _BOLD, _WRAP, _SEVERITY_FILL.get(
            {v: k for k, v in SEVERITY_NAMES.items()}.get(label, ""), _LABEL_FILL))
        _put(ws, row, 2, text)
        _fit(ws, row, columns, [label, text])


def review_workbook(package_dir: Path) -> bytes:
    """The ``.xlsx`` report of the document package ``package_dir``; the same bytes every time."""
    review = load(package_dir)
    wb = Workbook()
    _checklist_sheet(wb.active, review)
    wb.active.title = "检查表"
    _problems_sheet(wb.create_sheet("问题清单"), review)
    _readme_sheet(wb.create_sheet("说明"), review)
    props = wb.properties
    props.title = f"{review.bureau} {_kind(review.document)}公开检查表"[:255]
    props.creator = "budget-open-data"
    props.lastModifiedBy = None
    props.language = "zh-CN"
    return deterministic_zip(workbook_entries(wb))


__all__ = ["BY_KEY", "Review", "code_files", "file_name", "load", "review_workbook"]
