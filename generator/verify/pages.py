"""The page of a narrative finding: where its quoted words are printed.

Checks read the narrative a sentence at a time and report the page the sentence starts on. A
sentence printed over a page break (a heading at the foot of p. 23 running into the text of
p. 24) would then send a reviewer to the wrong page. ``place_quotes`` runs after every check
family: a finding with a ``quote`` is given the page its quoted words start on, found in the
sentences' page starts (``ParsedDocument.sentence_breaks``, from recognize), from the page the
check named onwards; ``第 N 页`` in its message follows. A quote not found keeps its page.
"""
from __future__ import annotations

import dataclasses

from ..records import Check, ParsedDocument
from .sentences import clean


def _stream(doc: ParsedDocument) -> tuple[str, list[tuple[int, int | None]]]:
    """The narrative as one cleaned text, and where each page's stretch of it starts."""
    text, starts = [], []
    n = 0
    breaks = doc.sentence_breaks or [((0, p),) for _, p in doc.sentences]
    for (sentence, _), bounds in zip(doc.sentences, breaks):
        for j, (offset, page) in enumerate(bounds):
            end = bounds[j + 1][0] if j + 1 < len(bounds) else len(sentence)
            piece = clean(sentence[offset:end])
            starts.append((n, page))
            text.append(piece)
            n += len(piece)
    return "".join(text), starts


def _page_at(starts: list[tuple[int, int | None]], offset: int) -> int | None:
    page = None
    for o, p in starts:
        if o > offset:
            break
        page = p
    return page


def place_quotes(doc: ParsedDocument) -> ParsedDocument:
    quoted = [i for i, c in enumerate(doc.checks) if c.quote and c.source_page is not None
              and c.table == "narrative"]
    if not quoted or not doc.sentences:
        return doc
    text, starts = _stream(doc)
    for i in quoted:
        check: Check = doc.checks[i]
        quote = clean(check.quote)
        if not quote:
            continue
        first = next((o for o, p in starts if p is not None and p >= check.source_page), None)
        at = text.find(quote, first) if first is not None else -1
        page = _page_at(starts, at) if at >= 0 else None
        if page is None or page == check.source_page or page > check.source_page + 1:
            continue
        message = check.message.replace(f"第 {check.source_page} 页", f"第 {page} 页")
        doc.checks[i] = dataclasses.replace(check, source_page=page, message=message)
    return doc
