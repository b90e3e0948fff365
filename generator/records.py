"""Plain typed records passed between the pipeline stages.

ingest -> ``IngestedDocument`` (lines of cells, with the page each came from)
recognize -> ``ParsedDocument`` (contract rows: function/economic spending, summary, ...)
verify -> ``ParsedDocument`` with ``checks`` filled and repairs applied
facts -> ``ParsedDocument`` with ``facts``: one canonical figure per question
package -> Frictionless packages under ``datapackages/``
publish -> Markdown pages and the MkDocs site

Amounts are ``decimal.Decimal`` in 万元 once recognized (exact, never floats).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True)
class SourceFile:
    """One file under ``documents/`` that a document was read from."""

    name: str  # file name, relative to the documents directory
    sha256: str
    format: str  # "pdf" | "pdf-ocr" (some pages read by OCR) | "text"
    pages: int | None = None  # page count of a PDF


@dataclass(frozen=True)
class Line:
    """One line of a disclosure, split into cells.

    ``cells`` keeps empty strings where the layout shows an empty cell (tab-separated text,
    pipe tables, ruled PDF tables): then ``positional`` is True and a value's index says its
    column. Text split on runs of spaces loses empty cells: ``positional`` is False and the
    recognizer decides columns by arithmetic. A line of prose is one cell.
    """

    cells: tuple[str, ...]
    text: str  # the line as printed (cells joined), used for titles and narrative
    page: int | None = None  # 1-based page of the PDF; None for text sources
    positional: bool = False
    source: str = ""  # file name the line comes from (a document may have two files)
    ocr: bool = False  # the cells were read by OCR from a page image (``ingest.ocr``), not from a text layer


@dataclass(frozen=True)
class Waiver:
    """One entry of a maintainer's waivers file ``<file>.waivers.yml`` (read by ``ingest.files``,
    applied by ``verify.waivers``): a failed check of ``check`` (on ``page``, its message, quote,
    expected or actual containing ``match``, where given) is a known finding, shown as waived
    with ``reason``."""

    file: str  # the waivers file's name
    entry: int  # 1-based position in its list
    line: int | None  # line of the file the entry starts on
    check: str
    reason: str
    page: int | None = None
    match: str | None = None

    def where(self) -> str:
        """``x.pdf.waivers.yml: entry 2 (line 5)``, for messages."""
        return f"{self.file}: entry {self.entry}" + (f" (line {self.line})" if self.line else "")


@dataclass(frozen=True)
class IngestedDocument:
    """A disclosure as lines, before anything is recognized."""

    document_key: str  # file stem (or shared stem of a tables + narrative pair)
    sources: tuple[SourceFile, ...]
    lines: tuple[Line, ...]
    control_characters: int = 0  # NUL, bidi and other controls removed from the text (ingest.clean)
    # the maintainer's sidecar(s) ``<file>.source.yml``: (DocumentMeta field, value), validated
    provenance: tuple[tuple[str, str], ...] = ()
    # the maintainer's waivers ``<file>.waivers.yml`` of every file of the document, in file order
    waivers: tuple[Waiver, ...] = ()


class IngestError(Exception):
    """A file that cannot be read as a budget disclosure; names the file and the reason."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


#: the start of a warning about a waiver that matches no failed check (``verify.waivers``)
STALE_WAIVER_PREFIX = "stale waiver: "


# ------------------------------------------------------------------------ recognize


@dataclass(frozen=True)
class Bureau:
    bureau_id: str
    name: str
    province: str | None
    prefecture: str | None
    county: str | None
    level: str  # central | province | prefecture | county
    division_code: str | None


@dataclass(frozen=True)
class DocumentMeta:
    document_id: str
    bureau_id: str
    title: str
    year: int
    phase: str  # budget | final
    scope: str  # department | unit
    source_files: tuple[str, ...]
    source_sha256: tuple[str, ...]
    source_format: str  # pdf | pdf-ocr | text
    source_unit: str  # 元 | 万元
    # provenance from the maintainer's sidecar ``<file>.source.yml`` (ingest.files); None: not given
    source_publisher: str | None = None  # 发布单位
    source_url: str | None = None  # the official http(s) address of the original
    source_published: str | None = None  # publication date, YYYY-MM-DD
    source_retrieved: str | None = None  # retrieval date, YYYY-MM-DD
    source_title: str | None = None  # the original's title where the publisher's page names it so
    source_note: str | None = None


@dataclass(frozen=True)
class TableInfo:
    document_id: str
    table: str  # canonical id (DATA-CONTRACT.md)
    title: str
    source_page: int | None
    rows: int
    empty: bool
    empty_reason: str | None
    unit: str | None = None
    # the printed 合计 row of the table (万元), where it has one
    total: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    personnel: Decimal | None = None
    public: Decimal | None = None
    # 单位预留机动经费 (江苏's 支出预算总表: 合计 | 基本支出 | 项目支出 | 单位预留机动经费): the part of
    # 合计 held back for the year's unforeseen staff costs, besides 基本支出 and 项目支出
    reserve: Decimal | None = None
    # the table prints its figures under 合计 headings only, no classification rows (北京's 收入总表)
    totals_only: bool = False
    # the table prints its 合计 row with every figure cell blank (verify.cells: cells.blank_total)
    blank_total: bool = False
    # the negative figures the table prints where none can be (not under a heading of changes or
    # balances, vocabulary.SIGNED_WORDS): (row label, column heading, cell as printed, page), for
    # cells.negative_amount
    negatives: tuple[tuple[str, str, str, int | None], ...] = ()
    # the 合计 cells a row leaves blank while the figures it totals print amounts: (row label,
    # column heading, page), for cells.blank_total
    blank_total_cells: tuple[tuple[str, str, int | None], ...] = ()
    # the classification rows printed with code and name and no figure at all: (code, name, page),
    # for cells.blank_row (none where the table prints the classification as a fixed list)
    blank_rows: tuple[tuple[str, str, int | None], ...] = ()


@dataclass(frozen=True)
class FunctionRow:
    document_id: str
    table: str
    code: str
    name: str
    level: str  # class | section | item
    total: Decimal | None
    basic: Decimal | None
    project: Decimal | None
    source_page: int | None
    # the check id of the verify repair that gave this row its code (``repair.code_truncated``,
    # ``repair.code_assigned``), or ''
    repair: str = ""


@dataclass(frozen=True)
class EconomicRow:
    document_id: str
    table: str
    code: str
    name: str
    level: str  # class | item
    total: Decimal | None
    personnel: Decimal | None
    public: Decimal | None
    source_page: int | None
    # the project part (专项业务经费) a 一般公共预算支出表 by economic class may print beside
    # 人员经费 and 公用经费 (not published: the contract's economic rows are basic spending's split)
    project: Decimal | None = None


@dataclass(frozen=True)
class SummaryLine:
    document_id: str
    table: str  # summary | fiscal_summary
    side: str  # income | expenditure
    item: str
    amount: Decimal | None
    source_page: int | None
    # the amounts a 财政拨款收支总表 whose 支出 side is split by fund prints in each fund's column
    # (``vocabulary.FUNDS``: general_public, government_fund, state_capital; None: printed blank);
    # empty when the table prints one column. Not published: the contract's line has one amount
    funds: tuple[tuple[str, Decimal | None], ...] = ()
    # the check id of the verify repair that replaced its amount (``repair.truncated_amount``)
    # or gave it a code, or ''
    repair: str = ""


@dataclass(frozen=True)
class ThreePublicRow:
    document_id: str
    item: str  # overseas_travel | vehicle_purchase | vehicle_operation | reception | total
    measure: str  # budget | final
    amount: Decimal
    source_page: int | None
    table: str = "three_public"  # or narrative


@dataclass(frozen=True)
class ProjectRow:
    document_id: str
    project: str
    unit: str | None
    amount: Decimal | None
    source_page: int | None
    table: str = "projects"


@dataclass(frozen=True)
class PerformanceTarget:
    document_id: str
    project: str
    level1: str | None
    level2: str | None
    indicator: str
    target: str | None
    actual: str | None
    source_page: int | None


@dataclass(frozen=True)
class Check:
    document_id: str
    check: str  # check id
    status: str  # pass | fail | repaired | rounding | not_applicable | insufficient_data | waived
    table: str | None
    expected: str | None
    actual: str | None
    message: str
    source_page: int | None
    severity: str = "error"  # error | warning | note (verify.base.SEVERITIES), from the check's definition
    quote: str | None = None  # the words of the document the finding is about, as printed
    suggestion: str | None = None  # what the publisher should do (else the definition's suggestion)
    waiver: str | None = None  # status ``waived``: the maintainer's reason (``<file>.waivers.yml``)
    # the printed figures the check's identity compares (``verify.base.FigureRef``: table, row key,
    # column, page); a check that passes exactly confirms each of them (``facts.certainty``). Not published
    figures: tuple[tuple[str, str, str, int | None], ...] = ()


@dataclass(frozen=True)
class NarrativeFact:
    """A figure stated in the narrative: ``行政运行(2101501)81.3261万元``."""

    document_id: str
    topic: str  # what the figure is about (a code, 'total', 'basic', ...)
    amount: Decimal  # 万元
    sentence: str
    source_page: int | None


@dataclass(frozen=True)
class Part:
    """One file of a disclosure published as two (tables, narrative), as far as it tells alone."""

    file: str
    half: str  # tables | narrative
    name: str | None  # the bureau, where the file prints it
    year: int | None
    phase: str | None  # budget | final; None where the file does not say
    totals: frozenset[Decimal]  # total income / expenditure it prints, in 万元 to 2 decimals


@dataclass(frozen=True)
class UnreadableFigure:
    """A cell printed where a figure stands that no amount can be read from (``1,2,3``,
    ``1e308``, ``NaN``): it is read as empty, and verify reports it."""

    table: str
    label: str  # the row's code, else its name
    text: str  # the cell as printed
    source_page: int | None


@dataclass(frozen=True)
class Fact:
    """One canonical figure: the one answer to a question (document, measure, dimension, code,
    part), chosen by ``generator.facts`` from the copies the tables print."""

    document_id: str
    measure: str  # budget | final
    dimension: str  # total | function | economic | three_public
    code: str  # a classification code, or a total / 三公 key (vocabulary.TOTAL_NAMES, THREE_PUBLIC_FACTS)
    part: str  # total | basic | project | personnel | public
    name: str
    level: str | None  # class | section | item (classifications), else None
    amount: Decimal  # 万元
    source_table: str
    source_page: int | None
    basis: str  # printed | derived | repaired
    repair: str | None = None  # the check id that repaired it (basis repaired)
    # other printed copies of the same figure that differ from it: (table, page, amount)
    alternatives: tuple[tuple[str, int | None, Decimal], ...] = ()
    # an alternative differs by more than rounding (verify's tolerance: 2211.8861 and
    # 2211.886134 are one figure printed to 4 and 6 decimals, no conflict)
    conflict: bool = False
    # how its digits were read: ``text`` (a text layer or a text extract) or ``ocr`` (from a page
    # image: a derived figure when any figure it adds up was); and whether an identity confirms it:
    # ``confirmed`` | ``unconfirmed`` (read as text, no identity holds exactly with it) | ``uncertain``
    # (read by OCR, no identity confirms it) — ``facts.certainty``
    read_by: str = "text"
    certainty: str = "unconfirmed"


@dataclass
class ParsedDocument:
    """Everything recognized in one document; verify appends checks and repairs."""

    meta: DocumentMeta
    bureau: Bureau
    tables: list[TableInfo] = field(default_factory=list)
    function_rows: list[FunctionRow] = field(default_factory=list)
    economic_rows: list[EconomicRow] = field(default_factory=list)
    summary_lines: list[SummaryLine] = field(default_factory=list)
    three_public: list[ThreePublicRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)
    performance_targets: list[PerformanceTarget] = field(default_factory=list)
    narrative: list[NarrativeFact] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)  # (term, definition)
    sentences: list[tuple[str, int | None]] = field(default_factory=list)  # narrative, with page
    # for each sentence, where its pages start: ((offset, page), ...) (recognize.narrative.sentence_pages)
    sentence_breaks: list[tuple[tuple[int, int | None], ...]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    control_characters: int = 0  # removed from the text where it entered (IngestedDocument's)
    unreadable_figures: list[UnreadableFigure] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)  # filled by ``generator.facts``
    waivers: list[Waiver] = field(default_factory=list)  # the maintainer's, applied at the end of verify
    # the pages (of any of its files) with a line read by OCR (``Line.ocr``); a figure printed on one
    # was read by OCR (``facts.certainty``)
    ocr_pages: frozenset[int | None] = field(default_factory=frozenset)


@dataclass(frozen=True)
class DocumentSummary:
    """What the stages after parsing need of a document besides its rows: its identity (for the
    package sources, the bureaus and the URL guard), the names it prints for each code (for the
    corpus code lists) and its check counts (for the build report). A rebuild loads the
    summaries of unchanged documents from the parse cache, never their whole records."""

    meta: DocumentMeta
    bureau: Bureau
    tables: tuple[str, ...]  # table ids, in document order
    function_names: tuple[tuple[str, str], ...]  # (code, printed name) of every function row
    economic_names: tuple[tuple[str, str], ...]  # (code, printed name) of every economic row
    checks: int
    failed_checks: tuple[tuple[str, str | None, str], ...]  # (check, table, message); waived ones not
    waived_checks: int = 0  # failed checks a maintainer waived (status ``waived``)
    # the document's waivers (their content decides the package bytes: ``package.cache``) and the
    # warnings about those that match no failed check (stale), shown by every build
    waivers: tuple[Waiver, ...] = ()
    stale_waivers: tuple[str, ...] = ()


def summarize(doc: ParsedDocument | DocumentSummary) -> DocumentSummary:
    """The summary of a parsed document (a summary is returned as it is)."""
    if isinstance(doc, DocumentSummary):
        return doc
    return DocumentSummary(
        meta=doc.meta,
        bureau=doc.bureau,
        tables=tuple(t.table for t in doc.tables),
        function_names=tuple((r.code, r.name) for r in doc.function_rows),
        economic_names=tuple((r.code, r.name) for r in doc.economic_rows),
        checks=len(doc.checks),
        failed_checks=tuple((c.check, c.table, c.message) for c in doc.checks if c.status == "fail"),
        waived_checks=sum(1 for c in doc.checks if c.status == "waived"),
        waivers=tuple(doc.waivers),
        stale_waivers=tuple(w for w in doc.warnings if w.startswith(STALE_WAIVER_PREFIX)),
    )
