"""Serve the built site on localhost: the server behind ``make serve`` and the e2e tests.

A plain ``http.server`` with the types the simulator needs (``.wasm`` as
``application/wasm`` so it compiles while streaming, ``.mjs`` as JavaScript), and
the build's ``.br`` and ``.gz`` files (``sitebuild/precompress.py``) sent encoded to
browsers that accept them, as a static host with precompressed files would.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import socket
import threading
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from sitebuild.precompress import fresh_brotli, fresh_gzip, wanted

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
}


#: URL paths whose content never changes: the name carries a hash (or version) of it.
IMMUTABLE = re.compile(
    r"""/assets/(?:
        simulator/wheels/[0-9a-f]{16}/[^/]+\.whl                  # wheels/<sha256>/…  (sitebuild/build.py)
      | simulator/worker\.[0-9a-f]{16}\.mjs                      # worker.<sha256>.mjs
      | simulator/runtime/[^/]+-[0-9a-f]{12}/pyodide/[^/]+        # runtime/<version>-<sha256>/pyodide/…
      | (?:javascripts|stylesheets)/(?:[\w-]+/)*[\w-]+\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?  # Material's bundles
      | javascripts/workers/search-ru\.[0-9a-f]{8}\.js            # the site's search (docs/hooks/search.py)
    )$""",
    re.X,
)


def cache_control(path: str, status: int = 200) -> str:
    """The ``Cache-Control`` value for a response to a request path.

    Content-addressed files may be kept a year without asking again; everything
    else (pages, unhashed scripts, the simulator's lockfile and manifest) is
    revalidated on every use, so a new build shows at once. Errors are not stored.
    """
    if status >= 400:
        return "no-store"
    if IMMUTABLE.search(unquote(urlsplit(path).path)):
        return "public, max-age=31536000, immutable"
    return "no-cache"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the right types, no caching surprises, and quiet logs."""

    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    #: Headers for every response, from the site's ``_headers`` (see :func:`load_headers`).
    site_headers: ClassVar[dict[str, str]] = {}

    #: The encodings sent, best first (the smaller file wins a tie of weights), each
    #: with its other names and how to find its fresh precompressed file.
    ENCODINGS = (("br", ("br",), fresh_brotli), ("gzip", ("gzip", "x-gzip"), fresh_gzip))

    def accepted(self) -> dict[str, float]:
        """The request's Accept-Encoding as ``{coding: q}`` (names lowercased)."""
        weights: dict[str, float] = {}
        for line in self.headers.get_all("Accept-Encoding") or ():
            for item in line.split(","):
                coding, *params = (part.strip() for part in item.split(";"))
                q = 1.0
                for param in params:
                    name, _, value = param.partition("=")
                    if name.strip().lower() == "q":
                        try:
                            q = float(value)
                        except ValueError:
                            q = 0.0
                if coding:
                    weights[coding.lower()] = q
        return weights

    def encoded(self, target: str) -> tuple[str, str] | None:
        """``(encoding, file)``: the fresh precompressed file of ``target`` to send, in the
        accepted encoding of highest weight (listed by name, or by ``*``), or None."""
        weights = self.accepted()
        offers = []
        for rank, (encoding, names, fresh) in enumerate(self.ENCODINGS):
            q = next((weights[n] for n in names if n in weights), weights.get("*", 0.0))
            if q > 0:
                offers.append((-q, rank, encoding, fresh))
        for _, _, encoding, fresh in sorted(offers):
            if found := fresh(target):
                return encoding, found
        return None

    def send_head(self):
        self._encoding, self._varies = None, False  # set by translate_path, for this request only
        return super().send_head()

    def translate_path(self, path: str) -> str:
        """The file to send: a fresh precompressed one beside it when the browser accepts it."""
        local = super().translate_path(path)
        target = local
        if os.path.isdir(local) and unquote(urlsplit(path).path).endswith("/"):
            target = os.path.join(local, "index.html")
        return self.packed(target) or local

    def packed(self, target: str) -> str | None:
        """The fresh precompressed file to send for the file ``target``, if the browser
        accepts its encoding (noted for the response's headers), else None."""
        if not os.path.isfile(target) or not wanted(Path(target)):
            return None
        self._varies = True
        found = self.encoded(target)
        if found is None:
            return None
        self._encoding, sent = found
        return sent

    def list_directory(self, path):
        """No listings: a directory without an index page is not found, as on a static host."""
        self.send_error(404, "File not found")
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page gets the site's own Russian ``404.html``, as a static host sends it."""
        page = Path(self.directory, "404.html")
        if code != 404 or self.command not in ("GET", "HEAD") or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)
        return None

    def guess_type(self, path) -> str:
        if getattr(self, "_encoding", None) and str(path).endswith((".gz", ".br")):
            path = str(path)[:-3]  # the original's type; Content-Encoding says how it is packed
        return super().guess_type(path)

    def end_headers(self) -> None:
        if getattr(self, "_varies", False):
            self.send_header("Vary", "Accept-Encoding")
            if self._encoding and getattr(self, "_status", 200) == 200:
                self.send_header("Content-Encoding", self._encoding)
        for name, value in self.site_headers.items():
            self.send_header(name, value)
        if "X-Content-Type-Options" not in self.site_headers:
            self.send_header("X-Content-Type-Options", "nosniff")
        # A malformed request line is answered (400, 414, 505) before self.path is set.
        path = getattr(self, "path", None)
        self.send_header("Cache-Control", cache_control(path, getattr(self, "_status", 200)) if path else "no-store")
        super().end_headers()

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code  # for the caching policy in end_headers
        super().send_response(code, message)

    def log_message(self, format: str, *args) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


class SiteServer(http.server.ThreadingHTTPServer):
    """Threaded; a browser that drops a download mid-way is not an error worth a traceback."""

    daemon_threads = True
    verbose = False

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def header_blocks(text: str) -> list[tuple[str, dict[str, str]]]:
    """A ``_headers`` file as its blocks, in order: (path, {name: value})."""
    blocks: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            blocks.append((line.strip(), {}))
        elif blocks and ":" in line:
            name, value = line.strip().split(":", 1)
            blocks[-1][1][name.strip()] = value.strip()
    return blocks


def load_headers(root: Path) -> dict[str, str]:
    """The ``/*`` block of ``<root>/_headers`` (written at build time: the CSP and friends;
    the per-file caching blocks are :func:`cache_control`'s, which this server applies itself)."""
    path = Path(root) / "_headers"
    if not path.exists():
        return {}
    return {
        k: v
        for where, block in header_blocks(path.read_text(encoding="utf-8"))
        if where == "/*"
        for k, v in block.items()
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for the tests and the bench)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_server(root: Path, host: str = "127.0.0.1", port: int = 0, verbose: bool = False):
    """Create (not start) a threaded server for ``root``; ``port=0`` picks a free port."""
    handler_class = type("Handler", (SiteHandler,), {"site_headers": load_headers(root)})
    handler = functools.partial(handler_class, directory=str(root))
    server = SiteServer((host, port), handler)
    server.verbose = verbose
    return server


def serve_in_background(root: Path, host: str = "127.0.0.1", port: int = 0):
    """Start a server in a daemon thread; returns ``(server, base_url)``."""
    server = make_server(root, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    h, p = server.server_address[:2]
    return server, f"http://{h}:{p}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="site", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=8000, type=int)
    args = parser.parse_args()
    server = make_server(args.root, args.host, args.port, verbose=True)
    print(f"Сайт: http://{args.host}:{args.port}/  (Ctrl+C — остановить)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
