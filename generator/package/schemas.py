"""Table Schemas of the published resources (DATA-CONTRACT.md, v1).

One ``ResourceSpec`` per CSV resource: its fields (name, type, Chinese title, description,
constraints), primary key and foreign keys. ``generator.package`` turns records into rows
and these specs into ``datapackage.json``; docs can be generated from the same specs.

Fields beyond the contract's minimum come after the contract's fields (whose order follows
DATA-CONTRACT.md), so positional readers see the contract columns where the contract lists
them: ``tables.unit`` and ``tables.seq``; ``table`` in ``three_public`` and ``projects``;
``row`` in every row resource; and the ``narrative`` and ``glossary`` resources.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

# Canonical table ids (DATA-CONTRACT.md, "Canonical table ids").
TABLE_IDS: tuple[str, ...] = (
    "summary", "income", "expenditure", "fiscal_summary", "general_public_function",
    "general_public_economic", "basic_economic", "government_fund", "state_capital", "three_public",
    "operating_costs", "procurement", "purchased_services", "projects", "performance_targets", "assets",
    # beyond the contract's list: tables some templates add
    "basic_function",  # 一般公共预算基本支出表（按支出功能分类科目）
    "government_fund_three_public",  # 政府性基金预算"三公"经费支出表
    "project_economic",  # 一般公共预算项目支出表（按经济分类科目）
)
# A row's ``table`` may also say the figure was read from the narrative.
ROW_TABLE_IDS: tuple[str, ...] = TABLE_IDS + ("narrative",)

CHECK_STATUSES: tuple[str, ...] = ("pass", "fail", "repaired", "rounding", "not_applicable",
                                  "insufficient_data", "waived")
CHECK_SEVERITIES: tuple[str, ...] = ("error", "warning", "note")
CERTAINTIES: tuple[str, ...] = ("confirmed", "unconfirmed", "uncertain")  # facts.certainty (generator.facts.certainty)


def _severity() -> "FieldSpec":
    return FieldSpec("severity", "string", "严重程度", "`error` (a figure or statement is wrong: correct it "
                     "before publication), `warning` (probably wrong, or a required part missing: a reviewer "
                     "decides) or `note` (wording and form).", required=True, enum=CHECK_SEVERITIES)


@dataclass(frozen=True)
class FieldSpec:
    """A field; ``extra``: more descriptor properties, e.g. the Fiscal Data Package's ``columnType``."""
    name: str
    type: str  # string | integer | number | boolean
    title: str  # Chinese, as a reader of the disclosure would say it
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | None = None
    extra: Mapping[str, Any] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        if self.extra is not None:  # written after description: never one of the properties set here
            if {"name", "type", "title", "description", "constraints", "format"} & set(self.extra):
                raise ValueError(f"field {self.name!r}: extra {sorted(self.extra)} overrides a property")
            object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    def to_descriptor(self) -> dict[str, Any]:
        descriptor: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        descriptor.update(self.extra or {})
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor


@dataclass(frozen=True)
class ResourceSpec:
    name: str
    title: str
    description: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (field, resource): same-named field there
    field_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(f.name for f in self.fields)
        object.__setattr__(self, "field_names", names)
        missing = [k for k in self.primary_key if k not in names]
        if missing:
            raise ValueError(f"resource {self.name!r}: primary key fields {missing} not in fields")
        for fk, _ in self.foreign_keys:
            if fk not in names:
                raise ValueError(f"resource {self.name!r}: foreign key field {fk!r} not in fields")

    def schema_descriptor(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [f.to_descriptor() for f in self.fields],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [fk], "reference": {"resource": res, "fields": [fk]}}
                for fk, res in self.foreign_keys
            ]
        return schema


# ------------------------------------------------------------------ shared fields

_CODE_PATTERN_FUNCTION = r"[0-9]{3}([0-9]{2}){0,2}"
_CODE_PATTERN_ECONOMIC = r"[0-9]{3}([0-9]{2})?"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _document_id() -> FieldSpec:
    return FieldSpec(
        "document_id", "string", "文件编号",
        "Stable ASCII slug of the source document; refers to documents.document_id.",
        required=True,
    )


def _table(ids: tuple[str, ...] = ROW_TABLE_IDS) -> FieldSpec:
    return FieldSpec(
        "table", "string", "来源表",
        "Canonical id of the table the row comes from (DATA-CONTRACT.md), "
        "or `narrative` when the figure was read from the explanatory text.",
        required=True, enum=ids,
    )


def _row() -> FieldSpec:
    return FieldSpec(
        "row", "integer", "行序号",
        "1-based order of the row within its document and table, as printed.",
        required=True, minimum=1,
    )


def _source_page() -> FieldSpec:
    return FieldSpec(
        "source_page", "integer", "来源页码",
        "1-based page of the PDF the row was read from; empty for text sources.",
        minimum=1,
    )


def _amount(name: str, title: str, what: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(
        name, "number", title,
        f"{what}, in 万元 (ten thousand yuan), exact decimal; a source printed in 元 is "
        "divided by 10000 exactly. Empty when the source leaves the cell blank.",
        required=required,
    )


# ------------------------------------------------------------------ resources

DOCUMENTS = ResourceSpec(
    name="documents",
    title="公开文件",
    description="One row per source document (a disclosure published as tables and "
    "narrative in two files is one document).",
    fields=(
        _document_id(),
        FieldSpec("bureau_id", "string", "单位编号",
                  "Publishing bureau; refers to bureaus.bureau_id.", required=True),
        FieldSpec("title", "string", "文件标题", "Title as printed.", required=True),
        FieldSpec("year", "integer", "预算年度",
                  "Fiscal year of the content (not of the file name).", required=True),
        FieldSpec("phase", "string", "预决算",
                  "`budget` (预算) or `final` (决算).", required=True, enum=("budget", "final")),
        FieldSpec("scope", "string", "公开范围",
                  "`department` (部门, with subordinate units) or `unit` (单位).",
                  required=True, enum=("department", "unit")),
        FieldSpec("source_files", "string", "源文件",
                  "File name(s) under documents/, `;`-separated.", required=True),
        FieldSpec("source_sha256", "string", "源文件SHA-256",
                  "SHA-256 (hex) of each source file, `;`-separated, same order as source_files.",
                  required=True),
        FieldSpec("source_format", "string", "源文件格式",
                  "Format of the source: `pdf`, `pdf-ocr` (a PDF some of whose pages have no text "
                  "layer and were read by OCR: their figures are marked in facts), `text` or `html`.",
                  required=True, enum=("pdf", "pdf-ocr", "text", "html")),
        FieldSpec("source_unit", "string", "金额单位",
                  "Unit the main tables print (`元` or `万元`); amounts here are always 万元.",
                  required=True, enum=("元", "万元")),
        # provenance, from the maintainer's sidecar `<file>.source.yml`; empty when none gives it
        *(FieldSpec(f"source_{k}", "string", t, f"{d} (from the maintainer's sidecar "
                    "`<file>.source.yml`); empty when not given.", pattern=p) for k, t, d, p in (
            ("publisher", "发布单位", "Who published the original, as the publisher names itself", None),
            ("title", "原文标题", "Title of the original on the publisher's page", None),
            ("url", "官方网址", "Official http(s) address of the original", r"https?://\S+"),
            ("published", "发布日期", "Publication date, YYYY-MM-DD", _DATE),
            ("retrieved", "获取日期", "Date the copy was retrieved, YYYY-MM-DD", _DATE),
            ("note", "来源备注", "The maintainer's note on the origin", None))),
    ),
    primary_key=("document_id",),
    foreign_keys=(("bureau_id", "bureaus"),),
)

BUREAUS = ResourceSpec(
    name="bureaus",
    title="预算单位",
    description="The bureaus (departments and units) that published the documents.",
    fields=(
        FieldSpec("bureau_id", "string", "单位编号", "Stable ASCII slug of the bureau.",
                  required=True),
        FieldSpec("name", "string", "单位名称", "Name as printed, e.g. 凤县医疗保障局.",
                  required=True),
        FieldSpec("province", "string", "省", "Province (省级行政区); empty for central bureaus."),
        FieldSpec("prefecture", "string", "市", "Prefecture (地级行政区), if any."),
        FieldSpec("county", "string", "县", "County (县级行政区), if any."),
        FieldSpec("level", "string", "行政级别",
                  "`central`, `province`, `prefecture` or `county`.",
                  required=True, enum=("central", "province", "prefecture", "county")),
        FieldSpec("division_code", "string", "行政区划代码",
                  "6-digit administrative division code (行政区划代码), if known.",
                  pattern=r"[0-9]{6}"),
    ),
    primary_key=("bureau_id",),
)

TABLES = ResourceSpec(
    name="tables",
    title="公开报表",
    description="One row per standard table found in a document.",
    fields=(
        _document_id(),
        _table(TABLE_IDS),
        FieldSpec("title", "string", "表名", "Title as printed."),
        _source_page(),
        FieldSpec("rows", "integer", "行数", "Number of data rows read from the table.",
                  required=True, minimum=0),
        FieldSpec("empty", "boolean", "是否空表", "Published as an empty table.",
                  required=True),
        FieldSpec("empty_reason", "string", "空表说明",
                  "The printed note on an empty table, e.g. 本单位无政府性基金预算收支."),
        FieldSpec("unit", "string", "表内单位",
                  "Unit the table prints (`元` or `万元`), if stated.", enum=("元", "万元")),
        FieldSpec("seq", "integer", "同类表序号",
                  "1-based occurrence of this table id within the document, in document order "
                  "(a document may print two tables of one kind, e.g. 表13-1 and 表13-2).",
                  required=True, minimum=1),
        _amount("total", "合计", "The table's printed 合计 row: total (万元)"),
        _amount("basic", "基本支出", "The table's printed 合计 row: basic spending (万元)"),
        _amount("project", "项目支出", "The table's printed 合计 row: project spending (万元)"),
        _amount("personnel", "人员经费", "The table's printed 合计 row: personnel (万元)"),
        _amount("public", "公用经费", "The table's printed 合计 row: public funds (万元)"),
        _amount("reserve", "单位预留机动经费",
                "The table's printed 合计 row: the unit's reserve for unforeseen costs (单位预留机动经费), "
                "a part of 合计 besides 基本支出 and 项目支出 (万元)"),
    ),
    primary_key=("document_id", "table", "seq"),
    foreign_keys=(("document_id", "documents"),),
)

FUNCTION_EXPENDITURE = ResourceSpec(
    name="function_expenditure",
    title="支出功能分类",
    description="Spending by function class (支出功能分类科目).",
    fields=(
        _document_id(),
        _table(),
        FieldSpec("code", "string", "科目编码",
                  "3 (类), 5 (款) or 7 (项) digits, repaired where the source truncated it.",
                  required=True, pattern=_CODE_PATTERN_FUNCTION),
        FieldSpec("name", "string", "科目名称", "As printed, whitespace removed.", required=True),
        FieldSpec("level", "string", "科目级次", "`class` (类), `section` (款) or `item` (项).",
                  required=True, enum=("class", "section", "item")),
        _amount("total", "合计", "Total (合计)"),
        _amount("basic", "基本支出", "Basic spending (基本支出)"),
        _amount("project", "项目支出", "Project spending (项目支出)"),
        _source_page(),
        _row(),
    ),
    primary_key=("document_id", "table", "row"),
    foreign_keys=(("document_id", "documents"), ("code", "function_codes")),
)

ECONOMIC_EXPENDITURE = ResourceSpec(
    name="economic_expenditure",
    title="支出经济分类",
    description="Basic spending by economic class (支出经济分类科目).",
    fields=(
        _document_id(),
        _table(),
        FieldSpec("code", "string", "科目编码", "3 (类) or 5 (款) digits, e.g. 301, 30101.",
                  required=True, pattern=_CODE_PATTERN_ECONOMIC),
        FieldSpec("name", "string", "科目名称", "As printed, whitespace removed.", required=True),
        FieldSpec("level", "string", "科目级次", "`class` (类) or `item` (款).",
                  required=True, enum=("class", "item")),
        _amount("total", "合计", "Total (合计)"),
        _amount("personnel", "人员经费", "Personnel spending (人员经费)"),
        _amount("public", "公用经费", "Public (office) spending (公用经费)"),
        _source_page(),
        _row(),
    ),
    primary_key=("document_id", "table", "row"),
    foreign_keys=(("document_id", "documents"), ("code", "economic_codes")),
)

SUMMARY = ResourceSpec(
    name="summary",
    title="收支总表",
    description="Lines of the income/expenditure summary tables (收支总表, 财政拨款收支总表).",
    fields=(
        _document_id(),
        _table(),
        FieldSpec("side", "string", "收支", "`income` (收入) or `expenditure` (支出).",
                  required=True, enum=("income", "expenditure")),
        FieldSpec("item", "string", "项目", "Line item as printed.", required=True),
        _amount("amount", "金额", "Amount"),
        _source_page(),
        _row(),
    ),
    primary_key=("document_id", "table", "row"),
    foreign_keys=(("document_id", "documents"),),
)

THREE_PUBLIC = ResourceSpec(
    name="three_public",
    title="“三公”经费",
    description="\"Three public\" spending: overseas travel, vehicles, official reception.",
    fields=(
        _document_id(),
        FieldSpec("item", "string", "项目",
                  "`overseas_travel` (因公出国(境)费), `vehicle_purchase` (公务用车购置费), "
                  "`vehicle_operation` (公务用车运行维护费), `reception` (公务接待费) or `total`.",
                  required=True,
                  enum=("overseas_travel", "vehicle_purchase", "vehicle_operation",
                        "reception", "total")),
        FieldSpec("measure", "string", "口径", "`budget` (预算数) or `final` (决算数).",
                  required=True, enum=("budget", "final")),
        _amount("amount", "金额", "Amount", required=True),
        _source_page(),
        _table(),
        _row(),
    ),
    primary_key=("document_id", "table", "row"),
    foreign_keys=(("document_id", "documents"),),
)

PROJECTS = ResourceSpec(
    name="projects",
    title="项目支出",
    description="Project spending (项目支出).",
    fields=(
        _document_id(),
        FieldSpec("project", "string", "项目名称", "Project name as printed.", required=True),
        FieldSpec("unit", "string", "实施单位", "Implementing unit, if printed."),
        _amount("amount", "金额", "Amount"),
        _source_page(),
        _table(),
        _row(),
    ),
    primary_key=("document_id", "table", "row"),
    foreign_keys=(("document_id", "documents"),),
)

PERFORMANCE_TARGETS = ResourceSpec(
    name="performance_targets",
    title="绩效目标",
    description="Performance targets (绩效目标) and self-evaluations (绩效自评).",
    fields=(
        _document_id(),
        FieldSpec("project", "string", "项目名称", "Project (or 整体支出) the target belongs to.",
                  required=True),
        FieldSpec("level1", "string", "一级指标", "First-level indicator, e.g. 产出指标."),
        FieldSpec("level2", "string", "二级指标", "Second-level indicator, e.g. 数量指标."),
        FieldSpec("indicator", "string", "三级指标", "Indicator as printed.", required=True),
        FieldSpec("target", "string", "指标值", "Target value, text as printed."),
        FieldSpec("actual", "string", "实际完成值", "Actual value (决算), text as printed."),
        _source_page(),
        FieldSpec("row", "integer", "行序号",
                  "1-based order of the row within its document, as printed.",
                  required=True, minimum=1),
    ),
    primary_key=("document_id", "row"),
    foreign_keys=(("document_id", "documents"),),
)

CHECKS = ResourceSpec(
    name="checks",
    title="校验结果",
    description="One row per verification of a document's figures.",
    fields=(
        _document_id(),
        FieldSpec("check", "string", "校验项", "Check id.", required=True),
        FieldSpec("status", "string", "结果",
                  "`pass`, `fail`, `repaired` (source figure corrected), `rounding` (differs by "
                  "rounding only), `not_applicable`, `insufficient_data` or `waived` (a failure the "
                  "maintainer waived, with the reason in `waiver`).",
                  required=True, enum=CHECK_STATUSES),
        FieldSpec("table", "string", "来源表", "Canonical id of the table checked, if one.",
                  enum=ROW_TABLE_IDS),
        FieldSpec("expected", "string", "应为", "Expected value, as text."),
        FieldSpec("actual", "string", "实际", "Value found, as text."),
        FieldSpec("message", "string", "说明", "One sentence, Chinese or English.",
                  required=True),
        _source_page(),
        _severity(),
        FieldSpec("quote", "string", "原文", "The document's words the finding is about, as printed."),
        FieldSpec("suggestion", "string", "修改建议",
                  "What the publisher should do, where this finding says more than its definition."),
        FieldSpec("waiver", "string", "豁免理由",
                  "For `waived`: the maintainer's reason, from the waivers file next to the document."),
        FieldSpec("row", "integer", "行序号", "1-based order of the check within its document.",
                  required=True, minimum=1),
    ),
    primary_key=("document_id", "row"),
    foreign_keys=(("document_id", "documents"), ("check", "check_definitions")),
)

NARRATIVE = ResourceSpec(
    name="narrative",
    title="文字说明中的金额",
    description="Figures stated in the explanatory text, e.g. 行政运行(2101501)81.3261万元.",
    fields=(
        _document_id(),
        FieldSpec("topic", "string", "所指",
                  "What the figure is about: a function code, `total`, `basic`, ...",
                  required=True),
        _amount("amount", "金额", "Amount", required=True),
        FieldSpec("sentence", "string", "原文", "The sentence stating the figure.",
                  required=True),
        _source_page(),
        FieldSpec("row", "integer", "行序号", "1-based order of the figure within its document.",
                  required=True, minimum=1),
    ),
    primary_key=("document_id", "row"),
    foreign_keys=(("document_id", "documents"),),
)

GLOSSARY = ResourceSpec(
    name="glossary",
    title="名词解释",
    description="Terms explained by the document (专业名词解释).",
    fields=(
        _document_id(),
        FieldSpec("term", "string", "名词", "Term as printed.", required=True),
        FieldSpec("definition", "string", "解释", "Explanation as printed."),
        FieldSpec("row", "integer", "行序号", "1-based order of the term within its document.",
                  required=True, minimum=1),
    ),
    primary_key=("document_id", "row"),
    foreign_keys=(("document_id", "documents"),),
)

FACTS = ResourceSpec(
    name="facts",
    title="核心数字",
    description="One canonical figure per question: for each document, measure (budget / final), "
    "dimension, code and part exactly one amount, chosen from the copies the tables print by one "
    "preference order. Totals: `expenditure` is 本年支出合计 of the 收支总表, else the 合计 of the "
    "支出总表 (all funds); `general_public` the 合计 of the 一般公共预算支出表 (function, else economic "
    "classification), else the 一般公共预算 column of the 财政拨款收支总表; `basic`/`project` those of "
    "the 一般公共预算支出表, else the 合计 of the 基本支出表/项目支出表 (economic), else the 支出总表's, "
    "else the text's; `personnel`/`public` the 合计 row of the 基本支出表, else of the 一般公共预算支出表 "
    "(economic), else the text's. Function and economic figures: every row of one table per document "
    "— function: the 一般公共预算支出表, else the 支出总表, else the 收入总表, 基本支出表 (function), "
    "政府性基金 and 国有资本经营 tables, else the 类 lines of the summary tables, else the text; economic: "
    "the 基本支出表, else the 一般公共预算支出表 (economic), else the text — so a document's figures of "
    "one dimension never mix tables; `source_table` says which. A 类 the table does not print is "
    "taken from the summary table of the same money (收支总表 for the 支出总表; 财政拨款收支总表 for the "
    "一般公共预算支出表 when all its money is 一般公共预算), else it and a missing 款 are the sum of their "
    "printed children (`derived`); a total is never recomputed where one is printed. 三公: the "
    "“三公”经费表 per measure (a 决算 prints 预算数 and 决算数), else the text; 机关运行经费 from its table.",
    fields=(
        _document_id(),
        FieldSpec("measure", "string", "口径",
                  "`budget` (预算数) or `final` (决算数). A 决算's 预算数 columns (e.g. of the 三公 table) "
                  "are `budget` figures of the same document. As a Fiscal Data Package phase, `budget` is the "
                  "approved budget (预算 as approved by the 人民代表大会, OpenSpending's `approved`) and `final` the "
                  "executed one (决算, OpenSpending's `executed`).", required=True, enum=("budget", "final"),
                  extra={"columnType": "phase:id"}),
        FieldSpec("dimension", "string", "维度",
                  "`total` (document totals), `function` (支出功能分类), `economic` (支出经济分类) or "
                  "`three_public` (“三公”经费 and 机关运行经费).", required=True,
                  enum=("total", "function", "economic", "three_public")),
        FieldSpec("code", "string", "编码",
                  "function: the 3, 5 or 7-digit code; economic: the 3 or 5-digit code; total: `expenditure` "
                  "(本年支出合计), `general_public` (一般公共预算支出合计), `basic` (基本支出), `project` (项目支出), "
                  "`personnel` (人员经费) or `public` (公用经费); three_public: `total`, `overseas_travel`, "
                  "`vehicle_purchase`, `vehicle_operation`, `reception` or `operating_costs` (机关运行经费).",
                  required=True),
        FieldSpec("part", "string", "部分",
                  "`total` (合计), `basic`/`project` (基本支出/项目支出, function) or `personnel`/`public` "
                  "(人员经费/公用经费, economic); `total` for the other dimensions.", required=True,
                  enum=("total", "basic", "project", "personnel", "public")),
        FieldSpec("name", "string", "名称",
                  "The classification name as printed (whitespace removed); for totals and 三公 its Chinese name."),
        FieldSpec("level", "string", "科目级次",
                  "`class` (类), `section` (款) or `item` (项) for classification codes; empty otherwise.",
                  enum=("class", "section", "item")),
        FieldSpec("amount", "number", "金额",
                  "The figure, in 万元 (ten thousand yuan), exact decimal; a source printed in 元 is divided by "
                  "10000 exactly. As a Fiscal Data Package `value`: currency CNY, factor 10000 (amount × 10000 = "
                  "yuan), direction expenditure.", required=True,
                  extra={"columnType": "value", "currency": "CNY", "factor": 10000, "direction": "expenditure"}),
        FieldSpec("source_table", "string", "来源表",
                  "Canonical id of the table the figure is read from, `narrative` for the explanatory text.",
                  required=True, enum=ROW_TABLE_IDS),
        _source_page(),
        FieldSpec("basis", "string", "取得方式",
                  "`printed` (as printed), `derived` (the sum of its printed children: a 类 or 款 the table "
                  "prints only as its 项, or a total no table prints) or `repaired` (verify repaired the "
                  "figure or gave it its code; `repair` names the check).", required=True,
                  enum=("printed", "derived", "repaired")),
        FieldSpec("repair", "string", "修复校验项",
                  "For `repaired`: the check id that repaired it (see check_definitions)."),
        FieldSpec("conflict", "boolean", "存在矛盾",
                  "True where another printed copy of this figure (in another table of the document) "
                  "differs from it by more than rounding (the checks' tolerance).", required=True),
        FieldSpec("alternatives", "string", "其他印出值",
                  "The other printed copies that differ from `amount` (by rounding too, e.g. 2211.886134 "
                  "beside 2211.8861), as `table:page:amount`, `;`-separated (page empty for text sources)."),
        FieldSpec("year", "integer", "年度", "Fiscal year of the document (documents.year).", required=True,
                  extra={"columnType": "date:fiscal-year"}),
        FieldSpec("function_class", "string", "功能分类类",
                  "function: the 类 (first 3 digits) of `code`.", pattern=r"[0-9]{3}",
                  extra={"columnType": "functional-classification:generic:level1:code"}),
        FieldSpec("function_section", "string", "功能分类款",
                  "function: the 款 (first 5 digits) of a 款 or 项 code.", pattern=r"[0-9]{5}",
                  extra={"columnType": "functional-classification:generic:level2:code"}),
        FieldSpec("function_item", "string", "功能分类项", "function: the 7-digit 项 code.",
                  pattern=r"[0-9]{7}", extra={"columnType": "functional-classification:generic:level3:code"}),
        FieldSpec("economic_class", "string", "经济分类类",
                  "economic: the 类 (first 3 digits) of `code`.", pattern=r"[0-9]{3}",
                  extra={"columnType": "economic-classification:generic:level1:code"}),
        FieldSpec("economic_item", "string", "经济分类款", "economic: the 5-digit 款 code.",
                  pattern=r"[0-9]{5}", extra={"columnType": "economic-classification:generic:level2:code"}),
        FieldSpec("read_by", "string", "识别方式", "`text` (read from a text layer or extract, as printed) or `ocr` (by "
                  "OCR from a scanned page's image; `derived`: when any figure it adds up is).", True, ("text", "ocr")),
        FieldSpec("certainty", "string", "核实状态", "`confirmed` (已核实: an identity holds exactly with it — a passing "
                  "check names it, e.g. 合计 = the sum of its rows, or another table prints the same amount; `derived`: "
                  "all it adds up is), `unconfirmed` (未核实: read as text, as printed) or `uncertain` (存疑: read by OCR, "
                  "no identity confirms it). Rounding agreement confirms nothing.", True, CERTAINTIES),
    ),
    primary_key=("document_id", "measure", "dimension", "code", "part"),
    foreign_keys=(("document_id", "documents"),),
)


def _code_list(name: str, title: str, what: str, pattern: str, levels: tuple[str, ...]) -> ResourceSpec:
    return ResourceSpec(
        name=name,
        title=title,
        description=f"{what} codes seen in the corpus, with the name printed most recently, the other "
                    "names printed for the same code (e.g. 医疗卫生与计划生育支出 ↔ 卫生健康支出) and an "
                    "English name for the classes and common sections.",
        fields=(
            FieldSpec("code", "string", "科目编码", "Classification code.", required=True, pattern=pattern),
            FieldSpec("level", "string", "科目级次", "Level of the code by its length.", required=True,
                      enum=levels),
            FieldSpec("name", "string", "科目名称", "Name printed in the most recent document."),
            FieldSpec("variants", "string", "其他名称",
                      "Other names printed for this code, separated by `；` (renamed over the years)."),
            FieldSpec("name_en", "string", "英文名称", "English name (classes and common sections)."),
        ),
        primary_key=("code",),
    )


FUNCTION_CODES = _code_list("function_codes", "支出功能分类科目", "Function classification (支出功能分类)",
                            _CODE_PATTERN_FUNCTION, ("class", "section", "item"))
ECONOMIC_CODES = _code_list("economic_codes", "支出经济分类科目", "Economic classification (支出经济分类)",
                            _CODE_PATTERN_ECONOMIC, ("class", "item"))

CHECK_DEFINITIONS = ResourceSpec(
    name="check_definitions",
    title="校验规则",
    description="Every check the verify stage runs: id, family and what it verifies, in plain Chinese.",
    fields=(
        FieldSpec("check", "string", "校验项", "Check id, referred to by checks.check.", required=True),
        FieldSpec("family", "string", "类别",
                  "Family of the check: the part of the id before the first dot.", required=True),
        FieldSpec("description", "string", "说明", "What the check verifies, in Chinese.", required=True),
        _severity(),
        FieldSpec("suggestion", "string", "修改建议", "What the publisher should do when the check fails."),
    ),
    primary_key=("check",),
)

RESOURCES: tuple[ResourceSpec, ...] = (
    DOCUMENTS, BUREAUS, TABLES, FUNCTION_EXPENDITURE, ECONOMIC_EXPENDITURE, SUMMARY, THREE_PUBLIC,
    PROJECTS, PERFORMANCE_TARGETS, CHECKS, NARRATIVE, GLOSSARY, FACTS, FUNCTION_CODES,
    ECONOMIC_CODES, CHECK_DEFINITIONS,
)
