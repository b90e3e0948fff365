"""The check ids of the arithmetic within one table (``arithmetic``, ``summary_sums``) and of
``project_funds``, with their plain-Chinese explanations and fixes, registered in the order the
published check definitions list them: after the code lists' ids (``codes``, imported first for
that), before completeness and the cross-table checks."""
from __future__ import annotations

from . import codes  # noqa: F401 (registers its ids first: the order of the check definitions)
from .base import describe

ROW_TOTAL = describe("function.row_total",
                     "功能分类表中每一行：合计 = 基本支出 + 项目支出。",
                     suggestion="改正该行的合计、基本支出或项目支出，使合计 = 基本支出 + 项目支出。")
CLASS_SUM = describe("function.class_sum",
                     "功能分类表中每个类（3位编码）的金额 = 其下各款（5位编码）金额之和，合计、基本支出、项目支出各列分别核对。",
                     suggestion="改正该类或其下各款的金额，使类的金额等于其下各款之和。")
SECTION_SUM = describe("function.section_sum",
                       "功能分类表中每个款（5位编码）的金额 = 其下各项（7位编码）金额之和，各列分别核对。",
                       suggestion="改正该款或其下各项的金额，使款的金额等于其下各项之和。")
TABLE_TOTAL = describe("function.table_total",
                       "功能分类表印出的“合计”行 = 各类（或最高一级科目）金额之和。",
                       suggestion="改正“合计”行或各类金额，使合计等于各类之和。")
TABLE_BASIC = describe("function.table_basic",
                       "功能分类表“合计”行的基本支出 = 各类基本支出之和。",
                       suggestion="改正“合计”行的基本支出或各类的基本支出，使二者一致。")
TABLE_PROJECT = describe("function.table_project",
                         "功能分类表“合计”行的项目支出 = 各类项目支出之和。",
                         suggestion="改正“合计”行的项目支出或各类的项目支出，使二者一致。")
TABLE_PARTS = describe("function.table_total_parts",
                       "功能分类表“合计”行：合计 = 基本支出 + 项目支出（表中另列单位预留机动经费时，再加上它）。",
                       suggestion="改正“合计”行，使合计 = 基本支出 + 项目支出（另列单位预留机动经费时再加上它）。")
ECON_ROW = describe("economic.row_total",
                    "经济分类表中每一行：合计 = 人员经费 + 公用经费（表中另列项目支出（专项业务经费）时，再加上它）。",
                    suggestion="改正该行的合计、人员经费或公用经费，使合计等于各部分之和。")
ECON_CLASS = describe("economic.class_sum",
                      "经济分类表中每个类（如 301）的金额 = 其下各款（如 30101、30102……）金额之和，各列分别核对。",
                      suggestion="改正该类或其下各款的金额，使类的金额等于其下各款之和。")
ECON_TABLE = describe("economic.table_total",
                      "经济分类表印出的“合计”行 = 各类（301、302、303……）金额之和。",
                      suggestion="改正“合计”行或各类金额，使合计等于各类之和。")
ECON_PERSONNEL = describe("economic.personnel_is_301_303",
                          "基本支出中的人员经费 = 工资福利支出（301）+ 对个人和家庭的补助（303）；表中其他类"
                          "（如 302 的工会经费）也列有人员经费时，= 各类行的人员经费之和。",
                          suggestion="核对人员经费合计与 301、303 类的金额，改正不一致的数字。")
ECON_PUBLIC = describe("economic.public_is_302_310",
                       "基本支出中的公用经费 = 商品和服务支出（302）+ 资本性支出（310）等其余各类；表中 301、303 "
                       "也列有公用经费或 302 等类也列有人员经费时，= 各类行的公用经费之和。",
                       suggestion="核对公用经费合计与 302、310 等类的金额，改正不一致的数字。")
ECON_BASIC = describe("economic.basic_is_personnel_plus_public",
                      "基本支出合计 = 人员经费 + 公用经费。",
                      suggestion="改正基本支出、人员经费或公用经费，使基本支出 = 人员经费 + 公用经费。")
SUM_BALANCE = describe("summary.current_year_balance",
                       "收支总表中：本年收入合计 = 本年支出合计（没有结转结余时）。",
                       suggestion="核对收支总表的本年收入合计与本年支出合计，改正不平衡的数字。")
SUM_GRAND = describe("summary.grand_total_balance",
                     "收支总表中：收入总计 = 支出总计。",
                     suggestion="核对收支总表的收入总计与支出总计，改正不平衡的数字。")
SUM_INCOME_GRAND = describe("summary.income_grand_total",
                            "收支总表中：收入总计 = 本年收入合计 + 上年结转结余等。",
                            suggestion="改正收入总计或其组成（本年收入合计、上年结转结余等），使收入总计等于各部分之和。")
SUM_EXP_GRAND = describe("summary.expenditure_grand_total",
                         "收支总表中：支出总计 = 本年支出合计 + 年末结转结余等。",
                         suggestion="改正支出总计或其组成（本年支出合计、年末结转结余等），使支出总计等于各部分之和。")
SUM_INCOME_LINES = describe("summary.income_lines_sum",
                            "收支总表中：本年收入合计 = 各项收入（一、二、三……）之和。",
                            suggestion="改正本年收入合计或各项收入，使合计等于各项收入之和。")
SUM_EXP_LINES = describe("summary.expenditure_lines_sum",
                         "收支总表中：本年支出合计 = 按功能分类列出的各类支出之和。",
                         suggestion="改正本年支出合计或各类支出，使合计等于各类支出之和。")
TP_TOTAL = describe("three_public.total",
                    "“三公”经费：合计 = 因公出国（境）费 + 公务用车购置费 + 公务用车运行维护费 + 公务接待费。",
                    suggestion="改正“三公”经费合计或各分项，使合计等于四项之和。")
PROJECTS_SUM = describe("projects.sum_vs_project_spending",
                        "项目支出表各项目金额之和 = 功能分类表的项目支出合计。",
                        suggestion="核对项目支出表与支出表的项目支出合计，补列遗漏的项目或改正不一致的金额。")
PERFORMANCE_SUM = describe("performance.funds_vs_project_spending",
                           "各项目绩效目标表列出的项目资金之和（重复公开的同一张表只计一次；专项资金总体绩效目标表"
                           "另计：不含、含它们的和都可）= 说明中“N个项目实行了绩效目标管理，涉及……拨款X万元”的X；X 不是表之和时，"
                           "须等于它所指的预算数（一般公共预算拨款合计或项目支出）。说明未写明时 = 项目支出（专项业务经费）"
                           "合计；只公开部分项目（重点项目）的表少于项目支出时不核对合计。",
                           severity="warning",
                           suggestion="核对说明中绩效目标管理涉及的资金与公开的绩效目标表：只公开重点项目的，请在说明中写明；否则补列或改正。")
