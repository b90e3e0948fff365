"""Code lists: function (支出功能分类) and economic (支出经济分类) codes seen in the corpus, with
their printed names, name variants across years and an English name for the 类 and common 款.

``codelists(docs) -> (function_rows, economic_rows)``; each row: code, level, name, variants
(``；``-joined), name_en. Pure function of the documents' printed names (parsed records or
their summaries).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType

from ..records import DocumentSummary, ParsedDocument, summarize
from ..vocabulary import KNOWN_VARIANTS, economic_level, function_level

# Official classification (类 and the common 款), English names.
NAME_EN: Mapping[str, str] = MappingProxyType({
    "201": "General public services", "202": "Foreign affairs", "203": "National defense",
    "204": "Public security", "205": "Education", "206": "Science and technology",
    "207": "Culture, tourism, sports and media", "208": "Social security and employment",
    "209": "Social insurance funds", "210": "Health", "211": "Energy conservation and environmental protection",
    "212": "Urban and rural community affairs", "213": "Agriculture, forestry and water",
    "214": "Transportation", "215": "Resource exploration, industry and information",
    "216": "Commerce and services", "217": "Finance", "219": "Aid to other regions",
    "220": "Natural resources, marine affairs and meteorology", "221": "Housing security",
    "222": "Grain and oil reserves", "223": "State capital operations", "224": "Disaster prevention and emergency management",
    "227": "Reserve fund", "229": "Other expenditure", "230": "Transfers", "231": "Debt principal repayment",
    "232": "Debt interest payment", "233": "Debt issuance costs",
    "20101": "People's congress affairs", "20103": "Government office affairs", "20199": "Other general public services",
    "20801": "Human resources and social security administration", "20802": "Civil affairs administration",
    "20805": "Pensions of administrative and public institutions", "20808": "Pensions and survivor benefits",
    "20826": "Subsidies to the basic pension insurance fund", "20827": "Subsidies to other social insurance funds",
    "20899": "Other social security and employment",
    "21001": "Health administration", "21004": "Public health", "21007": "Family planning",
    "21011": "Medical care of administrative and public institutions",
    "21012": "Subsidies to basic medical insurance funds", "21013": "Medical assistance",
    "21014": "Preferential care subsidies", "21015": "Healthcare security administration",
    "21099": "Other health expenditure",
    "22101": "Affordable housing projects", "22102": "Housing reform", "22103": "Urban and rural community housing",
    "301": "Wages and benefits", "302": "Goods and services", "303": "Subsidies to individuals and families",
    "307": "Debt interest and costs", "309": "Capital expenditure (capital construction)",
    "310": "Capital expenditure", "311": "Subsidies to enterprises (capital construction)",
    "312": "Subsidies to enterprises", "313": "Subsidies to social security funds", "399": "Other expenditure",
    "30101": "Basic wages", "30102": "Allowances and subsidies", "30103": "Bonuses", "30107": "Performance pay",
    "30108": "Basic pension insurance contributions", "30109": "Occupational annuity contributions",
    "30110": "Basic medical insurance contributions", "30113": "Housing provident fund",
    "30201": "Office expenses", "30211": "Travel expenses", "30215": "Meeting expenses", "30216": "Training expenses",
    "30217": "Official reception expenses", "30231": "Official vehicle operation and maintenance",
    "30302": "Retirement pay",
})


def _level(code: str, economic: bool) -> str:
    return economic_level(code) if economic else function_level(code)


def _rows(pairs: list[tuple[str, str, int]], economic: bool) -> list[dict]:
    names: dict[str, Counter] = {}
    latest: dict[str, tuple[int, str]] = {}
    for code, name, year in pairs:
        names.setdefault(code, Counter())
        if not name:
            continue
        names[code][name] += 1
        if code not in latest or (year, names[code][name]) > (latest[code][0], names[code][latest[code][1]]):
            latest[code] = (year, name)
    out = []
    for code in sorted(names):
        # the most recent year's most common printed name; a name truncated by the layout
        # (a prefix of another printed name) is not a variant
        all_names = sorted(names[code], key=lambda n: (-names[code][n], n))
        full = [n for n in all_names if not any(o != n and o.startswith(n) for o in all_names)]
        main = "" if not full else latest[code][1] if latest[code][1] in full else full[0]
        variants = [n for n in full if n != main]
        for v in KNOWN_VARIANTS.get(code, ()):
            if v != main and v not in variants and v in names[code]:
                variants.append(v)
        out.append({"code": code, "level": _level(code, economic), "name": main,
                    "variants": "；".join(variants), "name_en": NAME_EN.get(code, "")})
    return out


def codelists(docs: list[ParsedDocument] | list[DocumentSummary]) -> tuple[list[dict], list[dict]]:
    """(function code list, economic code list) from every document's table rows."""
    fn: list[tuple[str, str, int]] = []
    ec: list[tuple[str, str, int]] = []
    for doc in map(summarize, docs):
        fn.extend((code, name, doc.meta.year) for code, name in doc.function_names)
        ec.extend((code, name, doc.meta.year) for code, name in doc.economic_names)
    return _rows(fn, False), _rows(ec, True)


def official_names(code: str) -> tuple[str, ...]:
    return KNOWN_VARIANTS.get(code, ())
