"""The 数据字典 page: the Table Schemas of the package stage (``generator/package/schemas.py``,
the same that ``datapackage.json`` declares), with the data version and, for the resources that
carry them, the Fiscal Data Package column types."""
from __future__ import annotations

import re

from ...package import schemas
from ...package.changelog import DATA_RELEASED, DATA_VERSION
from ...package.descriptors import FACTS_EXTRA_FIELDS
from ..format import code_span, esc, front_matter, md_table


TYPES = {"string": "文本", "integer": "整数", "number": "数值", "boolean": "是/否"}


def schema_text(text: str) -> str:
    """Description text of schemas.py: `code` spans kept as code, everything else escaped."""
    out = []
    for i, part in enumerate(re.sub(r"\s+", " ", text or "").split("`")):
        if i % 2:
            out.append(f"<code>{esc(part)}</code>")
        else:  # esc strips: keep the spaces around code spans
            out.append(" " * part.startswith(" ") + esc(part) + " " * (part.endswith(" ") and part != " "))
    return "".join(out).strip()


def _constraints(f: schemas.FieldSpec) -> str:
    items = []
    if f.enum is not None:
        items.append("取值：" + "、".join(code_span(v) for v in f.enum))
    if f.pattern is not None:
        items.append("格式：" + code_span(f.pattern))
    if f.minimum is not None:
        items.append(f"最小值：{f.minimum}")
    return "；".join(items)


FDP_SPEC = "https://specs.frictionlessdata.io/fiscal-data-package/"
FDP_BUDGETS = "https://specs.frictionlessdata.io/fiscal-data-package--budgets/"


def _fdp(f: schemas.FieldSpec) -> str:
    """The Fiscal Data Package properties of a field: its ColumnType, then the others."""
    extra = dict(f.extra or {})
    if not extra:
        return ""
    column_type = extra.pop("columnType", None)
    items = [code_span(str(column_type))] if column_type else []
    items += [f"{esc(k)}：{code_span(str(v))}" for k, v in extra.items()]
    return "；".join(items)


def _fdp_note(r: schemas.ResourceSpec) -> str:
    """What the FDP column means, and the constant columns (``extraFields``) of ``facts``."""
    if not any(f.extra for f in r.fields):
        return ""
    text = (f"“财政数据包”一列是字段在 [Fiscal Data Package]({FDP_SPEC}) 中的列类型（<code>columnType</code>，"
            f"取自其[预算分类法]({FDP_BUDGETS})）及金额的币种、倍数（<code>factor</code>：金额乘以它即为元）和方向，"
            "与 <code>datapackage.json</code> 中字段的同名属性一致。")
    if r is schemas.FACTS:
        constants = "、".join(f"{code_span(f['name'])}（{code_span(f['columnType'])}，恒为 {code_span(f['constant'])}）"
                              for f in FACTS_EXTRA_FIELDS)
        text += f"此外，表结构的 <code>extraFields</code> 声明了每行共有、文件中不单列的常量列：{constants}。"
    return text + "\n\n"


def dictionary_page() -> str:
    parts = [front_matter("数据字典"), "# 数据字典\n\n",
             ("每个数据包（全部文件的 <code>all</code> 和每份文件一个）都含有下列资源，每个资源是一个 CSV 文件："
              "UTF-8 编码、逗号分隔、一行表头（即下表的“字段”），空单元格表示缺失。金额单位为万元，按原文精确记录"
              "（原文以元为单位的表格已按十进制精确除以 10000），从不四舍五入。各资源的主键与外键在 "
              "<code>datapackage.json</code> 中声明（Frictionless Table Schema），本页由同一份表结构生成。\n\n"),
             (f"当前数据版本为 {esc(DATA_VERSION)}（{esc(DATA_RELEASED)} 发布，即各数据包 "
              "<code>datapackage.json</code> 中的 <code>version</code>）。只增加、不改名也不删除：原有资源和字段"
              "在主版本号不变时保持不变。每一版的变化见[数据更新记录](changelog.md)。\n\n"),
             "## 资源一览 { #resources }\n\n"]
    rows = [[f"[<code>{r.name}</code>](#{r.name})", esc(r.title), f"<code>{r.name}.csv</code>",
             "、".join(code_span(k) for k in r.primary_key), schema_text(r.description)]
            for r in schemas.RESOURCES]
    parts.append(md_table(["资源", "名称", "文件", "主键", "说明"], rows) + "\n")
    for r in schemas.RESOURCES:
        parts.append(f"## {esc(r.title)}（{r.name}） {{ #{r.name} }}\n\n{schema_text(r.description)}\n\n")
        parts.append(f"- 文件：<code>{r.name}.csv</code>\n")
        parts.append("- 主键：" + " + ".join(code_span(k) for k in r.primary_key) + "\n")
        if r.foreign_keys:
            fks = [f"{code_span(fk)} → [<code>{res}</code>](#{res}).{code_span(fk)}" for fk, res in r.foreign_keys]
            parts.append("- 外键：" + "；".join(fks) + "\n")
        parts.append("\n")
        fdp = any(f.extra for f in r.fields)
        rows = [[code_span(f.name), esc(f.title), f"{f.type}（{TYPES.get(f.type, f.type)}）",
                 "是" if f.required else "", _constraints(f), schema_text(f.description)]
                + ([_fdp(f)] if fdp else [])
                for f in r.fields]
        parts.append(_fdp_note(r))
        parts.append(md_table(["字段", "中文标题", "类型", "必填", "约束", "说明"] + (["财政数据包"] if fdp else []),
                              rows) + "\n")
    return "".join(parts)
