"""Reference pages of the site, as Markdown: 核对规则, 名词解释, 数据字典, 数据更新记录.

- :func:`checks_page` — every check id of ``CHECK_DESCRIPTIONS``, grouped by family, each under
  a heading whose anchor is the id itself (``checks.md#function.row_total``, as
  ``publish.check_link`` links it), with its explanation and its results over the corpus.
- :func:`glossary_page` — the terms of the ``glossary`` resource of every document, merged
  by term, sorted by pinyin, with the documents that explain them.
- :func:`dictionary_page` — the Table Schemas of ``generator/schemas.py``.
- :func:`changelog_page` — documents added, changed and removed per commit, from the git
  history of ``documents/`` and ``datapackages/``; a page saying so when there is no history.

Links between generated pages are relative ``.md`` paths from the site root (all four pages
live there): ``documents/<id>.md``. Text taken from documents goes through ``publish.esc``.
"""
from __future__ import annotations

import csv
import io
import re
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from ..package import schemas
from ..verify import CHECK_DESCRIPTIONS
from .pages import CHECK_STATUS, NOT_COUNTED, PASSED, Catalog, doc_label, esc, front_matter, md_table

PAGES = ("checks.md", "glossary.md", "dictionary.md", "changelog.md")

#: families in display order, with their Chinese headings; unknown families follow by id
FAMILIES = {
    "repair": "数据修复",
    "function": "支出功能分类表内核对",
    "economic": "支出经济分类表内核对",
    "summary": "收支总表核对",
    "three_public": "“三公”经费核对",
    "projects": "项目支出核对",
    "performance": "绩效目标核对",
    "cross": "表间核对",
    "narrative": "文字说明与表格核对",
    "codelist": "科目编码核对",
    "code": "科目编码核对",
    "completeness": "完整性核对",
}
STATUS_ORDER = ("pass", "rounding", "fail", "repaired", "not_applicable", "insufficient_data")
STATUS_MEANING = {
    "pass": "两边的数字完全相同。",
    "rounding": "两边的数字不完全相同，但差额小于 (n+1) × 最后一位印刷数字的半个单位（n 为相加的项数；"
                "例如两个印到分位的数相比，差额须小于 0.01），即差异只来自各数字分别四舍五入。算作通过。",
    "fail": "差额超出舍入范围：原文的数字之间互相矛盾，或表格识别有误。",
    "repaired": "原文的数字有可以确定的错误（如科目编码被截断、数字被截断），已按同一文件中的其他表格修正；"
                "“应为”是发布的修正值，“实为”是原文的值。计入检查数，但不算通过。",
    "not_applicable": "该文件没有这项核对涉及的表格或情形（例如支出总表的口径与一般公共预算支出表不同）。"
                      "不计入检查数。",
    "insufficient_data": "缺少核对所需的数字（表格未公开或未能识别）。不计入检查数。",
}


def _family(check: str) -> str:
    return check.split(".", 1)[0]


def _family_order(families) -> list[str]:
    known = list(FAMILIES)
    return sorted(set(families), key=lambda f: (known.index(f) if f in known else len(known), f))


def _doc_title(cat: Catalog, doc: dict) -> str:
    bureau = cat.bureaus.get(doc.get("bureau_id"), {})
    return f"{bureau.get('name') or doc.get('bureau_id', '')} {doc_label(doc)}"


def _doc_link(cat: Catalog, doc: dict, prefix: str = "") -> str:
    return f"[{esc(_doc_title(cat, doc))}]({prefix}documents/{doc['document_id']}.md)"


def _anchor_ok(value: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9_.]+", value or ""))


# ------------------------------------------------------------------------------ checks


def check_results(cat: Catalog) -> dict[str, dict[str, Counter]]:
    """check id -> status -> Counter of document ids (one count per result row)."""
    out: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for doc in cat.documents:
        for row in cat.rows(doc["document_id"], "checks"):
            out[row.get("check", "")][row.get("status", "")][doc["document_id"]] += 1
    return out


def _counts_row(results: dict[str, Counter]) -> list[str]:
    return [str(sum(results.get(s, Counter()).values())) for s in STATUS_ORDER]


def checks_page(cat: Catalog) -> str:
    results = check_results(cat)
    described = dict(CHECK_DESCRIPTIONS)
    from_data = cat.check_definitions  # for ids the code no longer registers
    # ids found in the data but not registered in the code still get an anchor (document pages
    # link every id they show)
    extra = sorted(c for c in results if c and c not in described and _anchor_ok(c))
    ids = list(described) + extra
    by_family: dict[str, list[str]] = defaultdict(list)
    for c in ids:
        by_family[_family(c)].append(c)
    families = _family_order(by_family)
    docs = {d["document_id"]: d for d in cat.documents}
    n_results = sum(sum(sum(c.values()) for c in r.values()) for r in results.values())
    n_docs = sum(1 for d in cat.documents if cat.rows(d["document_id"], "checks"))

    parts = [front_matter("核对规则"), "# 核对规则\n\n",
             ("发布之前，生成程序逐项核对每份文件中的数字：同一张表内的合计与明细、不同表格之间的同一数字、"
              "文字说明中的金额与表格，以及必须公开的表格是否齐全。每份文件页面的“数据质量”部分逐条列出该文件"
              "未通过和已修复的核对（写明应为和实为的数字），并按规则汇总它的全部结果（每一条结果都在该文件的 "
              "checks.csv 中）；本页解释每项核对的含义，并汇总全部文件的结果。\n\n"),
             (f"共 **{len(described)}** 项核对规则，分为 **{len({_family(c) for c in described})}** 类"
              f"；{len(cat.documents)} 份文件中有 {n_docs} 份经过核对，共 {n_results} 条核对结果"
              "（一项规则在一份文件中可以核对多处，例如每一行各核对一次）。\n\n")]
    if extra:
        parts.append(f"另有 {len(extra)} 项核对只见于数据、程序中已无说明，列在各类末尾。\n\n")

    parts.append("## 核对结果的含义 { #statuses }\n\n")
    parts.append(md_table(["结果", "代码", "含义"],
                          [[CHECK_STATUS.get(s, s), f"`{s}`", STATUS_MEANING[s]] for s in STATUS_ORDER]))
    passed = "、".join(CHECK_STATUS[s] for s in STATUS_ORDER if s in PASSED)
    not_counted = "、".join(CHECK_STATUS[s] for s in STATUS_ORDER if s in NOT_COUNTED)
    parts.append(f"\n文件页面上的“N/M 项检查通过”中，N 是{passed}的条数，M 是除{not_counted}以外的全部条数："
                 f"{not_counted}的核对从不算作已核对。\n\n")

    parts.append("## 各类规则一览 { #families }\n\n")
    header = ["类别", "规则数"] + [CHECK_STATUS.get(s, s) for s in STATUS_ORDER]
    rows = []
    for fam in families:
        merged: dict[str, Counter] = defaultdict(Counter)
        for c in by_family[fam]:
            for s, cnt in results.get(c, {}).items():
                merged[s].update(cnt)
        rows.append([f"[{FAMILIES.get(fam, esc(fam))}](#family-{fam})", str(len(by_family[fam]))]
                    + _counts_row(merged))
    parts.append(md_table(header, rows, "lr" + "r" * len(STATUS_ORDER)) + "\n")

    for fam in families:
        title = FAMILIES.get(fam, esc(fam))
        parts.append(f"## {title} {{ #family-{fam} }}\n\n")
        rows = [[f"[`{c}`](#{c})"] + _counts_row(results.get(c, {})) for c in by_family[fam]]
        parts.append(md_table(["规则"] + [CHECK_STATUS.get(s, s) for s in STATUS_ORDER], rows,
                              "l" + "r" * len(STATUS_ORDER)) + "\n")
        for c in by_family[fam]:
            text = described.get(c) or from_data.get(c) or "（程序中已无此项核对的说明。）"
            parts.append(f"### `{c}` {{ #{c} }}\n\n{esc(text)}\n\n")
            res = results.get(c, {})
            counted = [f"{CHECK_STATUS.get(s, s)} {sum(res[s].values())}" for s in STATUS_ORDER
                       if sum(res.get(s, Counter()).values())]
            if not counted:
                parts.append("全部文件中尚无这项核对的结果。\n\n")
                continue
            parts.append("全部文件中的结果：" + " · ".join(counted) + "。\n\n")
            for status in ("fail", "repaired"):
                found = res.get(status)
                if not found:
                    continue
                links = [_doc_link(cat, docs[d]) + (f"（{n} 条）" if n > 1 else "")
                         for d, n in sorted(found.items(), key=lambda kv: _doc_order(cat, kv[0]))
                         if d in docs]
                parts.append(f"{CHECK_STATUS[status]}的文件：" + "、".join(links) + "。\n\n")
    return "".join(parts)


def _doc_order(cat: Catalog, document_id: str) -> tuple[int, str]:
    for i, d in enumerate(cat.documents):
        if d["document_id"] == document_id:
            return i, document_id
    return len(cat.documents), document_id


# ---------------------------------------------------------------------------- glossary


def _term_key(term: str) -> str:
    """Terms that differ only by punctuation or spaces are one term (“三公”经费 = 三公”经费)."""
    key = re.sub(r"[\W_]+", "", term or "")
    return key or re.sub(r"\s+", "", term or "")


def _pinyin(key: str) -> list[str]:
    return lazy_pinyin(key, style=Style.TONE3, errors=lambda s: list(s.lower()))


def _slug(key: str) -> str:
    syllables = lazy_pinyin(key, style=Style.NORMAL, errors=lambda s: [s])
    words = [re.sub(r"[^a-z0-9]", "", s.lower()) for s in syllables]
    return "-".join(w for w in words if w) or "term"


@dataclass
class Term:
    key: str
    printed: Counter = field(default_factory=Counter)  # printed forms
    definitions: dict[str, list[str]] = field(default_factory=dict)  # definition -> document ids

    @property
    def term(self) -> str:
        # the most common printed form; ties go to the most complete (longest), then by text
        return min(self.printed, key=lambda t: (-self.printed[t], -len(t), t))


def glossary_terms(cat: Catalog) -> list[Term]:
    """Every term of every document, merged by term, sorted by pinyin."""
    terms: dict[str, Term] = {}
    for doc in cat.documents:
        for row in cat.rows(doc["document_id"], "glossary"):
            printed = re.sub(r"\s+", " ", row.get("term") or "").strip()
            if not printed:
                continue
            t = terms.setdefault(_term_key(printed), Term(_term_key(printed)))
            t.printed[printed] += 1
            definition = re.sub(r"\s+", " ", row.get("definition") or "").strip()
            where = t.definitions.setdefault(definition, [])
            if doc["document_id"] not in where:
                where.append(doc["document_id"])
    return sorted(terms.values(), key=lambda t: (_pinyin(t.key), t.key))


def glossary_page(cat: Catalog) -> str:
    terms = glossary_terms(cat)
    docs = {d["document_id"]: d for d in cat.documents}
    sources = sorted({d for t in terms for ids in t.definitions.values() for d in ids},
                     key=lambda d: _doc_order(cat, d))
    # Material scores a word in a section title 1000× one in its text, and each term here is a
    # section title: 机关运行经费 (运行) with a definition saying 行政单位 outranked every table
    # row 行政运行. ×0.001 puts the page level with the data pages, still found when it alone matches.
    parts = [front_matter("名词解释", search_boost=0.001), "# 名词解释\n\n"]
    if not terms:
        parts.append("各公开文件中尚未识别出名词解释。\n")
        return "".join(parts)
    parts.append(f"以下 **{len(terms)}** 个名词的解释摘自 {len(sources)} 份公开文件的“名词解释”部分，"
                 "按原文照录，按拼音排序。同一名词在不同文件中的解释不同时分别列出，并注明出处。\n\n")
    letters: dict[str, list[Term]] = defaultdict(list)
    for t in terms:
        first = _pinyin(t.key)[0][:1].upper() if t.key else ""
        letters[first if "A" <= first <= "Z" else "#"].append(t)
    order = sorted(letters, key=lambda k: (k == "#", k))
    anchors = {k: (f"letter-{k.lower()}" if k != "#" else "letter-other") for k in order}
    parts.append(" · ".join(f"[{k if k != '#' else '其他'}](#{anchors[k]})" for k in order) + "\n\n")
    used: set[str] = set()
    for k in order:
        parts.append(f"## {k if k != '#' else '其他'} {{ #{anchors[k]} }}\n\n")
        for t in letters[k]:
            anchor = base = f"term-{_slug(t.key)}"
            n = 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            parts.append(f"### {esc(t.term)} {{ #{anchor} }}\n\n")
            variants = sorted(p for p in t.printed if p != t.term)
            if variants:
                parts.append("也印作：" + "、".join(esc(v) for v in variants) + "\n\n")
            items = sorted(t.definitions.items(), key=lambda kv: _doc_order(cat, kv[1][0]))
            for definition, ids in items:
                links = "、".join(_doc_link(cat, docs[d]) for d in ids if d in docs)
                text = esc(definition) if definition else "（原文未给出解释）"
                if len(items) == 1:
                    parts.append(f"{text}\n\n来源：{links}\n\n")
                else:
                    parts.append(f"- {text}（来源：{links}）\n")
            if len(items) > 1:
                parts.append("\n")
    return "".join(parts)


# -------------------------------------------------------------------------- dictionary

TYPES = {"string": "文本", "integer": "整数", "number": "数值", "boolean": "是/否"}


def _schema_text(text: str) -> str:
    """Description text of schemas.py: `code` spans kept as code, everything else escaped."""
    out = []
    for i, part in enumerate(re.sub(r"\s+", " ", text or "").split("`")):
        if i % 2:
            out.append(f"<code>{esc(part)}</code>")
        else:  # esc strips: keep the spaces around code spans
            out.append(" " * part.startswith(" ") + esc(part) + " " * (part.endswith(" ") and part != " "))
    return "".join(out).strip()


def _code(value: str) -> str:
    return f"<code>{esc(value)}</code>"


def _constraints(f: schemas.FieldSpec) -> str:
    items = []
    if f.enum is not None:
        items.append("取值：" + "、".join(_code(v) for v in f.enum))
    if f.pattern is not None:
        items.append("格式：" + _code(f.pattern))
    if f.minimum is not None:
        items.append(f"最小值：{f.minimum}")
    return "；".join(items)


def dictionary_page() -> str:
    parts = [front_matter("数据字典"), "# 数据字典\n\n",
             ("每个数据包（全部文件的 <code>all</code> 和每份文件一个）都含有下列资源，每个资源是一个 CSV 文件："
              "UTF-8 编码、逗号分隔、一行表头（即下表的“字段”），空单元格表示缺失。金额单位为万元，按原文精确记录"
              "（原文以元为单位的表格已按十进制精确除以 10000），从不四舍五入。各资源的主键与外键在 "
              "<code>datapackage.json</code> 中声明（Frictionless Table Schema），本页由同一份表结构生成。\n\n"),
             "## 资源一览 { #resources }\n\n"]
    rows = [[f"[<code>{r.name}</code>](#{r.name})", esc(r.title), f"<code>{r.name}.csv</code>",
             "、".join(_code(k) for k in r.primary_key), _schema_text(r.description)]
            for r in schemas.RESOURCES]
    parts.append(md_table(["资源", "名称", "文件", "主键", "说明"], rows) + "\n")
    for r in schemas.RESOURCES:
        parts.append(f"## {esc(r.title)}（{r.name}） {{ #{r.name} }}\n\n{_schema_text(r.description)}\n\n")
        parts.append(f"- 文件：<code>{r.name}.csv</code>\n")
        parts.append("- 主键：" + " + ".join(_code(k) for k in r.primary_key) + "\n")
        if r.foreign_keys:
            fks = [f"{_code(fk)} → [<code>{res}</code>](#{res}).{_code(fk)}" for fk, res in r.foreign_keys]
            parts.append("- 外键：" + "；".join(fks) + "\n")
        parts.append("\n")
        rows = [[_code(f.name), esc(f.title), f"{f.type}（{TYPES.get(f.type, f.type)}）",
                 "是" if f.required else "", _constraints(f), _schema_text(f.description)]
                for f in r.fields]
        parts.append(md_table(["字段", "中文标题", "类型", "必填", "约束", "说明"], rows) + "\n")
    return "".join(parts)


# --------------------------------------------------------------------------- changelog

GIT_TIMEOUT = 120
MAX_COMMITS = 200


@dataclass
class Commit:
    sha: str
    date: str
    subject: str
    changes: list[tuple[str, str]] = field(default_factory=list)  # (status letter, path)


def _git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(repo), "-c", "core.quotepath=off", *args],
                                capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", errors="replace")


def git_history(repo: Path, max_commits: int = MAX_COMMITS) -> list[Commit] | None:
    """Commits touching documents/ or datapackages/ (newest first, first-parent history, merges
    shown with what they brought in), or None when git or the repository is unavailable."""
    if _git(repo, "rev-parse", "--verify", "--quiet", "HEAD") is None:
        return None
    args = ["--no-renames", "--relative", f"--max-count={max_commits}", "--date=short",
            "--format=%x1e%H%x1f%cd%x1f%s", "--name-status", "--", "documents", "datapackages"]
    out = _git(repo, "log", "HEAD", "--first-parent", "--diff-merges=first-parent", *args)
    if out is None:  # git before 2.31 has no --diff-merges: merges then list no files
        out = _git(repo, "log", "HEAD", "--first-parent", *args)
    if out is None:
        return None
    commits = []
    for chunk in out.split("\x1e")[1:]:
        head, _, body = chunk.partition("\n")
        sha, date, subject = (head.split("\x1f") + ["", ""])[:3]
        c = Commit(sha, date, subject)
        for line in body.splitlines():
            status, _, path = line.partition("\t")
            if status and path:
                c.changes.append((status[:1], path))
        commits.append(c)
    return commits


def _source_map(repo: Path, cat: Catalog | None) -> dict[str, str]:
    """Source file name (under documents/) -> document id, from every committed version of
    datapackages/all/documents.csv, then from the catalog."""
    mapping: dict[str, str] = {}
    versions = _git(repo, "log", "HEAD", f"--max-count={MAX_COMMITS}", "--format=%H", "--",
                    "datapackages/all/documents.csv") or ""
    tables = [_git(repo, "show", f"{sha}:./datapackages/all/documents.csv") or ""
              for sha in reversed(versions.split())]
    rows = [r for text in tables for r in csv.DictReader(io.StringIO(text))]
    rows += list(cat.documents) if cat is not None else []
    for r in rows:
        for name in (r.get("source_files") or "").split(";"):
            if name.strip() and r.get("document_id"):
                mapping[name.strip()] = r["document_id"]
    return mapping


def _summarize(commit: Commit, sources: dict[str, str]) -> tuple[dict[str, tuple[str, set[str]]], set[str]]:
    """document id -> (added | changed | removed, names of changed files); and the changed files
    of the ``all`` package."""
    statuses: dict[str, set[str]] = defaultdict(set)
    files: dict[str, set[str]] = defaultdict(set)
    all_files: set[str] = set()
    for status, path in commit.changes:
        parts = path.split("/")
        if parts[0] == "datapackages" and len(parts) >= 3:
            folder, name = parts[1], "/".join(parts[2:])
            if folder == "all":
                all_files.add(name)
                continue
            files[folder].add(name)
            if name == "datapackage.json":
                statuses[folder].add(status)
        elif parts[0] == "documents" and len(parts) >= 2:
            name = "/".join(parts[1:])
            doc = sources.get(name) or sources.get(parts[-1]) or f"documents/{name}"
            files[doc].add("源文件")
            statuses[doc].add(status)
    out = {}
    for doc, names in files.items():
        st = statuses.get(doc, set())
        kind = ("added" if "A" in st and "D" not in st else
                "removed" if "D" in st and "A" not in st else "changed")
        out[doc] = (kind, names)
    return out, all_files


def _file_list(names: set[str]) -> str:
    """Changed resources; datapackage.json is left out when a CSV changed (its hashes follow)."""
    if len(names) > 1:
        names = names - {"datapackage.json"}
    shown = sorted(n.removesuffix(".csv") for n in names)
    return "、".join(esc(n) for n in shown[:8]) + ("等" if len(shown) > 8 else "")


def changelog_page(repo: Path, cat: Catalog | None = None) -> str:
    """The history of the data; ``cat`` (optional) gives document names and which document
    pages exist (only those are linked)."""
    parts = [front_matter("数据更新记录"), "# 数据更新记录\n\n"]
    history = git_history(Path(repo))
    if history is None:
        parts.append("本站点不是从 git 仓库构建的（例如来自源码压缩包），无法列出数据的更新记录。"
                     "数据包本身的版本见各数据包 <code>datapackage.json</code> 中的 <code>version</code>。\n")
        return "".join(parts)
    if not history:
        parts.append("仓库中还没有提交过 <code>documents/</code> 或 <code>datapackages/</code> 的记录。\n")
        return "".join(parts)
    sources = _source_map(Path(repo), cat)
    docs = {d["document_id"]: d for d in cat.documents} if cat is not None else {}
    shallow = (_git(Path(repo), "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    parts.append("源文件（<code>documents/</code>）和数据包（<code>datapackages/</code>）每次提交的变化，"
                 "最新的在前。“新增”“删除”指整份文件的数据包或源文件，“更新”列出改动的资源。\n\n")
    if shallow:
        parts.append("构建本站点的仓库是浅克隆，只含部分历史，更早的提交没有列出。\n\n")
    if len(history) >= MAX_COMMITS:
        parts.append(f"只列出最近 {MAX_COMMITS} 次提交。\n\n")
    labels = {"added": "新增", "changed": "更新", "removed": "删除"}

    def name(doc: str) -> str:
        if doc in docs:
            return _doc_link(cat, docs[doc])
        return _code(doc)

    for c in history:
        parts.append(f"## {esc(c.date)} · {esc(c.subject)} {{ #commit-{c.sha[:10]} }}\n\n"
                     f"提交 <code>{c.sha[:10]}</code>\n\n")
        per_doc, all_files = _summarize(c, sources)
        lines = []
        for kind in ("added", "changed", "removed"):
            found = sorted(d for d, (k, _) in per_doc.items() if k == kind)
            for d in found:
                detail = "" if kind != "changed" else f"（{_file_list(per_doc[d][1])}）"
                lines.append(f"- {labels[kind]}：{name(d)}{detail}")
        if all_files:
            lines.append(f"- 汇总数据包 <code>all</code>：{_file_list(all_files)}")
        if not lines:
            lines.append("- 其他文件")
        parts.append("\n".join(lines) + "\n\n")
    return "".join(parts)


# ------------------------------------------------------------------------------- pages


def pages(cat: Catalog, repo: Path) -> dict[str, str]:
    """src_uri -> Markdown of the four reference pages (all at the site root)."""
    return {"checks.md": checks_page(cat), "glossary.md": glossary_page(cat),
            "dictionary.md": dictionary_page(), "changelog.md": changelog_page(repo, cat)}
