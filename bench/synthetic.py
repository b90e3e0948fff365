"""A synthetic corpus: the five sample disclosures perturbed into N distinct documents.

    python bench/synthetic.py OUT_DIR [-n 500] [--seed 7] [--check]

Each synthetic document is one of the five text extracts in ``documents/`` with

* another bureau: the county (or, for the prefecture-level 宿州 sample, the prefecture) is
  replaced everywhere by another real division from cpca's table, written with its prefecture
  (``保定市望都县`` → ``宝鸡市眉县``) so the region resolves to one place;
* another year: every year in the text shifted by the same −2 … +2 (the year-over-year
  comparisons stay consistent);
* scaled amounts: every amount (a decimal number, or a whole number before 元/万元) multiplied
  by the same whole factor (1, 2, 3 or 5), keeping its printed decimals, so sums still add up
  (percentages are left alone).

Documents get distinct ids (bureau × year × phase); the same seed gives the same bytes.
``--check`` parses every document and fails unless all parse with distinct ids.
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "documents"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Division:
    province: str
    prefecture: str
    county: str | None  # None for a prefecture-level bureau
    adcode: str


@dataclass(frozen=True)
class Template:
    file: str
    level: str  # county | prefecture
    # (text in the sample, replacement pattern); applied in one pass, longest first
    replace: tuple[tuple[str, str], ...]


TEMPLATES = (
    Template("000_a8cda960e0db61c9.txt", "county", (("凤县", "{prefecture}{county}"),)),
    Template("001_e75bfe8e2417c16e.txt", "county", (
        ("乐山市市中区", "{prefecture}{county}"), ("市中区", "{county}"), ("乐山市", "{prefecture}"),
        ("乐山", "{prefecture_short}"))),
    Template("002_2e4bf1e814f589dd.txt", "county", (
        ("互助土族自治县", "{prefecture}{county}"), ("互助县", "{county}"), ("海东市", "{prefecture}"),
        ("海东", "{prefecture_short}"))),
    Template("003_4c40129985d12d4c.txt", "prefecture", (
        ("安徽省", "{province}"), ("宿州市", "{prefecture}"), ("宿州", "{prefecture_short}"))),
    Template("004_1dc876329a8abae6.txt", "county", (
        ("望都县", "{prefecture}{county}"), ("保定市", "{prefecture}"), ("河北省", "{province}"))),
)

SHIFTS = (0, -1, 1, -2, 2)
SCALES = (1, 2, 3, 5)
_YEAR = re.compile(r"(?<![\d.])(20[0-3]\d)(?![\d.])")
# a decimal amount, also with an OCR gap after the point ("107. 28"), or a whole amount in 元/万元
_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.( ?)(\d+)(?![\d%％])|(?=\s*万?元))")


def _short(name: str) -> str:
    from generator.recognize.metadata import _short as short

    return short(name)


def divisions() -> tuple[list[Division], list[Division]]:
    """(counties, prefectures) of cpca's division table that have a named prefecture."""
    import cpca

    table = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as f:
        names = {row["adcode"]: row["name"] for row in csv.DictReader(f)}
    counties, prefectures = [], []
    for code, name in sorted(names.items()):
        province = names.get(code[:2] + "0" * 10)
        prefecture = names.get(code[:4] + "0" * 8)
        if not province or not prefecture or code[2:4] == "00" or code[6:] != "000000":
            continue
        if not prefecture.endswith(("市", "州", "盟", "地区")) or prefecture == province:
            continue
        if code[4:6] == "00":
            prefectures.append(Division(province, prefecture, None, code[:6]))
        elif name not in ("市辖区", "县") and name.endswith(("县", "区", "市", "旗")):
            counties.append(Division(province, prefecture, name, code[:6]))
    return counties, prefectures


def resolves(division: Division) -> bool:
    """cpca reads the bureau name back as this very division."""
    from generator.recognize.metadata import region_of

    name = f"{division.prefecture}{division.county or ''}医疗保障局"
    province, prefecture, county, adcode, rest = region_of(name)
    return (province == division.province and prefecture == division.prefecture
            and county == division.county and rest == "医疗保障局"
            and (adcode or "").startswith(division.adcode))


def bureau_id(division: Division) -> str:
    """The bureau id the generator will give this division's 医疗保障局 (ids are pinyin, so
    homophones collide: 台州市 and 泰州市 are both ``taizhou``)."""
    from generator.recognize.metadata import Metadata, metadata_to_bureau

    name = f"{division.prefecture}{division.county or ''}医疗保障局"
    return metadata_to_bureau(Metadata(name, name, 2024, "budget", "department", "万元")).bureau_id


def perturb(text: str, template: Template, division: Division, shift: int, scale: int) -> str:
    """The sample ``text`` of ``template`` moved to ``division``, ``shift`` years, amounts × ``scale``."""
    values = {"province": division.province, "prefecture": division.prefecture,
              "county": division.county or "", "prefecture_short": _short(division.prefecture)}
    mapping = {old: new.format(**values) for old, new in template.replace}
    pattern = re.compile("|".join(re.escape(o) for o in sorted(mapping, key=len, reverse=True)))
    text = pattern.sub(lambda m: mapping[m.group(0)], text)
    if shift:
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    if scale != 1:
        def scaled(m: re.Match) -> str:
            whole, gap, frac = m.group(1), m.group(2) or "", m.group(3) or ""
            value = Decimal(whole.replace(",", "") + ("." + frac if frac else "")) * scale
            out = f"{value:,.{len(frac)}f}" if "," in whole else f"{value:.{len(frac)}f}"
            return out.replace(".", "." + gap, 1) if gap else out
        text = _AMOUNT.sub(scaled, text)
    return text


def make_corpus(out: Path, n: int, seed: int = 7) -> list[Path]:
    """Write ``n`` synthetic documents ``syn-00000.txt`` … into ``out``; returns their paths."""
    rng = random.Random(seed)
    counties, prefectures = divisions()
    rng.shuffle(counties)
    rng.shuffle(prefectures)
    pools = {"county": counties, "prefecture": prefectures}
    cursor = {"county": 0, "prefecture": 0}
    owner: dict[str, Division] = {}  # bureau id → the division that has it
    texts = {t.file: (SAMPLES / t.file).read_text(encoding="utf-8") for t in TEMPLATES}
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        template = TEMPLATES[i % len(TEMPLATES)]
        pool = pools[template.level]
        while True:  # next division that cpca resolves back to itself
            k = cursor[template.level]
            cursor[template.level] += 1
            division = pool[k % len(pool)]
            if resolves(division) and owner.setdefault(bureau_id(division), division) == division:
                break
        cycle = k // len(pool)  # past the pool, the same bureau in another year
        shift = SHIFTS[(cycle + int(division.adcode)) % len(SHIFTS)]
        scale = rng.choice(SCALES)
        path = out / f"syn-{i:05d}.txt"
        path.write_text(perturb(texts[template.file], template, division, shift, scale), encoding="utf-8")
        paths.append(path)
    return paths


def check(paths: list[Path]) -> list[str]:
    """Problems: documents that fail to parse, and duplicate ids."""
    from generator.parse import parse_files

    problems, seen = [], {}
    for path in paths:
        result = parse_files([path])
        if result.error:
            problems.append(result.error)
            continue
        did = result.parsed.meta.document_id
        if did in seen:
            problems.append(f"{path.name}: same id {did} as {seen[did]}")
        seen[did] = path.name
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="parse each document afterwards")
    args = parser.parse_args(argv)
    paths = make_corpus(args.out, args.n, args.seed)
    print(f"{len(paths)} documents in {args.out}")
    if args.check:
        problems = check(paths)
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
