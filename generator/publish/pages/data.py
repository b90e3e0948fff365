"""The data page: every data package with its downloads (workbook, zip) and files."""
from __future__ import annotations

import json

from ..catalog import Catalog
from ..format import SAFE_ID, doc_label, esc, front_matter


DOWNLOADS_DIR = "downloads"  # downloads/<package>.zip, downloads/<package>.xlsx


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
