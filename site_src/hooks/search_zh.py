"""MkDocs hook: a Chinese query in Material's search finds what was typed.

Material for MkDocs 9.x (``lang: zh``) cuts the Chinese part of a query into words of the index
(``segment`` in its search worker), then searches the words with OR. Three things go wrong for
the words readers type here:

1. ``segment`` never tries a cut that reaches the end of the query (``j < query.length``), so
   the last word is lost unless its first character alone is a word of the index: 医疗救助
   searches 医疗 only, 医保 searches 医.
2. With OR, a query matches every page whose title has one of its words, and every title here
   has 医疗 (…医疗保障局): the pages that have 医疗救助 tie with all the others.
3. Chinese punctuation in the query (“三公”经费, as the disclosures print it) sticks to the
   words, which then match nothing.

After the build this hook patches the worker in the site: (1) cuts may reach the end of the
query; (2) the words of a run of Chinese characters are all required (``+word*``), as quotes do
for other languages; (3) Chinese punctuation in the query is a space. The build fails if the
worker no longer has the code patched here (after a Material upgrade): read the new
``integrations/search`` code and update or drop the patches; tests/test_search.py checks them.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

WORKERS = "assets/javascripts/workers"

#: JavaScript string literal: the RegExp source of the characters that separate words in a
#: query with Chinese: " ‘ ’ “ ” 、 。 〈 〉 《 》 「 」 『 』 【 】 〔 〕 〖 〗 〘 〙 〚 〛 ！ （ ） ， ： ； ？ · … —
PUNCTUATION = ('"[\\"\\u2018\\u2019\\u201c\\u201d\\u3001\\u3002\\u3008-\\u3011\\u3014-\\u301b'
               '\\uff01\\uff08\\uff09\\uff0c\\uff1a\\uff1b\\uff1f\\u00b7\\u2026\\u2014]"')
HAN = '"\\\\p{sc=Han}'  # how the worker's source starts the string "\\p{sc=Han}…"

#: (what Material 9.8.2's minified worker has, what it becomes), each found exactly once
PATCHES: tuple[tuple[str, str], ...] = (
    # segment(): cuts up to and including the last character
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"),
    # search(): in a query with Chinese, punctuation and ASCII quotes become spaces (the quotes'
    # AND is what follows), then every word of a run of Chinese characters is required
    ("search(e){if(e=e.replace(new RegExp(" + HAN + '+","gu"),s=>[...fe(s,this.index.invertedIndex)]'
     '.join("* ")),',
     "search(e){if(e=new RegExp(" + HAN + '","u").test(e)?e.replace(new RegExp(' + PUNCTUATION + ',"g")," "):e,'
     "e=e.replace(new RegExp(" + HAN + '+","gu"),s=>" +"+[...fe(s,this.index.invertedIndex)]'
     '.join("* +")+"*"),'),
)


def patch_worker(source: str) -> str:
    for old, new in PATCHES:
        found = source.count(old)
        if found != 1:
            raise PluginError(
                f"search_zh hook: Material's search worker has {found} copies of {old!r} (expected 1); "
                "Material was upgraded? Update or drop the patches in site_src/hooks/search_zh.py")
        source = source.replace(old, new)
    return source


def on_post_build(config, **kwargs) -> None:
    workers = sorted((Path(config.site_dir) / WORKERS).glob("search.*.min.js"))
    if len(workers) != 1:
        raise PluginError(f"search_zh hook: expected one search worker in {WORKERS}, found {workers}")
    worker = workers[0]
    worker.write_text(patch_worker(worker.read_text(encoding="utf-8")), encoding="utf-8")
