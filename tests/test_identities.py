"""One document, one identity; two documents, two identities.

A document's id is ``{region}-{subject}-{year}-{phase}`` (``-unit`` for a 单位预算): the subject is
the department of a 部门预算, the unit of a 单位预算, read from the cover (预算单位：…), the title and
the tables' 部门名称 / 编制单位 cells, and written in full pinyin, a unit named after its
department keeping the department as a segment. Real PDFs of ../shared/wild-dev (see its
README.md and manifest.tsv, whose paths carry the original file names) that the old scheme (pinyin
initials of the first bureau-like name) gave one id now give one each. Through the command line:
only a byte-identical copy is "the same document" (dropped with a note); the same identity with
different content, or different names giving one id, is an error naming both files, and neither
is published.
"""
from __future__ import annotations

import csv
import functools
import re
import shutil
from pathlib import Path

import pytest

from conftest import DOCUMENTS, SHARED, run_build
from generator.ingest.files import ingest_files
from generator.recognize.metadata import Metadata, document_id, lines_to_metadata, metadata_to_bureau
from generator.recognize.subject import subject_slug, title_subject

WILD = SHARED / "wild-dev"
needs_wild = pytest.mark.skipif(not WILD.is_dir(), reason=f"wild development corpus not available: "
                                                          f"{WILD} is absent")
SUZHOU = DOCUMENTS / "003_4c40129985d12d4c.txt"  # 宿州市医疗保障局 2024 年部门预算


@functools.cache
def _identity(file: str) -> tuple[str, str]:
    meta = lines_to_metadata(ingest_files([WILD / file]).lines)
    return document_id(metadata_to_bureau(meta), meta), meta.name


# (file, its original name in manifest.tsv, the subject as printed on page 1, the id)
WILD_IDENTITIES = [
    # 上海 单位预算: page 1 "上海市2026年市级单位预算 / 预算单位：上海市审计局"
    ("w0012.pdf", "审计局_上海市审计局(本级)2026年度预算", "上海市审计局", "shanghai-shenjiju-2026-budget-unit"),
    # page 1 "预算单位：上海市住房和城乡建设管理委员会人才开发评价中心" (a unit, not the 委员会)
    ("w0003.pdf", "住房和建设局_上海市住房和城乡建设管理委员会人才开发评价中心2026年度预算",
     "上海市住房和城乡建设管理委员会人才开发评价中心",
     "shanghai-zhufanghechengxiangjiansheguanliweiyuanhui-rencaikaifapingjiazhongxin-2026-budget-unit"),
    # page 1 "预算单位：上海市花卉良种试验场" (the old reading took 营销中心, an office named in the text)
    ("w0011.pdf", "国有资产监督管理委员会_上海市花卉良种试验场2026年度预算", "上海市花卉良种试验场",
     "shanghai-huahuiliangzhongshiyanchang-2026-budget-unit"),
    # page 1 "预算单位：上海市应急管理局执法总队"
    ("w0014.pdf", "应急管理局_上海市应急管理局执法总队2026年度预算", "上海市应急管理局执法总队",
     "shanghai-yingjiguanliju-zhifazongdui-2026-budget-unit"),
    # 苏州 审计局 and 数据局 were both jiangsu-suzhou-sjj-2026-budget
    # page 1 "2026 年度苏州市审计局部门预算公开"
    ("w0131.pdf", "审计局_2026年部门预算", "苏州市审计局", "jiangsu-suzhou-shenjiju-2026-budget"),
    # page 1 "2026 年度苏州市数据局部门预算公开"
    ("w0133.pdf", "政务服务和数据管理局_2026年部门预算", "苏州市数据局", "jiangsu-suzhou-shujuju-2026-budget"),
    # 广州 商务局 and 水务局 were both guangzhou-swj-2026-budget
    # page 1 "2026年 / 广州市商务局部门预算"
    ("w0111.pdf", "商务局_2026年广州市商务局部门预算", "广州市商务局", "guangzhou-shangwuju-2026-budget"),
    # page 1 "2026年 / 广州市水务局部门预算"
    ("w0123.pdf", "水务局_2026年部门预算", "广州市水务局", "guangzhou-shuiwuju-2026-budget"),
    # 福州市公安局's units were both fujian-fuzhou-gaj-2026-budget-unit (福州 is a homophone
    # prefecture, 抚州: the province comes first)
    # page 1 "2026 年度 / 福州市公安局巡特警支队 / 单位预算"
    ("w0172.pdf", "公安局_2026年度福州市公安局巡特警支队单位预算", "福州市公安局巡特警支队",
     "fujian-fuzhou-gonganju-xuntejingzhidui-2026-budget-unit"),
    # page 1 "2026 年度 / 福州市公安局治安管理 / 支队 / 单位预算" (a title over four lines)
    ("w0174.pdf", "公安局_2026年度福州市公安局治安管理支队单位预算", "福州市公安局治安管理支队",
     "fujian-fuzhou-gonganju-zhianguanlizhidui-2026-budget-unit"),
    # 深圳市规划和自然资源局's 宝安管理局 was the department's id (shenzhen-ghhzrzyj)
    # page 1 "2026 年深圳市规划和自然资源局宝安 / 管理局部门预算"
    ("w0094.pdf", "规划和自然资源局_2026年深圳市规划和自然资源局宝安管理局部门预算",
     "深圳市规划和自然资源局宝安管理局", "shenzhen-guihuaheziranziyuanju-baoanguanliju-2026-budget"),
    # page 1 "2026 年深圳市公安局交通管理局（本 / 级）部门预算": （本级） is not part of the name
    ("w0091.pdf", "公安局交通警察局_2026年部门预算", "深圳市公安局交通管理局",
     "shenzhen-gonganju-jiaotongguanliju-2026-budget"),
]


@needs_wild
def test_the_manifest_names_the_files_as_expected():
    with (WILD / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        paths = {r["file"]: r["path"] for r in csv.DictReader(f, delimiter="\t")}
    for file, original, _, _ in WILD_IDENTITIES:
        assert original in paths[file], (file, paths[file])


@needs_wild
@pytest.mark.parametrize("file, original, name, doc_id", WILD_IDENTITIES, ids=[w[0] for w in WILD_IDENTITIES])
def test_real_subjects_and_ids(file, original, name, doc_id):
    assert _identity(file) == (doc_id, name)


@needs_wild
def test_real_ids_are_distinct():
    ids = [_identity(file)[0] for file, *_ in WILD_IDENTITIES]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("title, subject", [
    ("2026年深圳市规划和自然资源局宝安管理局部门预算", "深圳市规划和自然资源局宝安管理局"),
    ("2026年度福州市公安局治安管理支队单位预算", "福州市公安局治安管理支队"),
    ("西安市公安局（汇总）2026年部门预算公开说明", "西安市公安局"),
    ("北京市医疗保障局部门2026年度部门预算", "北京市医疗保障局"),
    ("第一部分乐山市市中区医疗保障局2023年部门预算", "乐山市市中区医疗保障局"),  # no heading in it
    ("上海市2026年市级单位预算", None),  # names a region, not a subject
])
def test_title_subject(title, subject):
    assert title_subject(title) == subject


@pytest.mark.parametrize("rest, slug", [
    ("公安局巡特警支队", "gonganju-xuntejingzhidui"),
    ("规划和自然资源局宝安管理局", "guihuaheziranziyuanju-baoanguanliju"),
    ("审计局", "shenjiju"),
    ("数据局", "shujuju"),
    ("文化和旅游局执法总队", "wenhuahelvyouju-zhifazongdui"),  # ü as v
    ("医疗保障局", "ybj"),  # the short forms stay: every id of documents/ is unchanged
    ("人民检察院", "jcy"),
    ("首都绿化委员会办公室", "shoudulvhuaweiyuanhuibangongshi"),  # 都 reads dū
])
def test_subject_slug(rest, slug):
    assert subject_slug(rest) == slug


def _bureau_id(name: str, scope: str = "department") -> str:
    return metadata_to_bureau(Metadata(name, f"{name}2026年预算", 2026, "budget", scope, "万元")).bureau_id


def test_bureaus_the_old_scheme_merged_are_told_apart():
    assert _bureau_id("上海市审计局") != _bureau_id("上海市数据局")
    assert len({_bureau_id(f"深圳市规划和自然资源局{d}管理局") for d in ("大鹏", "宝安", "盐田")}) == 3
    units = ("巡特警支队", "文职人员管理中心", "治安管理支队", "交通管理支队")
    assert len({_bureau_id(f"福州市公安局{u}", "unit") for u in units}) == 4
    assert _bureau_id("福州市公安局文职人员管理中心") == "fujian-fuzhou-gonganju-wenzhirenyuanguanlizhongxin"


# ------------------------------------------------------------------ through the command line


def _docs(tmp_path: Path, files: dict[str, str]) -> Path:
    docs = tmp_path / "documents"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    return docs


def _published(out: Path) -> list[str]:
    with (out / "all" / "documents.csv").open(encoding="utf-8", newline="") as f:
        return [r["document_id"] for r in csv.DictReader(f)]


def test_a_byte_identical_copy_is_dropped_with_a_note(tmp_path):
    text = SUZHOU.read_text(encoding="utf-8")
    docs = _docs(tmp_path, {"a-suzhou.txt": text, "b-copy.txt": text})
    result = run_build(docs, tmp_path / "out", "--strict", "--no-cache")
    assert result.returncode == 0, result.stderr[-3000:]
    note = [line for line in result.stderr.splitlines() if "byte-identical" in line]
    assert len(note) == 1 and "a-suzhou.txt" in note[0] and "b-copy.txt" in note[0], result.stderr[-3000:]
    assert _published(tmp_path / "out") == ["anhui-suzhou-ybj-2024-budget"]


def test_one_identity_with_different_content_is_an_error_naming_both(tmp_path):
    text = SUZHOU.read_text(encoding="utf-8")
    changed = text.replace("| | 合计 | 1,773.19 |", "| | 合计 | 1,773.20 |", 1)
    assert changed != text
    docs = _docs(tmp_path, {"a-suzhou.txt": text, "b-suzhou-revised.txt": changed,
                            "c-other.txt": (DOCUMENTS / "004_1dc876329a8abae6.txt").read_text(encoding="utf-8")})
    result = run_build(docs, tmp_path / "out", "--no-cache")
    errors = [line for line in result.stderr.splitlines()
              if "anhui-suzhou-ybj-2024-budget" in line and "different content" in line]
    assert errors and all("a-suzhou.txt" in e and "b-suzhou-revised.txt" in e for e in errors), \
        result.stderr[-3000:]
    assert "keeping the first" not in result.stderr
    assert _published(tmp_path / "out") == ["baoding-wangdu-ybj-2024-budget"]  # neither is published
    strict = run_build(docs, tmp_path / "strict", "--no-cache", "--strict")
    assert strict.returncode == 1


def test_two_names_giving_one_id_are_an_error_naming_both(tmp_path):
    text = SUZHOU.read_text(encoding="utf-8")
    # 审计局 and 审记局 are both shenjiju: homophones, never merged into one bureau
    docs = _docs(tmp_path, {"a.txt": text.replace("宿州市医疗保障局", "宿州市审计局"),
                            "b.txt": text.replace("宿州市医疗保障局", "宿州市审记局").replace("2024", "2025")})
    result = run_build(docs, tmp_path / "out", "--no-cache")
    errors = [line for line in result.stderr.splitlines() if "宿州市审计局" in line and "宿州市审记局" in line]
    assert errors and all("a.txt" in e and "b.txt" in e for e in errors), result.stderr[-3000:]
    assert _published(tmp_path / "out") == []


# ------------------------------------------------------------- the whole wild development corpus


def _rows(folder: Path, resource: str) -> list[dict[str, str]]:
    with (folder / f"{resource}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_wild_dev_keeps_every_distinct_document(wild_build):
    folder, stderr = wild_build
    assert "keeping the first" not in stderr and "different content" not in stderr
    assert "whose names give one id" not in stderr
    ids = [r["document_id"] for r in _rows(folder, "documents")]
    assert len(ids) == len(set(ids))
    # the pairs the old scheme merged are all published, each under its own id
    for _, _, _, doc_id in WILD_IDENTITIES:
        assert doc_id in ids, doc_id
    # no two files of the folder are byte-identical: nothing is dropped as a copy
    assert "byte-identical" not in stderr


def test_wild_dev_bureaus_are_subjects(wild_build):
    folder, _ = wild_build
    bureaus = {r["bureau_id"]: r["name"] for r in _rows(folder, "bureaus")}
    assert len(set(bureaus.values())) == len(bureaus)
    for name in bureaus.values():
        assert "部分" not in name and name != "营销中心", name
    assert bureaus["shanghai-huahuiliangzhongshiyanchang"] == "上海市花卉良种试验场"
