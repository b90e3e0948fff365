"""The reviewer's report of a document, made from its package like the other downloads.

In: one document's package folder (DATA-CONTRACT.md). Out: :mod:`.workbook` — the ``.xlsx`` in
the layout of the official 检查表 (one row per part of the disclosure with 是/否, then every
problem with page, quote, expected, actual and a suggestion); :mod:`.checklist` decides the
rows and which check belongs to which. The site offers it as ``downloads/<document_id>-review.xlsx``
(:mod:`generator.publish.downloads`); ``python -m generator review FILE`` writes the same bytes
for a disclosure that is not published.
"""
