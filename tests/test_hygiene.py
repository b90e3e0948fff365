"""Text hygiene (verify.hygiene), template leftovers (narrative.template_leftover) and the
empty-table rules of completeness (a note saying empty on a table with figures, a table printed
empty while the text states its figure) — on real documents where each fires or passes for real,
and on copies with the error planted (tests/plant.py)."""
from __future__ import annotations

from tests.conftest import DOCUMENTS, WILD
from tests.plant import failures, plant
from tests.shared_docs import NATIONAL, PUTUO, national, need, putuo, statuses, wangdu  # noqa: F401 (fixtures)

XIAN_RENSHE = WILD / "w0189.pdf"  # 西安市人力资源和社会保障局 2020 部门预算
XIAN_QIXIANG = WILD / "w0206.pdf"  # 西安市气象局 2022 部门预算
HANGZHOU_GONGAN = WILD / "w0140.pdf"  # 杭州市公安局 2026 部门预算
IDS = ("hygiene.doubled_punctuation", "hygiene.missing_full_stop", "hygiene.unmatched_brackets",
       "hygiene.unit_missing", "completeness.empty_note_with_values", "completeness.empty_table_stated")


def test_wangdu_runs_every_hygiene_check_and_fails_none(wangdu):
    # the whole document's zero failures: tests/test_wild_false_failures.py (as planted) and
    # tests/test_verify.py (verify alone)
    assert set(IDS) <= {c.check for c in wangdu.checks}
    assert [f for f in failures(wangdu) if f.check in IDS] == []


# ------------------------------------------------------------------------- punctuation

def test_putuo_prints_a_doubled_full_stop_on_page_8(putuo):
    # p. 8: 信息化建设(项)…主要用于：信息化建设及运行维护等方面的支出。。
    [f] = failures(putuo, "hygiene.doubled_punctuation")
    assert (f.source_page, f.severity) == (8, "note")
    assert f.quote.endswith("方面的支出。。")


def test_planted_doubled_comma():
    need(PUTUO)
    doc = plant(PUTUO, ("截至2025年8月31日，", "截至2025年8月31日，，"), page=22)
    [f] = [f for f in failures(doc, "hygiene.doubled_punctuation") if f.source_page == 22]
    assert f.quote.endswith("8月31日，，")


def test_planted_missing_full_stop_before_the_next_numbered_heading(putuo):
    # p. 8: …比2025年预算执行数减少1.07%。主要原因是：部分人员退休。 / 2、公共安全支出（204类）…
    assert statuses(putuo, "hygiene.missing_full_stop") == ["pass"]
    doc = plant(PUTUO, ("主要原因是：部分人员退休。", "主要原因是：部分人员退休"), page=8)
    [f] = failures(doc, "hygiene.missing_full_stop")
    assert (f.source_page, f.severity) == (8, "note")
    assert "部分人员退休2、公共安全" in f.quote


def test_planted_missing_full_stop_before_a_section_heading():
    # p. 22: …涉及项目预算资金7054.05万元。 / 五、国有资产占有使用情况
    need(PUTUO)
    doc = plant(PUTUO, ("项目预算资金7054.05万元。", "项目预算资金7054.05万元"), page=22)
    [f] = failures(doc, "hygiene.missing_full_stop")
    assert f.source_page == 22 and "7054.05万元五、国有资产" in f.quote


def test_putuo_prints_an_unmatched_quote_on_page_23(putuo):
    # p. 23: 4.开展“人民调解协议书检查”、优秀调解案例”活动。 (the second “ is missing)
    [f] = failures(putuo, "hygiene.unmatched_brackets")
    assert f.source_page == 23 and "优秀调解案例”活动" in f.quote


def test_planted_unclosed_bracket():
    # p. 8: 2、公共安全支出（204类）司法（06款）基层司法业务（04项）…
    need(PUTUO)
    doc = plant(PUTUO, ("2、公共安全支出（204类）", "2、公共安全支出（204类"), page=8)
    found = [f for f in failures(doc, "hygiene.unmatched_brackets") if f.source_page == 8]
    assert len(found) == 1 and "公共安全支出（204类司法" in found[0].quote


# ------------------------------------------------------------------------------ units

def test_xian_prints_changes_without_their_unit():
    # 西安人社局 2020: 收支预算总体较上年减少 12.95 ，减少的主要原因是… (printed on p. 12, in the
    # sentence under the heading （一）收支预算总体情况 that starts at the foot of p. 11), and
    # 较上年减少13.01， / 机关运行经费较上年减少34.23，
    need(XIAN_RENSHE)
    doc = plant(XIAN_RENSHE)
    found = failures(doc, "hygiene.unit_missing")
    assert [f.quote for f in found] == ["减少12.95", "减少12.97", "减少13.01", "减少34.23"]
    assert found[0].source_page in (11, 12) and found[-1].source_page == 25


def test_planted_percent_sign_dropped(putuo):
    assert statuses(putuo, "hygiene.unit_missing") == ["pass"]
    doc = plant(PUTUO, ("比2025年预算执行数增加0.97%。", "比2025年预算执行数增加0.97。"), page=8)
    [f] = failures(doc, "hygiene.unit_missing")
    assert (f.source_page, f.quote, f.severity) == (8, "增加0.97", "note")


def test_planted_completion_rate_without_percent_in_a_final_account(national):
    # 国家信访局 2024 决算 p. 21: …完成年初预算的100.71%。决算数大于预算数的主要原因是…
    assert statuses(national, "hygiene.unit_missing") == ["pass"]
    doc = plant(NATIONAL, ("算的100.71%。", "算的100.71。"), page=21)
    [f] = failures(doc, "hygiene.unit_missing")
    assert f.quote.endswith("的100.71") and f.source_page in (20, 21)


# --------------------------------------------------------------------- template blanks

def test_leshan_leaves_a_template_instruction_in_brackets():
    # 乐山 2023 部门预算 (line 678): 共有车辆 0 辆（车辆数应与“三公”经费说明中单位现有公务用车保有量一致）
    [f] = failures(plant(DOCUMENTS / "001_e75bfe8e2417c16e.txt"), "narrative.template_leftover")
    assert f.actual == "（车辆数应与“三公”经费说明中单位现有公务用车保有量一致）"


def test_planted_unit_name_placeholder():
    need(PUTUO)
    doc = plant(PUTUO, ("上海市普陀区司法局共有车辆3辆", "（单位名称）共有车辆3辆"), page=22)
    [f] = failures(doc, "narrative.template_leftover")
    assert (f.source_page, f.actual, f.severity) == (22, "（单位名称）", "warning")


def test_planted_blank_date():
    need(PUTUO)
    doc = plant(PUTUO, ("截至2025年8月31日", "截至 年 月 日"), page=22)
    [f] = failures(doc, "narrative.template_leftover")
    assert (f.source_page, f.actual) == (22, "截至年月")


def test_planted_change_without_its_figure():
    need(PUTUO)
    doc = plant(PUTUO, ("比2025年预算执行数增加0.97%", "比2025年预算执行数增长%"), page=8)
    [f] = failures(doc, "narrative.template_leftover")
    assert (f.source_page, f.actual) == (8, "增长%")


# ----------------------------------------------------------------------- empty tables

def test_putuo_empty_tables_agree_with_their_text(putuo):
    # p. 17 政府性基金 and p. 18 国有资本经营 tables are empty with their notes; p. 8 says
    # 政府性基金拨款支出预算0万元
    assert statuses(putuo, "completeness.empty_note_with_values") == ["pass"]
    assert statuses(putuo, "completeness.empty_table_stated") == ["pass"]


def test_planted_text_states_a_figure_of_an_empty_table():
    need(PUTUO)
    doc = plant(PUTUO, ("政府性基金拨款支出预算0万元", "政府性基金拨款支出预算12.5万元"), page=8)
    [f] = failures(doc, "completeness.empty_table_stated")
    assert (f.source_page, f.table, f.expected, f.actual, f.severity) == (8, "government_fund", "12.5", "空表", "error")
    assert f.quote.endswith("政府性基金拨款支出预算12.5万元")


def test_xian_states_a_three_public_figure_its_table_prints_as_zero():
    # 西安市气象局 2022 p. 13: 2022 年本部门当年一般公共预算“三公”经费预算支出 0.27 万元; the table on
    # p. 30 prints 2022's 三公 columns all 0 (0.27万元 = 2720 元 is its 2021 column)
    need(XIAN_QIXIANG)
    doc = plant(XIAN_QIXIANG)
    [f] = failures(doc, "completeness.empty_table_stated")
    assert (f.source_page, f.table, f.expected) == (13, "three_public", "0.27")
    assert "“三公”经费预算支出0.27万元" in f.quote


def test_planted_empty_note_on_a_table_with_figures():
    # 杭州市公安局 2026 p. 30 prints 表8 政府性基金预算支出预算表 (合计 7600.00); p. 31 the empty 表9
    # 国有资本经营 with its note 备注：本部门没有国有资本经营预算拨款安排的支出，故本表无数据 (read in one
    # piece with p. 30's title: the note stays with 表9). Planted: 表8 gets the note of an empty table
    need(HANGZHOU_GONGAN)
    real = plant(HANGZHOU_GONGAN)
    assert statuses(real, "completeness.empty_note_with_values") == ["pass"]
    doc = plant(HANGZHOU_GONGAN, ("部门名称：杭州市公安局", "备注：本部门没有政府性基金预算拨款安排的支出，故本表无数据。部门名称：杭州市公安局"),
                page=30)
    [f] = failures(doc, "completeness.empty_note_with_values")
    assert (f.source_page, f.table, f.severity) == (30, "government_fund", "error")
    assert "政府性基金" in f.quote
