"""The 数据更新记录 page: the data changelog (``generator/package/changelog.py``, the same that
gives every package its ``version`` and ``created``): per data version, its date and what
changed in the data, in Chinese, newest first."""
from __future__ import annotations

import json
from pathlib import Path

from ...package.changelog import DATA_VERSION, RELEASES, Release
from ..catalog import Catalog
from ..format import esc, front_matter
from .dictionary import schema_text


def anchor(release: Release) -> str:
    """``v1-1-0`` for 1.1.0: the stable anchor of a release on the page."""
    return "v" + release.version.replace(".", "-")


def _built_version(cat: Catalog | None) -> str | None:
    """The ``version`` of the packages the site was built from (``all/datapackage.json``)."""
    if cat is None:
        return None
    try:
        data = json.loads((Path(cat.root) / "all" / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return str(version) if version else None


def changelog_page(repo: Path | None = None, cat: Catalog | None = None) -> str:
    """The data changelog. ``cat`` (optional): the site's packages, whose version is named when
    it is not the current one. ``repo`` is not read (the page no longer comes from git)."""
    current = RELEASES[0]
    parts = [front_matter("数据更新记录"), "# 数据更新记录\n\n",
             f"当前数据版本为 **{esc(current.version)}**（{esc(current.date)} 发布）。每个数据包的 "
             "<code>datapackage.json</code> 中，<code>version</code> 是数据的版本，<code>created</code> 是该版本的"
             "发布日期。版本号的含义：第一位（主版本）变化表示可能影响现有读取程序的改动，如资源或字段改名、删除或"
             "含义改变；第二位表示新增资源、字段或取值，原有的不变；第三位表示同一结构下数字的更正。"
             "各资源和字段的定义见[数据字典](dictionary.md)。\n\n"]
    built = _built_version(cat)
    if built is not None and built != DATA_VERSION:
        parts.append(f"本网站所用数据包的版本为 {esc(built)}，与下面列出的最新版本不同。\n\n")
    for release in RELEASES:
        parts.append(f"## {esc(release.version)} · {esc(release.date)} {{ #{anchor(release)} }}\n\n"
                     f"{schema_text(release.summary)}\n\n")
        parts.append("".join(f"- {schema_text(change)}\n" for change in release.changes) + "\n")
    return "".join(parts)
