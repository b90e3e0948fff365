"""The data page: every data package with its downloads (workbook, zip) and files, the note
for Excel users, and the Parquet files of the combined package with how to query them."""
from __future__ import annotations

import json

from .. import parquet
from ..catalog import Catalog
from ..format import SAFE_ID, doc_label, esc, front_matter
from ..review.workbook import file_name as review_file
from .viewer import annotated_links
from .sources import LICENCE_LINE


DOWNLOADS_DIR = "downloads"  # downloads/<package>.zip, <package>.xlsx, <document_id>-review.xlsx
#: downloads/parquet/<resource>.parquet, of the package ``all`` (see downloads.plan_downloads)
PARQUET_DIR = f"{DOWNLOADS_DIR}/parquet"
#: the example query of the page: 一般公共预算支出合计 of each document (tests run it)
EXAMPLE_SQL = ("SELECT bureau_name, year, phase, amount FROM 'facts.parquet' "
               "WHERE dimension = 'total' AND code = 'general_public' AND part = 'total' "
               "AND measure = phase ORDER BY amount DESC")
EXAMPLE_PANDAS = (
    "import pandas as pd  # 读 Parquet 还需安装 pyarrow",
    "facts = pd.read_parquet(\"facts.parquet\")",
    "gp = facts[(facts.dimension == \"total\") & (facts.code == \"general_public\")",
    "           & (facts.part == \"total\") & (facts.measure == facts.phase)]",
    "print(gp[[\"bureau_name\", \"year\", \"phase\", \"amount\"]])",
)


def _descriptor(cat: Catalog, package: str) -> dict:
    desc_path = cat.root / package / "datapackage.json"
    try:
        return json.loads(desc_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{desc_path}: cannot read data package descriptor: {e}") from None


def _code(lines) -> str:
    """An indented code block (the site's Markdown has no fenced blocks)."""
    return "".join(f"    {line}\n" for line in lines) + "\n"


def excel_section() -> str:
    return ("## 用 Excel 打开\n\n"
            "CSV 文件按数据规范为 UTF-8 编码、不带 BOM，用 Excel 直接双击打开时中文可能显示为乱码。"
            "用 Excel 请下载各数据包的 **Excel 工作簿（.xlsx）**：中文、科目编码（以文本保存）和精确金额都能"
            f"正确显示。全部文件的工作簿：[all.xlsx]({DOWNLOADS_DIR}/all.xlsx)。\n\n")


def parquet_section(desc: dict) -> str:
    """The Parquet files of the package ``all`` (``desc`` is its descriptor) and how to query them."""
    files = parquet.parquet_files(desc)
    titles = {str(r.get("name") or ""): str(r.get("title") or "") for r in desc.get("resources", [])}
    renamed = "，".join(f"`{a}` → `{b}`" for a, b in parquet.RENAMED.items())
    joined = "、".join(f"`{out}`" for _, _, out in parquet.JOINED_COLUMNS)
    parts = ["## 用 SQL 或 pandas 分析（Parquet）\n\n",
             "全部文件（`all`）的每张表另有一个 Parquet 文件，列带类型：金额为精确小数 "
             f"`{parquet.AMOUNT_TYPE}`（万元，按原文精确记录，不经浮点数），整数为 `INTEGER`，是/否为 "
             "`BOOLEAN`，空值为 `NULL`。列名与 CSV 相同，只有两个 SQL 保留字改了名："
             f"{renamed}。\n\n"]
    if parquet.joins_facts(desc):
        parts.append(f"`{parquet.JOINED}.parquet`（规范数据：每个问题一个数）已并入文件和部门的字段（{joined}；"
                     "`bureau_name` 为部门名称，`bureau_level` 为部门层级，`title` 为文件标题），"
                     "一个问题一条查询即可回答。决算文件也印有年初预算数（`measure` 为 `budget`），"
                     "取文件本身的数用 `measure = phase`。\n\n")
    parts.append("| 文件 | 内容 |\n|---|---|\n")
    for name, file in files.items():
        if not SAFE_ID.match(file):
            continue
        note = "（已并入文件和部门）" if name == parquet.JOINED and parquet.joins_facts(desc) else ""
        parts.append(f"| [{esc(file)}]({PARQUET_DIR}/{file}) | {esc(titles.get(name) or name)}{note} |\n")
    parts.append("\n下载 `facts.parquet` 后，用 [DuckDB](https://duckdb.org/) 命令行一条命令列出"
                 "各文件的一般公共预算支出合计：\n\n")
    parts.append(_code([f'duckdb -c "{EXAMPLE_SQL}"']))
    parts.append("同一查询在 Python 中：`duckdb.sql(\"…\").fetchall()`，金额为 `decimal.Decimal`。"
                 "用 pandas：\n\n")
    parts.append(_code(EXAMPLE_PANDAS))
    return "".join(parts)


def data_page(cat: Catalog) -> str:
    parts = [front_matter("数据下载"), "# 数据下载\n\n",
             "每个数据包符合 [Frictionless Data Package](https://specs.frictionlessdata.io/data-package/) "
             "规范：`datapackage.json` 描述字段，CSV 为 UTF-8 编码、逗号分隔、一行表头；金额单位为万元，"
             "按原文精确记录，未经四舍五入。`all` 包含全部文件，其余每个文件一个数据包。"
             "每个问题只有一个数的规范数据在 `facts`（核心数字）中，取数规则见[数据字典](dictionary.md)。\n\n",
             LICENCE_LINE + "\n\n"]
    titles = {d["document_id"]: d for d in cat.documents}
    if "all" in cat.packages:
        parts.append(excel_section())
        parts.append(parquet_section(_descriptor(cat, "all")))
        parts.append("## 数据包\n\n")
    for package in cat.packages:
        desc = _descriptor(cat, package)
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
        if package != "all":  # the document's reviewer's report (review.workbook)
            links.insert(1, f"[审核报告（检查表，.xlsx）]({DOWNLOADS_DIR}/{review_file(package)})")
            if package in titles:  # and its source PDF(s) with every failed check boxed
                links[2:2] = [link.replace("[", "[标注原文：", 1) if "标注原文" not in link else link
                              for link in annotated_links(cat, titles[package], "")]
        if package == "all" and parquet.JOINED in parquet.parquet_files(desc):
            links.append(f"[{parquet.JOINED}.parquet]({PARQUET_DIR}/{parquet.JOINED}.parquet)")
        for res in desc.get("resources", []):
            path = str(res.get("path") or "")
            if SAFE_ID.match(path) and (cat.root / package / path).is_file():
                links.append(f"[{esc(path)}](data/{package}/{path})")
        parts.append(f"### {esc(heading)}\n\n`{package}` · " + " · ".join(links) + "\n\n")
    return "".join(parts)
