"""Analyst-ready downloads (generator/publish/parquet.py): the Parquet files of the combined
package on the site built from documents/, five analyst questions answered with one DuckDB
query each, exact decimal amounts, byte-identical rebuilds, and the data page that says how.

Expected answers are read off the sample documents by hand (documents/*.txt, line numbers in
the comments): 000 凤县 (单位预算, printed in 元), 001 乐山 市中区, 002 互助 (决算), 003 宿州,
004 望都."""
from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from generator.publish import parquet
from generator.publish.downloads import make_download

REPO = Path(__file__).resolve().parent.parent
D = Decimal

SUZHOU, WANGDU, FENGXIAN = "宿州市医疗保障局", "望都县医疗保障局", "凤县医疗保障局"
HUZHU, LESHAN = "互助土族自治县医疗保障局", "乐山市市中区医疗保障局"


@pytest.fixture(scope="module")
def parquet_dir(sample_site) -> Path:
    return sample_site / "downloads" / "parquet"


@pytest.fixture(scope="module")
def sql(parquet_dir):
    """Run one query on the site's Parquet files (named as on the data page: 'facts.parquet')."""
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{parquet_dir}'")

    def run(query: str) -> list[tuple]:
        return con.execute(query).fetchall()

    yield run
    con.close()


def exact(rows: list[tuple], *ratios: int) -> list[tuple]:
    """The rows with every Decimal normalized (416.250000 -> 416.25), after checking that no
    value is a float except in the columns ``ratios`` (a percentage)."""
    out = []
    for row in rows:
        for i, v in enumerate(row):
            assert i in ratios or not isinstance(v, float), f"{row}: a float amount"
        out.append(tuple(v.normalize() if isinstance(v, Decimal) else v for v in row))
    return out


def n(text: str) -> Decimal:
    return D(text).normalize()


# ------------------------------------------------------------------ five analyst questions

Q1_GENERAL_PUBLIC = """
SELECT bureau_name, year, phase, amount
FROM 'facts.parquet'
WHERE dimension = 'total' AND code = 'general_public' AND part = 'total' AND measure = phase
ORDER BY amount DESC"""


def test_q1_general_public_total_per_bureau(sql):
    rows = sql(Q1_GENERAL_PUBLIC)
    assert all(type(r[3]) is Decimal for r in rows)
    assert exact(rows) == [
        # 004 l.485/496 部门预算一般公共预算财政拨款支出表 合计 3654.18
        (WANGDU, 2024, "budget", n("3654.18")),
        # 003 l.165/172 表2 一般公共预算支出预算表 合计 1,773.19
        (SUZHOU, 2024, "budget", n("1773.19")),
        # 001 l.256/264 一般公共预算支出预算表（公开表3）合 计 515.19
        (LESHAN, 2023, "budget", n("515.19")),
        # 002 l.206/214 一般公共预算财政拨款支出决算表（公开05表）合计 341. 39
        (HUZHU, 2024, "final", n("341.39")),
        # 000 l.253/284 表4 财政拨款收支总表 本年支出合计 2021528.40 元 = 202.15284 万元, exactly
        (FENGXIAN, 2024, "budget", n("202.15284")),
    ]
    assert rows[-1][3] == D("202.152840") and str(rows[-1][3]) == "202.152840"


Q2_TOP_ITEMS = """
SELECT code, min(name) AS name, sum(amount) AS amount, count(DISTINCT bureau_id) AS bureaus
FROM 'facts.parquet'
WHERE dimension = 'function' AND level = 'item' AND part = 'total' AND measure = phase
GROUP BY code
ORDER BY amount DESC, code
LIMIT 10"""


def test_q2_top_ten_function_items_across_bureaus(sql):
    # the items of each table: 004 l.496-526 (望都), 003 l.171-199 (宿州 表2), 001 l.264-275
    # (乐山 公开表3), 002 l.214-232 (互助 公开05表, 决算); 凤县 (000) prints its 项 only in the
    # text, l.103-119 (支出按功能科目分类的明细情况, e.g. 行政运行(2101501)81.3261万元)
    assert exact(sql(Q2_TOP_ITEMS)) == [
        ("2101202", "财政对城乡居民基本医疗保险基金的补助", n("2832.00"), 1),  # 004 l.516
        # 416.25 (003 l.192) + 345.47 (004 l.524) + 127.42 (001 l.272) + 80.91 (002 l.226)
        # + 81.3261 (000 l.111)
        ("2101501", "行政运行", n("1051.3761"), 5),
        ("2101301", "城乡医疗救助", n("350.00"), 1),  # 004 l.520
        # 76.55 (003 l.196) + 19.00 (004 l.526) + 136.82 (001 l.274) + 93.98 (002 l.229)
        ("2101599", "其他医疗保障管理事务支出", n("326.35"), 4),
        # 26.11 (003 l.188) + 9.19 (004 l.512) + 164.40 (001 l.269) + 105.00 (002 l.223)
        # + 6.1133 (000 l.109)
        ("2101101", "行政单位医疗", n("310.8133"), 5),
        ("2080109", "社会保险经办机构", n("252.89"), 1),  # 003 l.178
        ("2101502", "一般行政管理事务", n("178.17"), 2),  # 168.17 (003 l.193) + 10.00 (001 l.273)
        ("2101505", "医疗保障政策管理", n("172.57"), 2),  # 163.11 (003 l.194) + 9.46 (002 l.227)
        # 99.18 (003 l.180) + 21.74 (004 l.502) + 25.91 (001 l.267) + 6.09 (002 l.217)
        # + 11.1394 (000 l.105)
        ("2080505", "机关事业单位基本养老保险缴费支出", n("164.0594"), 5),
        ("2100199", "其他卫生健康管理事务支出", n("151.16"), 1),  # 003 l.186
    ]


Q3_PERSONNEL_PUBLIC = """
SELECT bureau_name, year, phase,
       sum(amount) FILTER (code = 'personnel') AS personnel,
       sum(amount) FILTER (code = 'public') AS public
FROM 'facts.parquet'
WHERE dimension = 'total' AND code IN ('personnel', 'public') AND part = 'total' AND measure = phase
GROUP BY ALL
ORDER BY personnel DESC"""


def test_q3_personnel_vs_public_per_bureau(sql):
    rows = sql(Q3_PERSONNEL_PUBLIC)
    assert all(type(v) is Decimal for r in rows for v in r[3:])
    assert exact(rows) == [
        (SUZHOU, 2024, "budget", n("905.71"), n("183")),  # 003 l.526 人员经费 905.71 万元，公用经费 183 万元
        (LESHAN, 2023, "budget", n("307.17"), n("38.02")),  # 001 l.289 表3-1 合 计 345.19 307.17 38.02
        (WANGDU, 2024, "budget", n("291.00"), n("30.38")),  # 004 l.556 基本支出表 合计 321.38 291.00 30.38
        (HUZHU, 2024, "final", n("74.82"), n("26.98")),  # 002 l.267 人员经费合计 74. 82 公用经费合计 26. 98
        # 凤县 (000) prints 人员经费和公用经费支出 1124661.00 元 as one figure (l.260): no row
    ]


Q4_THREE_PUBLIC = """
SELECT bureau_name, year, phase, code, min(name) AS name,
       sum(amount) FILTER (measure = 'budget') AS budget,
       sum(amount) FILTER (measure = 'final') AS final
FROM 'facts.parquet'
WHERE dimension = 'three_public' AND code <> 'operating_costs'
GROUP BY bureau_name, year, phase, code
ORDER BY bureau_name, year, phase, code"""


def test_q4_three_public_budget_vs_final(sql):
    rows = sql(Q4_THREE_PUBLIC)
    assert exact(rows) == [
        # 001 l.354-358 “三公”经费表: 合 计 1.39, 公务接待费 1.39
        (LESHAN, 2023, "budget", "reception", "公务接待费", n("1.39"), None),
        (LESHAN, 2023, "budget", "total", "“三公”经费合计", n("1.39"), None),
        # 002 l.291-301 财政拨款"三公"经费支出决算表（公开09表）: 预算数 合计 2. 10, 公务用车运行
        # 维护费 2.10; 决算数 合计 2. 10, 公务用车运行维护费 2. 10 (l.435: 预算 2.10, 决算 2.10)
        (HUZHU, 2024, "final", "total", "“三公”经费合计", n("2.10"), n("2.10")),
        (HUZHU, 2024, "final", "vehicle_operation", "公务用车运行维护费", n("2.10"), n("2.10")),
        # 000 l.155 “三公”经费预算支出 0 万元
        (FENGXIAN, 2024, "budget", "total", "“三公”经费合计", n("0"), None),
        # 004 l.741 “三公”经费预算 0万元 (its table l.627-649 is printed empty)
        (WANGDU, 2024, "budget", "total", "“三公”经费合计", n("0"), None),
    ]
    huzhu = [r for r in rows if r[0] == HUZHU]
    assert all(type(r[5]) is Decimal and type(r[6]) is Decimal for r in huzhu)


Q5_ADMINISTRATION_SHARE = """
SELECT bureau_name, year, phase,
       sum(amount) FILTER (dimension = 'function' AND code = '2101501') AS administration,
       sum(amount) FILTER (dimension = 'total' AND code = 'general_public') AS general_public,
       round(100 * administration / general_public, 2) AS percent
FROM 'facts.parquet'
WHERE measure = phase AND part = 'total'
GROUP BY ALL
ORDER BY percent DESC NULLS LAST"""


def test_q5_share_of_administration_in_each_bureau(sql):
    rows = sql(Q5_ADMINISTRATION_SHARE)
    assert all(type(r[3]) is Decimal and type(r[4]) is Decimal for r in rows)
    assert exact(rows, 5) == [
        # 000 l.111 行政运行(2101501)81.3261万元 / l.103 一般公共预算支出 202.15284 万元
        (FENGXIAN, 2024, "budget", n("81.3261"), n("202.15284"), 40.23),
        (LESHAN, 2023, "budget", n("127.42"), n("515.19"), 24.73),  # 001 l.272 / l.264
        (HUZHU, 2024, "final", n("80.91"), n("341.39"), 23.7),  # 002 l.226 / l.214
        (SUZHOU, 2024, "budget", n("416.25"), n("1773.19"), 23.47),  # 003 l.192 / l.172
        (WANGDU, 2024, "budget", n("345.47"), n("3654.18"), 9.45),  # 004 l.524 / l.496
    ]


# ------------------------------------------------------------------------ the files


def _descriptor(packages: Path) -> dict:
    return json.loads((packages / "all" / "datapackage.json").read_text(encoding="utf-8"))


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _typed(value: str, kind: str):
    if value == "":
        return None
    return {"number": Decimal, "integer": int, "boolean": lambda v: v == "true"}.get(kind, str)(value)


def columns(path: Path) -> dict[str, str]:
    """Column name -> DuckDB type of a Parquet file, in order."""
    return {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}


def test_one_typed_file_per_resource(sample_site, parquet_dir):
    desc = _descriptor(sample_site.parent / "datapackages")
    names = [r["name"] for r in desc["resources"]]
    assert {"facts", "documents", "bureaus", "function_expenditure", "checks"} <= set(names)
    assert sorted(p.name for p in parquet_dir.iterdir()) == sorted(f"{n}.parquet" for n in names)
    reserved = {r[0] for r in duckdb.sql(
        "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'").fetchall()}
    assert {"table", "check"} <= reserved
    for res in desc["resources"]:
        cols = columns(parquet_dir / f"{res['name']}.parquet")
        assert not set(cols) & reserved, res["name"]
        for f in res["schema"]["fields"]:
            name = parquet.RENAMED.get(f["name"], f["name"])
            want = {"number": "DECIMAL(18,6)", "integer": "INTEGER", "boolean": "BOOLEAN"}.get(f["type"], "VARCHAR")
            assert cols[name] == want, (res["name"], name)
    checks = columns(parquet_dir / "checks.parquet")
    assert "check_id" in checks and "source_table" in checks and "check" not in checks
    facts = list(columns(parquet_dir / "facts.parquet"))
    assert facts[:12] == ["document_id", "bureau_id", "bureau_name", "province", "prefecture", "county",
                          "bureau_level", "division_code", "title", "year", "phase", "scope"]


def test_every_parquet_row_is_its_csv_row(sample_site, parquet_dir):
    """The Parquet files hold the CSVs exactly: every value, typed (empty -> NULL), in
    primary-key order; facts.parquet with its document and bureau joined in."""
    packages = sample_site.parent / "datapackages" / "all"
    desc = _descriptor(packages.parent)
    bureaus = {r["bureau_id"]: r for r in _csv_rows(packages / "bureaus.csv")}
    documents = {r["document_id"]: r for r in _csv_rows(packages / "documents.csv")}
    for res in desc["resources"]:
        fields = res["schema"]["fields"]
        con = duckdb.connect()
        rel = con.sql(f"SELECT * FROM '{parquet_dir / (res['name'] + '.parquet')}'")
        got = [dict(zip(rel.columns, row)) for row in rel.fetchall()]
        con.close()
        want = []
        for row in _csv_rows(packages / res["path"]):
            typed = {parquet.RENAMED.get(f["name"], f["name"]): _typed(row[f["name"]], f["type"]) for f in fields}
            if res["name"] == "facts":
                doc = documents[row["document_id"]]
                b = bureaus[doc["bureau_id"]]
                joined = dict(bureau_id=doc["bureau_id"], bureau_name=b["name"], province=b["province"],
                              prefecture=b["prefecture"], county=b["county"], bureau_level=b["level"],
                              division_code=b["division_code"], title=doc["title"], phase=doc["phase"],
                              scope=doc["scope"])
                typed.update({k: v or None for k, v in joined.items()})
                assert typed["year"] == int(doc["year"])
            want.append(typed)
        pk = [parquet.RENAMED.get(k, k) for k in res["schema"]["primaryKey"]]
        want.sort(key=lambda r: tuple(r[k] for k in pk))
        assert len(got) == len(want) > 0, res["name"]
        assert got == want, res["name"]
    # 宿州 has no county: NULL, not ''
    assert duckdb.sql(f"SELECT DISTINCT county FROM '{parquet_dir / 'facts.parquet'}' "
                      f"WHERE bureau_name = '{SUZHOU}'").fetchall() == [(None,)]


def test_two_builds_give_byte_identical_parquet_files(sample_site, parquet_dir, tmp_path):
    """The site's files and a second build in another process, from a copy of the packages in
    another folder, into another cache: the same bytes."""
    copy = tmp_path / "elsewhere" / "datapackages"
    shutil.copytree(sample_site.parent / "datapackages" / "all", copy / "all")
    code = ("import sys; from pathlib import Path; from generator.publish import downloads; "
            "out = downloads.write_downloads(Path(sys.argv[1]), Path(sys.argv[2])); "
            "print('\\n'.join(f'{k}\\t{v}' for k, v in sorted(out.items())))")
    result = subprocess.run([sys.executable, "-c", code, str(copy), str(tmp_path / "cache")], cwd=REPO,
                            capture_output=True, text=True, timeout=300, check=True)
    second = dict(line.split("\t") for line in result.stdout.splitlines())
    files = sorted(p.name for p in parquet_dir.iterdir())
    assert len(files) == len(_descriptor(copy)["resources"]) >= 16
    for name in files:
        assert Path(second[f"downloads/parquet/{name}"]).read_bytes() == (parquet_dir / name).read_bytes(), name
    # and once more in this process, straight to a file
    again = tmp_path / "facts.parquet"
    make_download(copy / "all", again)
    assert again.read_bytes() == (parquet_dir / "facts.parquet").read_bytes()


# --------------------------------------------------------------------- the data page


def test_data_page_points_to_xlsx_and_shows_how_to_query(sample_site, sql):
    page = (sample_site / "data" / "index.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    assert "../downloads/all.xlsx" in hrefs and (sample_site / "downloads" / "all.xlsx").is_file()
    assert "不带 BOM" in page and "Excel 工作簿（.xlsx）" in page
    for p in (sample_site / "downloads" / "parquet").iterdir():
        assert f"../downloads/parquet/{p.name}" in hrefs, p.name
    # the DuckDB one-liner of the page, run as printed, answers question 1
    command = html.unescape(re.search(r"<pre><code>(duckdb -c .*?)\n</code></pre>", page).group(1))
    query = re.fullmatch(r'duckdb -c "(.*)"', command).group(1)
    assert sql(query) == sql(Q1_GENERAL_PUBLIC)
    assert "pd.read_parquet(&quot;facts.parquet&quot;)" in page or 'pd.read_parquet("facts.parquet")' in page


# ------------------------------------------------------------------ a hostile package


def _package(root: Path, values: list[dict]) -> Path:
    pkg = root / "all"
    pkg.mkdir(parents=True)
    fields = [{"name": "table", "type": "string"}, {"name": "total", "type": "number"},
              {"name": "row", "type": "integer"}, {"name": "empty", "type": "boolean"}]
    with (pkg / "items.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, [x["name"] for x in fields], lineterminator="\n")
        w.writeheader()
        w.writerows(values)
    (pkg / "datapackage.json").write_text(json.dumps({
        "name": "hostile", "resources": [{"name": "items", "path": "items.csv",
                                          "schema": {"fields": fields, "primaryKey": ["row"]}}]}),
        encoding="utf-8")
    return pkg


def test_hostile_text_round_trips_and_inexact_amounts_stay_text(tmp_path, caplog):
    # the last: a field longer than DuckDB reads in one line by default (2 MB), quotes doubled
    texts = ["it's", 'say "hi"', "两行\n文字", "'); DROP TABLE x; --", "", " 空格 ", '"长' * 1_000_000]
    rows = [{"table": t, "total": "0.000001", "row": str(i), "empty": "true"} for i, t in enumerate(texts)]
    rows.append({"table": "x", "total": "999999999999.999999", "row": "-3", "empty": ""})
    pkg = _package(tmp_path / "a", rows)
    out = tmp_path / "items.parquet"
    parquet.write_parquet(pkg, "items", out)
    assert list(columns(out).values()) == ["VARCHAR", "DECIMAL(18,6)", "INTEGER", "BOOLEAN"]
    got = duckdb.sql(f"SELECT source_table, total, row, empty FROM '{out}'").fetchall()
    assert got[0] == ("x", D("999999999999.999999"), -3, None)
    assert [r[0] for r in got[1:]] == [t or None for t in texts]
    assert all(r[1] == D("0.000001") and r[3] is True for r in got[1:])
    # a value DECIMAL(18,6) would round or cannot hold, or no decimal at all (a package breaking
    # the contract): the column is kept as the CSV's text, never rounded, and the build says so
    for i, bad in enumerate(("1.0000001", "1234567890123", "1e3", "NaN")):
        pkg = _package(tmp_path / str(i), [{"table": "x", "total": "2.5", "row": "1", "empty": "false"},
                                           {"table": "y", "total": bad, "row": "2", "empty": "false"}])
        caplog.clear()
        parquet.write_parquet(pkg, "items", tmp_path / f"{i}.parquet")
        assert columns(tmp_path / f"{i}.parquet")["total"] == "VARCHAR"
        assert duckdb.sql(f"SELECT total FROM '{tmp_path / f'{i}.parquet'}'").fetchall() == [("2.5",), (bad,)]
        assert "field 'total'" in caplog.text and "written as text" in caplog.text


def test_a_resource_name_that_is_no_file_name_is_refused(tmp_path):
    pkg = _package(tmp_path / "a", [{"table": "x", "total": "1", "row": "1", "empty": ""}])
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"][0]["name"] = "../../escape"
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    with pytest.raises(ValueError, match="not a plain file name"):
        parquet.parquet_files(desc)
    from generator.publish import downloads
    with pytest.raises(ValueError, match="not a plain file name"):
        downloads.plan_downloads(tmp_path / "a", tmp_path / "cache")
    assert not list(tmp_path.rglob("*escape*"))
