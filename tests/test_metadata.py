"""Bureau ids from the publisher's name: region by cpca, pinyin slugs."""
from __future__ import annotations

import pytest

from generator.recognize.metadata import Metadata, metadata_to_bureau


def _bureau(name: str):
    return metadata_to_bureau(Metadata(name=name, title=f"{name}2024年部门预算", year=2024,
                                       phase="budget", scope="department", unit="万元"))


@pytest.mark.parametrize("name, bureau_id, division", [
    ("望都县医疗保障局", "baoding-wangdu-ybj", "130631"),
    ("乐山市市中区医疗保障局", "leshan-shizhong-ybj", "511102"),
    # a county-level city and a county of the same name stay apart
    ("临夏回族自治州临夏市医疗保障局", "linxiahuizu-linxiashi-ybj", "622901"),
    ("临夏回族自治州临夏县医疗保障局", "linxiahuizu-linxia-ybj", "622921"),
])
def test_bureau_ids(name, bureau_id, division):
    b = _bureau(name)
    assert (b.bureau_id, b.division_code) == (bureau_id, division)


@pytest.mark.parametrize("name, bureau_id", [
    # homophone prefectures carry their province: 宿州 and 苏州 are both "suzhou"
    ("宿州市医疗保障局", "anhui-suzhou-ybj"),
    ("苏州市医疗保障局", "jiangsu-suzhou-ybj"),
    ("台州市医疗保障局", "zhejiang-taizhou-ybj"),
    ("泰州市医疗保障局", "jiangsu-taizhou-ybj"),
    ("宿州市埇桥区医疗保障局", "anhui-suzhou-yongqiao-ybj"),
    ("珠海市医疗保障局", "zhuhai-ybj"),  # no homophone: unchanged
])
def test_homophone_prefectures_are_told_apart(name, bureau_id):
    assert _bureau(name).bureau_id == bureau_id
