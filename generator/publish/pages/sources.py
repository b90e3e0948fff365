"""Provenance: the source files published with the site (only the very files the packages
were built from), links to their pages, the 如何引用 block, and the CSV of each table."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from ...package.changelog import SITE_URL
from ...package.descriptors import LICENSE, source_path
from ..catalog import Catalog, csv_reader
from ..format import SAFE_ID, esc


TABLE_RESOURCES = ("summary", "function_expenditure", "economic_expenditure", "three_public", "projects")


def source_names(doc: dict) -> list[tuple[str, str]]:
    """(original file name, sha256) of each source file of a document."""
    names = [n for n in (doc.get("source_files") or "").split(";") if n]
    shas = (doc.get("source_sha256") or "").split(";")
    return list(zip(names, shas + [""] * (len(names) - len(shas))))


def source_uri(doc: dict, index: int) -> str:
    """Stable site path of a document's source file: ``sources/<document_id>[-<n>].<ext>``, by
    the package stage's rule (the ``path`` of the package's ``sources`` is the same file)."""
    return source_path(doc["document_id"], [n for n, _ in source_names(doc)], index)


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


def published_sources(cat: Catalog) -> set[str]:
    if cat.published_sources is None:
        cat.published_sources = set(source_files(cat))
    return cat.published_sources


def source_page_link(cat: Catalog, doc: dict, page: str | int | None, prefix: str) -> str:
    """``第 N 页`` linked to the page of the source PDF (``#page=N``), or the source file."""
    page = str(page or "").strip()
    label = f"第 {esc(page)} 页" if page.isdigit() else "原文"
    uri = source_uri(doc, 0) if source_names(doc) else ""
    if not uri or uri not in published_sources(cat):
        return label if page.isdigit() else ""
    anchor = f"#page={page}" if page.isdigit() and uri.endswith(".pdf") else ""
    return f"[{label}]({prefix}{uri}{anchor})"


def sources_line(cat: Catalog, doc: dict, prefix: str) -> str:
    links = []
    for i, (name, _) in enumerate(source_names(doc)):
        uri = source_uri(doc, i)
        if uri in published_sources(cat):
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


#: the licence line of the site (data page, 关于, citations): the packages' ``licenses``
LICENCE_LINE = (f"数据以 [{LICENSE['title']}（{LICENSE['name']}）]({LICENSE['path']}) 发布，"
                "可自由使用、修改和再发布，无需许可；请注明来源文件。")


def citation(cat: Catalog, doc: dict, page_path: str) -> str:
    """A "如何引用" block: source document, publisher, page (its address on the site), data
    version, and the licence."""
    b = cat.bureaus[doc["bureau_id"]]
    version = package_version(cat, doc["document_id"])
    files = "、".join(esc(n) for n, _ in source_names(doc))
    text = (f"{esc(b.get('name'))}：《{esc(doc.get('title'))}》，{esc(doc.get('year'))} 年，原文文件 {files}。"
            f"转引自：医疗保障局预决算公开数据，数据包 `{doc['document_id']}`"
            + (f"（数据版本 {esc(version)}）" if version else "") + f"，页面 `{SITE_URL}{page_path}`。")
    return ("### 如何引用\n\n" + f"> {text}\n\n"
            "引用具体数字时请同时注明表格名称和原文页码（见各表标题下的“原文”链接）。"
            + LICENCE_LINE + "\n\n")


def table_rows_csv(cat: Catalog, document_id: str, resource: str, table: str) -> str | None:
    """The rows of one table of a per-document package CSV, header included, same bytes
    per row as the package (comma, minimal quoting, ``\\n``)."""
    path = cat.csv_path(document_id, resource)
    if path is None:
        return None
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv_reader(f)
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
