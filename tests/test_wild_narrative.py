"""Narrative ↔ table checks on wild-dev disclosures whose failures were misreadings, with the
figures read by hand off the pages named.

* 机关运行经费 is the 公用经费 of 行政单位 (and 参公 事业单位) only: where a document prints no
  机关运行经费 table, the 公用经费 of its basic economic table is another measure as soon as a
  事业单位 belongs to the budget (北京 信访办), and a 事业单位's “机关运行经费 0 万元” (长沙)
  is no inconsistency: ``narrative.operating_costs`` does not apply there.
* Listed changes add with their directions (重庆: 增加 3,013.74, 减少 1.4 …); a 其中 after a
  closed 包括 list breaks down the total (苏州, 无锡); an item followed by the colon of its own
  breakdown nests a list (重庆's 政府采购).
* A sentence running over a page break reads on past the running header (无锡).
* 西安's “三公” table prints 上年 | 当年 | 增减 blocks of 合计 | 三公小计 | items | 会议费 | 培训费:
  the 三公 figures are the middle block's 小计 and items.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import WILD
from generator.ingest.files import ingest_files
from generator.parse import parse_files
from generator.recognize.narrative import sentences
from generator.verify.sentences import tokens

pytestmark = pytest.mark.skipif(not WILD.is_dir(),
                                reason=f"wild development corpus not available: {WILD} is absent")

DOCS = {
    "北京信访办": ("w0033.pdf", "w0069.pdf"),  # 情况说明 + 报表
    "长沙职教基地": ("w0165.pdf",),
    "重庆科技局": ("w0102.pdf",),
    "苏州审计局": ("w0131.pdf",),
    "无锡发改委": ("w0150.pdf",),
    "西安人社局2020": ("w0189.pdf",),
    "西安气象局2022": ("w0206.pdf",),
    "西安公安局": ("w0192.pdf",),
}


@pytest.fixture(scope="module")
def parsed():
    """Each document parsed once (ingest → recognize → verify), on demand."""
    cache = {}

    def get(name: str):
        if name not in cache:
            result = parse_files([WILD / f for f in DOCS[name]])
            assert result.parsed is not None, result.error
            cache[name] = result.parsed
        return cache[name]
    return get


def checks(doc, check: str, status: str | None = None):
    return [c for c in doc.checks if c.check == check and (status is None or c.status == status)]


# ------------------------------------------------------------------ 机关运行经费

def test_beijing_operating_costs_sentence_without_a_like_table(parsed):
    """w0033 p. 6 prints “机关运行经费财政拨款预算1698.15万元” and no 机关运行经费 table; w0069 p. 7
    (一般公共预算基本支出表) prints 合计 公用经费 583.771487: another measure, not applicable."""
    doc = parsed("北京信访办")
    [c] = checks(doc, "narrative.operating_costs")
    assert (c.status, c.actual, c.expected) == ("not_applicable", "1698.15", "583.771487"), c
    assert "口径" in c.message


def test_changsha_shiye_danwei_has_no_operating_costs(parsed):
    """w0165 p. 8: “机关运行经费0万元，主要原因是本单位为非参公事业单位”; p. 18 prints 公用经费 29.97."""
    doc = parsed("长沙职教基地")
    [c] = checks(doc, "narrative.operating_costs")
    assert (c.status, Decimal(c.actual), c.expected) == ("not_applicable", 0, "29.97"), c
    assert "不是行政" in c.message


# ------------------------------------------------------------------ listed parts

def test_chongqing_listed_changes_add_with_their_directions(parsed):
    """w0102 p. 2: 收入比2025年增加6,276.54万元，主要是一般公共预算拨款增加3,013.74万元，国有资本经营
    预算拨款减少1.4万元，事业收入资金减少7,294.14万元，其他收入资金增加10,558.34万元 (= 6276.54);
    p. 3: 支出比2025年增加6,276.54万元，主要是基本支出减少5,372.73万元，项目支出增加11,649.28万元
    (= 6276.55, a rounding difference)."""
    doc = parsed("重庆科技局")
    listed = {(c.expected, c.actual): c.status for c in checks(doc, "narrative.listed_parts")}
    assert listed[("6276.54", "6276.54")] == "pass", listed
    assert listed[("6276.54", "6276.55")] == "rounding", listed
    assert not checks(doc, "narrative.listed_parts", "fail")


def test_chongqing_item_with_its_own_breakdown_is_no_flat_list(parsed):
    """w0102 p. 4: “政府采购服务预算901万元；其中一般公共预算拨款政府采购2,521.44万元：政府采购货物预算
    2,020.44万元、政府采购工程预算0万元、政府采购服务预算501万元” — 2,521.44 opens a breakdown of
    its own; nothing there is a list of parts of 901."""
    doc = parsed("重庆科技局")
    assert not [c for c in checks(doc, "narrative.listed_parts") if c.expected == "901"]


def test_suzhou_income_parts_break_down_the_total(parsed):
    """w0131 p. 23–24: “收入预算合计4,651.67万元，包括本年收入4,651.67万元，上年结转结余0万元。其中：
    本年一般公共预算收入4,651.67万元 …” and 13 more parts of 0 万元 (本年… and 上年结转结余的…)."""
    doc = parsed("苏州审计局")
    passed = [c for c in checks(doc, "narrative.listed_parts", "pass") if c.expected == "4651.67"]
    assert passed and passed[0].message.count("+") == 13, passed
    assert not checks(doc, "narrative.listed_parts", "fail")


def test_wuxi_sentence_reads_on_past_the_running_header():
    """w0150 p. 29–30 (printed - 28 -): “收入预算合计 9,947.88 万” | running header
    “无锡市发展和改革委员会2025年度部门预算公开” | “元，包括本年收入 9,947.88 万元…”."""
    lines = ingest_files([WILD / "w0150.pdf"]).lines
    found = [s for s, _ in sentences(lines) if "收入预算合计" in s]
    assert found and "9,947.88万元，包括本年收入9,947.88万元" in found[0], found
    assert not any("部门预算公开" in s and "收入预算合计" in s for s in found)


def test_wuxi_income_parts_pass(parsed):
    """The same sentence, then “其中：本年一般公共预算收入9,947.88万元，占100%；…” (14 parts)."""
    doc = parsed("无锡发改委")
    assert [c for c in checks(doc, "narrative.listed_parts", "pass") if c.expected == "9947.88"]
    assert not checks(doc, "narrative.listed_parts", "fail")


# ------------------------------------------------------------------ “三公”

def test_xian_three_public_of_this_year(parsed):
    """w0189 p. 49 (表 in 万元): 2019年 | 2020年 | 增减变化情况, each 合计 | 三公小计 | 出国 | 接待 |
    公车小计 | 购置 | 运行 | 会议费 | 培训费; 合计 row 2020年: 178.34 29.30 0.00 3.30 26.00 0.00
    26.00 37.55 111.49. p. 23: “2020年“三公”经费预算合计29.30万元，其中：因公出国（境）费0万元，
    公务接待费3.30万元，公务用车购置及运行维护费26万元”."""
    doc = parsed("西安人社局2020")
    tp = {r.item: r.amount for r in doc.three_public if r.measure == "budget"}
    assert tp["total"] == Decimal("29.30") and tp["reception"] == Decimal("3.30")
    assert tp["vehicle_operation"] == Decimal("26.00") and tp["overseas_travel"] == 0
    [c] = checks(doc, "narrative.three_public")
    assert c.status == "pass", c


def test_xian_operating_costs_parts_are_not_three_public_items(parsed):
    """w0189 p. 25: “机关运行经费预算总计82万元，其中：办公经费41.47万元，公务接待费2万元，委托业务费
    7.28万元，工会经费17.25万元，公务用车运行维护费12万元，其他商品和服务支出2万元” — the 公务接待费
    and 运行维护费 of the 机关运行经费, not the department's 三公 items (3.30 and 26.00)."""
    doc = parsed("西安人社局2020")
    assert not checks(doc, "narrative.three_public_item", "fail")
    assert [c for c in checks(doc, "narrative.listed_parts", "pass") if c.expected == "82"]


def test_xian_qixiang_three_public_genuinely_differs(parsed):
    """w0206 p. 13 states “2022年本部门当年一般公共预算“三公”经费预算支出0.27万元”, but the table on
    p. 30 prints its 2022年 block all 0 (the 2,720 元 小计 stands under 2021年): a real inconsistency."""
    doc = parsed("西安气象局2022")
    [c] = checks(doc, "narrative.three_public")
    assert (c.status, c.actual, Decimal(c.expected)) == ("fail", "0.27", 0), c


# ------------------------------------------------------------------ changes

def test_percent_with_thousands_separator():
    """w0146 p. 36 (无锡 交通运输局): “支出127,692.11万元，与上年相比增加122,063.01万元，增长2,168.43%”."""
    toks = tokens("支出127,692.11万元，与上年相比增加122,063.01万元，增长2,168.43%。")
    assert [(t.kind, t.value) for t in toks] == [
        ("amount", Decimal("127692.11")), ("amount", Decimal("122063.01")), ("percent", Decimal("2168.43"))]


def test_xian_change_of_the_total_not_of_its_last_item(parsed):
    """w0192 p. 9: “本部门当年预算收入344,447.70万元，其中：一般公共预算拨款324,638.50万元、上年结转
    13,102.70万元、上年实户资金余额3,262.49万元、其他收入3,444.00万元，较上年减少129,422.00万元，
    下降27.31%” — 上年实户资金余额 is money of this year's budget, and 129,422.00 ÷ (344,447.70 +
    129,422.00) = 27.31%."""
    doc = parsed("西安公安局")
    assert not [c for c in doc.checks if c.check.startswith("narrative.yoy") and c.status == "fail"]
    assert [c for c in checks(doc, "narrative.yoy_percent", "pass") if c.actual == "27.31"]
