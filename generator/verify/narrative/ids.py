"""The narrative family's check ids with their plain-Chinese explanations, registered here in
this order (the order of ``CHECK_DESCRIPTIONS``, which the published check definitions and the
site's 核对规则 page follow)."""
from __future__ import annotations

from ..base import describe

CODE_AMOUNT = describe("narrative.code_amount",
                       "文字说明中“科目名称(编码)金额”（如 行政运行(2101501)81.3261万元）与表中该编码的金额一致。",
                       suggestion="改正文字说明中该科目的金额（或表中的金额），使二者一致。")
ITEM_AMOUNT = describe("narrative.item_amount",
                       "文字说明中按科目名称（类/款/项）说明的金额与表中同名科目的金额一致。",
                       suggestion="改正文字说明中该科目的金额（或表中的金额），使二者一致。")
TOTAL = describe("narrative.total", "文字说明中的收入、支出总计（总额、合计）与收支总表或支出表一致。",
                 suggestion="改正文字说明中的收支总额，使之与收支总表一致。")
BASIC = describe("narrative.basic", "文字说明中的基本支出金额与表中的基本支出合计一致。",
                 suggestion="改正文字说明中的基本支出金额，使之与表中的基本支出合计一致。")
PROJECT = describe("narrative.project", "文字说明中的项目支出金额与表中的项目支出合计一致。",
                   suggestion="改正文字说明中的项目支出金额，使之与表中的项目支出合计一致。")
PERSONNEL = describe("narrative.personnel", "文字说明中的人员经费与基本支出经济分类表中的人员经费一致。",
                     suggestion="改正文字说明中的人员经费，使之与基本支出经济分类表一致。")
PUBLIC = describe("narrative.public", "文字说明中的（日常）公用经费与基本支出经济分类表中的公用经费一致。",
                  suggestion="改正文字说明中的公用经费，使之与基本支出经济分类表一致。")
THREE_PUBLIC = describe("narrative.three_public", "文字说明中的“三公”经费合计与“三公”经费表一致。",
                        suggestion="改正文字说明中的“三公”经费合计，使之与“三公”经费表一致。")
THREE_PUBLIC_ITEM = describe("narrative.three_public_item",
                             "文字说明中的因公出国（境）费、公务用车购置及运行维护费、公务接待费与“三公”经费表一致。",
                             suggestion="改正文字说明中该项“三公”经费的金额，使之与“三公”经费表一致。")
OPERATING = describe("narrative.operating_costs",
                     "文字说明中的机关运行经费与机关运行经费表一致；没有该表时，等于基本支出经济分类表的公用经费即通过"
                     "（全部为行政单位时两者同口径），不等则不适用（公用经费还包括事业单位的公用经费）。",
                     suggestion="改正文字说明中的机关运行经费，使之与机关运行经费表一致。")
BASIC_PROJECT = describe("narrative.total_is_basic_plus_project",
                         "同一句文字说明中：支出总额 = 基本支出 + 项目支出。",
                         suggestion="改正该句中的支出总额、基本支出或项目支出，使总额 = 基本支出 + 项目支出。")
PERS_PUBLIC = describe("narrative.basic_is_personnel_plus_public",
                       "同一句文字说明中：基本支出 = 人员经费 + 公用经费。",
                       suggestion="改正该句中的基本支出、人员经费或公用经费，使基本支出 = 人员经费 + 公用经费。")
LISTED = describe("narrative.listed_parts",
                  "同一句文字说明中“其中／包括／主要为”后列举的各项金额之和与前面的总额一致（列举的只是主要部分时不超过总额）。",
                  suggestion="改正该句中的总额或列举的各项金额，使各项之和与总额一致。")
SHARE = describe("narrative.share", "文字说明中的占比（如 占86.91%）按同一句中的部分与总额重新计算后一致。",
                 suggestion="按该句中的部分与总额重新计算占比并改正。")
YOY_DIFF = describe("narrative.yoy_difference",
                    "文字说明中的同比变动：本年数 − 上年数 = 增加（减少）额。",
                    suggestion="按本年数与上年数重新计算增减额并改正。")
YOY_DIRECTION = describe("narrative.yoy_direction",
                         "文字说明中“增加／减少／持平”的方向与本年数、上年数（或增长率）的方向一致。",
                         suggestion="按本年数与上年数改正“增加／减少／持平”的用词。")
YEAR = describe("narrative.comparison_year",
                "文字说明中同比的比较年份早于本年度（“比2026年预算增加”出现在2026年预算中是笔误）。",
                suggestion="改正比较的年份（应为上一年度）。")
YOY_PERCENT = describe("narrative.yoy_percent",
                       "文字说明中的增长（下降）百分比 = 增减额 ÷ 上年数，按印出的位数四舍五入后一致。",
                       suggestion="按增减额 ÷ 上年数重新计算增减百分比并改正。")
COMPLETION = describe("narrative.completion_rate",
                      "决算说明中的“完成年初预算的x%” = 决算数 ÷ 年初预算数。",
                      suggestion="按决算数 ÷ 年初预算数重新计算完成率并改正。")
TEMPLATE = describe("narrative.template_leftover",
                    "文字说明中没有模板残留（如 XX、增加（减少）、“主要原因是。”这类未填写的空话）。",
                    severity="warning",
                    suggestion="删去模板残留的文字，填写实际内容（如写明增减的具体原因）。")
PRESENT = describe("narrative.present", "文件包含可以核对的文字说明。",
                   severity="warning",
                   suggestion="补充情况说明（收支总体情况、增减变化及原因等），使表格中的主要数字都有文字说明。")
