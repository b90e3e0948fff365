"""Charts of the site: bar charts of a bureau's figures, as SVG files with their data as CSV.

How a chart is made, in three steps:

1. a builder (:mod:`.drafts` for a bureau page, :mod:`.compare` for the comparison page)
   asks :mod:`generator.publish.figures` for the document's ``facts`` (the one figure per
   question decided by :mod:`generator.facts`; no builder chooses a table) and turns each into a
   :class:`~.records.Point`: a category on the axis, an optional series (colour), the amount
   as the exact decimal string of the package, and the CSV columns; the
   :class:`~.records.Draft` also holds the title and the text alternative (:mod:`.wording`);
2. :mod:`.render` draws the draft as SVG (Altair, vl-convert; a cache kept by content) and
   makes the :class:`~.records.Chart`: SVG, CSV of exactly the plotted rows, text alternative,
   sources;
3. :func:`.html.chart_html` wraps the SVG link, the caption, the download links and the
   sources in one ``<figure>`` block.

Modules: ``records`` (Point, Draft, Chart), ``wording`` (text alternatives, labels),
``drafts`` (bureau charts), ``compare`` (comparison charts), ``render`` (SVG, cache, pool;
the only one importing Altair and vl-convert), ``html`` (the embedded block).
"""
