"""Drive Debian's headless Chromium with Playwright, for tests that open generated pages.

``open_page`` yields a Playwright page and a ``PageLog`` of every request the page made,
console errors and uncaught exceptions. Requests that would leave the machine are
recorded and aborted, so a test can fail on them without anything being sent; loads that a
page's Content-Security-Policy refuses show up as console errors. Playwright gives each
launch a fresh temporary profile (its own --user-data-dir). Never run `playwright install`:
the system Chromium is used.

    with open_page(path.as_uri()) as (page, log):
        assert not log.problems()
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Route

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def chromium_available() -> bool:
    """True when Playwright is installed and the system Chromium exists."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return shutil.which(CHROMIUM) is not None


def is_local(url: str) -> bool:
    """file:, data:, blob: and about: URLs, and http(s) to this machine's loopback."""
    parts = urlsplit(url)
    if parts.scheme in {"file", "data", "blob", "about"}:
        return True
    return parts.scheme in {"http", "https", "ws"} and (parts.hostname or "") in {
        h.strip("[]") for h in LOCAL_HOSTS
    }


@dataclass
class PageLog:
    """What a page did while it was open."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def problems(self) -> list[str]:
        """Foreign requests, console errors and page errors, one line each."""
        return (
            [f"request left the machine: {u}" for u in self.foreign_requests()]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
        )


@contextmanager
def open_page(
    url: str, *, width: int = 1280, height: int = 800, wait_for: str | None = None
) -> Iterator[tuple[Page, PageLog]]:
    """Open ``url`` in a fresh headless Chromium; wait for ``wait_for`` (a JS expression)."""
    from playwright.sync_api import sync_playwright

    log = PageLog()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", _guard)
            page = context.new_page()
            page.on("request", lambda r: log.requests.append(r.url))
            page.on("console", log.on_console)
            page.on("pageerror", lambda err: log.page_errors.append(str(err)))
            page.goto(url)
            if wait_for:
                page.wait_for_function(wait_for, timeout=60_000)
            yield page, log
        finally:
            browser.close()


def _guard(route: Route) -> None:
    """Let local requests through; abort the rest (the page log still records them)."""
    if is_local(route.request.url):
        route.continue_()
    else:
        route.abort()
