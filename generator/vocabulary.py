"""The words every stage shares, declared once: table ids and their Chinese names, which table
counts for a figure, classification code levels, the economic classes of personnel spending,
the 三公 items, phases, scopes and administrative levels.

Nothing here reads a document or a package; every other module imports what it needs from
here and declares none of it again. Canonical ids follow ``DATA-CONTRACT.md``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

# ------------------------------------------------------------------------------- tables

#: canonical table ids in display order (DATA-CONTRACT.md); unknown ids follow
TABLE_ORDER = ("summary", "income", "expenditure", "fiscal_summary", "general_public_function",
               "general_public_economic", "basic_economic", "project_economic", "government_fund",
               "state_capital", "three_public", "operating_costs", "procurement",
               "purchased_services", "projects", "performance_targets", "assets", "narrative")

#: the full Chinese name of each table, as headings and captions print it
TABLE_NAMES = {"summary": "收支总表", "income": "收入总表", "expenditure": "支出总表",
               "fiscal_summary": "财政拨款收支总表",
               "general_public_function": "一般公共预算支出表（功能分类）",
               "general_public_economic": "一般公共预算支出表（经济分类）",
               "basic_economic": "一般公共预算基本支出表",
               "project_economic": "一般公共预算项目支出表（经济分类）",
               "government_fund": "政府性基金预算支出表", "state_capital": "国有资本经营预算支出表",
               "three_public": "“三公”经费支出表", "operating_costs": "机关运行经费",
               "procurement": "政府采购", "purchased_services": "政府购买服务",
               "projects": "项目支出表", "performance_targets": "绩效目标表",
               "assets": "国有资产占用情况表", "narrative": "情况说明（文字）",
               # not in the contract: 西安's 表11 lists last year's carried-over projects (no rows published)
               "carryover": "财政拨款结转资金支出表",
               # not in the contract: all 财政拨款 by function (苏州/无锡 公开05表), beside the
               # 支出总表 and the 一般公共预算支出表 (no rows published)
               "fiscal_function": "财政拨款支出表（功能分类）"}

#: the short name a check message uses for a table a disclosure must publish
TABLE_SHORT_NAMES = {**{t: TABLE_NAMES[t] for t in (
    "summary", "income", "expenditure", "fiscal_summary", "basic_economic", "government_fund",
    "state_capital", "three_public")}, "general_public_function": "一般公共预算支出表"}

#: tables whose rows are coded by the function classification (支出功能分类)
FUNCTION_TABLES = frozenset({"expenditure", "income", "general_public_function", "basic_function",
                             "government_fund", "state_capital"})
#: tables whose rows are coded by the economic classification (支出经济分类)
ECONOMIC_TABLES = frozenset({"basic_economic", "general_public_economic", "project_economic",
                             "operating_costs"})

#: Which table counts for a function-classified figure, most trusted first: the 一般公共预算
#: 支出表 (what the narrative and the 财政拨款 figures speak of), then the 支出总表 (all funds),
#: then the others. Every "which table" choice over function rows takes this order (or, where a
#: question is about all funds, :data:`ALL_FUNDS_FIRST`).
FUNCTION_PREFERENCE = ("general_public_function", "expenditure", "income", "basic_function",
                       "government_fund", "state_capital")
#: the two tables that carry a whole bureau's function figures: fiscal funds first
GENERAL_PUBLIC_FIRST = ("general_public_function", "expenditure")
#: the same two for a question about all funds (本年支出合计): the 支出总表 first
ALL_FUNDS_FIRST = ("expenditure", "general_public_function")
#: which table counts for an economic-classified figure, most trusted first
ECONOMIC_PREFERENCE = ("general_public_economic", "basic_economic", "project_economic",
                       "operating_costs")
#: the two tables that carry basic spending by economic class (人员经费 / 公用经费): the
#: 基本支出表 first (it holds basic spending only), then the 一般公共预算支出表（经济分类）
BASIC_ECONOMIC_FIRST = ("basic_economic", "general_public_economic")
#: which table counts for a narrative's ``科目名称(编码)金额`` (a function or an economic code),
#: most trusted first: the 一般公共预算支出表, the 基本支出 economic table, then the 支出总表; rows
#: of any other table follow, in document order
CODE_CLAIM_PREFERENCE = ("general_public_function", "basic_economic", "expenditure")

#: Where the ``facts`` (one canonical figure per question, ``generator.facts``) take a
#: document's function / economic rows from: the whole of the first table in this order that
#: has rows (never rows of two tables mixed, so a document's facts add up to one table's
#: total). Function: :data:`FUNCTION_PREFERENCE`, then the 类 lines of the summary tables
#: (where no function table prints rows), then the text. Economic: basic spending by economic
#: class (the 基本支出表, else the 一般公共预算支出表 by economic class), then the text.
FUNCTION_FACT_SOURCES = (*FUNCTION_PREFERENCE, "fiscal_summary", "summary", "narrative")
ECONOMIC_FACT_SOURCES = (*BASIC_ECONOMIC_FIRST, "narrative")

T = TypeVar("T")


def by_preference(items: Iterable[T], table_of, order: Sequence[str]) -> list[T]:
    """``items`` whose table (``table_of(item)``) is in ``order``, ranked by it (stable)."""
    rank = {t: i for i, t in enumerate(order)}
    return sorted((x for x in items if table_of(x) in rank), key=lambda x: rank[table_of(x)])


#: the three budgets fiscal money (财政拨款) comes from, by name
FUNDS = {"general_public": "一般公共预算", "government_fund": "政府性基金预算", "state_capital": "国有资本经营预算"}
#: the word that names each in a 财政拨款收支总表's fund column or income line (西安 prints
#: 政府性基金拨款 without 预算)
FUND_WORDS = {"general_public": "一般公共预算", "government_fund": "政府性基金", "state_capital": "国有资本经营"}
#: the table that lists each fund's spending by function
FUND_TABLES = {"general_public": "general_public_function", "government_fund": "government_fund",
               "state_capital": "state_capital"}

# ------------------------------------------------------------------------------- codes

#: 支出功能分类: 类 (3 digits), 款 (5), 项 (7; some templates print 6-digit 项)
FUNCTION_LEVELS = {3: "class", 5: "section", 6: "item", 7: "item"}
#: 支出经济分类: 类 (3 digits), 款 (5)
ECONOMIC_LEVELS = {3: "class", 5: "item"}
LEVEL_NAMES = {"class": "类", "section": "款", "item": "项"}
#: the digits of a full function code at each level (a 6-digit 项 is repaired to 7)
FUNCTION_CODE_LENGTHS = {"class": 3, "section": 5, "item": 7}

#: the official names of the function and economic 类 (政府收支分类科目)
OFFICIAL_CLASS_NAMES = {
    "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出", "205": "教育支出",
    "206": "科学技术支出", "208": "社会保障和就业支出", "209": "社会保险基金支出", "211": "节能环保支出",
    "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出", "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出", "217": "金融支出", "219": "援助其他地区支出", "221": "住房保障支出",
    "222": "粮油物资储备支出", "223": "国有资本经营预算支出", "227": "预备费", "229": "其他支出",
    "230": "转移性支出", "231": "债务还本支出", "232": "债务付息支出", "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出", "301": "工资福利支出", "302": "商品和服务支出",
    "303": "对个人和家庭的补助", "307": "债务利息及费用支出", "310": "资本性支出", "312": "对企业补助",
    "399": "其他支出",
}
#: names the classification retired, newest first, each with the first year whose 政府收支分类科目
#: no longer has it (2019: 卫生健康支出 and the other 机构改革 names; 2020: 行政事业单位养老支出 and
#: its 项, as the corpus's 2019 and 2020 tables print them; the 事务 → 支出 names of the 类 long
#: before): a text of that year or later naming the code so is out of date
RETIRED_NAMES: dict[str, tuple[tuple[str, int], ...]] = {
    "210": (("医疗卫生与计划生育支出", 2019), ("医疗卫生支出", 2015)),
    "207": (("文化体育与传媒支出", 2019),),
    "220": (("国土海洋气象等支出", 2019), ("国土资源气象等事务", 2016)),
    "212": (("城乡社区事务", 2016),), "213": (("农林水事务", 2016),),
    "215": (("资源勘探信息等支出", 2020), ("资源勘探电力信息等事务", 2016)),
    "216": (("商业服务业等事务", 2016),), "217": (("金融监管等事务支出", 2016),),
    "222": (("粮油物资储备管理事务", 2016),),
    "20805": (("行政事业单位离退休", 2020),), "2080501": (("归口管理的行政单位离退休", 2020),),
    "2080599": (("其他行政事业单位离退休支出", 2020),),
}
#: the present names of renamed codes that ``OFFICIAL_CLASS_NAMES`` does not hold
_PRESENT_NAMES = {"210": "卫生健康支出", "207": "文化旅游体育与传媒支出", "220": "自然资源海洋气象等支出",
                  "20805": "行政事业单位养老支出", "2080501": "行政单位离退休",
                  "2080599": "其他行政事业单位养老支出"}
#: names the classification changed over the years (the present name first, then the retired
#: ones); all count as the same code
KNOWN_VARIANTS: dict[str, tuple[str, ...]] = {
    **{code: (_PRESENT_NAMES.get(code) or OFFICIAL_CLASS_NAMES[code], *(name for name, _ in old))
       for code, old in RETIRED_NAMES.items()},
    "224": ("灾害防治及应急管理支出",),
    "21015": ("医疗保障管理事务",),
}


def function_level(code: str) -> str:
    """``class`` / ``section`` / ``item`` of a function code, ``other`` for another length."""
    return FUNCTION_LEVELS.get(len(code), "other")


def economic_level(code: str) -> str:
    """``class`` for a 3-digit economic code, ``item`` for any longer one."""
    return "class" if len(code) == 3 else "item"


#: economic classes that make personnel spending (人员经费); every other class of basic
#: spending is public funds (公用经费)
PERSONNEL_CLASSES = ("301", "303")

# ------------------------------------------------------------------------------- 三公

#: the 三公 items in the order tables print them, with their Chinese names
THREE_PUBLIC_NAMES = {"overseas_travel": "因公出国（境）费", "vehicle_purchase": "公务用车购置费",
                      "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
#: the same with the total
THREE_PUBLIC_ITEMS = {**THREE_PUBLIC_NAMES, "total": "合计"}
#: the columns of a 三公 table in the order most templates print them: 合计 first, and the
#: 公务用车 subtotal (购置及运行费) before its two parts; the order the recognizer places a row's
#: figures in (and drops one column from, when a layout lost one)
THREE_PUBLIC_COLUMNS = ("total", "overseas_travel", "vehicle_subtotal", "vehicle_purchase",
                        "vehicle_operation", "reception")

# ------------------------------------------------------------------------------- facts

#: the questions of ``facts`` with dimension ``total``, and their Chinese names
TOTAL_NAMES = {"expenditure": "本年支出合计", "general_public": "一般公共预算支出合计", "basic": "基本支出",
               "project": "项目支出", "personnel": "人员经费", "public": "公用经费"}
#: the questions of ``facts`` with dimension ``three_public``: the 三公 items, their total and
#: the 机关运行经费
THREE_PUBLIC_FACTS = {"total": "“三公”经费合计", **THREE_PUBLIC_NAMES, "operating_costs": "机关运行经费"}
#: the dimensions of ``facts``, the parts each has, and what a fact's ``basis`` may be
FACT_DIMENSIONS = {"total": "合计", "function": "支出功能分类", "economic": "支出经济分类",
                   "three_public": "“三公”经费和机关运行经费"}
FACT_PARTS = {"total": "合计", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费",
              "public": "公用经费"}
FACT_BASES = {"printed": "原表印出", "derived": "由下级科目相加得出", "repaired": "经修复"}

# ------------------------------------------------------------------------------- checks

#: a check's severity (``verify.base.SEVERITIES``), as the site and the reviewer's report name it
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "note": "提示"}
#: the words of a column heading or a row label whose figures may be negative: changes (增减,
#: 变化, 差额, 比上年 …) and balances carried in or out (结转, 结余); a negative figure anywhere
#: else in a table is wrong (recognize.table_info.negative_cells, verify.cells)
SIGNED_WORDS = ("增减", "变化", "变动", "差额", "比上年", "较上年", "增长", "减少", "下降", "增加", "结转", "结余")

# ------------------------------------------------------------------------------- documents

PHASES = {"budget": "预算", "final": "决算"}
SCOPES = {"department": "部门", "unit": "单位"}
ADMIN_LEVELS = {"central": "中央", "province": "省级", "prefecture": "市级", "county": "县级"}
#: the bureau words readers shorten (深圳市医疗保障局 → 深圳市医保局): the bureau page's 简称
#: and the names search finds a bureau by
BUREAU_ABBREVIATIONS = (("医疗保障局", "医保局"),)
SIDES = {"income": "收入", "expenditure": "支出"}
UNIT = "万元"
