"""Codes for function-classified rows printed with names only (科目名称 without 科目编码).

``classification()`` is the national function classification (政府收支分类科目, 支出功能分类) as
printed name → codes: the (code, name) pairs of ``function_codes.csv`` (gathered from the coded
rows of the corpora by ``scripts/function_codes.py``, which names its sources) and the official
类 names of ``vocabulary``. ``assign_by_hierarchy(names)`` gives each name of a table, in printed
order, the code its name has under its parent — 类 → 款 → 项, a row's parent being the nearest
preceding row of the level above — or none with the reason (an unknown name, or an ambiguous one:
two codes of that name under the same parent). ``named_function_rows(region)`` reads the rows of
a function table that prints no code at all (杭州's 一般公共预算支出预算表), each with a
placeholder for its code (``#1``, ``#2`` … its place in the table: a 款 and its only 项 often
print the same name and figures, and must stay two rows): verify assigns the codes and records
each as ``repair.code_assigned``. ``rows_coded_by_name`` codes the rows of an economic table
that prints names only, from the names the document's own coded economic tables give.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ..vocabulary import FUNCTION_CODE_LENGTHS, KNOWN_VARIANTS, OFFICIAL_CLASS_NAMES
from .regions import Region
from .rows import Row, cells_to_row

CODES_FILE = Path(__file__).with_name("function_codes.csv")
_LEVELS = tuple(FUNCTION_CODE_LENGTHS.values())  # 3, 5, 7
#: a leading enumeration (一、 / (十) / 8、), as ``verify.base.strip_enum`` removes it
_ENUM = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|[一二三四五六七八九十]+、|\d+、)+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: the first character of a placeholder code (``#3``: the third row of a table printed by names)
PLACEHOLDER = "#"


def is_placeholder(code: str) -> bool:
    return code.startswith(PLACEHOLDER)


def name_key(name: str) -> str:
    """The name as compared: whitespace and a leading enumeration (``四、``) removed."""
    return _ENUM.sub("", re.sub(r"\s+", "", name or "")).strip("：:")


@lru_cache(maxsize=1)
def classification() -> Mapping[str, frozenset[str]]:
    """Printed name → the function codes printed with it (3, 5 or 7 digits)."""
    found: dict[str, set[str]] = {}
    with open(CODES_FILE, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            found.setdefault(name_key(r["name"]), set()).add(r["code"])
    for code, name in OFFICIAL_CLASS_NAMES.items():
        if code.startswith("2"):
            found.setdefault(name, set()).add(code)
    for code, names in KNOWN_VARIANTS.items():
        for name in names:
            found.setdefault(name, set()).add(code)
    return MappingProxyType({n: frozenset(c) for n, c in found.items()})


@lru_cache(maxsize=1)
def printed_names() -> Mapping[str, str]:
    """Function code → the name most documents print for it (the code list's first name)."""
    names: dict[str, tuple[int, str]] = {}
    with open(CODES_FILE, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            count = int(r.get("documents") or 0)
            if r["code"] not in names or count > names[r["code"]][0]:
                names[r["code"]] = (count, r["name"])
    return MappingProxyType({code: name for code, (_, name) in names.items()})


#: the economic classification as the corpus prints it (``scripts/function_codes.py --economic``):
#: nothing is coded from it; ``facts.certainty`` checks an economic code read by OCR against it
ECONOMIC_CODES_FILE = CODES_FILE.with_name("economic_codes.csv")


@lru_cache(maxsize=1)
def economic_printed_names() -> Mapping[str, tuple[str, ...]]:
    """Economic code → every name the corpus prints for it."""
    names: dict[str, list[str]] = {}
    with open(ECONOMIC_CODES_FILE, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            names.setdefault(r["code"], []).append(r["name"])
    return MappingProxyType({code: tuple(found) for code, found in names.items()})


def parent_of(code: str) -> str:
    """The code of a code's parent: a 款's 类, a 项's 款; ``""`` for a 类."""
    i = _LEVELS.index(len(code))
    return code[:_LEVELS[i - 1]] if i else ""


@dataclass
class _Parent:
    """An open 类 or 款 of the table: its code (None: printed with a name no code is known for),
    depth (0 类, 1 款), printed total and the sum of the rows placed under it so far."""

    code: str | None
    depth: int
    total: Decimal | None
    placed: Decimal = Decimal(0)
    children: int = 0

    def room(self, amount: Decimal | None) -> bool:
        """Can a row of ``amount`` still be a child? Not once the children add up to the total
        (within a cent per child: figures printed to the cent)."""
        if self.total is None or amount is None:
            return True
        return self.placed + amount <= self.total + _CENT * (self.children + 1)

    def take(self, amount: Decimal | None) -> None:
        self.placed += amount or 0
        self.children += 1

    def closed(self) -> bool:
        return self.total is not None and self.children > 0 and \
            abs(self.total - self.placed) <= _CENT * self.children


_CENT = Decimal("0.01")
#: the parent of a 类 (``assign_by_hierarchy``)
ROOT = "类"


def assign_by_hierarchy(names: Sequence[str], totals: Sequence[Decimal | None] | None = None
                        ) -> list[tuple[str | None, str, str | None]]:
    """(code or None, why, parent) for each name in printed order; ``parent`` is the code of the
    类 or 款 the row was placed under, ``ROOT`` for a 类, None under a parent left uncoded. A row's parent is the nearest open
    类 or 款 above it, tried from the deepest to the root; a parent is closed once the rows
    placed under it add up to its printed total (``totals``: the document's own arithmetic says
    where a 款 ends). The first open parent under which the name has one code (not yet given in
    the table) gives it; two codes there leave the row uncoded. A row no code is known for is
    placed by the arithmetic too (under the deepest parent it fits in), and a 类 or 款 of that
    kind keeps the rows under it uncoded until it closes: their parent's code is unknown."""
    codes = classification()
    amounts = list(totals) if totals is not None else [None] * len(names)
    stack: list[_Parent] = []
    used: set[str] = set()
    out: list[tuple[str | None, str]] = []
    for name, amount in zip(names, amounts):
        while stack and stack[-1].closed():
            stack.pop()
        key = name_key(name)
        code, why, parent = _place(key, amount, stack, codes, used)
        out.append((code, why, ROOT if parent is None else parent.code))
        if parent is not None:
            parent.take(amount)
        depth = _LEVELS.index(len(code)) if code else (parent.depth + 1 if parent else 0)
        if code:
            used.add(code)
        del stack[sum(1 for p in stack if p.depth < depth):]
        if depth < len(_LEVELS) - 1:
            stack.append(_Parent(code, depth, amount))
    return out


def _place(key: str, amount, stack: list[_Parent], codes, used: set[str]):
    """(code, why, the parent the row goes under: None for a 类)."""
    known = sorted(codes.get(key, ()))
    cands = [c for c in known if c not in used]
    for parent in reversed([p for p in stack if p.room(amount)]):
        if parent.code is None:
            return None, f"“{key}”的上级科目没有编码", parent
        under = [c for c in cands if parent_of(c) == parent.code]
        if len(under) > 1:
            return None, f"“{key}”在上级科目 {parent.code} 下对应多个编码：{'、'.join(under)}", parent
        if under:
            return under[0], f"上级科目 {parent.code}", parent
    top = [c for c in cands if len(c) == _LEVELS[0]]
    if len(top) == 1:
        return top[0], "类", None
    why = f"“{key}”不在功能分类科目表中" if not known else \
        f"“{key}”的编码（{'、'.join(known)}）不在上级科目之下"
    fits = [p for p in stack if p.room(amount)]
    return None, why, fits[-1] if fits else None


def named_function_rows(region: Region) -> list[Row]:
    """The data rows of a function table that prints names only (no row has a code): every line
    with a name and figures, but the 合计 row; codes are placeholders. None unless the first of them
    names a 类 (a table by budget unit or by source of funds is not one by function)."""
    rows: list[Row] = []
    for line in region.lines:
        row = cells_to_row(list(line.cells), line.positional, False, line.page)
        if row is None or row.code or row.total or not row.values or not _HAN.search(row.name):
            continue
        if all(v is None for v in row.values):
            continue
        row.code = f"{PLACEHOLDER}{len(rows) + 1}"
        rows.append(row)
    first = assign_by_hierarchy([rows[0].name])[0][0] if rows else None
    return rows if first is not None and len(first) == 3 else []


def provisional_codes(rows: list[Row]) -> Callable[[Row], str]:
    """Row → the code ``assign_by_hierarchy`` gives its name ("" where none): the levels of a
    table printed by names, for its arithmetic while it is read (``columns.place_narrow_pages``);
    verify assigns the codes kept."""
    given = assign_by_hierarchy([r.name for r in rows], [r.values[0] if r.values else None for r in rows])
    codes = {id(r): code or "" for r, (code, _, _) in zip(rows, given)}
    return lambda r: codes.get(id(r), "")


def rows_coded_by_name(region: Region, codes_by_name: dict[str, str]) -> list[Row]:
    """Rows of an economic table that prints names only (深圳's 基本支出总表: ``工资福利支出``,
    ``基本工资`` …, levels shown by indentation), each given the code its name has in the
    document's coded tables (``rows.economic_codes_by_name``). Empty if a name has no code there
    or a code repeats (a table split by budget unit, 珠海's 部门预算基本支出预算表)."""
    rows: list[Row] = []
    for line in region.lines:
        row = cells_to_row(list(line.cells), line.positional, True, line.page)
        if row is None or not row.values or row.code or row.total or row.values[0] is None:
            continue
        if row.name not in codes_by_name:
            if rows:
                return []  # a data row without a known name: not this layout
            continue  # the budget unit's row before the first classified row
        row.code = codes_by_name[row.name]
        rows.append(row)
    codes = [r.code for r in rows]
    if len(rows) < 2 or len(set(codes)) < len(codes):
        return []
    return rows
