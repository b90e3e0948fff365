"""Agreement across tables: summary ↔ income/expenditure, fiscal summary ↔ general-public
table, expenditure ↔ general-public table per code, basic spending ↔ basic-economic table.

In a final account (决算) income and spending differ by the funds carried over: what the year
received (收入决算表, 本年收入) minus what it spent (支出决算表, 本年支出) is what the 收入支出决算总表
prints as 年末结转和结余 minus 年初结转和结余. The tables do not print the carry-over per code, so
a final account with carry-overs is checked on that identity, not code by code."""
from __future__ import annotations

from decimal import Decimal

from ..records import Check, ParsedDocument
from ..vocabulary import FUND_TABLES, FUND_WORDS, FUNDS, GENERAL_PUBLIC_FIRST, TABLE_SHORT_NAMES
from .arithmetic import _CARRY_IN, _CARRY_OUT, _EXP_CUR, _GRAND, _INCOME_CUR, find_line, summary_lines_of
from .base import (ZERO, compact, compare, d, describe, line_figure, mk, row_figure, same_name,
                   status_at_least, status_of, strip_enum, table_sum, top_level, total, total_figure)

SUM_INCOME = describe("cross.summary_vs_income",
                      "收支总表的本年收入合计 = 收入总表的合计（收入总表按资金来源列出、合计含上年结转结余时，"
                      "与收支总表的收入总计比较）。",
                      suggestion="核对收支总表的本年收入合计与收入总表的合计，改正不一致的一方。")
SUM_EXP = describe("cross.summary_vs_expenditure",
                   "收支总表的本年支出合计 = 支出总表的合计。",
                   suggestion="核对收支总表的本年支出合计与支出总表的合计，改正不一致的一方。")
SUM_CLASS = describe("cross.summary_class_vs_expenditure",
                     "收支总表按功能分类列出的每一类支出 = 支出总表中该类（3位编码）的合计。",
                     suggestion="核对收支总表中该类支出与支出总表中该类的合计，改正不一致的一方。")
FISCAL_GP = describe("cross.fiscal_summary_vs_general_public",
                     "财政拨款收支总表中一般公共预算的部分 = 一般公共预算支出表的合计。一般公共预算的部分取本年支出合计"
                     "的一般公共预算列；表中支出不分资金列印时，取收入方的一般公共预算（本年收入加上年结转中的一般公共预算）。"
                     "结转结余没有按资金分列、读不出一般公共预算的部分时不核对（不拿含政府性基金等的总数比较）。",
                     suggestion="核对财政拨款收支总表的一般公共预算支出与一般公共预算支出表的合计，改正不一致的一方。")
FISCAL_FUNDS = {fund: describe(f"cross.fiscal_summary_vs_{fund}",
                               f"财政拨款收支总表中{FUNDS[fund]}的部分 = {TABLE_SHORT_NAMES[FUND_TABLES[fund]]}的合计"
                               f"（取法同 cross.fiscal_summary_vs_general_public；该表没有数据时不核对）。",
                               suggestion=f"核对财政拨款收支总表的{FUNDS[fund]}支出与"
                                          f"{TABLE_SHORT_NAMES[FUND_TABLES[fund]]}的合计，改正不一致的一方。")
                for fund in ("government_fund", "state_capital")}
FISCAL_CLASS = describe("cross.fiscal_class_vs_general_public",
                        "财政拨款收支总表列出的每一类支出中一般公共预算的部分 = 一般公共预算支出表中该类的合计：支出按资金"
                        "分列时取一般公共预算列；不分列时，只在全部财政拨款都是一般公共预算时比较该类的数。",
                        suggestion="核对财政拨款收支总表中该类支出与一般公共预算支出表中该类的合计，改正不一致的一方。")
EXP_GP_TOTAL = describe("cross.expenditure_vs_general_public.total",
                        "同一科目在支出总表与一般公共预算支出表中的合计相同（支出总表只含财政拨款时；否则不适用）。",
                        suggestion="核对该科目在支出总表与一般公共预算支出表中的合计，改正不一致的一方。")
EXP_GP_BASIC = describe("cross.expenditure_vs_general_public.basic",
                        "同一科目在支出总表与一般公共预算支出表中的基本支出相同（支出总表只含财政拨款时）。",
                        suggestion="核对该科目在支出总表与一般公共预算支出表中的基本支出，改正不一致的一方。")
EXP_GP_PROJECT = describe("cross.expenditure_vs_general_public.project",
                          "同一科目在支出总表与一般公共预算支出表中的项目支出相同（支出总表只含财政拨款时）。",
                          suggestion="核对该科目在支出总表与一般公共预算支出表中的项目支出，改正不一致的一方。")
INCOME_EXP = describe("cross.income_vs_expenditure",
                      "同一科目在收入总表与支出总表中的合计相同（两表口径都包括全部资金；决算有年初、年末结转和结余时"
                      "不适用，改为核对 cross.final_income_less_expenditure）。",
                      suggestion="核对收入总表与支出总表的合计，改正不一致的一方。")
FINAL_CARRY = describe("cross.final_income_less_expenditure",
                       "决算：收入决算表合计 − 支出决算表合计 = 收入支出决算总表的（年末结转和结余 + 结余分配）"
                       "−（年初结转和结余 + 使用非财政拨款结余），即本年收入与本年支出之差由结转结余承接。",
                       suggestion="核对收入、支出决算表的合计与收入支出决算总表的年初、年末结转和结余，改正不一致的数字。")
BASIC_ECON = describe("cross.basic_vs_basic_economic",
                      "一般公共预算支出表各类基本支出之和 = 一般公共预算基本支出表（经济分类）的合计。",
                      suggestion="核对一般公共预算支出表的基本支出与基本支出表（经济分类）的合计，改正不一致的一方。")
BASIC_FUNC = describe("cross.basic_function_vs_general_public",
                      "基本支出表（按功能分类）中每个科目的金额 = 一般公共预算支出表中该科目的基本支出。",
                      suggestion="核对该科目在基本支出表与一般公共预算支出表中的基本支出，改正不一致的一方。")
SAME_NAME = describe("cross.same_code_same_name",
                     "同一功能分类编码在各表中的科目名称相同（名称被截断的按前缀比对）。",
                     severity="warning",
                     suggestion="同一科目编码在各表中使用同一个（规范的）科目名称。")
SAME_AMOUNT = describe("cross.same_code_same_amount",
                       "同一功能分类编码在口径相同的各表中金额相同。",
                       suggestion="核对该科目在各表中的金额，改正不一致的一方。")
TP_RECEPTION = describe("cross.three_public_vs_economic",
                        "“三公”经费中的公务接待费、公务用车运行维护费不少于基本支出经济分类表中的公务接待费（30217）、"
                        "公务用车运行维护费（30231）。",
                        suggestion="核对“三公”经费表与基本支出经济分类表中的公务接待费、公务用车运行维护费，改正不一致的一方。")


def _fn(doc, table):
    return [r for r in doc.function_rows if r.table == table]


def _table_total(doc: ParsedDocument, table: str, key: str = "total") -> Decimal | None:
    v = table_sum(doc, table, key)
    if v is not None:
        return v
    top = top_level(_fn(doc, table))
    if top and any(getattr(r, key) is not None for r in top):
        return total(getattr(r, key) for r in top)
    return None


def _total_figures(doc: ParsedDocument, table: str, key: str = "total") -> list:
    """The printed figures ``_table_total`` reads: the 合计 row's cell, else the top rows'."""
    if table_sum(doc, table, key) is not None:
        return [total_figure(table, key)]
    return [row_figure(r, key) for r in top_level(_fn(doc, table))]


def fiscal_only(doc: ParsedDocument) -> bool | None:
    """Does the expenditure table cover fiscal (general public budget) funds only?"""
    e, g = _table_total(doc, "expenditure"), _table_total(doc, "general_public_function")
    if e is None or g is None:
        return None
    return e == g


def _grand_income(lines, current, grand) -> list:
    """The 收支总表's income grand total: 收入总计, or a 收入合计 printed below 本年收入合计."""
    later = lines[lines.index(current) + 1:] if current in lines else []
    return ([grand] if grand is not None else []) + [
        l for l in later if l.side == "income" and l.amount is not None and strip_enum(l.item) in ("收入合计", "合计")]


def summary_vs_tables(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    lines = summary_lines_of(doc, "summary")
    inc = find_line(lines, _INCOME_CUR, "income")
    exp = find_line(lines, _EXP_CUR, "expenditure")
    if lines:
        for line, table, check, label in ((inc, "income", SUM_INCOME, "收入"), (exp, "expenditure", SUM_EXP, "支出")):
            t = _table_total(doc, table)
            if t is None:
                out.append(mk(doc, check, "not_applicable" if not any(x.table == table for x in doc.tables)
                              else "insufficient_data", "summary", line.amount if line else None, None,
                              f"没有识别出{label}总表的合计，无法与收支总表核对。"))
                continue
            what = f"本年{label}合计"
            carry = [l for l in summary_lines_of(doc, table) if _CARRY_IN.search(l.item) and l.amount is not None]
            grand = next((l for l in lines if l.side == "income" and _GRAND.match(strip_enum(l.item))
                          and l.amount is not None), None)
            if table == "income" and carry and grand is not None:
                # the 收入总表's 合计 includes its 上年结转 column: like with like is 收入总计
                line, what = grand, f"收入总计（收入总表的合计含{strip_enum(carry[0].item)} {d(carry[0].amount)}）"
            elif table == "income" and line is not None and t != line.amount and any(
                    l.amount == t for l in _grand_income(lines, line, grand)):
                # 西安, 杭州, 福州: the 收入总表's 合计 (总计) includes the 上年结转 columns the reading
                # gives no line; 福州 prints the 收支总表's grand total as 收入合计, below 上年结转结余
                line, what = next(l for l in _grand_income(lines, line, grand) if l.amount == t), \
                    "收入总计（收入总表的合计含上年结转）"
            spent_all = grand_spending(lines)
            if table == "expenditure" and line is not None and spent_all is not None \
                    and t != line.amount and t == spent_all.amount:
                # 西安's 支出总表 prints 支出总计 (本年支出合计 3643.37 + 结转下年 52.54 = 3695.91) as its 合计
                line, what = spent_all, "支出总计（支出总表的合计含结转下年）"
            if line is None:
                out.append(mk(doc, check, "insufficient_data", "summary", None, t,
                              f"收支总表中没有识别出本年{label}合计。"))
                continue
            out.append(compare(doc, check, "summary", line.amount, t,
                               f"收支总表{what} {d(line.amount)} {{op}} {label}总表合计 {d(t)}",
                               line.source_page, summed=True,
                               figures=[line_figure(line), *_total_figures(doc, table)]))
    classes = [r for r in _fn(doc, "expenditure") if len(r.code) == 3]
    for line in lines:
        match = [r for r in classes if r.name == strip_enum(line.item)]
        if line.side != "expenditure" or line.amount is None or not match:
            continue
        r = match[0]
        out.append(compare(doc, SUM_CLASS, "summary", line.amount, r.total,
                           f"{r.code} {r.name}：收支总表 {d(line.amount)} {{op}} 支出总表 {d(r.total)}",
                           line.source_page, summed=True, figures=[line_figure(line), row_figure(r, "total")]))
    out.extend(fiscal_classes(doc))
    out.extend(fiscal_vs_fund_tables(doc))
    return out


def grand_spending(lines):
    """The 支出总计 line of a summary table (本年支出合计 + 结转下年 …), or None."""
    return next((l for l in lines if l.side == "expenditure" and _GRAND.match(strip_enum(l.item))
                 and l.amount is not None), None)


def fund_part(doc: ParsedDocument, fund: str) -> tuple[Decimal | None, str, int | None, tuple]:
    """One fund's part (``vocabulary.FUNDS``) of what the 财政拨款收支总表 spends this year, how it
    was read, its page and the printed figures it adds up (``base.FigureRef``); the amount is
    None, with the reason, when the table does not tell the fund apart.

    Where the 支出 side is split by fund (合计 | 一般公共预算 | 政府性基金预算 | …), it is the
    fund's column of 本年支出合计 (of 支出总计 where no 本年支出合计 and no 结转下年 are printed).
    Otherwise it is read from the 收入 side: the fund's line of this year's income (一、一般公共
    预算资金) plus the fund's line under 上年结转 (北京, 杭州, 深圳 split the carry-over by fund).
    An unsplit carry-over (西安: 上年结转 13102.70 only) or an unsplit 结转下年 leaves it unread."""
    lines = summary_lines_of(doc, "fiscal_summary")
    word = FUND_WORDS[fund]
    spent = find_line(lines, _EXP_CUR, "expenditure")
    carry_out = [l for l in lines if l.side == "expenditure" and _CARRY_OUT.search(compact(l.item)) and l.amount]
    grand = None if carry_out else next((l for l in lines if l.side == "expenditure" and l.amount is not None
                                         and _GRAND.match(strip_enum(l.item))), None)
    for line in (spent, grand):
        columns = dict(line.funds) if line is not None else {}
        if fund in columns:
            v = columns[fund] or ZERO
            return v, f"{strip_enum(line.item)}的{FUNDS[fund]}列 {d(v)}", line.source_page, (line_figure(line, fund),)
    if carry_out:
        return (None, f"{strip_enum(carry_out[0].item)} {d(carry_out[0].amount)} 没有按资金分列",
                carry_out[0].source_page, ())
    income = [l for l in lines if l.side == "income"]
    heading = next((i for i, l in enumerate(income) if _CARRY_IN.search(compact(l.item))), len(income))
    this = next((l for l in income[:heading] if word in compact(l.item) and "其中" not in l.item), None)
    if this is None:
        return None, f"收入方没有列出{FUNDS[fund]}", None, ()
    v, text = this.amount or ZERO, f"{strip_enum(this.item)} {d(this.amount or ZERO)}"
    carried = income[heading].amount if heading < len(income) else None
    if carried:
        split = []
        for l in income[heading + 1:]:
            if _GRAND.match(strip_enum(l.item)) or _INCOME_CUR.match(strip_enum(l.item)):
                break
            if any(w in compact(l.item) for w in FUND_WORDS.values()):
                split.append(l)
        mine = next((l for l in split if word in compact(l.item)), None)
        if mine is None or total(l.amount for l in split) != carried:
            return None, (f"{strip_enum(income[heading].item)} {d(carried)} 没有按资金分列"
                          + (f"（分列之和 {d(total(l.amount for l in split))}）" if split else "")), this.source_page, ()
        v += mine.amount or ZERO
        text += f" + {strip_enum(income[heading].item)}中的{strip_enum(mine.item)} {d(mine.amount or ZERO)}"
        return v, text, this.source_page, (line_figure(this), line_figure(mine))
    return v, text, this.source_page, (line_figure(this),)


def fiscal_vs_fund_tables(doc: ParsedDocument) -> list[Check]:
    """Each fund's part of the 财政拨款收支总表 = the total of the table of that fund's spending
    (一般公共预算支出表, 政府性基金预算支出表, 国有资本经营预算支出表); never the whole table
    against one fund's table."""
    out: list[Check] = []
    if not summary_lines_of(doc, "fiscal_summary"):
        return out
    for fund, check in (("general_public", FISCAL_GP), *FISCAL_FUNDS.items()):
        table = FUND_TABLES[fund]
        t = _table_total(doc, table)
        if t is None and fund != "general_public":
            continue  # the fund's table is not published or prints no figure
        part, how, page, parts = fund_part(doc, fund)
        name = TABLE_SHORT_NAMES[table]
        if part is None or t is None:
            out.append(mk(doc, check, "insufficient_data", "fiscal_summary", part, t,
                          f"财政拨款收支总表：{how}，读不出{FUNDS[fund]}的部分，不与{name}合计 {d(t)} 比较。"
                          if part is None else f"没有识别出{name}的合计。", page))
            continue
        out.append(compare(doc, check, "fiscal_summary", part, t,
                           f"财政拨款收支总表{FUNDS[fund]}的部分（{how}）{d(part)} {{op}} {name}合计 {d(t)}",
                           page, terms=how.count(" + ") + 1, summed=True,
                           figures=[*parts, *_total_figures(doc, table)]))
    return out


def fiscal_classes(doc: ParsedDocument) -> list[Check]:
    """Each class the 财政拨款收支总表 lists: its 一般公共预算 part = the class in the 一般公共预算
    支出表. The part is the line's 一般公共预算 column where the 支出 side is split by fund; an
    unsplit line is compared only when all the table's money is 一般公共预算 (its 一般公共预算 part
    is its 本年支出合计), else one ``not_applicable`` says why."""
    lines = [l for l in summary_lines_of(doc, "fiscal_summary") if l.side == "expenditure" and l.amount is not None]
    classes = {r.name: r for r in _fn(doc, "general_public_function") if len(r.code) == 3}
    listed = [(l, classes[strip_enum(l.item)]) for l in lines if strip_enum(l.item) in classes]
    if not listed:
        return []
    split = all("general_public" in dict(l.funds) for l, _ in listed)
    spent = find_line(summary_lines_of(doc, "fiscal_summary"), _EXP_CUR, "expenditure")
    part, how, _, _ = fund_part(doc, "general_public")
    if not split and (spent is None or part is None or status_of(spent.amount, part) not in ("pass", "rounding")):
        why = (f"一般公共预算的部分读不出（{how}）" if part is None else
               f"本年支出合计 {d(spent.amount) if spent else '空'} 含一般公共预算以外的资金（一般公共预算 {d(part)}）")
        return [mk(doc, FISCAL_CLASS, "not_applicable", "fiscal_summary", None, None,
                   f"财政拨款收支总表的支出不按资金分列，{why}，各类支出不与一般公共预算支出表逐类比较。",
                   listed[0][0].source_page)]
    out: list[Check] = []
    for line, r in listed:
        v = (dict(line.funds)["general_public"] or ZERO) if split else line.amount
        column = "的一般公共预算列" if split else ""
        out.append(compare(doc, FISCAL_CLASS, "fiscal_summary", v, r.total,
                           f"{r.code} {r.name}：财政拨款收支总表{column} {d(v)} {{op}} 一般公共预算支出表 {d(r.total)}",
                           line.source_page, summed=True,
                           figures=[line_figure(line, "general_public" if split else None), row_figure(r, "total")]))
    return out


def _sums_items(rows_by_code, code: str) -> bool:
    """Is the row of ``code`` a sum of rows the table prints (a 类 or 款 with its items)?"""
    return any(c != code and c.startswith(code) for c in rows_by_code)


def per_code(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    exp = {r.code: r for r in _fn(doc, "expenditure")}
    gp = {r.code: r for r in _fn(doc, "general_public_function")}
    inc = {r.code: r for r in _fn(doc, "income")}
    only = fiscal_only(doc)
    for code in sorted(set(exp) & set(gp)):
        e, g = exp[code], gp[code]
        for key, label, check in (("total", "合计", EXP_GP_TOTAL), ("basic", "基本支出", EXP_GP_BASIC),
                                  ("project", "项目支出", EXP_GP_PROJECT)):
            ev, gv = getattr(e, key), getattr(g, key)
            if key != "total" and (ev is None and gv is None):
                continue
            if key != "total" and (all(getattr(r, key) is None for r in exp.values())
                                   or all(getattr(r, key) is None for r in gp.values())):
                continue  # one of the tables does not print this column
            ev, gv = ev or ZERO, gv or ZERO
            if only is False and ev != gv:
                out.append(mk(doc, check, "not_applicable", "expenditure", gv, ev,
                              f"{code} {e.name}：支出总表{label} {d(ev)} 与一般公共预算支出表 {d(gv)} 不同，"
                              f"但支出总表含非财政拨款资金（两表合计不同），不可直接比较。", e.source_page))
                continue
            out.append(compare(doc, check, "expenditure", gv, ev,
                               f"{code} {e.name}：一般公共预算支出表{label} {d(gv)} {{op}} 支出总表 {d(ev)}",
                               e.source_page, summed=_sums_items(exp, code), figures=[row_figure(g, key), row_figure(e, key)]))
    carry_in, carry_out = carry_overs(doc)
    carried = doc.meta.phase == "final" and any(l.amount for l in carry_in + carry_out)
    for code in sorted(set(inc) & set(exp)):
        i, e = inc[code], exp[code]
        if carried:
            out.append(mk(doc, INCOME_EXP, "not_applicable", "income", e.total, i.total,
                          f"{code} {e.name}：支出决算表 {d(e.total)}，收入决算表 {d(i.total)}；决算的本年收入与本年支出"
                          f"之差由结转结余承接（{_carry_text(carry_in, carry_out)}），不逐科目比较，"
                          f"见 {FINAL_CARRY}。", i.source_page))
            continue
        out.append(compare(doc, INCOME_EXP, "income", e.total, i.total,
                           f"{code} {e.name}：支出总表 {d(e.total)} {{op}} 收入总表 {d(i.total)}", i.source_page,
                           summed=_sums_items(exp, code), figures=[row_figure(e, "total"), row_figure(i, "total")]))
    basic_fn = {r.code: r for r in _fn(doc, "basic_function")}
    for code in sorted(set(basic_fn) & set(gp)):
        b, g = basic_fn[code], gp[code]
        bv = b.basic if b.basic is not None else b.total
        out.append(compare(doc, BASIC_FUNC, "basic_function", g.basic or ZERO, bv,
                           f"{code} {b.name}：一般公共预算支出表基本支出 {d(g.basic or ZERO)} {{op}} 基本支出表 {d(bv)}",
                           b.source_page, figures=[row_figure(g, "basic"),
                                                   row_figure(b, "basic" if b.basic is not None else "total")]))
    # the same code has the same name in every table
    by_code: dict[str, list] = {}
    for r in doc.function_rows:
        if r.table != "narrative" and r.name:
            by_code.setdefault(r.code, []).append(r)
    for code, rows in sorted(by_code.items()):
        if len({r.table for r in rows}) < 2:
            continue
        first = rows[0]
        bad = [r for r in rows[1:] if not same_name(r.name, first.name)]
        if bad:
            out.append(mk(doc, SAME_NAME, "fail", bad[0].table, first.name, bad[0].name,
                          f"{code}：{first.table} 中名为“{first.name}”，{bad[0].table} 中名为“{bad[0].name}”。",
                          bad[0].source_page))
        else:
            out.append(mk(doc, SAME_NAME, "pass", first.table, first.name, first.name,
                          f"{code} {first.name}：在 {len({r.table for r in rows})} 张表中名称一致。", first.source_page))
    # the same amount wherever the same code appears, in tables of the same scope
    if only:  # the 收入总表 is of that scope only where its 合计 is the 支出总表's (普陀财政局 决算: 其他收入 6.20)
        scope = ("expenditure", "general_public_function") + (
            ("income",) if not carried and _table_total(doc, "income") == _table_total(doc, "expenditure") else ())
        for code, rows in sorted(by_code.items()):
            tables = [r for r in rows if r.table in scope]
            if len(tables) < 2:
                continue
            vals = {r.table: r.total for r in tables}
            ref = tables[0].total
            worst = max(tables, key=lambda r: abs((r.total or ZERO) - (ref or ZERO)))
            out.append(compare(doc, SAME_AMOUNT, worst.table, ref, worst.total,
                               f"{code} {tables[0].name}：" + "，".join(f"{t} {d(v)}" for t, v in vals.items()),
                               worst.source_page, summed=_sums_items(by_code, code),
                               figures=[row_figure(r, "total") for r in tables]))
    return out


def carry_overs(doc: ParsedDocument) -> tuple[list, list]:
    """The carry-over lines the 收支总表 prints with an amount: into the year (年初结转和结余,
    使用非财政拨款结余 …) and out of it (年末结转和结余, 结余分配 …)."""
    lines = [l for l in summary_lines_of(doc, "summary") if l.amount is not None]
    into = [l for l in lines if _CARRY_IN.search(compact(l.item)) and not _CARRY_OUT.search(compact(l.item))]
    out = [l for l in lines if _CARRY_OUT.search(compact(l.item))]
    return into, out


def _carry_text(carry_in: list, carry_out: list) -> str:
    parts = [f"{strip_enum(l.item)} {d(l.amount)}" for l in carry_in + carry_out]
    return "、".join(parts) if parts else "收支总表没有印出结转结余"


def final_income_less_expenditure(doc: ParsedDocument) -> list[Check]:
    """A final account: 收入决算表合计 − 支出决算表合计 = carried out − carried in (收支总表)."""
    if doc.meta.phase != "final":
        return []
    income, spending = _table_total(doc, "income"), _table_total(doc, "expenditure")
    if income is None or spending is None:
        return []
    carry_in, carry_out = carry_overs(doc)
    carried = total(l.amount for l in carry_out) - total(l.amount for l in carry_in)
    lhs = " − ".join([" + ".join(f"{strip_enum(l.item)} {d(l.amount)}" for l in carry_out) or "0",
                      " + ".join(f"{strip_enum(l.item)} {d(l.amount)}" for l in carry_in) or "0"])
    if not carry_in and not carry_out:
        lhs = "没有印出结转结余，按 0 计"
    page = (carry_out or carry_in)[0].source_page if carry_out or carry_in else None
    return [compare(doc, FINAL_CARRY, "summary", carried, income - spending,
                    f"收支总表 {lhs} = {d(carried)} {{op}} 收入决算表合计 {d(income)} − 支出决算表合计 "
                    f"{d(spending)} = {d(income - spending)}", page,
                    parts=(income, spending, *(l.amount for l in carry_in + carry_out)))]


def basic_vs_economic(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    econ = [r for r in doc.economic_rows if r.table == "basic_economic"]
    if not econ:
        return out
    e_total = table_sum(doc, "basic_economic") or total(r.total for r in econ if len(r.code) == 3)
    for table in GENERAL_PUBLIC_FIRST:
        rows = _fn(doc, table)
        if not rows or all(r.basic is None for r in rows):
            continue
        top = top_level(rows)
        b = table_sum(doc, table, "basic")
        if b is None:
            b = total(r.basic for r in top)
        out.append(compare(doc, BASIC_ECON, table, e_total, b,
                           f"基本支出经济分类表合计 {d(e_total)} {{op}} {table} 各类基本支出之和 {d(b)}",
                           None, terms=len(top), figures=[*_econ_total_figures(doc, econ), *(
                               [total_figure(table, "basic")] if table_sum(doc, table, "basic") is not None
                               else [row_figure(r, "basic") for r in top])]))
        break
    else:
        # a function table printing 基本支出 in its 合计 row only (江苏's 支出预算总表)
        printed = next(((t, b) for t in GENERAL_PUBLIC_FIRST
                        if (b := table_sum(doc, t, "basic")) is not None), None)
        if printed is not None:
            table, b = printed
            out.append(compare(doc, BASIC_ECON, table, e_total, b,
                               f"基本支出经济分类表合计 {d(e_total)} {{op}} {table} 合计行的基本支出 {d(b)}",
                               figures=[*_econ_total_figures(doc, econ), total_figure(table, "basic")]))
        else:
            out.append(mk(doc, BASIC_ECON, "insufficient_data", "basic_economic", e_total, None,
                          "功能分类表没有基本支出列，无法与基本支出经济分类表核对。"))
    by_code = {r.code: r for r in econ}
    for item, code in (("reception", "30217"), ("vehicle_operation", "30231")):
        tp = next((r for r in doc.three_public if r.item == item and r.table == "three_public"
                   and r.measure == ("final" if doc.meta.phase == "final" else "budget")), None)
        ec = by_code.get(code)
        if tp is None or ec is None or ec.total is None:
            continue
        unit = next((t.unit for t in doc.tables if t.table == "three_public"), None)
        status = status_at_least(tp.amount, ec.total, -4 if unit == "元" else None)
        out.append(mk(doc, TP_RECEPTION, status, "three_public", ec.total, tp.amount,
                      f"{code} {ec.name}：“三公”经费表 {d(tp.amount)} {'<' if status == 'fail' else '≥'} "
                      f"基本支出经济分类表 {d(ec.total)}" + ("（差额在“三公”经费表所印末位的半个单位之内，属舍入差异）"
                                                      if status == "rounding" else ""), tp.source_page))
    return out


def _econ_total_figures(doc: ParsedDocument, econ: list) -> list:
    """The printed figures of the 基本支出经济分类表's total as ``basic_vs_economic`` reads it."""
    if table_sum(doc, "basic_economic") is not None:
        return [total_figure("basic_economic")]
    return [row_figure(r, "total") for r in econ if len(r.code) == 3]


FAMILY = [summary_vs_tables, per_code, final_income_less_expenditure, basic_vs_economic]
