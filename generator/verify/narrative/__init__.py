"""Narrative ↔ tables: the figures the 情况说明 states, each against the tables and against the
other figures of its sentence. The narrative is read section → sentence → token
(``verify.sentences``); the document's year, which tells the year before from this one, comes
with the document to every check (nothing is kept between documents).

- ``ids``: the check ids of the family, registered in order
- ``lookup``: the figures the tables print for a claim, and a claim matched against them
- ``items``: amounts stated by code (``科目名称(编码)金额``) or by name (``名称(类/款/项)``)
- ``topics``: 收支总额, 基本支出, 项目支出, 人员经费, 公用经费, 三公, 机关运行经费
- ``shares``: each sentence's sums, shares and changes in turn; shares and completion rates
- ``listed``: listed parts (其中／包括… adds up to the head)
- ``changes``: year-over-year changes, their percentages and directions, compared years
- ``percents``: a printed percentage against the ratio of its figures
- ``templates``: template leftovers (XX, 增加（减少）…)
- ``comparisons``: comparison words (大于／小于／持平) and rates against their two figures, zero bases,
  the completion rate's denominator
- ``wording``: 类／款／项 names against the tables' (renamed classes), 部门 vs 单位 self-designation
"""
from __future__ import annotations

from ...records import Check, ParsedDocument
from ..base import mk
from ..sentences import narrative_sentences
from .ids import PRESENT
from .comparisons import comparison_checks
from .items import code_checks, item_checks
from .shares import list_share_yoy
from .templates import template_checks
from .topics import topic_checks
from .wording import wording_checks


def narrative_family(doc: ParsedDocument) -> list[Check]:
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
    out += comparison_checks(doc, sents)
    out += wording_checks(doc, sents)
    return out


FAMILY = [narrative_family]
