"""The subject of a disclosure and its slug.

The subject is who the budget is of: the department of a 部门预算 / 部门决算, the unit of a
单位预算 / 单位决算 (上海市中医文献馆, not 上海市卫生健康委员会). It is read, in this order, from the
cover's label (预算单位： / 预算主管部门：), the title (2026年度福州市公安局巡特警支队单位预算), and
the tables' 单位名称 / 编制单位 / 部门名称 cells; ``metadata`` falls back to the most frequent
bureau-like name of the text only when none of them names it.

Its slug is the full pinyin of the name without the region (no tones, words joined), one
segment per organisation: a unit whose name starts with its department keeps the department
as a segment (公安局巡特警支队 → ``gonganju-xuntejingzhidui``). The short forms of ``SHORT_FORMS``
stay (医疗保障局 ``ybj``): no full-pinyin word can equal them, as every pinyin syllable has a
vowel, so they never collide with another name.
"""
from __future__ import annotations

import re
from collections import Counter

from pypinyin import lazy_pinyin

#: well-known short forms used in slugs, for a segment that is exactly this name
SHORT_FORMS = {"医疗保障局": "ybj", "人民检察院": "jcy", "人民法院": "fy"}

#: labels whose value names the subject, by scope; 主管部门 names a unit's department
_LABELS = {
    "department": ("预算主管部门", "部门名称", "编制部门", "编制单位", "单位名称", "预算单位"),
    "unit": ("预算单位", "单位名称", "编制单位", "部门名称"),
}
#: how the name of an organisation ends (a department, a unit, a school, a farm …)
_ORG_END = re.compile(
    r"(局|委员会|委|办公室|办|厅|院|署|中心|队|馆|站|所|场|处|会|校|社|室|团|园|台|库|宫|厂|监狱|集团|公司|部)$")
#: a department within a unit's name: the shortest prefix ending so, with a unit after it
_DEPARTMENT_END = re.compile(r"(医疗保障局|人民检察院|人民法院|委员会|办公室|局|厅|署)")
#: qualifiers printed with a name that do not change who it is
_QUALIFIER = re.compile(r"[（(](?:本级|汇总|机关|本部|单位|部门|合并)[）)]")
_DECORATION = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|附件\s*\d*\s*[：:]?|关于|[一二三四五六七八九十\d]+\s*[、.．]|[#*\s])+")
_NOT_NAME = ("预算", "决算", "目录", "说明", "公开", "年度", "市级", "区级", "县级", "省级")


def clean_name(text: str) -> str:
    """A printed name without qualifiers (（本级）, （汇总）), decorations, or a trailing 部门 / 单位."""
    text = _QUALIFIER.sub("", re.sub(r"\s+", "", text))
    text = _DECORATION.sub("", text)
    text = re.sub(r"(?:部门|单位)+$", "", text)
    return text.strip("：:，,。.、（(）)“”\"'《》 ")


def is_name(text: str) -> bool:
    """Whether ``text`` (cleaned) reads as the name of an organisation."""
    return (4 <= len(text) <= 40 and re.fullmatch(r"[\u4e00-\u9fa5（）()]+", text) is not None
            and _ORG_END.search(text) is not None and not any(w in text for w in _NOT_NAME))


def title_subject(title: str | None) -> str | None:
    """The organisation a title names, before or after its year: 2026年深圳市规划和自然资源局宝安
    管理局部门预算 → 深圳市规划和自然资源局宝安管理局; None for 上海市2026年市级单位预算."""
    if not title:
        return None
    m = re.search(r"20\d{2}\s*年?度?", title)
    if m is None:
        return None
    after = re.split(r"(?:部门|单位)?(?:综合)?(?:预算|决算)", title[m.end():], maxsplit=1)[0]
    for part in (title[: m.start()], after):
        name = clean_name(part)
        if is_name(name):
            return name
    return None


def labelled_subjects(lines, scope: str) -> tuple[Counter[str], Counter[str]]:
    """Names printed under the subject's labels (预算单位：X, a 部门名称 cell then X …), counted:
    (on the cover, the first 15 lines of a file; in the rest of the document)."""
    labels = _LABELS.get(scope, _LABELS["department"])
    pattern = re.compile(r"^(" + "|".join(labels) + r")[：:]?(.*)$")
    cover: Counter[str] = Counter()
    rest: Counter[str] = Counter()
    seen: Counter[str] = Counter()  # lines read per source file
    for line in lines:
        seen[line.source] += 1
        cells = [c for c in line.cells if c.strip()] or [line.text]
        for j, cell in enumerate(cells):
            m = pattern.match(re.sub(r"\s+", "", cell))
            if m is None:
                continue
            value = m.group(2) or (cells[j + 1] if j + 1 < len(cells) else "")
            name = clean_name(re.split(r"(?:金额)?单位[：:]|[：:]", value, maxsplit=1)[0])
            if is_name(name):
                (cover if seen[line.source] <= 15 else rest)[name] += 1
    return cover, rest


def cover_title(lines) -> str | None:
    """The title printed on a file's cover, however many lines it wraps over (2026年度 /
    福州市公安局治安管理 / 支队 / 单位预算): the file's first short lines, up to 目录, joined."""
    heads: dict[str, list[str]] = {}
    closed: set[str] = set()
    for line in lines:
        compact = re.sub(r"\s+", "", line.text)
        if line.source in closed or not compact:
            continue
        head = heads.setdefault(line.source, [])
        if len(compact) > 30 or "目录" in compact or len(head) >= 6:
            closed.add(line.source)
        else:
            head.append(compact)
    for head in heads.values():
        joined = "".join(head)
        if re.search(r"20\d{2}.*(?:预算|决算)", joined):
            return joined
    return None


def subject_name(lines, scope: str, title: str | None) -> str | None:
    """The subject of the document (see the module's docstring), or None when nothing names it."""
    cover, tables = labelled_subjects(lines, scope)
    if cover:
        return cover.most_common(1)[0][0]
    titled = title_subject(cover_title(lines)) or title_subject(title)
    if titled:
        # a unit's tables may name it more fully than its title (部门 + unit)
        longer = [n for n, _ in tables.most_common() if n.startswith(titled) and n != titled]
        return longer[0] if scope == "unit" and longer else titled
    return tables.most_common(1)[0][0] if tables else None


def subject_slug(rest: str) -> str:
    """The slug of a name without its region: full pinyin, one segment for a department the
    name starts with and one for the unit within it (公安局巡特警支队 → gonganju-xuntejingzhidui)."""
    rest = clean_name(rest) or rest
    segments = [rest]
    m = _DEPARTMENT_END.search(rest)
    if m and m.end() < len(rest) and is_name(rest[m.end():]) and len(rest[: m.end()]) >= 2:
        segments = [rest[: m.end()], rest[m.end():]]
    return "-".join(SHORT_FORMS.get(s) or pinyin_slug(s) for s in segments)


def pinyin_slug(text: str) -> str:
    """Full pinyin, no tones, joined, lower-case ASCII letters and digits only. In names 都
    reads dū (成都, 望都, 首都), which pypinyin's default (dōu) gets wrong."""
    words = [py for py in lazy_pinyin(text) if py]
    hanzi = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if len(words) == len(hanzi) and len(hanzi) == len(text):
        words = ["du" if ch == "都" else py for ch, py in zip(hanzi, words)]
    return re.sub(r"[^a-z0-9]", "", "".join(words).lower())
