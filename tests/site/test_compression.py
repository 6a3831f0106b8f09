"""The built site's ``.gz`` and ``.br`` files (sitebuild/precompress.py) and how sitebuild/serve.py sends them."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

from sitebuild.precompress import MIN_BYTES, fresh_brotli, fresh_gzip, precompress, wanted
from sitebuild.serve import serve_in_background

SIM = "assets/simulator/"


def fetch(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """GET ``url`` as sent (no decoding): status, headers (names in any case), body."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, b""


def raw_get(url: str, accept: str | None, method: str = "GET") -> tuple[int, Message, bytes]:
    """``url`` with exactly this Accept-Encoding (None: no such header at all)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest(method, parts.path or "/", skip_accept_encoding=True)
        if accept is not None:
            conn.putheader("Accept-Encoding", accept)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def runtime_file(site_dir: Path, name: str) -> str:
    (path,) = (site_dir / SIM / "runtime").glob(f"*/pyodide/{name}")
    return path.relative_to(site_dir).as_posix()


def test_text_wasm_and_zip_files_have_a_gzip_and_a_brotli_of_their_current_content(site_dir):
    gzipped, in_brotli = set(), set()
    for path in site_dir.rglob("*"):
        if not path.is_file() or not fresh_gzip(path):
            continue
        rel = path.relative_to(site_dir).as_posix()
        gz = path.with_name(path.name + ".gz")
        assert wanted(path) and path.stat().st_size >= MIN_BYTES, path
        assert gzip.decompress(gz.read_bytes()) == path.read_bytes(), path
        gzipped.add(rel)
        if br := fresh_brotli(path):
            assert brotli.decompress(Path(br).read_bytes()) == path.read_bytes(), path
            assert Path(br).stat().st_size < gz.stat().st_size, path  # written only when smaller
            in_brotli.add(rel)
    # A .br is never written without a .gz beside it (its freshness rests on the .gz's).
    assert {p.relative_to(site_dir).as_posix()[:-3] for p in site_dir.rglob("*.br")} == in_brotli
    shipped = {runtime_file(site_dir, rel) for rel in ("pyodide.asm.wasm", "pyodide.asm.js", "python_stdlib.zip")}
    shipped |= {p.relative_to(site_dir).as_posix() for p in (site_dir / SIM / "wheels").rglob("*.whl")}
    assert len(shipped) == 6 and shipped <= gzipped and shipped <= in_brotli  # the zips hold stored entries
    assert {"index.html", "guide/index.html", SIM + "bridge.js", SIM + "widget.js"} <= gzipped & in_brotli
    assert any(re.fullmatch(SIM + r"worker\.[0-9a-f]{16}\.mjs", rel) for rel in gzipped)
    wasm = site_dir / runtime_file(site_dir, "pyodide.asm.wasm")
    assert (wasm.with_name(wasm.name + ".gz")).stat().st_size < wasm.stat().st_size / 2
    # MkDocs's own gzipped sitemap is published as it is, not taken for a stale .gz.
    assert gzip.decompress((site_dir / "sitemap.xml.gz").read_bytes()).startswith(b"<?xml")


DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.mark.parametrize("rel", ["wasm", "wheel", "guide/", "", SIM + "widget.js"])
def test_the_server_sends_brotli_or_gzip_only_to_browsers_that_accept_it(site_dir, site_url, rel):
    if rel == "wasm":
        rel = runtime_file(site_dir, "pyodide.asm.wasm")
    elif rel == "wheel":
        rel = next((site_dir / SIM / "wheels").rglob("phonenumberslite-*.whl")).relative_to(site_dir).as_posix()
    original = (site_dir / rel / "index.html" if rel.endswith("/") or not rel else site_dir / rel).read_bytes()

    sizes = {}
    for accept, encoding in (
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
    ):  # Chromium's, and without br
        status, headers, body = fetch(site_url + rel, **{"Accept-Encoding": accept})
        assert (status, headers.get("Content-Encoding"), headers.get("Vary")) == (200, encoding, "Accept-Encoding")
        assert int(headers["Content-Length"]) == len(body) < len(original)
        assert DECODE[encoding](body) == original
        sizes[encoding] = len(body)
    assert sizes["br"] < sizes["gzip"]
    plain_type = headers["Content-Type"]

    for accept in (None, "identity", "gzip;q=0, identity", "GZIP;Q=0, BR;q=0", "zstd", "*;q=0", "gzip;q=0, br;q=0, *"):
        status, headers, body = raw_get(site_url + rel, accept)
        assert (status, headers.get("Content-Encoding"), headers.get("Vary")) == (200, None, "Accept-Encoding"), accept
        assert body == original
        assert headers["Content-Type"] == plain_type  # the original's type either way
    for accept, encoding in (
        ("*", "br"),  # equal weights: the smaller file
        ("br;q=1, gzip;q=0.5", "br"),
        ("BR;q=0.4, gzip;q=0.5", "gzip"),  # the higher weight wins
        ("br;q=0, *", "gzip"),
        ("deflate, GZip;foo=1;q=0.2", "gzip"),
        ("x-gzip", "gzip"),
    ):
        status, headers, body = raw_get(site_url + rel, accept)
        assert (status, headers.get("Content-Encoding")) == (200, encoding), accept
        assert DECODE[encoding](body) == original, accept
        assert headers["Content-Type"] == plain_type

    # HEAD: the same headers, no body.
    status, headers, body = raw_get(site_url + rel, "gzip", method="HEAD")
    assert (status, headers.get("Content-Encoding"), body) == (200, "gzip", b"")

    # The browser's cache still revalidates: the .gz carries its original's time.
    _, headers, _ = fetch(site_url + rel, **{"Accept-Encoding": "gzip"})
    status, headers, body = fetch(
        site_url + rel, **{"Accept-Encoding": "gzip", "If-Modified-Since": headers["Last-Modified"]}
    )
    assert (status, body, headers.get("Vary"), headers.get("Content-Encoding")) == (304, b"", "Accept-Encoding", None)


def test_a_file_changed_after_the_build_is_never_sent_from_its_stale_gzip_or_brotli(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "a").mkdir(parents=True)
    script = site / "a" / "app.js"
    script.write_text("console.log('first');\n" * 200, encoding="utf-8")
    (site / "a" / "small.css").write_text("p{}", encoding="utf-8")
    (site / "a" / "data.zip").write_bytes(b"PK" + os.urandom(4000))  # as a deflated zip: no smaller
    totals = precompress(site, cache)
    assert totals["files"] == 1 and totals["gzipped"] < totals["original"]
    assert totals["brotli"] < totals["gzipped"]
    assert sorted(p.name for p in (site / "a").iterdir()) == [
        "app.js",
        "app.js.br",
        "app.js.gz",
        "data.zip",
        "small.css",
    ]

    server, url = serve_in_background(site)
    try:
        changed = "console.log('second');\n" * 200
        script.write_text(changed, encoding="utf-8")
        os.utime(script, ns=(script.stat().st_atime_ns, script.stat().st_mtime_ns + 10**9))
        for accept in ("gzip", "br", "gzip, deflate, br"):
            status, headers, body = fetch(url + "a/app.js", **{"Accept-Encoding": accept})
            assert (status, headers.get("Content-Encoding"), body.decode()) == (200, None, changed), accept

        # Rewritten with its old time kept (as `cp -p` would): the size gives it away.
        before = script.stat().st_mtime_ns
        script.write_text(changed + "console.log('third');\n", encoding="utf-8")
        os.utime(script, ns=(before, before))
        precompress(site, cache)
        script.write_text(changed, encoding="utf-8")
        os.utime(script, ns=(before, before))
        for accept in ("gzip", "br", "gzip, deflate, br"):
            status, headers, body = fetch(url + "a/app.js", **{"Accept-Encoding": accept})
            assert (status, headers.get("Content-Encoding"), body.decode()) == (200, None, changed), accept

        precompress(site, cache)  # the next build makes them fresh again
        status, headers, body = fetch(url + "a/app.js", **{"Accept-Encoding": "gzip, br"})
        assert (status, headers.get("Content-Encoding"), brotli.decompress(body).decode()) == (200, "br", changed)
        status, headers, body = fetch(url + "a/app.js", **{"Accept-Encoding": "gzip"})
        assert (status, headers.get("Content-Encoding"), gzip.decompress(body).decode()) == (200, "gzip", changed)

        script.with_name("app.js.gz").unlink()  # a .br whose .gz is gone is not trusted either
        status, headers, body = fetch(url + "a/app.js", **{"Accept-Encoding": "gzip, br"})
        assert (status, headers.get("Content-Encoding"), body.decode()) == (200, None, changed)

        script.unlink()  # a .br without its original is never sent for it
        status, headers, _ = fetch(url + "a/app.js", **{"Accept-Encoding": "gzip, br"})
        assert (status, headers.get("Content-Encoding")) == (404, None)
    finally:
        server.shutdown()
        server.server_close()


def test_the_hook_compresses_a_build_but_not_mkdocs_serves_rebuilds(tmp_path, monkeypatch):
    import sitebuild.precompress as hook

    monkeypatch.setattr(hook, "CACHE", tmp_path / "cache")
    page = tmp_path / "site" / "index.html"
    page.parent.mkdir()
    page.write_text("<p>Привет</p>\n" * 200, encoding="utf-8")
    hook.on_startup(command="serve", dirty=False)
    hook.on_post_build({"site_dir": str(page.parent)})
    assert not page.with_name("index.html.gz").exists() and not page.with_name("index.html.br").exists()
    hook.on_startup(command="build", dirty=False)
    hook.on_post_build({"site_dir": str(page.parent)})
    assert fresh_gzip(page) and fresh_brotli(page)
