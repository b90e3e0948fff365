"""Build ``generator/recognize/function_codes.csv``: the function classification (政府收支分类科目,
支出功能分类) as (code, printed name) pairs gathered from the coded rows of built corpora; with
``--economic``, ``generator/recognize/economic_codes.csv``: the economic classification
(支出经济分类, 部门 3xx and 政府 5xx) the same way.

    python scripts/function_codes.py [--economic] LABEL=ALL_DIR [LABEL=ALL_DIR ...]

Each ``ALL_DIR`` is the ``all/`` folder of a build (``python -m generator build --documents DIR
--datapackages OUT``, then ``OUT/all``); ``LABEL`` names the corpus in the ``sources`` column.
The checked-in file was made with

    python scripts/function_codes.py documents=datapackages/all \\
        real-pdfs=/tmp/real/datapackages/all wild-dev=/tmp/wild/datapackages/all

``documents`` being the committed packages of ``documents/``, ``real-pdfs`` and ``wild-dev``
builds of ``../shared/real-pdfs`` and ``../shared/wild-dev`` (at 9796405); a code a build
assigned by name (``repair.code_assigned`` in its ``checks.csv``) is not taken back. The
economic list was made the same way from builds at eff97e1 (``--economic``, the same three
sources): what an economic figure read by OCR must match to be confirmed
(``generator/facts/certainty.py``; read by ``recognize.assign_codes.economic_printed_names``).

A pair is kept when a table (not the narrative) prints it with a 3-, 5- or 7-digit code whose
类 is a function class (2xx) — economic: a 3- or 5-digit code of a 3xx or 5xx class — the name in
Chinese characters only (no figure run into it); a function 类 keeps only its official names
(``vocabulary``), a 款 or 项 never has a 类's name; a name that is
a prefix of another name of the same code (cut by the layout) is dropped, and so is a name
printed in one document only when the code has a name printed more often (a stray reading).
``documents`` counts the documents printing the pair. Deterministic: sorted by code, then name.
"""
from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.vocabulary import KNOWN_VARIANTS, OFFICIAL_CLASS_NAMES  # noqa: E402

_CLEAN = re.compile(r"[\u4e00-\u9fff（）()、“”]+")
OFFICIAL = {c: {n, *KNOWN_VARIANTS.get(c, ())} for c, n in OFFICIAL_CLASS_NAMES.items()}
OFFICIAL.update({c: set(v) | OFFICIAL.get(c, set()) for c, v in KNOWN_VARIANTS.items()})
CLASS_NAMES = {n for names in OFFICIAL.values() for n in names}


def _fits_class_names(code: str, name: str, economic: bool = False) -> bool:
    """A function 类 has only its official names; a 款 or 项 never has a 类's name (economic
    classes have no official list here: any clean name)."""
    if economic:
        return True
    if len(code) == 3:
        return name in OFFICIAL.get(code, ())
    return name not in CLASS_NAMES


OUT = Path(__file__).resolve().parents[1] / "generator" / "recognize" / "function_codes.csv"
ECONOMIC_OUT = OUT.with_name("economic_codes.csv")


def _assigned(folder: Path) -> set[tuple[str, str, str]]:
    """(document, table, code) of the codes a build assigned by name (``repair.code_assigned``)."""
    with open(folder / "checks.csv", encoding="utf-8") as f:
        return {(r["document_id"], r["table"], r["expected"]) for r in csv.DictReader(f)
                if r["check"] == "repair.code_assigned" and r["status"] == "repaired"}


def _coded(code: str, economic: bool) -> bool:
    """A code of the classification: 3/5/7 digits of a 2xx class, or economic 3/5 digits of 3xx or 5xx."""
    if economic:
        return len(code) in (3, 5) and code[:1] in ("3", "5") and code.isdigit()
    return len(code) in (3, 5, 7) and code.startswith("2") and code.isdigit()


def gather(sources: list[tuple[str, Path]], economic: bool = False) -> list[dict]:
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    resource = "economic_expenditure.csv" if economic else "function_expenditure.csv"
    for label, folder in sources:
        assigned = _assigned(folder)
        with open(folder / resource, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                code, name = r["code"], "".join(r["name"].split())
                if r["table"] == "narrative" or not _coded(code, economic) or not name:
                    continue
                if (r["document_id"], r["table"], code) in assigned:
                    continue  # a code assigned by name from this list, not printed
                docs[code, name].add(r["document_id"])
                labels[code, name].add(label)
    names: dict[str, set[str]] = defaultdict(set)
    for code, name in docs:
        if _CLEAN.fullmatch(name) and _fits_class_names(code, name, economic):
            names[code].add(name)
    rows = []
    for (code, name), ids in sorted(docs.items()):
        if name not in names[code] or any(o != name and o.startswith(name) for o in names[code]):
            continue  # not a clean name, or cut by the layout
        most = max(len(docs[code, o]) for o in names[code])
        if len(ids) < 2 and len(ids) < most:
            continue  # a stray reading: another name of the code is printed more often
        rows.append({"code": code, "name": name, "documents": len(ids),
                     "sources": " ".join(sorted(labels[code, name]))})
    return rows


def main(argv: list[str]) -> int:
    economic = "--economic" in argv
    argv = [a for a in argv if a != "--economic"]
    if not argv or any("=" not in a for a in argv):
        print(__doc__)
        return 2
    sources = [(a.split("=", 1)[0], Path(a.split("=", 1)[1])) for a in argv]
    rows = gather(sources, economic)
    out = ECONOMIC_OUT if economic else OUT
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["code", "name", "documents", "sources"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{out}: {len(rows)} (code, name) pairs from " + ", ".join(f"{l}={p}" for l, p in sources))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
