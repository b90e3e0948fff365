"""Download files for the site: an Excel workbook per document and a zip per data package.

Input is a package folder as in DATA-CONTRACT.md (``datapackage.json`` plus its CSVs); nothing
else is read. Every output is byte-identical on rebuild: the workbook's document properties
carry a fixed date, and both kinds of zip are written with fixed entry dates, permissions and
sorted names.

- :func:`document_workbook` — ``.xlsx`` of one package: a sheet 说明 (title, sources, licence,
  unit), then one sheet per non-empty resource (continued on ``<name>_2`` … past Excel's
  1,048,576 rows, which the combined package of a large corpus reaches). Row 1 holds the
  Chinese field titles, row 2 the field names of the CSV header, data from row 3. Amounts are
  numeric cells written from the exact decimal text; codes and all other text are text cells
  (never formulas).
- the reviewer's report of each per-document package, ``<document_id>-review.xlsx``
  (:mod:`.review.workbook`: the official 检查表's layout, one row per part, then every problem).
- :func:`package_zip` — ``datapackage.json`` and its CSVs, unchanged, at the zip's root (so
  ``frictionless`` opens the zip as a package), and ``LICENSE.txt``: the data licence and
  where the data come from (:func:`license_text`).
- Parquet files of the combined package ``all`` (:mod:`.parquet`): one per resource, typed,
  amounts as exact ``DECIMAL(18,6)``, ``facts`` with its document and bureau joined in, at
  ``downloads/parquet/<resource>.parquet``.
- :func:`write_downloads` — all of them for a whole package tree, into a cache folder kept by
  content; returns site path (``downloads/<name>``) -> file. :func:`plan_downloads` and
  :func:`make_download` are its two halves, for making the files in other processes.
"""
from __future__ import annotations

import hashlib
import os
import re
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..atomic import KEEP_UNUSED_SECONDS, remove_unused
from . import parquet, xlsx
from .catalog import dict_reader
from .review import workbook as review
# the byte-identical writing of zips and workbooks (shared with the reviewer's report)
from .xlsx import EXCEL_MAX_CELL, FIXED_DATE  # noqa: F401 (re-exported)
from .xlsx import deterministic_zip as _deterministic_zip
from .xlsx import set_text as _set_text
from .xlsx import width as _width

SITE_DIR = "downloads"
#: the Parquet files of the package ``all``: downloads/parquet/<resource>.parquet
PARQUET_DIR = "parquet"
PARQUET_PACKAGE = "all"
EXCEL_MAX_DIGITS = 15  # Excel keeps 15 significant digits of a number
#: rows of data on one sheet: Excel's 1,048,576 rows less the two header rows
EXCEL_MAX_DATA_ROWS = 1_048_576 - 2
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_NAME_FONT = Font(italic=True, color="666666", size=9)
_TITLE_FONT = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60


# ------------------------------------------------------------------------------- zips


def _resource_files(package_dir: Path, descriptor: dict) -> list[str]:
    """The CSV files the descriptor lists (relative names without folders only)."""
    names = []
    for res in descriptor.get("resources", []):
        path = str(res.get("path") or "")
        if not SAFE_NAME.match(path):
            raise ValueError(f"{package_dir}: resource path {path!r} is not a plain file name")
        if not (Path(package_dir) / path).is_file():
            raise FileNotFoundError(f"{package_dir / path}: listed in datapackage.json but missing")
        names.append(path)
    return names


#: the licence file of every zip (the descriptor's ``licenses``, in words)
LICENSE_FILE = "LICENSE.txt"


def license_text(descriptor: dict) -> str:
    """``LICENSE.txt`` of a package zip: its title, version, licence (title, name, URL, in
    Chinese and English), and its source files, from the descriptor alone."""
    title = str(descriptor.get("title") or descriptor.get("name") or "")
    lines = [title, "=" * min(_width(title), 72), ""]
    if descriptor.get("version"):
        lines.append(f"数据包 Data package: {descriptor.get('name') or ''}，版本 version {descriptor['version']}")
        lines.append("")
    licence = _license_text(descriptor) or "（数据包未写明许可 no licence stated）"
    lines += [f"许可 Licence: {licence}", "",
              "本数据包中的数据以上述许可发布：可自由使用、修改和再发布，无需许可，也不附带条件；"
              "引用时请注明来源文件。",
              "The data in this package are released under the licence above: free to use, modify "
              "and redistribute, without permission or conditions; please cite the source documents.", ""]
    sources = descriptor.get("sources") or []
    if sources:
        lines.append("来源文件 Sources:")
        for src in sources:
            parts = [str(src.get("title") or ""), str(src.get("file") or src.get("path") or "")]
            if src.get("sha256"):
                parts.append(f"SHA-256 {src['sha256']}")
            lines.append("- " + " · ".join(p for p in parts if p))
        lines.append("")
    lines.append("datapackage.json 描述每个 CSV 文件的字段 (Frictionless Data Package); "
                 "金额单位：万元 (amounts in 10,000 yuan).")
    return "\n".join(lines) + "\n"


def package_zip(package_dir: Path) -> bytes:
    """``datapackage.json`` and the files of its resources, byte for byte, at the zip root,
    with :data:`LICENSE_FILE`."""
    package_dir = Path(package_dir)
    descriptor = parquet.read_descriptor(package_dir)
    names = ["datapackage.json", *_resource_files(package_dir, descriptor)]
    if LICENSE_FILE in names:
        raise ValueError(f"{package_dir}: a resource is named {LICENSE_FILE}")
    entries = {n: (package_dir / n).read_bytes() for n in names}
    entries[LICENSE_FILE] = license_text(descriptor).encode("utf-8")
    return _deterministic_zip(entries)


# --------------------------------------------------------------------------- workbook


def _decimals(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _number(text: str) -> Decimal | None:
    """The exact decimal of a CSV number, or None when Excel could not hold it exactly
    (more than 15 significant digits, or not a finite number)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    digits = value.as_tuple().digits
    significant = len("".join(map(str, digits)).lstrip("0")) or 1
    if significant > EXCEL_MAX_DIGITS:
        return None
    # plain positional notation, as printed (never 1E+2): the XML holds the exact decimal
    return Decimal(format(value, "f"))


def _amount_format(decimals: int) -> str:
    """``#,##0.00`` plus one optional digit per further printed decimal: 2832.00 shows as
    2,832.00 and 202.15284 as 202.15284 (like the site), never rounded."""
    return "#,##0.00" + "#" * max(0, decimals - 2)


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    base, n = title, 2
    while title.lower() in used:
        suffix = f"_{n}"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = dict_reader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@dataclass
class _Sheet:
    """One data sheet: its resource's rows from ``rows[0]`` on, and what the column pass found."""

    ws: Any
    resource: dict
    columns: list[str]
    rows: list[dict[str, str]]
    kinds: list[str] = field(default_factory=list)  # per column: number | integer | boolean | string
    formats: list[str] = field(default_factory=list)  # number format of a column's numbers
    numbers: list[dict[str, Decimal | None]] = field(default_factory=list)  # per column: text -> amount


def _write_header(sheet: _Sheet) -> None:
    """Rows 1 and 2 (Chinese titles, field names) through openpyxl, then the column pass: each
    column's kind and number format (registered in the order openpyxl would meet them) and its
    width; freeze panes and filter."""
    ws, rows = sheet.ws, sheet.rows
    fields = {f.get("name"): f for f in (sheet.resource.get("schema") or {}).get("fields", [])}
    widths = []
    for col, name in enumerate(sheet.columns, start=1):
        spec = fields.get(name, {})
        title = str(spec.get("title") or name)
        c = ws.cell(row=1, column=col)
        _set_text(c, title)
        c.font, c.fill = _HEADER_FONT, _HEADER_FILL
        n = ws.cell(row=2, column=col)
        _set_text(n, name)
        n.font = _NAME_FONT
        widths.append(max(_width(title), _width(name)))

    for col, name in enumerate(sheet.columns, start=1):
        kind = fields.get(name, {}).get("type", "string")
        kind = kind if kind in ("number", "integer", "boolean") else "string"
        fmt = ""
        width = widths[col - 1]
        values = {v for r in rows if (v := r.get(name) or "")}  # each printed value once
        numbers = {v: _number(v) for v in values} if kind in ("number", "integer") else {}
        if kind in ("number", "integer"):
            decimals = max((_decimals(x) for x in numbers.values() if x is not None), default=0)
            fmt = "0" if kind == "integer" else _amount_format(decimals)
            if kind == "number" and any(x is not None for x in numbers.values()):
                xlsx.register_number_format(ws, fmt)  # as openpyxl at the column's first number
        for value in values:
            x = numbers.get(value)
            shown = f"{x:,.{max(2, _decimals(x))}f}" if x is not None and kind == "number" else value
            width = max(width, _width(shown))
        sheet.kinds.append(kind)
        sheet.formats.append(fmt)
        sheet.numbers.append(numbers)
        ws.column_dimensions[get_column_letter(col)].width = min(width + 2, MAX_WIDTH)

    ws.freeze_panes = "A3"
    if sheet.columns:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(sheet.columns))}{len(rows) + 2}"


def _data_rows(sheet: _Sheet, style: xlsx.StyleIds) -> tuple[list[str], int]:
    """The ``<row>`` elements of the data (row 3 on), as openpyxl writes them, and the last row
    holding a cell. Amounts are written from the exact decimal text of the CSV."""
    letters = xlsx.columns(len(sheet.columns))
    out: list[str] = []
    last = 2
    for index, record in enumerate(sheet.rows, start=3):
        cells = []
        for letter, name, kind, fmt, numbers in zip(letters, sheet.columns, sheet.kinds, sheet.formats,
                                                    sheet.numbers):
            value = record.get(name) or ""
            if value == "":
                continue
            ref = f"{letter}{index}"
            x = numbers.get(value)
            if x is not None:
                shown = fmt if kind == "number" or _decimals(x) == 0 else "General"
                cells.append(xlsx.number_cell(ref, style(shown), format(x, "f")))
            elif kind == "boolean" and value.lower() in ("true", "false"):
                cells.append(xlsx.bool_cell(ref, value.lower() == "true"))
            else:
                cells.append(xlsx.text_cell(ref, style("@"), xlsx.cell_text(value)))
        if cells:
            out.append(f'<row r="{index}">{"".join(cells)}</row>')
            last = index
    return out, last


def _license_text(descriptor: dict) -> str:
    out = []
    for lic in descriptor.get("licenses") or []:
        parts = [str(lic.get(k)) for k in ("title", "name", "path") if lic.get(k)]
        out.append(" · ".join(dict.fromkeys(parts)))
    return "；".join(out)


def _readme_sheet(ws, descriptor: dict, sheets: list[tuple[str, dict, int]]) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 80
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 70
    row = 1

    def put(label: str, value: str = "", *, bold: bool = False) -> None:
        nonlocal row
        a = ws.cell(row=row, column=1)
        _set_text(a, label)
        a.font = _HEADER_FONT
        if value:
            b = ws.cell(row=row, column=2)
            _set_text(b, value)
            b.alignment = _WRAP
            if bold:
                b.font = _HEADER_FONT
        row += 1

    title = str(descriptor.get("title") or descriptor.get("name") or "")
    c = ws.cell(row=row, column=1)
    _set_text(c, title)
    c.font = _TITLE_FONT
    row += 2
    # the licence first: the one thing every reuse needs
    put("许可", (_license_text(descriptor) or "（数据包未写明许可）")
        + "\n可自由使用、修改和再发布，无需许可；请注明来源文件。", bold=True)
    if descriptor.get("description"):
        put("说明", str(descriptor["description"]))
    put("数据包", str(descriptor.get("name") or ""))
    if descriptor.get("version"):
        put("版本", str(descriptor["version"]))
    for i, src in enumerate(descriptor.get("sources") or [], start=1):
        parts = [str(src.get("title") or ""), f"文件：{src.get('file') or src.get('path') or ''}"]
        if src.get("sha256"):
            parts.append(f"SHA-256：{src['sha256']}")
        put("来源文件" if i == 1 else "", "\n".join(p for p in parts if p))
    put("金额单位", "万元（原文以元为单位的表格已按十进制精确除以 10000）")
    put("金额精度", "金额按原文精确记录，未经四舍五入：单元格中的数字由 CSV 中的十进制文本直接写入，"
                    "显示的小数位与原文一致（至少两位）。Excel 只保存 15 位有效数字；超过 15 位的金额"
                    "（本数据中极少）以文本写入，以免丢失精度。")
    put("表头", "每张工作表第 1 行为中文字段名，第 2 行为英文字段名（与 CSV 表头相同），数据从第 3 行"
                "开始。科目编码等代码以文本保存，不会被 Excel 转成数字。用 pandas 读取：\n"
                "pandas.read_excel(文件, sheet_name=\"function_expenditure\", header=1, dtype={\"code\": str})")
    put("机器可读", "同一数据的 CSV 与 datapackage.json（Frictionless Data Package）见网站的数据下载页。")
    row += 1
    for col, label in enumerate(("工作表", "内容", "行数", "说明"), start=1):
        c = ws.cell(row=row, column=col)
        _set_text(c, label)
        c.font, c.fill = _HEADER_FONT, _HEADER_FILL
    row += 1
    for sheet, resource, n in sheets:
        _set_text(ws.cell(row=row, column=1), sheet)
        _set_text(ws.cell(row=row, column=2), str(resource.get("title") or resource.get("name") or ""))
        ws.cell(row=row, column=3, value=n)
        d = ws.cell(row=row, column=4)
        _set_text(d, str(resource.get("description") or ""))
        d.alignment = _WRAP
        row += 1


def document_workbook(package_dir: Path) -> bytes:
    """The ``.xlsx`` of one data package (see the module docstring); deterministic bytes.

    openpyxl writes the workbook with the 说明 sheet and each data sheet's two header rows;
    the data rows are then written into each sheet's XML (:func:`_data_rows`), the styles they
    use registered in the order openpyxl's writer would register them."""
    package_dir = Path(package_dir)
    descriptor = parquet.read_descriptor(package_dir)
    _resource_files(package_dir, descriptor)  # validates the paths
    wb = Workbook()
    readme = wb.active
    readme.title = "说明"
    used = {"说明"}
    sheets: list[_Sheet] = []
    for resource in descriptor.get("resources", []):
        header, rows = _read_rows(package_dir / resource["path"])
        name = str(resource.get("name") or Path(resource["path"]).stem)
        columns = header or [f.get("name") for f in (resource.get("schema") or {}).get("fields", [])]
        # a resource longer than a sheet holds continues on sheets <name>_2, <name>_3 …
        for start in range(0, len(rows), EXCEL_MAX_DATA_ROWS):
            sheet = _Sheet(wb.create_sheet(_sheet_title(name, used)), resource, columns,
                           rows[start:start + EXCEL_MAX_DATA_ROWS])
            _write_header(sheet)
            sheets.append(sheet)
    _readme_sheet(readme, descriptor, [(s.ws.title, s.resource, len(s.rows)) for s in sheets])

    props = wb.properties
    props.title = str(descriptor.get("title") or descriptor.get("name") or "")[:255]
    props.creator = "budget-open-data"
    props.lastModifiedBy = None
    props.language = "zh-CN"
    # cell styles are numbered as they are first written: the 说明 sheet, then sheet by sheet
    data: dict[str, tuple[list[str], int]] = {}
    for ws in wb.worksheets:
        for _, cell in sorted(ws._cells.items()):  # openpyxl's writer: row by row
            if cell.has_style:
                cell.style_id  # noqa: B018 (registers the style)
        for sheet in sheets:
            if sheet.ws is ws:
                data[ws.title] = _data_rows(sheet, xlsx.StyleIds(ws))
    entries = xlsx.workbook_entries(wb)
    for sheet in sheets:
        rows, last = data[sheet.ws.title]
        width = len(sheet.columns)
        dimension = f"A1:{get_column_letter(width)}{last}" if width else "A1:A1"
        name = sheet.ws.path.lstrip("/")
        entries[name] = xlsx.splice_rows(entries[name], rows, dimension)
    return _deterministic_zip(entries)


# ---------------------------------------------------------------------------- all files


def _input_key(folder: Path, names: list[str]) -> str:
    """Digest of everything the downloads of a package depend on: its files, this module, the
    openpyxl and zlib versions, and for Parquet files :mod:`.parquet` and the DuckDB version."""
    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    for module in (Path(xlsx.__file__), *review.code_files()):
        h.update(module.read_bytes())
    h.update(f"\0{openpyxl.__version__}\0{zlib.ZLIB_RUNTIME_VERSION}\0{sorted(names)}\0".encode())
    if any(name.endswith(parquet.SUFFIX) for name in names):
        for module in parquet.module_files():
            h.update(module.read_bytes())
        h.update(f"\0duckdb {parquet.duckdb_version()}\0".encode())
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def plan_downloads(datapackages: Path, cache_dir: Path, *, workbook_for_all: bool = True
                   ) -> tuple[dict[str, Path], list[tuple[Path, Path]]]:
    """Where the downloads of a package tree are, and which of them must still be made.

    Every package folder (``all`` included) gets ``<package>.zip``; every per-document package
    ``<document_id>.xlsx`` and the reviewer's report ``<document_id>-review.xlsx``
    (:mod:`.review.workbook`) (and ``all`` gets ``all.xlsx`` unless ``workbook_for_all`` is false);
    ``all`` gets ``parquet/<resource>.parquet`` for each of its resources.
    Returns (site path ``downloads/<name>`` -> file, [(package folder, file)] for the files not
    made yet: pass each to :func:`make_download`).

    The files are kept by content in ``cache_dir/<package>/<key>/``, the key being the digest
    of everything they depend on (:func:`_input_key`): an unchanged package is never rebuilt,
    whichever folder its tree is built in (the pipeline builds in a new staging folder each
    time), and builds of different trees never overwrite each other's files. Slots left unused
    for :data:`KEEP_UNUSED_SECONDS` are removed."""
    datapackages, cache_dir = Path(datapackages), Path(cache_dir)
    out: dict[str, Path] = {}
    missing: list[tuple[Path, Path]] = []
    used: set[Path] = set()
    folders = sorted(p for p in datapackages.iterdir()
                     if p.is_dir() and (p / "datapackage.json").is_file())
    for folder in folders:
        if not SAFE_NAME.match(folder.name):
            raise ValueError(f"{folder}: package folder name is not an ASCII slug")
        names = [f"{folder.name}.zip"]
        if folder.name != "all" or workbook_for_all:
            names.append(f"{folder.name}.xlsx")
        if folder.name != "all":  # the reviewer's report (检查表) of the document
            names.append(review.file_name(folder.name))
        if folder.name == PARQUET_PACKAGE:
            names += [f"{PARQUET_DIR}/{file}"
                      for file in parquet.parquet_files(parquet.read_descriptor(folder)).values()]
        slot = cache_dir / folder.name / _input_key(folder, names)[:32]
        slot.mkdir(parents=True, exist_ok=True)
        if any("/" in name for name in names):
            (slot / PARQUET_DIR).mkdir(exist_ok=True)
        os.utime(slot)  # in use: not pruned by this or a concurrent build
        used.add(slot)
        for name in names:
            out[f"{SITE_DIR}/{name}"] = slot / name
            if not (slot / name).is_file():
                missing.append((folder, slot / name))
    _prune(cache_dir, used)
    return out, missing


def make_download(folder: Path, path: Path) -> None:
    """Write the zip, workbook or Parquet file ``path`` of the package ``folder``, whole or not
    at all (a killed build leaves no half file)."""
    if path.suffix == parquet.SUFFIX:
        parquet.write_parquet(folder, path.stem, path)
        return
    if path.name == review.file_name(folder.name):
        data = review.review_workbook(folder)
    else:
        data = package_zip(folder) if path.suffix == ".zip" else document_workbook(folder)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_downloads(datapackages: Path, cache_dir: Path, *, workbook_for_all: bool = True) -> dict[str, Path]:
    """:func:`plan_downloads`, then every missing file made here; site path -> file."""
    out, missing = plan_downloads(datapackages, cache_dir, workbook_for_all=workbook_for_all)
    for folder, path in missing:
        make_download(folder, path)
    return out


def _prune(cache_dir: Path, used: set[Path]) -> None:
    """Remove the slots (and leftover temporary files) under ``cache_dir/<package>/`` that
    ``used`` does not name and no build has used for :data:`KEEP_UNUSED_SECONDS`, then the
    package folders left empty."""
    for package in sorted(p for p in cache_dir.iterdir() if p.is_dir()):
        remove_unused(sorted(package.iterdir()), used, KEEP_UNUSED_SECONDS)
        try:
            package.rmdir()  # only if empty
        except OSError:
            pass
