"""Template leftovers in the narrative: XX, 增加（减少）, “主要原因是。” and the like, words of the
template nobody filled in (``narrative.template_leftover``): also the template's blanks left
unfilled — （单位名称）, “说明：。”, a change with no figure (增长%, 增加万元), ____年 — and its
instructions in brackets (（车辆数应与“三公”经费说明中单位现有公务用车保有量一致）)."""
from __future__ import annotations

import re

from ...records import Check, ParsedDocument
from ..base import mk
from .ids import TEMPLATE

_TEMPLATE = re.compile(r"X{2,}|×{2,}|x{2,}|Ｘ{2,}|某某|增加[（(]减少[)）]|增长[（(]下降[)）]|[上下]升[（(]下降[)）]|"
                       r"主要原因是[。；;，,]|原因是[：:]?[。；;]|主要用于[。；;]|万元万元|[（(]\s*[)）]万元|"
                       # the blanks of a template: （单位名称）, 说明：。, 增长%, 增加万元, ____年
                       r"[（(](?:单位|部门|项目)名称[)）]|说明[：:]\s*[。；;]|(?:增长|下降|占)\s*[%％]|"
                       r"(?<![\d\s.])(?:增加|减少|增长|下降|共计|合计|安排)[：:]?\s*万元|[_＿]{2,}\s*(?:年|月|日|万元)|"
                       # the template's instructions in brackets: （车辆数应与“三公”经费说明中…一致） (乐山 2023)
                       r"[（(][^（()）]{0,40}(?:应与|须与|需与|填写|填列|如无)[^（()）]{0,40}[)）]|"
                       # a date left blank: 截至 年 月 日, 2025年 月
                       r"截[至止]\s*年\s*月|(?<![\d〇零一二三四五六七八九十])年\s*月\s*日|\d{4}\s*年\s*月(?![\d份度末底初季报历])")


def template_checks(doc: ParsedDocument, sents, full: bool) -> list[Check]:
    out: list[Check] = []
    hits = [(s, p, m) for s, p in sents for m in [_TEMPLATE.search(s)] if m]
    for s, p, m in hits:
        a, b = max(0, m.start() - 20), m.end() + 10
        out.append(mk(doc, TEMPLATE, "fail", "narrative", None, m.group(0),
                      f"文字说明中有模板残留“{m.group(0)}”：…{s[a:b]}…", p, quote=s[max(0, m.start() - 12):b]))
    if not hits:
        out.append(mk(doc, TEMPLATE, "pass" if full and sents else "insufficient_data", "narrative", None, None,
                      f"检查了 {len(sents)} 句文字说明，未发现模板残留。" if full and sents
                      else "未取得完整的文字说明，无法检查模板残留。"))
    return out
