"""Hostile files among good ones, through the real command line: each fails alone, with its
name and an accurate reason, never a traceback, and the rest builds.

The PDFs are written here by hand (PDF syntax is text; the xref offsets are exact):
a decompression bomb (400 MB of zeros in a 400 kB FlateDecode content stream), a page tree
that contains itself, one 3000 levels deep, a CID font whose font file inflates to 500 MB
(overruns a small ``--doc-memory``), and 3000 pages of figures that take about a minute to read
(``--doc-timeout``)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import zlib
from pathlib import Path

import pytest
from conftest import DOCUMENTS, build_command, run_build

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 700 Td (Hello 2024) Tj ET"
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; 1 is the catalog) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def page(parent: int, contents: int, font: int) -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (parent, contents, font))


def zeros_pdf(megabytes: int) -> bytes:
    """One page whose content stream inflates to ``megabytes`` MB of zero bytes."""
    inflate = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    data = b"".join(inflate.compress(chunk) for _ in range(megabytes)) + inflate.flush()
    return pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(2, 4, 5),
                stream(data, b"/Filter /FlateDecode"), FONT])


def slow_pdf(pages: int) -> bytes:
    """``pages`` pages sharing one content stream of 60 rows of figures (3,600 characters): a
    small file (500 kB for 3000 pages) that takes tens of milliseconds a page to read, with any
    engine (PDFium reads a 90 MB stream of zeros in seconds, where pdfminer took minutes)."""
    rows = b"".join(b"BT /F1 8 Tf 40 %d Td (2024 1234.56 7890.12 3456.78 9012.34 5678.90) Tj ET\n"
                    % (800 - 12 * r) for r in range(60))
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    leaf = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    return pdf([CATALOG, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages), stream(rows), FONT]
               + [leaf] * pages)


def font_hog_pdf(megabytes: int) -> bytes:
    """Text in a CID font whose embedded font file inflates to ``megabytes`` MB of zeros:
    pdfminer inflates it whole to read the font, and nothing else about the page is large."""
    inflate = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    data = b"".join(inflate.compress(chunk) for _ in range(megabytes)) + inflate.flush()
    return pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(2, 4, 5),
                stream(b"BT /F1 12 Tf 72 700 Td <0001> Tj ET"),
                b"<< /Type /Font /Subtype /Type0 /BaseFont /Hog /Encoding /Identity-H "
                b"/DescendantFonts [6 0 R] >>",
                b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Hog /CIDSystemInfo "
                b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R >>",
                b"<< /Type /FontDescriptor /FontName /Hog /Flags 4 /FontBBox [0 0 1000 1000] "
                b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 8 0 R >>",
                stream(data, b"/Filter /FlateDecode")])


def cyclic_pdf() -> bytes:
    """The root /Pages lists a page and itself among its kids."""
    return pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 1 >>", page(2, 4, 5),
                stream(TEXT), FONT])


def deep_pdf(levels: int) -> bytes:
    """``levels`` /Pages nodes, each the only kid of the one above, then the page."""
    objects = [CATALOG] + [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 1)
                           for n in range(2, levels + 2)]
    n = len(objects) + 1
    return pdf(objects + [page(n - 1, n + 1, n + 2), stream(TEXT), FONT])


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    """The five samples: three as they are, 003 in UTF-16 big-endian without a BOM, 004 in
    UTF-16 little-endian with one."""
    folder = tmp_path / "documents"
    folder.mkdir()
    samples = sorted(DOCUMENTS.glob("*.txt"))
    for sample in samples[:3]:
        shutil.copy(sample, folder)
    (folder / samples[3].name).write_bytes(samples[3].read_text("utf-8").encode("utf-16-be"))
    (folder / samples[4].name).write_bytes(b"\xff\xfe" + samples[4].read_text("utf-8").encode("utf-16-le"))
    return folder


def test_damaged_pdfs_and_a_bomb_fail_alone_with_their_reasons(docs: Path, tmp_path: Path) -> None:
    (docs / "bomb.pdf").write_bytes(zeros_pdf(400))
    (docs / "cyclic.pdf").write_bytes(cyclic_pdf())
    (docs / "deep.pdf").write_bytes(deep_pdf(3000))
    start = time.monotonic()
    result = run_build(docs, tmp_path / "datapackages")
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "8 documents: 5 parsed, 3 failed" in result.stdout  # UTF-16 samples parsed too
    assert "error: bomb.pdf: PDF too large to decompress (400 MB on page 1)" in result.stderr
    assert "error: cyclic.pdf: damaged PDF: cyclic page tree" in result.stderr
    assert "error: deep.pdf: damaged PDF: page tree nested too deep" in result.stderr
    assert seconds < 30  # the bomb is refused before pdfminer inflates it (it parsed for 9 min)
    strict = run_build(docs, tmp_path / "strict", "--strict")
    assert strict.returncode == 1  # refusals are deterministic: cached like any ingest error
    assert "0 parsed, 3 failed, 5 reused" in strict.stdout


def test_binary_text_is_still_called_binary(tmp_path: Path) -> None:
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "blob.txt").write_bytes(bytes(range(256)) * 8)
    result = run_build(docs, tmp_path / "datapackages")
    assert "error: blob.txt: binary file, not a text extract" in result.stderr


def test_over_the_memory_limit_and_the_time_limit(docs: Path, tmp_path: Path) -> None:
    (docs / "hog.pdf").write_bytes(font_hog_pdf(500))  # parses, in 0.8 GB
    memory = run_build(docs, tmp_path / "m", "--doc-memory", "600", "--jobs", "2")
    assert memory.returncode == 0, memory.stderr
    assert "error: hog.pdf: over the memory limit of 600 MB" in memory.stderr
    assert "6 documents: 5 parsed, 1 failed" in memory.stdout
    (docs / "hog.pdf").write_bytes(slow_pdf(3000))  # about a minute to read
    slow = run_build(docs, tmp_path / "t", "--doc-timeout", "3", "--jobs", "1")
    assert slow.returncode == 0, slow.stderr
    assert "error: hog.pdf: took longer than 3 s" in slow.stderr
    assert "6 documents: 0 parsed, 1 failed, 5 reused" in slow.stdout  # memory: not cached
    assert "Traceback" not in memory.stderr + slow.stderr
    again = run_build(docs, tmp_path / "t", "--doc-timeout", "3")  # a timeout is not cached
    assert "0 parsed, 1 failed, 5 reused" in again.stdout and "took longer than 3 s" in again.stderr


def _process_reading(name: str, build: int) -> int | None:
    """The process other than the build itself that has ``name`` open (the worker parsing it;
    the build opens the file too, briefly, to hash it for the cache key)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if int(pid) == build:
            continue
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}").endswith(name)
                   for fd in os.listdir(f"/proc/{pid}/fd")):
                return int(pid)
        except OSError:
            continue
    return None


def test_a_killed_worker_fails_its_document_only(docs: Path, tmp_path: Path) -> None:
    """The kernel's OOM killer, played by the test: SIGKILL to the worker parsing hog.pdf."""
    (docs / "hog-7f3a.pdf").write_bytes(slow_pdf(3000))
    command = build_command(docs, tmp_path / "datapackages", "--no-site", "--jobs", "2",
                            "--doc-memory", "0", "--doc-timeout", "60")
    build = subprocess.Popen(command, cwd=Path(__file__).resolve().parent.parent,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while (pid := _process_reading("hog-7f3a.pdf", build.pid)) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pid is not None, "no worker opened hog-7f3a.pdf"
        os.kill(pid, signal.SIGKILL)
        out, err = build.communicate(timeout=60)
    finally:
        build.kill()
    assert build.returncode == 0, err
    assert "error: hog-7f3a.pdf: worker process died (signal 9, SIGKILL)" in err
    assert "6 documents: 5 parsed, 1 failed" in out
    assert "Traceback" not in err
