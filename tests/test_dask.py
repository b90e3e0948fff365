"""Past one machine: parsing on a Dask cluster gives the same bytes as local processes."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DOCUMENTS, WILD, run_build
from test_cli import tree_digest

from bench.synthetic import make_corpus
from generator import cache, distributed
from generator.ingest.files import document_files

distributed_mod = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each: a real scheduler address over TCP."""
    with distributed_mod.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None, host="127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def threaded_cluster():
    """One worker with four threads, in this process: documents parsed at the same time share
    every module-level variable of the generator, so state one document leaves for the next
    would show in the outputs."""
    with distributed_mod.LocalCluster(n_workers=1, threads_per_worker=4, processes=False,
                                      protocol="tcp", dashboard_address=None,
                                      host="127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The five samples and seven synthetic documents: more than the 4 tasks kept in flight."""
    docs = tmp_path_factory.mktemp("dask") / "documents"
    shutil.copytree(DOCUMENTS, docs)
    make_corpus(docs, 7, seed=3)
    return docs


def build(docs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_build(docs, out / "datapackages", "--no-cache", "--strict", *extra)


def test_dask_and_local_outputs_are_byte_identical(cluster, corpus, tmp_path):
    on_dask = build(corpus, tmp_path / "dask", "--dask", cluster.scheduler_address)
    assert on_dask.returncode == 0, on_dask.stderr
    local = build(corpus, tmp_path / "local", "--jobs", "2")
    assert local.returncode == 0, local.stderr
    serial = build(corpus, tmp_path / "serial", "--jobs", "1")
    assert serial.returncode == 0, serial.stderr
    for result in (on_dask, local, serial):
        assert "12 documents: 12 parsed, 0 failed, 0 reused" in result.stdout
    packages = tree_digest(tmp_path / "dask" / "datapackages")
    assert len([k for k in packages if k.endswith("/datapackage.json")]) == 13
    assert packages == tree_digest(tmp_path / "local" / "datapackages")
    assert packages == tree_digest(tmp_path / "serial" / "datapackages")
    status = (tmp_path / "dask" / "build" / "status.json").read_bytes()
    assert status == (tmp_path / "local" / "build" / "status.json").read_bytes()


def test_threads_of_one_worker_give_the_checks_of_one_process(threaded_cluster, corpus, tmp_path):
    """Four documents at once in one process give the checks.csv of a serial build. The corpus
    has documents of 2023 to 2026, and the narrative checks read the document's year: with the
    year kept in a module-level variable (before verify passed it along) this failed in about
    half of the runs; a race cannot fail every time."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # the worker's threads take turns often: races show
    try:
        threaded = build(corpus, tmp_path / "threads", "--dask", threaded_cluster.scheduler_address)
    finally:
        sys.setswitchinterval(interval)
    assert threaded.returncode == 0, threaded.stderr
    serial = build(corpus, tmp_path / "serial", "--jobs", "1")
    assert serial.returncode == 0, serial.stderr
    checks = {p.relative_to(tmp_path / "threads"): p.read_bytes()
              for p in sorted((tmp_path / "threads").rglob("checks.csv"))}
    assert len(checks) >= 12
    for path, data in checks.items():
        assert data == (tmp_path / "serial" / path).read_bytes(), path


def test_samples_on_dask_match_the_local_build(cluster, tmp_path, sample_packages):
    result = build(DOCUMENTS, tmp_path, "--dask", cluster.scheduler_address)
    assert result.returncode == 0, result.stderr
    assert tree_digest(tmp_path / "datapackages") == tree_digest(sample_packages)


def test_results_come_back_for_every_document(cluster, corpus):
    groups = document_files(corpus)
    got = dict(distributed.run_dask(groups, cluster.scheduler_address))
    assert sorted(got) == list(range(12))
    assert [got[i].files for i in range(12)] == [[p.name for p in g] for g in groups]
    assert all(r.error is None for r in got.values())


def test_workers_with_other_code_are_refused(cluster, corpus, monkeypatch):
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "client-has-other-code")
    with pytest.raises(distributed.ClusterMismatch, match="run other generator code"):
        list(distributed.run_dask(document_files(corpus), cluster.scheduler_address))


#: six crawled PDFs (../shared/wild-dev/manifest.tsv): the two halves of 北京市信访办公室's
#: disclosure (narrative w0033, tables w0069), two one-file budgets (w0008 上海 16 pages, w0125
#: 广州 1 page), a notice (w0220, not-budget) and a scan (w0166, not-budget)
WILD_SUBSET = ("w0033.pdf", "w0069.pdf", "w0008.pdf", "w0125.pdf", "w0220.pdf", "w0166.pdf")


def test_real_pdfs_on_dask_match_local_processes(cluster, tmp_path):
    """Real files, a two-file disclosure paired by content and two refusals: the same
    packages and status.json, byte for byte, from the cluster as from two local processes."""
    if not WILD.is_dir():
        pytest.skip(f"wild development corpus not available: {WILD} is absent")
    docs = tmp_path / "documents"
    docs.mkdir()
    for name in WILD_SUBSET:
        (docs / name).symlink_to(WILD / name)
    on_dask = build(docs, tmp_path / "dask", "--dask", cluster.scheduler_address)
    local = build(docs, tmp_path / "local", "--jobs", "2")
    for result in (on_dask, local):
        assert result.returncode == 1, result.stderr  # --strict: two files are refused
        assert "5 documents: 3 parsed, 2 failed, 0 reused" in result.stdout
    packages = tree_digest(tmp_path / "dask" / "datapackages")
    assert packages == tree_digest(tmp_path / "local" / "datapackages")
    status = (tmp_path / "dask" / "build" / "status.json").read_bytes()
    assert status == (tmp_path / "local" / "build" / "status.json").read_bytes()
    entries = {tuple(e["source_files"]): e for e in json.loads(status)["documents"]}
    assert entries[("w0069.pdf", "w0033.pdf")]["status"] == "ok"  # tables first, as read
    assert entries[("w0069.pdf", "w0033.pdf")]["pages"] == 24
    # read by OCR (on the Dask worker too): a funding notice of 长沙市财政局, refused by the recognizer
    assert entries[("w0166.pdf",)]["error"].startswith("w0166.pdf: not a budget disclosure")
    assert entries[("w0220.pdf",)]["error"].startswith("w0220.pdf: not a budget disclosure")
