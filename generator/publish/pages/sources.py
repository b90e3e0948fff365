"""Provenance: the source files published with the site (only the very files the packages
were built from), links to their pages, the 来源 block (where a document came from, as its
maintainer's sidecar ``<file>.source.yml`` gives it, or 来源网址未提供) and the 如何引用 block
that names the original, and the CSV of each table."""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import re
from pathlib import Path
from urllib.parse import quote

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
    return _source_uri(doc["document_id"], doc.get("source_files") or "", index)


@functools.lru_cache(maxsize=65536)
def _source_uri(document_id: str, source_files: str, index: int) -> str:
    # called for every figure link (~50,000 at 500 documents): PurePosixPath once per file
    return source_path(document_id, [n for n in source_files.split(";") if n], index)


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


#: the site's name as a citation gives it (mkdocs.yml ``site_name``)
SITE_TITLE = "政府部门预决算公开数据"

#: sidecar-given ``documents`` fields, as the 来源 block labels them
ORIGIN_LABELS = (("source_publisher", "发布单位"), ("source_title", "原文标题"), ("source_url", "官方网址"),
                 ("source_published", "发布日期"), ("source_retrieved", "获取日期"), ("source_note", "备注"))
NO_URL = "来源网址未提供"


def url_link(url: str) -> str:
    """An official address as a Markdown link whose target cannot break out of the link (quotes,
    brackets, spaces and non-ASCII percent-encoded) and whose text is escaped."""
    target = quote(url, safe=":/?#@!$&*+,;=%-._~")
    return f"[{esc(url)}]({target})" if target.startswith(("http://", "https://")) else esc(url)


def _date(value: str) -> str:
    y, m, d = value.split("-")
    return f"{int(y)} 年 {int(m)} 月 {int(d)} 日"


def origin_fields(doc: dict) -> dict[str, str]:
    """The provenance a maintainer gave (sidecar ``<file>.source.yml``): field -> value."""
    return {f: v.strip() for f, _ in ORIGIN_LABELS if (v := doc.get(f) or "").strip()}


def mirror_lines(cat: Catalog, doc: dict, prefix: str) -> list[str]:
    """One line per source file: its name, sha256 and, where the site publishes it, the copy."""
    lines = []
    for i, (name, sha) in enumerate(source_names(doc)):
        uri = source_uri(doc, i)
        copy = (f"，本站副本 [{esc(uri)}]({prefix}{uri})" if uri in published_sources(cat)
                else "（本站未发布副本）")
        lines.append(f"- 原文文件：{esc(name)}{copy}，SHA-256 <code class=\"sha256\">{esc(sha)}</code>")
    return lines


def provenance_block(cat: Catalog, doc: dict, prefix: str) -> str:
    """"来源": where the document came from as its maintainer gives it (publisher, title, official
    address, publication and retrieval dates), said plainly where not given, and the files."""
    given = origin_fields(doc)
    lines = []
    for field, label in ORIGIN_LABELS:
        value = given.get(field)
        if field == "source_url":
            lines.append(f"- {label}：{url_link(value) if value else NO_URL}")
        elif value:
            lines.append(f"- {label}：{esc(_date(value) if field.endswith(('published', 'retrieved')) else value)}")
        elif field in ("source_publisher", "source_published", "source_retrieved"):
            lines.append(f"- {label}：未提供")
    intro = ("以下来源信息由维护者提供（源文件旁的 `.source.yml`）。" if given else
             "维护者没有提供这份文件的来源信息（发布单位、官方网址、发布和获取日期）：来源网址未提供。"
             "文件的单位、年度和标题是从原文内容读出的。")
    return ("### 来源 { #provenance }\n\n" + intro + "\n\n"
            + "\n".join(lines + mirror_lines(cat, doc, prefix)) + "\n\n")


def citation(cat: Catalog, doc: dict, page_path: str, prefix: str = "../") -> str:
    """The 来源 block (``provenance_block``) and a "如何引用" that names the original —
    publisher, title, publication date, official address and retrieval date where a
    maintainer gives them, else the bureau and title as printed and 来源网址未提供 — then the
    copy on this site with its sha256, the data package, version and page, and the licence."""
    b = cat.bureaus[doc["bureau_id"]]
    given = origin_fields(doc)
    version = package_version(cat, doc["document_id"])
    publisher = esc(given.get("source_publisher") or b.get("name"))
    title = esc(given.get("source_title") or doc.get("title"))
    when = (f"{_date(given['source_published'])}发布" if "source_published" in given
            else f"{esc(doc.get('year'))} 年度")
    url = given.get("source_url")
    where = url_link(url) if url else NO_URL
    got = f"（{_date(given['source_retrieved'])}获取）" if "source_retrieved" in given else ""
    copies = "、".join(f"`{SITE_URL}{source_uri(doc, i)}`（SHA-256 `{sha}`）" if re.fullmatch("[0-9a-f]{64}", sha) else
                       f"`{SITE_URL}{source_uri(doc, i)}`"
                       for i, (_, sha) in enumerate(source_names(doc)) if source_uri(doc, i) in published_sources(cat))
    files = "、".join(esc(n) for n, _ in source_names(doc))
    text = (f"{publisher}：《{title}》，{when}，{where}{got}。"
            + (f"本站副本：{copies}。" if copies else f"原文文件 {files}。")
            + f"转引自：{SITE_TITLE}，数据包 `{doc['document_id']}`"
            + (f"（数据版本 {esc(version)}）" if version else "") + f"，页面 `{SITE_URL}{page_path}`。")
    return (provenance_block(cat, doc, prefix) + "### 如何引用\n\n" + f"> {text}\n\n"
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
