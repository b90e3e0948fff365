"""Control characters removed where text enters: never published, always counted.

A disclosure may carry characters no reader sees but every program does: NUL, the other C0
and C1 controls, and the bidirectional controls (U+202A–U+202E embeddings and overrides,
U+2066–U+2069 isolates) that make a name print backwards. They are removed from each line of a
text extract and from each character of a PDF, before any cell is made; tab, line feed and
carriage return stay (they lay a text extract out), and so do the separators at which
``str.splitlines`` already breaks a text extract (form feed, U+0085 …), which never reach a line.
The number removed is carried with the document (``IngestedDocument.control_characters``) and
reported by the check ``text.control_characters``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: every character removed: C0 controls but tab, line feed and carriage return; DEL and the C1
#: controls; the bidi embeddings, overrides and isolates
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters, and how many were removed."""
    return CONTROL_CHARACTERS.subn("", text)


@dataclass
class Removed:
    """The control characters removed from one document so far: ``ingest_files`` makes one per
    document and hands it to the readers of its files."""

    count: int = 0

    def text(self, text: str) -> str:
        """``text`` without control characters (counted)."""
        cleaned, removed = strip_controls(text)
        self.count += removed
        return cleaned

    def char(self, char: dict[str, Any]) -> dict[str, Any]:
        """A PDF character (pdfplumber's dict) without control characters in its text (counted;
        a copy only when some were removed: pdfplumber's own dict is never changed)."""
        cleaned, removed = strip_controls(char["text"])
        if not removed:
            return char
        self.count += removed
        return {**char, "text": cleaned}
