"""How a fact's figure was read and whether an identity of its tables confirms it — ``Fact.read_by``
and ``Fact.certainty``, decided here and nowhere else (``decide`` asks for every copy it chooses).

- **read by OCR** (``read_by`` ``ocr``): the figure is printed on a page read by OCR
  (``ParsedDocument.ocr_pages``: the pages with a line whose cells came from a page image,
  ``records.Line.ocr``); a table's 合计 row (whose page is given as the table's first) when any
  page of its table was; a derived figure when any figure it adds up was. Pages are numbered per
  file: in a document of two files, a page read by OCR in one marks that page number in both —
  never fewer figures than were read by OCR. Else ``text`` (a text layer or a text extract).
- **confirmed**: an identity holds *exactly* with it — a verify check naming the figure
  (``Check.figures``) passes: a 合计 equal to the sum of its rows, a row's 合计 = 基本支出 + 项目支出,
  two tables printing the same figure — or another table prints the same amount for it (a repair
  that names two figures, a summary's 类 line and the function row made of it, makes them one); a
  derived figure when every figure it adds up is confirmed. Agreement within rounding (check status
  ``rounding``) confirms nothing: an OCR that cuts a last digit (``341. 3`` for 341.39) stays
  within it.
- **a function or economic code read by OCR** must be one the corpus's code list knows under
  that name (``recognize/function_codes.csv``, ``vocabulary``'s official and known names;
  ``recognize/economic_codes.csv``) for its figure to be confirmed: an OCR that reads 2101599
  其他医疗保障管理事务支出 as 2101566, or 30109 职业年金缴费 as 30160, in every table keeps every
  identity (the amounts are right) but answers a question no table asks.
- **certainty**: ``confirmed``; otherwise ``uncertain`` for a figure read by OCR (never published
  as clean), ``unconfirmed`` for one read as text (as printed; no identity holds exactly with it).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..recognize.assign_codes import economic_printed_names, printed_names
from ..records import ParsedDocument
from ..verify.base import same_name
from ..vocabulary import KNOWN_VARIANTS, OFFICIAL_CLASS_NAMES

@dataclass(frozen=True)
class Reading:
    """How one figure was read (``ocr``) and whether an identity confirms it."""

    ocr: bool
    confirmed: bool

    @property
    def read_by(self) -> str:
        return "ocr" if self.ocr else "text"

    @property
    def certainty(self) -> str:
        if self.confirmed:
            return "confirmed"
        return "uncertain" if self.ocr else "unconfirmed"


def combined(readings: Sequence[Reading]) -> Reading:
    """The reading of a sum: read by OCR if any term was, confirmed if every term is."""
    return Reading(any(r.ocr for r in readings), bool(readings) and all(r.confirmed for r in readings))


class Readings:
    """What one document tells of every figure's reading (made once per document, after verify)."""

    def __init__(self, doc: ParsedDocument):
        self.ocr_pages = doc.ocr_pages
        self.confirmed = {ref for c in doc.checks if c.status == "pass" for ref in c.figures}
        for c in doc.checks:  # a repair's figures are one printed figure (a 类 line given its code)
            if c.status == "repaired" and self.confirmed & set(c.figures):
                self.confirmed.update(c.figures)
        self.table_pages: dict[str, set] = {}
        if self.ocr_pages:  # a table's pages: where it starts and where its rows are printed
            for t in doc.tables:
                self.table_pages.setdefault(t.table, set()).add(t.source_page)
            for r in (*doc.function_rows, *doc.economic_rows, *doc.summary_lines, *doc.three_public):
                self.table_pages.setdefault(r.table, set()).add(r.source_page)

    def of(self, ref: tuple, page: int | None, amount: Decimal,
           others: Iterable[tuple[str, Decimal]] = (), coded: tuple[str, str, str] | None = None) -> Reading:
        """The reading of the printed figure ``ref`` (a ``verify.base.FigureRef``) of ``amount``
        on ``page``; ``others``: (table, amount) of the other printed copies of the same figure;
        ``coded``: (dimension, code, name) of the figure (``known_code``)."""
        table, key = ref[0], ref[1]
        ocr = page in self.ocr_pages or (key == "" and bool(self.table_pages.get(table, set()) & self.ocr_pages))
        agreed = any(t != table and a == amount for t, a in others)
        known = not ocr or coded is None or known_code(*coded)
        return Reading(ocr, (ref in self.confirmed or agreed) and known)


def known_code(dimension: str, code: str, name: str) -> bool:
    """Does the corpus's code list of ``dimension`` (``function``, ``economic``) know ``code``
    by the name ``name`` (or a variant of it)? Other dimensions have no code to know."""
    if dimension == "function":
        return known_function(code, name)
    if dimension == "economic":
        return any(same_name(name, n) for n in economic_printed_names().get(code, ()))
    return True


def known_function(code: str, name: str) -> bool:
    """Does the corpus's code list know ``code`` by the name ``name`` (or a variant of it)?"""
    names = (printed_names().get(code), OFFICIAL_CLASS_NAMES.get(code), *KNOWN_VARIANTS.get(code, ()))
    return any(n is not None and same_name(name, n) for n in names)

