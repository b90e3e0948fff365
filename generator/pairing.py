"""Two-file disclosures paired by content: the tables file of one, the narrative of the other.

A disclosure may be published as a tables file (报表: its pages print no year) and a narrative
(情况说明: it prints no standard table), named anyhow. Each file is parsed alone first
(``parse.parse_files``); one refused only for want of its other half comes back with a
``records.Part``. ``pair_parts`` pairs a tables part with a narrative part of the same
disclosure: the same phase, the same year and bureau where both print them (a name compared by
``subject_key``), and a total the narrative states (``2026年度收入预算110896.62万元``) among the
totals the tables print (收入总计 110,896.619602). A part pairs only with the one part that
fits it, and that part only with it: never a choice by file order.

``parse_pairs`` parses each pair as one document (tables first, as ``ingest.files`` reads a
pair), cached by both files' names and content like any document. A part left unpaired is
refused: a tables file with the reason it gave alone (``no fiscal year found …``), a narrative
with "narrative without its tables: no standard budget table found; its tables file is missing".
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .cache import content_key
from .parse import DocumentResult
from .records import Part
from .recognize.metadata import subject_key

MISSING_TABLES = ("narrative without its tables: no standard budget table found; "
                  "its tables file is missing")

Runner = Callable[[list[list[Path]]], Iterable[tuple[int, DocumentResult]]]


def fits(tables: Part, narrative: Part) -> bool:
    """Whether ``tables`` and ``narrative`` can be the two halves of one disclosure."""
    if tables.half != "tables" or narrative.half != "narrative":
        return False
    if tables.phase and narrative.phase and tables.phase != narrative.phase:
        return False
    if tables.year and narrative.year and tables.year != narrative.year:
        return False
    if tables.name and narrative.name and tables.name != narrative.name and (
            subject_key(tables.name) != subject_key(narrative.name)):
        return False
    return bool(tables.totals & narrative.totals)


def pair_parts(parts: list[tuple[int, Part]]) -> list[tuple[int, int]]:
    """(tables index, narrative index) of each pair among ``parts`` (index, part): the two fit
    each other and no other part, sorted by the first index of each pair."""
    tables = [(i, p) for i, p in parts if p.half == "tables"]
    narratives = [(i, p) for i, p in parts if p.half == "narrative"]
    fit_t = {i: [j for j, n in narratives if fits(t, n)] for i, t in tables}
    fit_n = {j: [i for i, t in tables if fits(t, n)] for j, n in narratives}
    pairs = [(i, js[0]) for i, js in fit_t.items() if len(js) == 1 and fit_n[js[0]] == [i]]
    return sorted(pairs, key=lambda pair: min(pair))


def parse_pairs(groups: list[list[Path]], results: list[DocumentResult], *, cache,
                run: Runner) -> Iterator[tuple[DocumentResult, bool]]:
    """Every document of ``groups`` / ``results`` (one result per group, in document order)
    with its parts paired: a pair in place of its first part, an unpaired part refused; each
    with whether it is new here (a pair, or a part's final result)."""
    parts = [(i, r.part) for i, r in enumerate(results) if r.part is not None]
    pairs = pair_parts(parts)
    pair_files = [[groups[t][0], groups[n][0]] for t, n in pairs]
    pair_results = _parse(pair_files, cache, run)
    at = {min(pair): k for k, pair in enumerate(pairs)}
    merged = {max(pair) for pair in pairs}
    for i, result in enumerate(results):
        if i in at:
            yield pair_results[at[i]], True
        elif i not in merged:
            if result.part is not None and result.part.half == "narrative":
                result.error = f"{result.part.file}: {MISSING_TABLES}"
            yield result, result.part is not None


def _parse(pairs: list[list[Path]], cache, run: Runner) -> list[DocumentResult]:
    """The result of each pair: from ``cache`` when there, else parsed by ``run``."""
    results: list[DocumentResult | None] = [None] * len(pairs)
    keys: list[str | None] = [None] * len(pairs)
    todo: list[int] = []
    for k, files in enumerate(pairs):
        if cache is not None:
            start = time.perf_counter()
            keys[k] = content_key(files, cache.fingerprint)
            hit = cache.get(keys[k])
            if hit is not None:
                hit.reused, hit.key, hit.seconds = True, keys[k], time.perf_counter() - start
                results[k] = hit
                continue
        todo.append(k)
    if todo:
        for j, result in run([pairs[k] for k in todo]):
            k = todo[j]
            result.key = keys[k]
            if cache is not None and result.cacheable:
                cache.put(keys[k], result)
            results[k] = result
    missing = [pairs[k][0].name for k, r in enumerate(results) if r is None]
    if missing:
        raise RuntimeError(f"the parse stage returned no result for {', '.join(missing)}")
    return results
