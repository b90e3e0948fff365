"""Document metadata read from the content (never from the file name).

Input: the lines of an ``IngestedDocument``. Output: the department name, its administrative
division (via ``cpca``, a maintained province/city/county recognizer with adcodes), fiscal year,
phase (预算/决算), scope (部门/单位), the unit the main tables print, and stable ASCII slugs
(``pypinyin``) for ``bureau_id`` and ``document_id``. Who the document is of (its subject: the
department, or the unit of a 单位预算) is read in ``subject``; the bureau-like name printed most
often is only the last resort.

Ids are ``{region}-{subject}-{year}-{phase}`` (``-unit`` for a 单位预算): the region's pinyin as
below, the subject's full pinyin (``subject.subject_slug``), so two different bureaus never share
an id unless their names sound the same (the build refuses that, ``pipeline``).
"""
from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from functools import lru_cache

from slugify import slugify

from ..records import Bureau, Line
from .subject import clean_name, pinyin_slug, subject_name, subject_slug
from .units import document_unit

_ORG = re.compile(
    r"[\u4e00-\u9fa5]{1,24}?(?:医疗保障局|医疗保障服务中心|人民检察院|人民法院|委员会|办公室|局|厅|院|署|中心)"
)
_TITLE = re.compile(
    r"(20\d{2})\s*年度?\s*(?:[\u4e00-\u9fa5（）()]{0,24}?)(部门|单位)?\s*(?:综合)?\s*(预算|决算)(?!表|数|执行|安排|收|支)")
# the same title with its year torn off (``…年部门预算情况说明`` and ``2026`` apart): 年 with no
# digit before it, the year alone at the end of the line (group 4) or on the next line
_TORN_TITLE = re.compile(
    r"(?<![\d年本上今当全去明次])年度?(?:[\u4e00-\u9fa5（）()]{0,24}?)(部门|单位)?(?:综合)?(预算|决算)(?!表|数|执行|安排|收|支)"
    r"(情况说明|公开说明|说明|公开)?(?P<year_at>(?<![\d])(20\d{2}))?$")
_YEAR_ALONE = re.compile(r"^20\d{2}$")
_BUDGET_YEAR = re.compile(r"(?:预算|决算)年度\s*[:：]?\s*(20\d{2})")
# Organisations that are not the publisher even when printed near the title.
_NOT_PUBLISHER = ("财政局", "人民政府办公室")


class MetadataError(ValueError):
    pass


@dataclass(frozen=True)
class Metadata:
    name: str
    title: str
    year: int
    phase: str  # budget | final
    scope: str  # department | unit
    unit: str  # 元 | 万元


def lines_to_metadata(lines: tuple[Line, ...] | list[Line]) -> Metadata:
    heads = _heads(lines)
    found = _find_title(heads)
    if found is None:
        for head in heads:
            for text in head:
                m = _BUDGET_YEAR.search(text)
                if m:
                    found = (None, int(m.group(1)), "final" if "决算年度" in text else "budget", None)
                    break
            if found:
                break
    found = found or _find_torn_title(heads)
    if found is None:
        raise MetadataError("no fiscal year found (expected a title such as '2024年部门预算')")
    title_line, year, phase, scope = found
    every_head = "".join(t for head in heads for t in head)
    phase = phase or ("final" if every_head.count("决算") > every_head.count("预算") else "budget")
    scope = scope or ("unit" if "单位预算" in every_head or "单位决算" in every_head else "department")
    name = subject_name(lines, scope, title_line) or publisher_name(lines)
    if not name:
        raise MetadataError("no department name found (expected e.g. '某县医疗保障局')")
    if title_line is None or name not in title_line:
        prefix = title_line if title_line and len(title_line) <= 30 else ""
        title_line = name + prefix if prefix else (
            f"{name}{year}年{'单位' if scope == 'unit' else '部门'}{'决算' if phase == 'final' else '预算'}")
    return Metadata(name, _strip_title_decorations(title_line), year, phase, scope, document_unit(lines))


def _heads(lines) -> list[list[str]]:
    """The first 80 lines of each source file (a document may be two files)."""
    heads: dict[str, list[str]] = {}
    for line in lines:
        head = heads.setdefault(line.source, [])
        if len(head) < 80:
            head.append(re.sub(r"\s+", "", line.text))
    return list(heads.values())


def _find_title(heads: list[list[str]]):
    """(title, year, phase, scope) from a title line, also one wrapped over two or three lines."""
    for head in heads:
        for i in range(len(head)):
            for span in (1, 2, 3):
                compact = "".join(head[i : i + span])
                m = _TITLE.search(compact)
                if not m or len(compact) > 60 or compact.startswith(("关于", "截至", "注", "目录")):
                    continue
                if m.start() > 30:
                    continue
                phase = "final" if m.group(3) == "决算" else "budget"
                scope = "unit" if m.group(2) == "单位" or "单位预算" in compact else "department"
                return compact, int(m.group(1)), phase, scope
    return None


def _find_torn_title(heads: list[list[str]]):
    """A title whose year the text layer tore off (重庆: ``重庆市商务委员会年部门预算情况说明``
    then ``2026`` alone on the next line, or at the end of the title line): the year is read only
    there, beside a title that prints 年 with no digit before it; the year goes back before 年."""
    for head in heads:
        for i, line in enumerate(head):
            if line.startswith(("关于", "截至", "注", "目录")) or len(line) > 60:
                continue
            m = _TORN_TITLE.search(line)
            if m is None or not 4 <= m.start() <= 30:  # a name before 年: not 本年预算
                continue
            year = m.group(4) or (head[i + 1] if i + 1 < len(head) and _YEAR_ALONE.match(head[i + 1]) else None)
            if year is None:
                continue
            title = line[: m.start("year_at")] if m.group(4) else line
            title = title[: m.start()] + year + title[m.start():]
            scope = "unit" if m.group(1) == "单位" or "单位预算" in line else "department"
            return title, int(year), "final" if m.group(2) == "决算" else "budget", scope
    return None


def _strip_title_decorations(title: str) -> str:
    title = re.sub(r"^(第[一二三四五六七八九十]+部分)", "", title)
    return title.strip("#* ")


def publisher_name(lines) -> str | None:
    scores: Counter[str] = Counter()
    for i, line in enumerate(lines):
        compact = re.sub(r"\s+", "", line.text)
        weight = 20 if i < 15 else (3 if _TITLE.search(compact) or "预算年度" in compact else 1)
        for m in _ORG.finditer(compact):
            candidate = clean_name(_trim_org(m.group(0)))
            if candidate and not candidate.endswith(_NOT_PUBLISHER) or (candidate and i < 15):
                scores[candidate] += weight
    ranked = [c for c, _ in scores.most_common() if len(c) >= 4]
    for candidate in ranked[:8]:
        if region_of(candidate)[0] or candidate.startswith(("国家", "中华人民共和国", "中央")):
            return candidate
    return ranked[0] if ranked else None


def _trim_org(text: str) -> str:
    # "关于印发凤县医疗保障局" → keep from the last verb-like boundary
    for prefix in ("关于", "本部门", "本单位", "组建", "印发", "按照", "其中", "部门", "单位"):
        if prefix in text[:-2]:
            text = text[text.rindex(prefix) + len(prefix):]
    return text


@lru_cache(maxsize=512)
def region_of(name: str) -> tuple[str | None, str | None, str | None, str | None, str]:
    """(province, prefecture, county, adcode, rest-of-name) for a department name."""
    import cpca  # imported lazily: loads its division table (about 0.2 s)

    df = cpca.transform([name])
    row = df.iloc[0]

    def val(key: str) -> str | None:
        v = row.get(key)
        return None if v is None or (isinstance(v, float)) or str(v) in ("", "nan", "None") else str(v)

    province, prefecture, county, adcode = val("省"), val("市"), val("区"), val("adcode")
    if prefecture in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        prefecture = None
    rest = val("地址") or name
    if province is None:
        return None, None, None, None, name
    # cpca may infer a province from a bare county name; require the name to mention a level
    mentioned = [p for p in (province, prefecture, county) if p and _short(p) in name]
    if not mentioned:
        return None, None, None, None, name
    return province, prefecture, county, adcode, rest


def _short(division: str) -> str:
    for suffix in ("土族自治县", "自治县", "自治州", "自治区", "特别行政区", "省", "市", "区", "县", "盟", "旗"):
        if division.endswith(suffix) and len(division) - len(suffix) >= 1:
            base = division[: -len(suffix)]
            return base if len(base) >= 2 else division
    return division


def metadata_to_bureau(meta: Metadata) -> Bureau:
    province, prefecture, county, adcode, rest = region_of(meta.name)
    if province is None:
        level = "central" if meta.name.startswith(("国家", "中华人民共和国", "中央", "国务院")) else "province"
    elif county:
        level = "county"
    elif prefecture:
        level = "prefecture"
    else:
        level = "province"
    region_parts = [p for p in (prefecture, county) if p] or [province] if province else []
    if province in ("北京市", "上海市", "天津市", "重庆市") and county:
        region_parts = [province, county]
    if prefecture and pinyin_slug(_short(prefecture)) in homophone_prefectures():
        region_parts = [province, *region_parts]  # 宿州 anhui-suzhou, 苏州 jiangsu-suzhou
    region = "-".join(_region_slug(p, p == county) for p in region_parts) or ("cn" if level == "central" else "")
    dept = rest if province else re.sub(r"^(国家|中华人民共和国|中央)", "", meta.name)
    bureau_id = slugify(f"{region}-{subject_slug(dept)}") if region else slugify(subject_slug(dept))
    return Bureau(bureau_id, meta.name, province, prefecture, county, level, adcode)


@functools.cache
def homophone_prefectures() -> frozenset[str]:
    """Slugs shared by two prefecture-level divisions in cpca's table (宿州/苏州 suzhou, 台州/泰州
    taizhou, 福州/抚州, 伊春/宜春, 榆林/玉林): their bureaus' ids carry the province too."""
    import cpca

    path = Path(cpca.__file__).with_name("resources") / "adcodes.csv"
    with path.open(encoding="utf-8", newline="") as f:
        names = [r["name"] for r in csv.DictReader(f)
                 if r["adcode"][4:] == "00000000" and r["adcode"][2:4] != "00"
                 and not r["name"].endswith(("辖区", "行政区划")) and len(r["name"]) > 1]
    seen = Counter(pinyin_slug(_short(n)) for n in set(names))
    return frozenset(slug for slug, n in seen.items() if n > 1)


def _region_slug(division: str, is_county: bool) -> str:
    """Pinyin of the division without its suffix; a county-level city keeps ``shi`` so it never
    shares a slug with the county of the same name (临夏市 linxiashi, 临夏县 linxia)."""
    slug = pinyin_slug(_short(division))
    return slug + "shi" if is_county and division.endswith("市") and _short(division) != division else slug


def subject_key(name: str) -> tuple[str | None, ...]:
    """Who a bureau name names: its division and the rest of the name. Two names with one key
    are one bureau (上海市普陀区司法局, 普陀区司法局); two keys with one id are homophones."""
    province, prefecture, county, _, rest = region_of(name)
    return province, prefecture, county, clean_name(rest)


def document_id(bureau: Bureau, meta: Metadata) -> str:
    suffix = "-unit" if meta.scope == "unit" else ""
    return f"{bureau.bureau_id}-{meta.year}-{meta.phase}{suffix}"
