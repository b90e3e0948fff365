"""The 数据更新记录 page: documents added, changed and removed per commit, from the git
history of ``documents/`` and ``datapackages/``; a page saying so when there is no history."""
from __future__ import annotations

import io
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import Catalog, dict_reader
from ..format import code_span, esc, front_matter
from .links import doc_link


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
    rows = [r for text in tables for r in dict_reader(io.StringIO(text))]
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
            return doc_link(cat, docs[doc])
        return code_span(doc)

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
