"""Narrative ↔ tables. The narrative is parsed section → sentence → item: a sentence ends at
``。`` (a sentence starting with ``其中`` continues the one before it, and a heading such as
``行政运行(项)。`` joins the sentence after it); numbers are never paired across sentences, and
only figures followed by 万元/元 are amounts (a year is never an amount)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, ROUND_HALF_UP

from ..numbers import close_spaced_points, fmt, fullwidth_to_ascii
from ..records import Check, ParsedDocument
from .arithmetic import _EXP_CUR, _GRAND, _INCOME_CUR
from .base import compare, d, describe, mk, rounding_tolerance, strip_enum, table_sum, top_level, total

CODE_AMOUNT = describe("narrative.code_amount",
                       "文字说明中“科目名称(编码)金额”（如 行政运行(2101501)81.3261万元）与表中该编码的金额一致。")
ITEM_AMOUNT = describe("narrative.item_amount",
                       "文字说明中按科目名称（类/款/项）说明的金额与表中同名科目的金额一致。")
TOTAL = describe("narrative.total", "文字说明中的收入、支出总计（总额、合计）与收支总表或支出表一致。")
BASIC = describe("narrative.basic", "文字说明中的基本支出金额与表中的基本支出合计一致。")
PROJECT = describe("narrative.project", "文字说明中的项目支出金额与表中的项目支出合计一致。")
PERSONNEL = describe("narrative.personnel", "文字说明中的人员经费与基本支出经济分类表中的人员经费一致。")
PUBLIC = describe("narrative.public", "文字说明中的（日常）公用经费与基本支出经济分类表中的公用经费一致。")
THREE_PUBLIC = describe("narrative.three_public", "文字说明中的“三公”经费合计与“三公”经费表一致。")
THREE_PUBLIC_ITEM = describe("narrative.three_public_item",
                             "文字说明中的因公出国（境）费、公务用车购置及运行维护费、公务接待费与“三公”经费表一致。")
OPERATING = describe("narrative.operating_costs", "文字说明中的机关运行经费与机关运行经费表（或公用经费）一致。")
BASIC_PROJECT = describe("narrative.total_is_basic_plus_project",
                         "同一句文字说明中：支出总额 = 基本支出 + 项目支出。")
PERS_PUBLIC = describe("narrative.basic_is_personnel_plus_public",
                       "同一句文字说明中：基本支出 = 人员经费 + 公用经费。")
LISTED = describe("narrative.listed_parts",
                  "同一句文字说明中“其中／包括／主要为”后列举的各项金额之和与前面的总额一致（列举的只是主要部分时不超过总额）。")
SHARE = describe("narrative.share", "文字说明中的占比（如 占86.91%）按同一句中的部分与总额重新计算后一致。")
YOY_DIFF = describe("narrative.yoy_difference",
                    "文字说明中的同比变动：本年数 − 上年数 = 增加（减少）额。")
YOY_DIRECTION = describe("narrative.yoy_direction",
                         "文字说明中“增加／减少／持平”的方向与本年数、上年数（或增长率）的方向一致。")
YEAR = describe("narrative.comparison_year",
                "文字说明中同比的比较年份早于本年度（“比2026年预算增加”出现在2026年预算中是笔误）。")
YOY_PERCENT = describe("narrative.yoy_percent",
                       "文字说明中的增长（下降）百分比 = 增减额 ÷ 上年数，按印出的位数四舍五入后一致。")
COMPLETION = describe("narrative.completion_rate",
                      "决算说明中的“完成年初预算的x%” = 决算数 ÷ 年初预算数。")
TEMPLATE = describe("narrative.template_leftover",
                    "文字说明中没有模板残留（如 XX、增加（减少）、“主要原因是。”这类未填写的空话）。")
PRESENT = describe("narrative.present", "文件包含可以核对的文字说明。")

AMOUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(亿元|万元|元)")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")
CHANGE = re.compile(r"(增加|增长|减少|下降|降低|上升|增支|减支|节约|多支|少支)")
NEG = re.compile(r"(减少|下降|降低|减支|节约|少支)")
PRIOR = re.compile(r"(上年|上一年|\d{4}年(?:预算|决算)?(?:数)?$)")
MARKER = re.compile(r"(其中|包括|主要为|主要用于|主要是|分别为|主要包括|具体为)[:：]?")
DELIM = re.compile(r"[，,；;：:。（）()、和及]")


# a section heading at the start of a piece: "三、支出决算情况说明", "（三）一般公共预算财政拨款支出决算具体情况"
SECTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])[^，,。；;：:\d]{2,40}?(?:说明|情况)")


@dataclass
class Token:
    kind: str  # amount | percent
    value: Decimal
    label: str  # text since the previous number
    start: int
    end: int


def clean(text: str) -> str:
    return re.sub(r"\s+", "", close_spaced_points(fullwidth_to_ascii(text)))


def narrative_sentences(doc: ParsedDocument) -> tuple[list[tuple[str, int | None]], bool]:
    """(sentence, page) split on 。 and whether the whole narrative was available."""
    pieces = getattr(doc, "sentences", None)
    full = pieces is not None
    if pieces is None:
        seen, pieces = set(), []
        for f in doc.narrative:
            if f.sentence not in seen:
                seen.add(f.sentence)
                pieces.append((f.sentence, f.source_page))
    out: list[tuple[str, int | None]] = []
    buf, page = "", None
    for text, p in pieces:
        text = clean(text)
        if not text:
            continue
        if buf and SECTION_HEADING.match(text):
            out.append((buf, page))  # "…占0.21%；" then "三、支出决算情况说明本年支出合计…": a new section
            buf, page = "", None
        if page is None:
            page = p
        buf += text
        if buf.endswith("。") or not re.search(r"[；;]$", buf):
            out.append((buf, page))
            buf, page = "", None
    if buf:
        out.append((buf, page))
    merged: list[tuple[str, int | None]] = []
    for text, p in out:
        if merged and (text.startswith("其中") or (re.search(r"[（(][类款项][)）]。$", merged[-1][0])
                                                 and not AMOUNT.search(merged[-1][0]))):
            merged[-1] = (merged[-1][0] + text, merged[-1][1])
        else:
            merged.append((text, p))
    return merged, full


def tokens(sentence: str) -> list[Token]:
    out: list[Token] = []
    found = [(m.start(), m.end(), "amount", m) for m in AMOUNT.finditer(sentence)]
    found += [(m.start(), m.end(), "percent", m) for m in PERCENT.finditer(sentence)]
    found.sort()
    prev = 0
    for start, end, kind, m in found:
        if start < prev:
            continue
        if kind == "amount":
            value = Decimal(m.group(1).replace(",", ""))
            if m.group(2) == "元":
                value = value / 10000
            elif m.group(2) == "亿元":
                value = value * 10000
        else:
            value = Decimal(m.group(1))
        out.append(Token(kind, value, sentence[prev:start], start, end))
        prev = end
    return out


def last_clause(label: str) -> str:
    parts = re.split(r"[，,；;。]", label)
    return (parts[-1] if parts else label)[-30:]


_YEAR = re.compile(r"(\d{4})年")
_DOC_YEAR = [0]  # set per document by narrative_family


def is_prior(label: str) -> bool:
    lab = last_clause(label)
    if CHANGE.search(lab):
        return False
    if re.search(r"上年|上一年|去年|同期", re.sub(r"上年(结转|结余)", "", lab)):
        return True
    years = [int(y) for y in _YEAR.findall(lab)]
    return bool(years) and years[-1] < _DOC_YEAR[0] and bool(re.search(r"(较|比|与|执行数|决算数|预算数)", lab))


def is_level(t: Token) -> bool:
    lab = last_clause(t.label)
    return t.kind == "amount" and not CHANGE.search(lab) and not is_prior(lab)


# ------------------------------------------------------------------ topics

TOPICS = [
    ("three_public", re.compile(r"三公")),
    ("operating_costs", re.compile(r"机关运行经费|运行经费")),
    # 在职人员经费 (深圳) leaves out retirees (303) and the 增人增资 reserve: not the table's 人员经费
    ("personnel", re.compile(r"(?<!在职)人员经费")),
    ("public", re.compile(r"公用经费")),
    ("basic", re.compile(r"基本支出")),
    ("project", re.compile(r"项目支出")),
    ("total", re.compile(r"^(?!.*(采购|合同|资产|绩效|资金|项目)).*(?:收入总计|支出总计|收支总计|收入总额|支出总额|收支总额|支出安排总额|收支安排|收支预算总额"
                         r"|收入合计|支出合计|收入、支出总计|收支预算|预算收入总额|预算支出总额)")),
]


# a heading that opens a new item inside a run-on sentence: （三）, 三、
_HEADING = re.compile(r"[（(][一二三四五六七八九十]+[)）]|(?<![\d.])[一二三四五六七八九十]+、")


def topic_of(t: Token) -> str | None:
    """The topic of an amount from the words just before it, after the last list marker and
    the last heading: in ``图2：基本支出和项目支出情况（三）年终结转结余资金0万元`` (a chart caption
    run into the next heading) the amount is the 结转结余, not the 基本支出 of the caption."""
    lab = MARKER.split(last_clause(t.label))[-1]
    lab = _HEADING.split(lab)[-1]
    if not is_level(t):
        return None
    for name, pat in TOPICS:
        if pat.search(lab):
            return name
    return None


def _phase_ok(doc: ParsedDocument, t: Token) -> bool:
    lab = last_clause(t.label)
    if doc.meta.phase == "final" and "预算" in lab and "决算" not in lab:
        return False  # a budget figure quoted in a final account
    return True


def _fn_total(doc, table, key):
    v = table_sum(doc, table, key)
    if v is not None:
        return v
    top = top_level([r for r in doc.function_rows if r.table == table])
    if top and any(getattr(r, key) is not None for r in top):
        return total(getattr(r, key) for r in top)
    return None


def _econ(doc, key):
    rows = [r for r in doc.economic_rows if r.table == "basic_economic"]
    v = table_sum(doc, "basic_economic", key)
    if v is not None:
        return v
    classes = [r for r in rows if len(r.code) == 3]
    if not classes:
        return None
    if key == "personnel":
        return total(r.total for r in classes if r.code in ("301", "303"))
    if key == "public":
        return total(r.total for r in classes if r.code not in ("301", "303"))
    return total(r.total for r in classes)


def _three_public(doc, measure, items):
    rows = {r.item: r.amount for r in doc.three_public if r.measure == measure and r.table == "three_public"}
    if not rows:
        return None
    if "total" in items:
        return rows.get("total")
    if not any(k in rows for k in ("overseas_travel", "vehicle_purchase", "vehicle_operation", "reception")):
        return None
    return total(rows.get(k) for k in items)


def candidates(doc: ParsedDocument, topic: str, sentence: str, t: Token) -> list[tuple[str, Decimal]]:
    out: list[tuple[str, Decimal]] = []
    fiscal = bool(re.search(r"一般公共预算|财政拨款", sentence))
    if topic == "total" and "财政拨款" in last_clause(t.label):
        # "财政拨款收入支出总计": the 财政拨款收支总表 first, its 总计 first for a 总计 (any candidate
        # may match; the first is the one a failure cites)
        lines = [l for l in doc.summary_lines if l.table == "fiscal_summary" and l.amount is not None]
        grand = [l for l in lines if _GRAND.match(strip_enum(l.item))]
        current = [l for l in lines if _INCOME_CUR.match(strip_enum(l.item)) or _EXP_CUR.match(strip_enum(l.item))]
        first = grand + current if "总计" in last_clause(t.label) else current + grand
        out.extend((l.table, l.amount) for l in first)
    order = ("general_public_function", "expenditure") if fiscal else ("expenditure", "general_public_function")
    if topic in ("basic", "project"):
        for table in order:
            v = _fn_total(doc, table, topic)
            if v is not None:
                out.append((table, v))
    elif topic in ("personnel", "public"):
        v = _econ(doc, topic)
        if v is not None:
            out.append(("basic_economic", v))
    elif topic == "operating_costs":
        v = table_sum(doc, "operating_costs") or _econ(doc, "public")
        if v is not None:
            out.append(("operating_costs" if table_sum(doc, "operating_costs") is not None else "basic_economic", v))
    elif topic == "total":
        for l in doc.summary_lines:
            name = strip_enum(l.item)
            if l.amount is not None and (_GRAND.match(name) or _INCOME_CUR.match(name) or _EXP_CUR.match(name)):
                out.append((l.table, l.amount))
        for table in order:
            v = _fn_total(doc, table, "total")
            if v is not None:
                out.append((table, v))
    elif topic == "three_public":
        lab = last_clause(t.label)
        measure = "budget" if doc.meta.phase == "budget" or ("预算" in lab and "决算" not in lab) else "final"
        v = _three_public(doc, measure, ("total",))
        if v is not None:
            out.append(("three_public", v))
    return out


TP_ITEMS = [
    (re.compile(r"公务用车购置[及和]运行(?:维护)?费"), ("vehicle_purchase", "vehicle_operation")),
    (re.compile(r"公务用车运行维护费|公务用车运行费"), ("vehicle_operation",)),
    (re.compile(r"公务用车购置费|公务用车购置"), ("vehicle_purchase",)),
    (re.compile(r"因公出国"), ("overseas_travel",)),
    (re.compile(r"公务接待费"), ("reception",)),
]

TOPIC_CHECK = {"total": TOTAL, "basic": BASIC, "project": PROJECT, "personnel": PERSONNEL, "public": PUBLIC,
               "three_public": THREE_PUBLIC, "operating_costs": OPERATING}
TOPIC_ZH = {"total": "收支总额", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费",
            "public": "公用经费", "three_public": "“三公”经费", "operating_costs": "机关运行经费"}


def _match(doc, check, value, cands, what, page, table_hint="narrative") -> Check:
    if not cands:
        return mk(doc, check, "insufficient_data", "narrative", None, value,
                  f"文字说明中的{what} {d(value)} 在表中找不到可核对的数字。", page)
    for table, v in cands:
        if v == value:
            return mk(doc, check, "pass", "narrative", v, value, f"文字说明中的{what} {d(value)} = {table} {d(v)}", page)
    for table, v in cands:
        if abs(v - value) <= rounding_tolerance(v, value):
            return mk(doc, check, "rounding", "narrative", v, value,
                      f"文字说明中的{what} {d(value)} ≈ {table} {d(v)}（舍入差）", page)
    table, v = cands[0]
    return mk(doc, check, "fail", "narrative", v, value,
              f"文字说明中的{what} {d(value)} ≠ {table} {d(v)}", page)


def topic_checks(doc: ParsedDocument, sents) -> list[Check]:
    out: list[Check] = []
    measure = "final" if doc.meta.phase == "final" else "budget"
    for sentence, page in sents:
        toks = tokens(sentence)
        found: dict[str, Decimal] = {}
        for t in toks:
            if t.kind != "amount" or not is_level(t) or not _phase_ok(doc, t):
                continue
            lab = last_clause(t.label)
            tp = next((items for pat, items in TP_ITEMS if pat.search(lab)), None)
            if tp and "三公" not in lab:
                rows = {r.item: r.amount for r in doc.three_public if r.measure == measure and r.table == "three_public"}
                if rows and any(k in rows for k in tp) or rows.get("total") == 0:
                    v = total(rows.get(k) for k in tp)
                    out.append(_match(doc, THREE_PUBLIC_ITEM, t.value, [("three_public", v)], lab[-14:], page))
                continue
            topic = topic_of(t)
            if topic is None or re.search(r"公用经费", lab) and topic == "operating_costs":
                continue
            if topic == "project" and re.search(r"项目支出(绩效|预算总额)|涉及", lab):
                continue
            found.setdefault(topic, t.value)
            out.append(_match(doc, TOPIC_CHECK[topic], t.value, candidates(doc, topic, sentence, t),
                              TOPIC_ZH[topic], page))
        if {"total", "basic", "project"} <= found.keys():
            out.append(compare(doc, BASIC_PROJECT, "narrative", found["total"], found["basic"] + found["project"],
                               f"文字说明：支出总额 {d(found['total'])} {{op}} 基本支出 {d(found['basic'])} + 项目支出 "
                               f"{d(found['project'])}", page, terms=2))
        if {"basic", "personnel", "public"} <= found.keys():
            out.append(compare(doc, PERS_PUBLIC, "narrative", found["basic"], found["personnel"] + found["public"],
                               f"文字说明：基本支出 {d(found['basic'])} {{op}} 人员经费 {d(found['personnel'])} + 公用经费 "
                               f"{d(found['public'])}", page, terms=2))
    return out


# -------------------------------------------------------------- code & item amounts

def code_checks(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    fn = [r for r in doc.function_rows if r.table != "narrative"]
    ec = [r for r in doc.economic_rows if r.table != "narrative"]
    seen = set()
    for f in doc.narrative:
        if (f.topic, f.amount) in seen:
            continue
        seen.add((f.topic, f.amount))
        if f.topic.startswith("2"):
            rows = [r for r in fn if r.code == f.topic and r.total is not None]
        elif f.topic.startswith("3"):
            rows = [r for r in ec if r.code == f.topic and r.total is not None]
        else:
            continue  # government economic classification (5xx): not in the tables
        if not rows:
            out.append(mk(doc, CODE_AMOUNT, "insufficient_data", "narrative", None, f.amount,
                          f"文字说明中的 {f.topic} {d(f.amount)} 万元在表中没有对应的行。", f.source_page))
            continue
        pref = sorted(rows, key=lambda r: ("general_public_function", "basic_economic", "expenditure").index(r.table)
                      if r.table in ("general_public_function", "basic_economic", "expenditure") else 9)
        out.append(_match(doc, CODE_AMOUNT, f.amount, [(r.table, r.total) for r in pref],
                          f"{f.topic} {pref[0].name}", f.source_page))
    return out


_LEVEL_NAME = re.compile(r"([\u4e00-\u9fa5、“”]{2,40}?)[（(]\d*([类款项])[)）]")


def item_checks(doc: ParsedDocument, sents) -> list[Check]:
    out: list[Check] = []
    fn = [r for r in doc.function_rows if r.table in ("general_public_function", "expenditure")]
    if not fn:
        return out
    final = doc.meta.phase == "final"
    for sentence, page in sents:
        names = list(_LEVEL_NAME.finditer(sentence))
        if not names:
            continue
        for t in tokens(sentence):
            if t.kind != "amount" or not is_level(t):
                continue
            lab = last_clause(t.label)
            direct = _LEVEL_NAME.search(lab)
            if direct and lab.endswith(direct.group(0)):
                name, level = direct.group(1), direct.group(2)
            elif final and re.search(r"决算", lab) and names[0].start() < 20:
                m = [n for n in names if n.start() < t.start][-1:] or names[:1]
                name, level = m[0].group(1), m[0].group(2)
            else:
                continue
            length = {"类": 3, "款": 5, "项": 7}[level]
            name = re.sub(r"^(其中|主要用于|以下方面|\d+)", "", name).lstrip("：:")
            rows = [r for r in fn if len(r.code) == length and r.name == name]
            if len(rows) > 1 and level == "项":
                sect = [n.group(1) for n in names if n.group(2) == "款"]
                parents = {r.code for r in fn if len(r.code) == 5 and sect and r.name == sect[0]}
                rows = [r for r in rows if r.code[:5] in parents] or rows
            if not rows:
                continue
            out.append(_match(doc, ITEM_AMOUNT, t.value, [(r.table, r.total) for r in rows],
                              f"{rows[0].code} {name}（{level}）", page))
    return out


# ------------------------------------------------------------ lists, shares, yoy

def _percent_status(printed: Decimal, lo: Decimal, mid: Decimal, hi: Decimal) -> str:
    e = printed.as_tuple().exponent
    q = Decimal(1).scaleb(e if isinstance(e, int) else 0)
    if mid.quantize(q, rounding=ROUND_HALF_UP) == printed:
        return "pass"
    half = q / 2
    if lo - half <= printed <= hi + half:
        return "rounding"
    return "fail"


def _ratio(part: Decimal, whole: Decimal, hp: Decimal, hw: Decimal):
    mid = part / whole * 100
    a = (part - hp) / (whole + hw) * 100
    b = (part + hp) / max(whole - hw, Decimal("1e-9")) * 100
    return min(a, b), mid, max(a, b)


def _half(v: Decimal) -> Decimal:
    return rounding_tolerance(v, terms=1) / 2


def _other_item(sentence: str, budget: Token, actual: Token) -> bool:
    """Is the actual figure an item listed after the budget's total (``其中：`` or a new clause
    after ``；``)? Then the budget is the total's, not this item's."""
    between = sentence[budget.end:actual.start]
    return bool(re.search(r"其中|[；;。]", between))


def three_public_item_budget(doc: ParsedDocument, label: str) -> tuple[Decimal, str] | None:
    """The 预算数 the "三公" table prints for the item a clause names (因公出国（境）费 …), with a
    description of where it comes from; None if the clause names no item or the table lacks it."""
    items = next((items for pat, items in TP_ITEMS if pat.search(label)), None)
    if items is None:
        return None
    rows = {r.item: r for r in doc.three_public if r.measure == "budget" and r.table == "three_public"}
    if not any(k in rows for k in items):
        return None
    names = "、".join(_TP_NAME[k] for k in items)
    page = next(rows[k].source_page for k in items if k in rows)
    return total(rows[k].amount for k in items if k in rows), f"“三公”经费表（第 {page} 页）{names}预算数"


_TP_NAME = {"overseas_travel": "因公出国（境）费", "vehicle_purchase": "公务用车购置费",
            "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}


def list_share_yoy(doc: ParsedDocument, sents) -> list[Check]:
    out: list[Check] = []
    for sentence, page in sents:
        toks = tokens(sentence)
        # -- listed parts: head amount, marker, flat list
        for m in MARKER.finditer(sentence):
            before = [t for t in toks if t.end <= m.start() and t.kind == "amount"]
            after = [t for t in toks if t.start >= m.end()]
            if not before or not after:
                continue
            first = next((t for t in after if t.kind == "amount"), None)
            want_change = bool(first and CHANGE.search(last_clause(first.label)))
            heads = [t for t in before if bool(CHANGE.search(last_clause(t.label))) == want_change
                     and not is_prior(t.label)]
            if not heads:
                continue
            head = heads[-1]
            if sentence[head.end:m.start()].count("，") + sentence[head.end:m.start()].count(",") > 1:
                continue
            gap = re.sub(r"^万元|^元", "", sentence[head.end:m.start()])
            if re.search(r"[；;。]", gap) and gap not in ("。", "；"):
                continue
            head_change = bool(CHANGE.search(last_clause(head.label)))
            head_topic = topic_of(head)
            items, nested = [], False
            for t in after:
                if t.kind != "amount":
                    continue
                between = sentence[(items[-1].end if items else m.end()):t.start]
                mk_ = MARKER.search(between) if items else None
                if mk_ and not re.search(r"[；;]", between[mk_.end():]):
                    nested = True
                    break
                tt = topic_of(t)
                if head_topic in ("basic", "project") and tt in ("basic", "project") and tt != head_topic:
                    break
                if head_topic in ("personnel", "public") and tt in ("personnel", "public", "basic", "project") \
                        and tt != head_topic and items:
                    break
                if bool(CHANGE.search(last_clause(t.label))) != head_change:
                    nested = True
                    break
                items.append(t)
            if nested or len(items) < 2 or any(is_prior(t.label) for t in items):
                continue
            s = total(t.value for t in items)
            main = m.group(1).startswith("主要") or m.group(1) == "其中" and s < head.value
            status = "pass" if s == head.value else (
                "rounding" if abs(s - head.value) <= rounding_tolerance(head.value, *[t.value for t in items], terms=len(items))
                else "not_applicable" if main and s < head.value else "fail")
            text = (f"文字说明：{d(head.value)} 万元{'（列举主要部分）' if status == 'not_applicable' else ''} "
                    f"{ {'pass': '=', 'rounding': '≈', 'fail': '≠'}.get(status, '≥') } "
                    + " + ".join(d(t.value) for t in items))
            out.append(mk(doc, LISTED, status, "narrative", head.value, s, text, page))
        # -- shares and completion rates
        for i, t in enumerate(toks):
            if t.kind != "percent":
                continue
            lab = last_clause(t.label)
            prev = [x for x in toks[:i] if x.kind == "amount"]
            if re.search(r"完成.*(预算|计划)的?$", lab):
                budget = [x for x in prev if re.search(r"预算", last_clause(x.label)) and not re.search(r"决算", last_clause(x.label))]
                actual = [x for x in prev if re.search(r"决算|实际支出|支出", last_clause(x.label))
                          and (not budget or x.start > budget[-1].start)]
                if not budget or not actual:
                    continue
                b, a = budget[-1].value, actual[-1].value
                budget_of = "年初预算"
                if _other_item(sentence, budget[-1], actual[-1]):
                    # "预算为76.43万元…其中：因公出国（境）费支出决算为4.69万元，完成预算的15.63%"
                    item = three_public_item_budget(doc, last_clause(actual[-1].label))
                    if item is None:
                        out.append(mk(doc, COMPLETION, "insufficient_data", "narrative", None, fmt(t.value),
                                      f"决算 {d(a)} 是总额之下所列的一项，说明和“三公”经费表都没有给出该项的年初预算，"
                                      f"无法核对完成率 {fmt(t.value)}%。", page))
                        continue
                    b, budget_of = item
                if b == 0:
                    out.append(mk(doc, COMPLETION, "not_applicable", "narrative", None, t.value,
                                  f"年初预算为0，完成率 {fmt(t.value)}% 无从计算。", page))
                    continue
                lo, mid, hi = _ratio(a, b, _half(a), _half(b))
                st = _percent_status(t.value, lo, mid, hi)
                out.append(mk(doc, COMPLETION, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(t.value),
                              f"决算 {d(a)} ÷ {budget_of} {d(b)} = {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为 {fmt(t.value)}%",
                              page))
            elif "占" in lab and not CHANGE.search(lab) and prev:
                part = prev[-1]
                if not is_level(part) or re.search(r"[；;。]", sentence[part.end:t.start]):
                    continue  # a share in a later clause whose part is not stated ("货物…占货物支出金额的9.16%")
                whole, heads = None, []
                for mm in MARKER.finditer(sentence[:part.start]):
                    hb = [x for x in toks if x.end <= mm.start() and x.kind == "amount" and is_level(x)]
                    if hb and hb[-1] is not part and hb[-1].value >= part.value and hb[-1] not in heads:
                        heads.append(hb[-1])
                for h in reversed(heads):
                    if h.value and _percent_status(t.value, *_ratio(part.value, h.value, _half(part.value),
                                                                    _half(h.value))) != "fail":
                        whole = h
                        break
                else:
                    whole = heads[-1] if heads else None
                wv = whole.value if whole is not None else None
                if wv is None and re.search(r"本年支出合计|支出合计", lab):
                    wv = next((l.amount for l in doc.summary_lines if l.amount is not None
                               and _EXP_CUR.match(strip_enum(l.item))), None)
                if wv is None and re.search(r"[（(]类[)）]$", last_clause(part.label)):
                    wv = _fn_total(doc, "general_public_function", "total")
                if wv is None or re.search(r"占.+的", lab) and not re.search(r"本年支出合计|支出合计", lab) and whole is None:
                    continue
                if wv == 0:
                    continue
                lo, mid, hi = _ratio(part.value, wv, _half(part.value), _half(wv))
                st = _percent_status(t.value, lo, mid, hi)
                out.append(mk(doc, SHARE, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(t.value),
                              f"{d(part.value)} ÷ {d(wv)} = {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为 {fmt(t.value)}%",
                              page))
        # -- year over year
        for i, t in enumerate(toks):
            if t.kind != "amount":
                continue
            lab = last_clause(t.label)
            cm = CHANGE.search(lab)
            if not cm or not is_prior(lab) and not re.search(r"较|比|同比|与", sentence[max(0, t.start - 30):t.start]):
                continue
            sign = -1 if NEG.search(cm.group(1)) else 1
            prev_level = [x for x in toks[:i] if x.kind == "amount" and is_level(x)]
            prior = [x for x in toks[:i] if x.kind == "amount" and is_prior(x.label)
                     and not CHANGE.search(last_clause(x.label))]
            prev_level = [x for x in prev_level if not re.search(r"[；;]", sentence[x.end:t.start])]
            pri = prior[-1] if prior and prior[-1].end <= t.start and not re.search(
                r"[；;]", sentence[prior[-1].end:t.start]) else None
            if pri is not None:
                prev_level = [x for x in prev_level if x.start < pri.start]
            cur = prev_level[-1] if prev_level else None
            # the figure compared may be the head of a 其中 list: take the one the claim fits
            for x in reversed(prev_level):
                if pri is not None and x.value - pri.value == sign * t.value:
                    cur = x
                    break
            pct = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].kind == "percent" and \
                not re.search(r"[；;。]", sentence[t.end:toks[i + 1].start]) else None
            if cur is not None and pri is not None:
                diff = cur.value - pri.value
                out.append(compare(doc, YOY_DIFF, "narrative", diff, sign * t.value,
                                   f"文字说明：本年 {d(cur.value)} − 上年 {d(pri.value)} = {fmt(diff)}，说明为"
                                   f"{cm.group(1)} {d(t.value)}", page, terms=2))
                if diff != 0 and t.value != 0:
                    ok = (diff > 0) == (sign > 0)
                    out.append(mk(doc, YOY_DIRECTION, "pass" if ok else "fail", "narrative",
                                  "增加" if diff > 0 else "减少", cm.group(1),
                                  f"文字说明：本年 {d(cur.value)}、上年 {d(pri.value)}，说明为“{cm.group(1)}”。", page))
            if pct is not None:
                pw = CHANGE.search(last_clause(pct.label))
                if pw:
                    ok = bool(NEG.search(pw.group(1))) == (sign < 0)
                    out.append(mk(doc, YOY_DIRECTION, "pass" if ok else "fail", "narrative", cm.group(1), pw.group(1),
                                  f"文字说明：增减额为“{cm.group(1)}”，百分比为“{pw.group(1)}”。", page))
                base = pri.value if pri is not None else (cur.value - sign * t.value if cur is not None else None)
                if base is None or base <= 0:
                    continue
                lo, mid, hi = _ratio(t.value, base, _half(t.value), _half(base) * (2 if pri is None else 1))
                st = _percent_status(pct.value, lo, mid, hi)
                out.append(mk(doc, YOY_PERCENT, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(pct.value),
                              f"增减额 {d(t.value)} ÷ 上年 {fmt(base)} = {fmt(mid.quantize(Decimal('0.01')))}%，"
                              f"文字说明为 {fmt(pct.value)}%", page))
        for i, t in enumerate(toks):
            lab = last_clause(t.label)
            if t.kind != "percent" or not CHANGE.search(lab) or not re.search(r"比|较", lab):
                continue
            if i > 0 and toks[i - 1].kind == "amount" and CHANGE.search(last_clause(toks[i - 1].label)):
                continue  # handled with its change amount
            prior = [x for x in toks[:i] if x.kind == "amount" and is_prior(x.label)]
            cur = [x for x in toks[:i] if x.kind == "amount" and is_level(x) and (not prior or x.start > prior[-1].start)]
            if not prior or not cur or prior[-1].value <= 0:
                continue
            b, a = prior[-1].value, cur[-1].value
            sign = -1 if NEG.search(CHANGE.search(lab).group(1)) else 1
            lo, mid, hi = _ratio(a - b, b, _half(a) + _half(b), _half(b))
            st = _percent_status(sign * t.value, lo, mid, hi)
            out.append(mk(doc, YOY_PERCENT, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(sign * t.value),
                          f"本年 {d(a)} 比上年 {d(b)} 变动 {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为"
                          f"{CHANGE.search(lab).group(1)} {fmt(t.value)}%", page))
        for m in re.finditer(r"(?:比|较)(\d{4})年", sentence):
            y = int(m.group(1))
            status = "fail" if y >= doc.meta.year else "pass"
            out.append(mk(doc, YEAR, status, "narrative", f"<{doc.meta.year}", str(y),
                          f"文字说明与 {y} 年比较" + ("，但本文件就是该年度的，比较年份有误：" if status == "fail" else "：")
                          + sentence[max(0, m.start() - 20):m.end() + 12], page))
    return out


_TEMPLATE = re.compile(r"X{2,}|×{2,}|x{2,}|增加[（(]减少[)）]|增长[（(]下降[)）]|[上下]升[（(]下降[)）]|"
                       r"主要原因是[。；;，,]|原因是[：:]?[。；;]|主要用于[。；;]|万元万元|[（(]\s*[)）]万元")


def template_checks(doc: ParsedDocument, sents, full: bool) -> list[Check]:
    out: list[Check] = []
    hits = [(s, p, m) for s, p in sents for m in [_TEMPLATE.search(s)] if m]
    for s, p, m in hits:
        a, b = max(0, m.start() - 20), m.end() + 10
        out.append(mk(doc, TEMPLATE, "fail", "narrative", None, m.group(0),
                      f"文字说明中有模板残留“{m.group(0)}”：…{s[a:b]}…", p))
    if not hits:
        out.append(mk(doc, TEMPLATE, "pass" if full and sents else "insufficient_data", "narrative", None, None,
                      f"检查了 {len(sents)} 句文字说明，未发现模板残留。" if full and sents
                      else "未取得完整的文字说明，无法检查模板残留。"))
    return out


def narrative_family(doc: ParsedDocument) -> list[Check]:
    _DOC_YEAR[0] = doc.meta.year
    sents, full = narrative_sentences(doc)
    out: list[Check] = []
    out.append(mk(doc, PRESENT, "pass" if sents else "fail" if full else "insufficient_data", "narrative",
                  None, str(len(sents)),
                  f"识别出 {len(sents)} 句文字说明。" if sents else "没有识别出文字说明。"))
    out += code_checks(doc)
    out += topic_checks(doc, sents)
    out += item_checks(doc, sents)
    out += list_share_yoy(doc, sents)
    out += template_checks(doc, sents, full)
    return out


FAMILY = [narrative_family]
