"""Template leftovers in the narrative: XX, 增加（减少）, “主要原因是。” and the like, words of the
template nobody filled in (``narrative.template_leftover``)."""
from __future__ import annotations

import re

from ...records import Check, ParsedDocument
from ..base import mk
from .ids import TEMPLATE

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
