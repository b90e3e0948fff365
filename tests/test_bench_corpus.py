"""bench/bench_corpus.py through its command line, on two sample text disclosures and a notice.

The expected key figures were read from the CSVs the build writes for the two samples: both
have a 合计 on their 一般公共预算支出表 (宿州 1773.19, 望都 3654.18), 3-digit function rows with
basic/project figures and basic_economic classes 301/302; only 望都 has a 三公 total (0)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("003_4c40129985d12d4c.txt", "004_1dc876329a8abae6.txt")
NOTICE = "关于召开2024年度工作会议的通知\n\n各科室：\n定于2024年3月5日在三楼会议室召开年度工作会议。\n\n办公室\n"
REASON = "not a budget disclosure: no fiscal year found (expected a title such as 'N年部门预算')"


def test_corpus_report(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SAMPLES:
        shutil.copy(ROOT / "documents" / name, folder / name)
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    rows = [("file", "repo", "commit", "path", "sha256", "label"),
            (SAMPLES[0], "x/y", "0" * 40, "a.txt", "0" * 64, "budget"),
            (SAMPLES[1], "x/y", "0" * 40, "b.txt", "0" * 64, "budget"),
            ("notice.txt", "x/y", "0" * 40, "c.txt", "0" * 64, "not-budget")]
    (folder / "manifest.tsv").write_text("".join("\t".join(r) + "\n" for r in rows),
                                         encoding="utf-8")
    out_json = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "bench/bench_corpus.py", str(folder), "--jobs", "1",
                           "--out", str(tmp_path / "out"), "--json", str(out_json)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    r = json.loads(out_json.read_text(encoding="utf-8"))

    assert r["files"] == 3 and r["documents"] == {"built": 2, "failed": 1}
    assert r["labels"]["budget"] == {"files": 2, "built": 2, "refused": 0, "crashed": 0,
                                     "missing": 0, "reasons": {}}
    assert r["labels"]["not-budget"]["refused"] == 1
    assert r["refused"] == [{"reason": REASON, "count": 1, "files": ["notice.txt"]}]
    assert r["crashes"] == []
    assert r["disclosures"]["built"] == r["disclosures"]["expected"] == 2
    shares = {k: (v["documents"], v["share"]) for k, v in r["key_figures"].items()}
    assert shares == {"general_public_total": (2, 1.0), "class_totals": (2, 1.0),
                      "basic_project_split": (2, 1.0), "personnel_public": (2, 1.0),
                      "three_public": (1, 0.5)}
    assert r["key_figures"]["three_public"]["missing"] == ["anhui-suzhou-ybj-2024-budget"]
    assert {k: v["verdict"] for k, v in r["targets"].items()} == {
        "disclosures_built": "met", "others_refused": "met", "crashes": "met"}
    assert r["failed_checks"]["documents"] == 2

    printed = proc.stdout
    assert "Disclosures built: 2 of 2" in printed
    assert f"1 × {REASON}" in printed and "Crashes: 0" in printed
    assert "three_public             1  50.0 %" in printed
    assert "crashes == 0: 0 — met" in printed
