"""Where a page links to: other pages (documents, the check rules), the CSV files of a
package, and the labels those links carry. Links between generated pages are relative ``.md``
paths; ``prefix`` leads from the page to the site root."""
from __future__ import annotations

import re
from collections import defaultdict

from ...vocabulary import TABLE_NAMES, TABLE_ORDER
from ..catalog import Catalog
from ..format import doc_label, esc


CHARTS_DIR = "charts"  # charts/<bureau_id>/<slug>.svg|.csv, charts/comparison/<slug>.svg|.csv


CHECKS_PAGE = "checks.md"  # the page that explains every check id (pages/checks.py)


def region(bureau: dict) -> str:
    parts = [bureau.get(k) or "" for k in ("province", "prefecture", "county")]
    parts = [p for i, p in enumerate(parts) if p and p not in parts[:i]]
    return " ".join(parts)


def table_title(cat: Catalog, document_id: str, table: str) -> str:
    for t in cat.rows(document_id, "tables"):
        if t.get("table") == table and t.get("title"):
            return t["title"]
    return TABLE_NAMES.get(table, table)


def by_table(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r.get("table") or ""].append(r)
    order = {t: i for i, t in enumerate(TABLE_ORDER)}
    return sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def csv_link(cat: Catalog, document_id: str, resource: str, prefix: str) -> str:
    """Markdown link to the per-document package CSV (copied to ``data/<id>/``), or ''."""
    package = document_id if document_id in cat.packages else None
    if package is None or cat.csv_path(package, resource) is None:
        return ""
    return f"[下载 CSV（{resource}.csv）]({prefix}data/{document_id}/{resource}.csv)"


def check_link(check: str, prefix: str) -> str:
    """A check id linked to its rule; it may wrap only after a ``.`` or ``_`` (``<wbr>``), so a
    narrow column shows ``cross.`` / ``summary_`` / ``vs_income``, never ``cross.su`` / ``mmary``."""
    cid = check or ""
    if not re.fullmatch(r"[a-z0-9_.]+", cid):
        return esc(cid)
    label = re.sub(r"([._])", r"\1<wbr>", cid)
    return f'[<code class="check-id">{label}</code>]({prefix}{CHECKS_PAGE}#{cid})'


def no_search(search: bool) -> str:
    """attr_list suffix that keeps a section out of Material's search index (used on document
    pages for the tables the bureau page already shows, so each figure is found once)."""
    return "" if search else " { data-search-exclude }"


def doc_title(cat: Catalog, doc: dict) -> str:
    bureau = cat.bureaus.get(doc.get("bureau_id"), {})
    return f"{bureau.get('name') or doc.get('bureau_id', '')} {doc_label(doc)}"


def doc_link(cat: Catalog, doc: dict, prefix: str = "") -> str:
    return f"[{esc(doc_title(cat, doc))}]({prefix}documents/{doc['document_id']}.md)"


def doc_order(cat: Catalog, document_id: str) -> tuple[int, str]:
    for i, d in enumerate(cat.documents):
        if d["document_id"] == document_id:
            return i, document_id
    return len(cat.documents), document_id
