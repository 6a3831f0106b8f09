"""Playwright in Debian's Chromium (``playwright install`` cannot work here)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(site_url) -> str:
    """Lets tests write ``page.goto("guide/")``."""
    return site_url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "service_workers": "block"}


class Requests:
    """Every URL a page requested, to check that nothing leaves the site's origin."""

    def __init__(self, origin: str):
        self.origin = origin
        self.urls: list[str] = []
        self.posts: list[tuple[str, bytes | None]] = []

    def record(self, request) -> None:
        self.urls.append(request.url)
        if request.method != "GET":
            self.posts.append((request.url, request.post_data_buffer))

    def foreign(self) -> list[str]:
        """Requests to any origin other than the site's (data:/blob: are local)."""
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != self.origin:
                out.append(url)
        return out


@pytest.fixture
def requests_seen(context, site_url) -> Requests:
    """Records requests of every page and worker in the test's browser context."""
    parts = urlsplit(site_url)
    seen = Requests(f"{parts.scheme}://{parts.netloc}")
    context.on("request", seen.record)
    return seen
