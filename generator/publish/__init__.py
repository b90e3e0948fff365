"""Publish stage: data packages -> the MkDocs (Material) site.

In: a package tree as in DATA-CONTRACT.md (``datapackages/all/*.csv`` plus one folder per
document, with ``all/check_definitions.csv``) and the source files; nothing else of the
pipeline is read. Out: the Markdown pages and files that the hook
``site_src/hooks/budget_pages.py`` hands to MkDocs; :func:`build.build_site` runs the build.

- ``settings``  — :class:`SiteSettings`: inputs and caches, read from ``BUDGET_*`` in one place
- ``format``    — esc, amounts, Markdown tables, front matter, labels
- ``catalog``   — :class:`Catalog`, :func:`load_catalog`: the package tree as read
- ``figures``   — which figure the site shows (totals, splits, class rows, check counts)
- ``pages/``    — one module per page kind (home, bureau, document, comparison, data, checks,
  glossary, dictionary, changelog) and what they share (links, sources, sections)
- ``charts/``   — which points each chart shows (drafts, compare), SVG rendering and cache
  (render), the embedded block (html)
- ``downloads`` — Excel workbooks and zips of the packages, cached by content
- ``pool``      — the process pools of the slow work (charts, downloads)
- ``site``      — every page and file of the site, in the hook's order (loads the renderer)
- ``build``     — ``build_site``: the MkDocs build in its own process (light to import)
"""
