"""The bench's static server: the built site exactly as ``sitebuild/serve.py`` serves it,
plus a bench-only directory mounted under ``/_bench/``, which never ships in the site:
the bare Pyodide page, the runtime's own default lockfile, and under ``/_bench/npm/``
the Pyodide runtime as the npm package publishes it (its stdlib not py-compiled),
sent compressed as a CDN sends it (brotli or gzip, from copies precompressed in
``.cache/bench/npm/``): a peer's page on a phone's network pays what it would.

A browser holding the cookie :data:`BARE_COOKIE` gets ``bench/static/bare-worker.mjs``
(a bare ``loadPyodide()`` of the site's runtime) in place of the site's worker, so
``/simulator/`` itself, page for page, is the cold-ready baseline.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import sitebuild.serve
from sitebuild.output import WORKER_NAME_PATTERN
from sitebuild.serve import SiteHandler, SiteServer

ROOT = Path(__file__).resolve().parent.parent
STATIC = Path(__file__).resolve().parent / "static"
MOUNT = "/_bench/"
NPM = ROOT / "node_modules" / "pyodide"
NPM_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
NPM_COPY = ROOT / ".cache" / "bench" / "npm"
#: The site's simulator files, under its root.
SIM = "assets/simulator/"
#: name=value of the cookie that swaps the site's worker for the bare one.
BARE_COOKIE = ("bench-worker", "bare")


def bare_worker(site: Path) -> Path | None:
    """bench/static/bare-worker.mjs with the site's runtime directory written in (its
    manifest's); None for a site without the simulator."""
    import json

    manifest = site / SIM / "simulator.json"
    if not manifest.is_file():
        return None
    runtime = json.loads(manifest.read_text(encoding="utf-8"))["runtime"]
    text = (STATIC / "bare-worker.mjs").read_text(encoding="utf-8")
    out = ROOT / ".cache" / "bench" / "bare-worker.mjs"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.replace("@bench:RUNTIME@", f"/{SIM}{runtime}"), encoding="utf-8")
    return out


@functools.cache
def extra() -> dict[str, Path]:
    """Extra files under the mount: URL name -> file (the npm runtime's copied once and precompressed)."""
    import shutil

    from sitebuild.precompress import CACHE, precompress

    NPM_COPY.mkdir(parents=True, exist_ok=True)
    for name in NPM_FILES:
        copy = NPM_COPY / name
        if not copy.is_file() or copy.stat().st_mtime_ns != (NPM / name).stat().st_mtime_ns:
            shutil.copy2(NPM / name, copy)
    precompress(NPM_COPY, CACHE)
    return {"pyodide-lock.json": NPM / "pyodide-lock.json"} | {f"npm/{name}": NPM_COPY / name for name in NPM_FILES}


class Link:
    """One network link shared by every response of a server: bodies leave at ``mbps``
    megabits per second in all, in 16 kB slices, first come first served."""

    SLICE = 16 * 1024

    def __init__(self, mbps: float):
        self.bytes_per_s = mbps * 1e6 / 8
        self.free_at = 0.0
        self.lock = threading.Lock()

    def send(self, source, outputfile) -> None:
        while chunk := source.read(self.SLICE):
            with self.lock:  # this slice's turn on the link
                start = max(time.monotonic(), self.free_at)
                end = self.free_at = start + len(chunk) / self.bytes_per_s
            time.sleep(max(0.0, end - time.monotonic()))
            outputfile.write(chunk)


class BenchHandler(SiteHandler):
    """SiteHandler plus /_bench/; ``policy`` (if set: a value, or path -> value or None)
    replaces the Cache-Control value;
    each request, once read, waits ``delay_ms`` before its answer (a network's round trip),
    and with a ``link`` the bodies share its bandwidth."""

    policy: str | None = None
    delay_ms: int = 0
    link: Link | None = None
    bare: Path | None = None  # bare_worker(): sent for the site's worker to a BARE_COOKIE holder

    def copyfile(self, source, outputfile) -> None:
        if self.link is None:
            super().copyfile(source, outputfile)
        else:
            self.link.send(source, outputfile)

    def parse_request(self) -> bool:
        # After the request has arrived: a connection the browser opened ahead of
        # time (it does on a return visit) must not have paid the wait already.
        ok = super().parse_request()
        if ok and self.delay_ms:
            time.sleep(self.delay_ms / 1000)
        return ok

    def translate_path(self, path: str) -> str:
        url_path = unquote(urlsplit(path).path)
        if url_path.startswith(MOUNT):
            name = url_path[len(MOUNT) :]
            if name in extra():
                found = str(extra()[name])
                return self.packed(found) or found
            if "/" not in name and ".." not in name and (STATIC / name).is_file():
                return str(STATIC / name)
            return os.devnull + "-missing"
        name = url_path.removeprefix("/" + SIM)
        if name != url_path and WORKER_NAME_PATTERN.fullmatch(name) and self.bare and self.wants_bare():
            return str(self.bare)
        return super().translate_path(path)

    def wants_bare(self) -> bool:
        cookies = (c.strip() for c in (self.headers.get("Cookie") or "").split(";"))
        return "=".join(BARE_COOKIE) in cookies

    def send_header(self, keyword: str, value: str) -> None:
        if self.policy is not None and keyword.lower() == "cache-control":
            # A fixed value, or a function of the request path (None: the site's own).
            value = (self.policy(self.path) or value) if callable(self.policy) else self.policy
        super().send_header(keyword, value)


def serve(site: Path, port: int, policy: str | None = None, delay_ms: int = 0, mbps: float = 0):
    """Start serving ``site`` on 127.0.0.1:``port`` in a daemon thread; returns the server.
    ``delay_ms`` and ``mbps`` (0: none) make it a network link's round trip and bandwidth."""
    attrs: dict = {
        "policy": staticmethod(policy) if callable(policy) else policy,
        "delay_ms": delay_ms,
        "link": Link(mbps) if mbps else None,
        "bare": bare_worker(site),
    }
    load_headers = getattr(sitebuild.serve, "load_headers", None)  # the site's own headers (CSP), if any
    if load_headers is not None:
        attrs["site_headers"] = load_headers(site)
    handler_cls = type("Handler", (BenchHandler,), attrs)
    server = SiteServer(("127.0.0.1", port), functools.partial(handler_cls, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
