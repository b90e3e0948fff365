"""The data changelog: the version of the published data, and what changed in it, for the people
who use the data (DATA-CONTRACT.md: "never rename or drop … without a version bump and a note in
the changelog").

One place for both readers: ``descriptors`` writes ``DATA_VERSION`` as every package's
``version`` and the date of its release as ``created``; the site's 数据更新记录 page lists
``RELEASES``. The data version is not the generator's (``generator.__version__``): it follows
the data contract, by semantic versioning — a major version for a change that can break a
reader (a field or resource renamed or dropped, a meaning changed), a minor one for an addition
(a resource, a field, a value), a patch for corrected figures under the same structure.

Entries are written in Chinese, for data users: what a reader of the CSVs finds different, not
how the code changed; names of resources, fields and values go in backticks (the site shows
them as code). The newest release comes first; adding one is adding an entry here (and
this module is part of the package stage's code, so the package cache writes every package
again).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: where the site is published (GitHub Pages of this repository; ``homepage`` of every package)
SITE_URL = "https://budget-open-data.github.io/budget-open-data/"


@dataclass(frozen=True)
class Release:
    version: str  # MAJOR.MINOR.PATCH
    date: str  # YYYY-MM-DD, the day the data of this version was published
    summary: str  # one sentence
    changes: tuple[str, ...]  # what a data user finds different, one item each


RELEASES: tuple[Release, ...] = (
    Release(
        "1.2.0", "2026-12-04",
        "扫描件经文字识别（OCR）读出的数字有标记；`facts` 新增 `read_by`、`certainty` 两列。",
        (
            "`documents` 的 `source_format` 新增取值 `pdf-ocr`：源文件是 PDF，但有的页没有文字层（扫描件），"
            "这些页的文字由文字识别（OCR）读出。",
            "`facts` 新增字段 `read_by`（识别方式）：`text` 为从文字层或文本原样读出，`ocr` 为从扫描页的图像识别读出；"
            "由下级加总得出的数字（`basis` 为 `derived`）只要有一个加数是识别读出的即为 `ocr`。",
            "`facts` 新增字段 `certainty`（核实状态）：`confirmed`（已核实）为有一项恒等关系与它精确相符——"
            "如合计等于各行之和、另一张表印出同一个数——的数字；`unconfirmed`（未核实）为按原文读出、"
            "没有恒等关系可以核对的数字；`uncertain`（存疑）为识别读出、又没有任何恒等关系证实的数字，"
            "使用前请对照原文。仅在四舍五入范围内相符不算核实。",
            "原有的资源和字段不变，没有改名或删除；按原来方式读取数据的程序不受影响。",
        ),
    ),
    Release(
        "1.1.0", "2026-12-03",
        "新增资源 `facts`（核心数字）：每个问题只有一个数字。",
        (
            "每个数据包（每份文件的和汇总全部文件的 `all`）新增 `facts.csv`：同一份文件、同一口径（预算数 `budget` "
            "或决算数 `final`）、同一维度（`total` 总额、`function` 支出功能分类、`economic` 支出经济分类、"
            "`three_public` “三公”经费和机关运行经费）、同一编码和同一部分（合计、基本支出 / 项目支出、"
            "人员经费 / 公用经费）只有一行，主键为 `document_id` + `measure` + `dimension` + `code` + `part`。",
            "数字从原文各表按一个固定的优先顺序选取：一般公共预算的数字取自一般公共预算支出表；合计按原文印出的取，"
            "有印出的合计时从不另行加总，只有没有任何表印出时才取其各类之和；原文只印出下级科目的类、款为其下级之和"
            "（这两种 `basis` 为 `derived`），核对时修复过的数字标为 "
            "`repaired` 并写明修复它的校验项。各表印出的同一个数字互相矛盾时 `conflict` 为 true，其他印出值及其"
            "所在表、页列在 `alternatives` 中。优先顺序的全文见数据字典中的 `facts`。",
            "`facts` 的字段标有财政数据包（Fiscal Data Package）的列类型 `columnType`：`amount` 为 `value`"
            "（币种 CNY，倍数 10000，即万元），`year` 为 `date:fiscal-year`，支出功能分类的类、款、项为 "
            "`functional-classification:generic:level1:code` 至 `level3:code`，支出经济分类的类、款为 "
            "`economic-classification:generic:level1:code` 和 `level2:code`，`measure` 为 `phase:id`"
            "（`budget` 对应批准的预算，`final` 对应执行结果）。",
            "原有的资源和字段不变，没有改名或删除；按原来方式读取数据的程序不受影响。",
            "`datapackage.json` 的 `version` 从本版起是数据的版本（此前写的是生成程序的版本 0.1.0）；新增 "
            "`homepage`（本网站）和 `created`（本版的发布日期），`sources` 中每个源文件新增 `path`："
            "本网站上该源文件副本的地址。",
            "`documents` 新增来源字段 `source_publisher`（发布单位）、`source_title`（原文标题）、`source_url`（官方网址）、"
            "`source_published`（发布日期）、`source_retrieved`（获取日期）和 `source_note`（备注），取自维护者放在源文件旁的 "
            "`<文件名>.source.yml`，未提供时为空；`sources` 中相应新增 `publisher`、`original_title`、`url`、"
            "`published`、`retrieved` 和 `note`（只在提供时出现）。",
        ),
    ),
    Release(
        "1.0.0", "2026-11-25",
        "首次发布：数据契约第 1 版的全部资源。",
        (
            "每份公开文件一个数据包，另有汇总全部文件的 `all` 数据包；每个数据包含 `documents`（公开文件）、"
            "`bureaus`（预算单位）、`tables`（公开报表）、`function_expenditure`（支出功能分类）、"
            "`economic_expenditure`（支出经济分类）、`summary`（收支总表）、`three_public`（“三公”经费）、"
            "`projects`（项目支出）、`performance_targets`（绩效目标）和 `checks`（校验结果）。",
            "此外还有 `narrative`（文字说明中的金额）、`glossary`（名词解释）、`function_codes` 和 "
            "`economic_codes`（科目编码表）以及 `check_definitions`（校验规则）。",
            "金额一律以万元为单位，按原文精确记录，不四舍五入；CSV 为 UTF-8 编码、逗号分隔、一行表头。",
        ),
    ),
)

DATA_VERSION = RELEASES[0].version
DATA_RELEASED = RELEASES[0].date


def created(release: Release = RELEASES[0]) -> str:
    """The package's ``created``: midnight UTC of the release day (RFC 3339, as the Data Package
    profile asks), never the build time."""
    return f"{release.date}T00:00:00Z"


def _check() -> None:
    versions = [tuple(int(n) for n in r.version.split(".")) for r in RELEASES]
    for r in RELEASES:
        if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", r.version):
            raise ValueError(f"release {r.version!r}: not MAJOR.MINOR.PATCH")
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", r.date):
            raise ValueError(f"release {r.version}: date {r.date!r} is not YYYY-MM-DD")
    if versions != sorted(versions, reverse=True) or len(set(versions)) != len(versions):
        raise ValueError("RELEASES must list each version once, newest first")
    if [r.date for r in RELEASES] != sorted((r.date for r in RELEASES), reverse=True):
        raise ValueError("RELEASES must be dated newest first")


_check()
