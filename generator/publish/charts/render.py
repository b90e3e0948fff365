"""Drawing the charts: a :class:`~generator.publish.charts.records.Draft` as an Altair spec
rendered to SVG with vl-convert, kept in a cache folder by content, and made inert.

Only the site build loads this module (Altair and vl-convert are imported here). Rendering is
deterministic: same draft, same bytes. Amounts are never rounded: the CSV and the text
alternative carry the package's strings (``3617.46``), the bar labels the same figure with
thousands separators (``3,617.46``); only the bar lengths use floats. Text from the documents
never becomes markup: the SVG renderer escapes ``<`` ``&`` ``>`` and :func:`_inert_svg`
turns the characters of links, URL schemes and templates into character references.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import json
import os
import re
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import altair as alt
import vl_convert

from ...atomic import KEEP_UNUSED_SECONDS, remove_unused
from ..catalog import Catalog
from ..format import fmt_amount
from ..pool import process_pool
from .compare import comparison_drafts
from .drafts import bureau_drafts
from .records import Chart, Draft, Point
from .wording import cut_labels

#: the CJK font: registered with vl-convert once per process, named in every chart's config
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT = "Noto Sans CJK SC"

WIDTH = 440  # plot width in pixels; labels and titles come on top
STEP = 22  # pixels per bar
COLOR = "#4c78a8"

#: rendered with every spec: the font, no ARIA attributes (the page's ``alt`` text is the
#: accessible description; ARIA labels would repeat every datum inside the file)
CONFIG = {
    "font": FONT,
    "aria": False,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11},
    "title": {"fontSize": 13, "anchor": "start", "fontWeight": "bold"},
}


# ------------------------------------------------------------------------------ charts


def bureau_charts(cat: Catalog, bureau_id: str) -> list[Chart]:
    """The charts of a bureau page (:func:`~generator.publish.charts.drafts.bureau_drafts`),
    drawn with the catalog's chart cache."""
    return [make_chart(d, cat.settings.chart_cache) for d in bureau_drafts(cat, bureau_id)]


def comparison_charts(cat: Catalog) -> list[Chart]:
    """The charts of the comparison page
    (:func:`~generator.publish.charts.compare.comparison_drafts`)."""
    return [make_chart(d, cat.settings.chart_cache) for d in comparison_drafts(cat)]


#: fewer charts to draw than this are drawn where they are needed, without a pool
PARALLEL_MIN = 32


def draw_missing(cat: Catalog) -> int:
    """Draw every chart of the site whose SVG is not in the cache yet, in one process per core
    (~50 ms a chart: a first build of 500 bureaus draws ~2,500), so that the bureau and
    comparison pages then read them all from the cache. Returns how many were drawn here;
    0 without a cache, with few to draw, or where no process pool can be made."""
    cache_dir = cat.settings.chart_cache
    if cache_dir is None:
        return 0
    drafts = [d for bid in sorted(cat.bureaus) for d in bureau_drafts(cat, bid)] + comparison_drafts(cat)
    todo = list({key: d for d in drafts
                 if not (cache_dir / f"{(key := _cache_key(d))}.svg").is_file()}.values())
    if len(todo) < PARALLEL_MIN:
        return 0
    pool = process_pool(os.cpu_count() or 1)
    if pool is None:
        return 0
    try:
        with pool:
            for _ in pool.map(render_svg, todo, itertools.repeat(cache_dir), chunksize=8):
                pass
    except BrokenProcessPool:  # a pool process died: what it did not draw is drawn in place
        return 0
    return len(todo)


def make_chart(d: Draft, cache_dir: Path | None) -> Chart:
    """The drawn chart of a draft: its SVG, the CSV of its points, its text alternative and
    sources."""
    sources = tuple(sorted({p.figure.source for p in d.points},
                           key=lambda s: (s[0], s[1], -1 if s[2] is None else s[2])))
    alt_text = f"{d.alt}{d.note}" if d.note else d.alt
    return Chart(slug=d.slug, title=d.title, alt=alt_text, svg=render_svg(d, cache_dir), csv=_csv(d.points),
                 sources=sources, document_id=d.document_id, note=d.note)


# ---------------------------------------------------------------------------- rendering


def _csv(points: list[Point]) -> str:
    """The CSV of the plotted rows: header from the first point's columns, ``\\n`` endings."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([name for name, _ in points[0].columns])
    for p in points:
        writer.writerow([value for _, value in p.columns])
    return buf.getvalue()


def _spec(d: Draft) -> dict:
    """The Vega-Lite spec of a draft (horizontal bars; see :class:`Draft` ``kind``)."""
    cat_label = cut_labels(list(dict.fromkeys(p.category for p in d.points)))
    present = list(dict.fromkeys(p.series for p in d.points))
    rank = {name: i for i, name in enumerate(d.series_order)}
    series_label = cut_labels(sorted(present, key=lambda s: rank.get(s, len(rank))))
    values = [{"category": cat_label[p.category], "series": series_label[p.series],
               "value": float(p.figure.value), "label": fmt_amount(p.figure.amount), "order": i}
              for i, p in enumerate(d.points)]  # floats only for bar lengths; labels exact
    categories, series = list(cat_label.values()), list(series_label.values())
    # labels are cut in Python (:func:`~generator.publish.charts.wording.cut_label`), so Vega need not measure them against a limit
    y = alt.Y("category:N", sort=categories, title=None,
              axis=alt.Axis(labelLimit=0, ticks=False, domain=False))
    legend = alt.Legend(orient="bottom", title=None, columns=4, labelLimit=0)
    color = alt.Color("series:N", sort=series, scale=alt.Scale(domain=series), legend=legend)
    base = alt.Chart(alt.Data(values=values))
    if d.kind == "stacked100":
        x = alt.X("value:Q", stack="normalize", title=d.axis_title, axis=alt.Axis(format=".0%"))
        chart = base.mark_bar().encode(x=x, y=y, color=color, order=alt.Order("order:Q"))
        height = alt.Step(STEP)
    else:
        x = alt.X("value:Q", title=d.axis_title, axis=alt.Axis(format=",.2f", tickCount=5),
                  scale=alt.Scale(nice=True))
        grouped = d.kind == "grouped"
        extra = {"yOffset": alt.YOffset("series:N", sort=series), "color": color} if grouped else {}
        bars = base.mark_bar(**({} if grouped else {"color": COLOR})).encode(x=x, y=y, **extra)
        text = base.mark_text(align="left", baseline="middle", dx=3, fontSize=10).encode(
            x="value:Q", y=y, text="label:N", **({"yOffset": extra["yOffset"]} if grouped else {}))
        chart = alt.layer(bars, text)
        height = alt.Step(STEP)  # with yOffset the step is per bar, not per category
    return chart.properties(title=d.title, width=WIDTH, height=height).to_dict(validate=False)


@functools.cache
def _register_font() -> None:
    """Register the CJK font directory with vl-convert (once per process)."""
    if not FONT_DIR.is_dir():
        raise FileNotFoundError(f"{FONT_DIR}: the CJK font ({FONT}) is needed to measure Chinese labels")
    vl_convert.register_font_directory(str(FONT_DIR))


#: a change to the drawing code redraws every chart
_HERE = Path(__file__).resolve().parent
_CODE = hashlib.sha256(b"".join((_HERE / name).read_bytes()
                                for name in ("render.py", "wording.py", "../format.py"))).hexdigest()

_used: set[Path] = set()  # cache files this process drew or read (kept by :func:`prune_cache`)


def _cache_key(d: Draft) -> str:
    """Digest of everything the drawing depends on: what :func:`_spec` reads of the draft (not
    its slug, text alternative or sources), the drawing code, Altair, vl-convert and the font.
    A hit skips building the Altair chart too (~20 ms a chart, more than reading the SVG)."""
    drawn = [d.kind, d.title, d.axis_title, list(d.series_order),
             [(p.category, p.series, p.figure.amount) for p in d.points]]
    text = json.dumps([drawn, CONFIG, alt.__version__, vl_convert.__version__, FONT, str(FONT_DIR), _CODE],
                      sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render_svg(d: Draft, cache_dir: Path | None) -> str:
    """The draft's chart as SVG text, with the CJK font, made inert (:func:`_inert_svg`);
    read from ``cache_dir`` (None: no cache) when drawn before, else drawn and kept there."""
    path = cache_dir / f"{_cache_key(d)}.svg" if cache_dir is not None else None
    if path is not None:
        _used.add(path)
        if path.is_file():
            try:
                os.utime(path)  # in use: kept by prune_cache
            except OSError:
                pass
            return path.read_text(encoding="utf-8")
    _register_font()
    svg = _inert_svg(vl_convert.vegalite_to_svg(_spec(d), config=CONFIG))
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(path)  # atomic: a parallel build never reads half a file
        except OSError:
            pass  # a read-only checkout still builds, without the cache
    return svg


def prune_cache(cache_dir: Path | None) -> None:
    """Drop cached SVGs (and leftover temporary files) that this process did not use and no
    build used for :data:`KEEP_UNUSED_SECONDS`: charts of data or code that has changed."""
    if cache_dir is not None and cache_dir.is_dir():
        remove_unused(sorted(cache_dir.iterdir()), _used, KEEP_UNUSED_SECONDS)


#: characters of Markdown links, URL schemes and templates, written as references in text
_TEXT_SPECIALS = {c: f"&#{ord(c)};" for c in "{}[]():`\\"}
_TEXT = re.compile(r">([^<]+)<")


def _inert_svg(svg: str) -> str:
    """Text nodes of the SVG with ``{ } [ ] ( ) : ` \\`` as numeric character references: the
    drawing is the same, but ``javascript:``, ``](`` or ``{{`` never stand in the file.
    (The renderer already escaped ``< & >``; with ARIA off no data text is in an attribute.)"""
    return _TEXT.sub(lambda m: ">" + "".join(_TEXT_SPECIALS.get(c, c) for c in m.group(1)) + "<", svg)
