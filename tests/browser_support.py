"""Helpers for the browser tests (tests/test_browser.py, tests/test_search.py).

The site is built through the real command line from a folder of documents (``conftest``:
``sample_site`` for the samples, ``build_site`` for another folder), served by
``http.server`` on 127.0.0.1 (port 0) in a thread, and driven by Playwright with Debian's
Chromium (``/usr/bin/chromium``; ``.ci/run`` installs it). Without that browser the tests fail,
they do not skip.
"""
from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import build_site  # noqa: F401 (the browser tests import it from here)

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = REPO / "documents"
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: explicit waits (ms): generous, since CI machines can be slow; a test never sleeps
TIMEOUT_MS = 20_000

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # the browser closing a connection mid-response (page left, browser closed) is normal
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 at a free port; yields the base URL ending in ``/``."""
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator:
    """A headless Debian Chromium driven by Playwright; fails (not skips) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium and CJK fonts. "
            "Install them with `sudo apt-get install -y chromium fonts-noto-cjk` "
            "(.ci/run does this in CI). Do not use `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageLog:
    """Everything a page did that a test may assert on: requests, console errors, page errors."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def foreign_requests(self, base_url: str) -> list[str]:
        return [u for u in self.requests if not u.startswith((base_url, "data:"))]


def open_search(page) -> None:
    """Open the search the way a reader does: the magnifier (phone) or the box in the header."""
    page.locator('label[for="__search"]:visible, input.md-search__input:visible').first.click()
    page.locator("input.md-search__input").wait_for(state="visible", timeout=TIMEOUT_MS)


def search(page, base_url: str, query: str):
    """Type ``query`` into the search box of the home page; returns the result item locator,
    once the results are shown (``data-budget-search-state="done"``, set by
    site_src/assets/js/search.js after Pagefind answered and the first results are drawn)."""
    page.goto(base_url)
    open_search(page)
    box = page.locator("input.md-search__input")
    box.fill(query)
    page.locator("[data-budget-search-state=done]").wait_for(state="attached", timeout=TIMEOUT_MS)
    items = page.locator(".md-search-result__item")
    items.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return items


def _site_path(link, base_url: str) -> str:
    href = link.evaluate("a => a.href")  # resolved: Pagefind's URLs start at the site root
    assert href and href.startswith(base_url), href
    return href[len(base_url):].split("#")[0].split("?")[0]


def first_result_page(items, base_url: str) -> str:
    """Site path (no query string, no fragment) of the page the first search result links to."""
    return _site_path(items.first.locator("a.md-search-result__link").first, base_url)


def result_pages(items, base_url: str) -> list[str]:
    """Site paths of all result pages shown, in rank order."""
    return [_site_path(items.nth(i).locator("a.md-search-result__link").first, base_url)
            for i in range(items.count())]
