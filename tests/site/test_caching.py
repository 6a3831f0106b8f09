"""Caching: content-addressed files (the Pyodide runtime, the wheels, Material's
bundles) may be cached for good; everything else is revalidated on every use."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from recovery_core import messages as M
from sitebuild.runtime import RUNTIME_FILES, pyodide_runtime
from sitebuild.serve import cache_control
from tests.site.built import built_value, transferred_sizes, worker_bundled

ROOT = Path(__file__).resolve().parents[2]

SIM = "assets/simulator/"
FOREVER = "public, max-age=31536000, immutable"


def manifest(site_dir: Path) -> dict:
    return json.loads((site_dir / SIM / "simulator.json").read_text(encoding="utf-8"))


def worker_file(site_dir: Path) -> Path:
    """The built worker: the one worker.<16 hex digits>.mjs, no other worker*.mjs beside it."""
    (path,) = (site_dir / SIM).glob("worker*.mjs")
    assert re.fullmatch(r"worker\.[0-9a-f]{16}\.mjs", path.name), path.name
    return path


def test_the_worker_is_named_after_its_content_and_the_pages_name_it(site_dir):
    worker = worker_file(site_dir)
    assert worker.name == f"worker.{hashlib.sha256(worker.read_bytes()).hexdigest()[:16]}.mjs"
    bridge = (site_dir / SIM / "bridge.js").read_text(encoding="utf-8")
    assert f'const WORKER_URL = new URL("./{worker.name}", import.meta.url);' in bridge
    head = (site_dir / "simulator" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert f'"../assets/simulator/{worker.name}"' in head


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers)


def test_runtime_sits_in_a_directory_named_after_its_version_and_content(site_dir):
    m = manifest(site_dir)
    digest = hashlib.sha256()
    for name in RUNTIME_FILES:
        digest.update(
            name.encode() + b"\0" + hashlib.sha256((site_dir / SIM / m["runtime"] / name).read_bytes()).digest()
        )
    assert m["runtime"] == f"runtime/{pyodide_runtime().version}-{digest.hexdigest()[:12]}/pyodide/"
    assert not (site_dir / SIM / "pyodide").exists()
    worker = worker_file(site_dir).read_text(encoding="utf-8")
    assert built_value(worker_bundled(), worker, "RUNTIME_DIR") == m["runtime"]


def test_the_worker_carries_its_own_version_for_the_snapshot_key(site_dir):
    """A changed worker must never restore a snapshot an older one took."""
    source = worker_bundled()
    worker = worker_file(site_dir).read_text(encoding="utf-8")
    version = hashlib.sha256(source.encode()).hexdigest()[:16]
    assert built_value(source, worker, "WORKER_VERSION") == version


def test_the_worker_carries_the_published_manifest_and_lockfile(site_dir):
    """The worker starts its downloads without fetching them: its copies must be the ones
    beside it. Its manifest adds each file's bytes as transferred (the .gz beside it, if
    any), which the progress bar counts: their sum is the launch text's «около N МБ»."""
    source = worker_bundled()
    worker = worker_file(site_dir).read_text(encoding="utf-8")
    carried = {name: built_value(source, worker, name) for name in ("MANIFEST", "LOCKFILE")}
    sent = carried["MANIFEST"].pop("transferred")
    assert carried["MANIFEST"] == json.loads((site_dir / SIM / "simulator.json").read_text(encoding="utf-8"))
    assert carried["LOCKFILE"] == json.loads((site_dir / SIM / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert carried["LOCKFILE"]["packages"], "the lockfile names the wheels"
    assert sent == transferred_sizes(site_dir)
    assert sum(sent.values()) < sum(carried["MANIFEST"]["files"].values()) / 2  # the wasm compresses well
    texts = built_value(source, worker, "TEXTS")
    assert f"около {M.download_size(sum(sent.values()))}." in texts["ui"]["launch_text"]


def test_each_wheel_sits_in_a_directory_named_after_its_sha256(site_dir):
    lock = json.loads((site_dir / SIM / "pyodide-lock.json").read_text(encoding="utf-8"))
    for pkg in lock["packages"].values():
        path = site_dir / SIM / pkg["file_name"]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == pkg["sha256"]
        assert path.parent.name == digest[:16]


def test_content_addressed_files_are_cached_for_good_the_rest_revalidated(site_dir, site_url):
    m = manifest(site_dir)
    forever = [SIM + rel for rel in m["files"]]  # the runtime and the wheels
    forever.append(worker_file(site_dir).relative_to(site_dir).as_posix())
    forever += [
        p.relative_to(site_dir).as_posix()
        for p in (site_dir / "assets").glob("*/*.[0-9a-f]*.min.*")
        if p.suffix not in (".gz", ".br")
    ]  # the .gz and .br beside a file are sent for its URL
    forever += [
        p.relative_to(site_dir).as_posix() for p in (site_dir / "assets/javascripts/workers").glob("search-ru.*.js")
    ]
    assert any("search-ru." in p for p in forever)
    assert any("bundle." in p for p in forever) and any("main." in p for p in forever)
    revalidated = [
        "",
        "guide/",
        "simulator/",
        "sitemap.xml",
        "search/search_index.json",
        SIM + "bridge.js",
        SIM + "widget.js",
        SIM + "widget.css",
        SIM + "simulator.json",
        SIM + "pyodide-lock.json",
        "assets/site.js",
    ]
    for rel in forever:
        status, headers = get(site_url + rel)
        assert (status, headers["Cache-Control"]) == (200, FOREVER), rel
    for rel in revalidated:
        status, headers = get(site_url + rel)
        assert (status, headers["Cache-Control"]) == (200, "no-cache"), rel


@pytest.mark.parametrize("rel", [SIM + "wheels/", SIM + "runtime/", "assets/"])
def test_directories_without_an_index_page_are_not_listed(site_url, rel):
    assert get(site_url + rel)[0] == 404
    assert get(site_url + "guide/")[0] == 200


@pytest.mark.parametrize("rel", ["guide/step-9/", "no-such-page", SIM + "wheels/"])
def test_an_unknown_address_gets_the_sites_russian_404_page(site_dir, site_url, rel):
    """Not Python's English error page: the site's own, with its links, status 404."""
    try:
        urllib.request.urlopen(site_url + rel)
        raise AssertionError(f"{rel} answered 200")
    except urllib.error.HTTPError as err:
        status, headers, body = err.code, err.headers, err.read()
    assert (status, headers["Cache-Control"], headers["Content-Type"]) == (404, "no-store", "text/html; charset=utf-8")
    assert body == (site_dir / "404.html").read_bytes()
    assert "Такой страницы нет" in body.decode("utf-8") and "Not found" not in body.decode("utf-8")


def test_errors_are_never_stored(site_dir, site_url):
    wheel = next(rel for rel in manifest(site_dir)["files"] if rel.endswith(".whl"))
    missing = SIM + wheel.replace(".whl", "-missing.whl")
    status, headers = get(site_url + missing)
    assert (status, headers["Cache-Control"]) == (404, "no-store")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "no-cache"),
        ("/assets/simulator/wheels/0123456789abcdef/x-1.0-cp313-none-any.whl", FOREVER),
        ("/assets/simulator/wheels/0123456789abcdef/x-1.0-cp313-none-any.whl?v=2", FOREVER),
        ("/assets/simulator/wheels/0123456789abcdef/../../bridge.js", "no-cache"),
        ("/assets/simulator/worker.0123456789abcdef.mjs", FOREVER),
        ("/assets/simulator/worker.mjs", "no-cache"),
        ("/assets/simulator/worker.latest.mjs", "no-cache"),
        ("/assets/simulator/wheels/latest/x-1.0-cp313-none-any.whl", "no-cache"),
        ("/assets/simulator/runtime/0.29.5-0123456789ab/pyodide/pyodide.asm.wasm", FOREVER),
        ("/assets/simulator/runtime/0.29.5/pyodide/pyodide.asm.wasm", "no-cache"),
        ("/assets/simulator/pyodide/pyodide.asm.wasm", "no-cache"),
        ("/assets/javascripts/bundle.79ae519e.min.js", FOREVER),
        ("/assets/javascripts/workers/search.2c215733.min.js", FOREVER),
        ("/assets/javascripts/workers/search-ru.0123abcd.js", FOREVER),
        ("/assets/javascripts/workers/search-ru.js", "no-cache"),
        ("/assets/stylesheets/main.484c7ddc.min.css.map", FOREVER),
        ("/assets/javascripts/lunr/min/lunr.ru.min.js", "no-cache"),
    ],
)
def test_cache_control_by_path(path, expected):
    assert cache_control(path) == expected


def test_no_page_refers_to_the_runtime_or_the_wheels(site_dir):
    """Only the worker fetches them, and only once a page starts it: ``/`` never does."""
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert SIM + "runtime/" not in html and SIM + "wheels/" not in html, page


@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        (b"GARBAGE\r\n", 400),  # not «METHOD PATH VERSION»
        (b"GET / HTTP/9.9\r\n", 505),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n", 414),
    ],
)
def test_a_malformed_request_line_gets_the_stock_answer(site_url, request_line, status, capfd):
    """As stock http.server does: an error status, not a dropped connection and a
    traceback (the site's headers need a path that such a request never got)."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(site_url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(request_line + b"\r\n")
        answer = sock.makefile("rb").read()  # the server closes after an error
    # Before a version is read the answer is HTTP/0.9-style: the error page alone.
    assert f"Error code: {status}".encode() in answer, answer[:300]
    assert "Traceback" not in capfd.readouterr().err


def headers_blocks(site_dir: Path) -> dict[str, dict[str, str]]:
    """``_headers`` as {path: {name: value}}; a path listed twice fails."""
    from sitebuild.serve import header_blocks

    blocks = header_blocks((site_dir / "_headers").read_text(encoding="utf-8"))
    paths = [where for where, _ in blocks]
    assert len(paths) == len(set(paths)), sorted({p for p in paths if paths.count(p) > 1})
    return dict(blocks)


def test_headers_give_every_file_the_servers_caching_policy_once(site_dir):
    """A static host reading _headers caches what the local server caches, and nothing
    gets two Cache-Control values (hosts join every block that matches)."""
    from sitebuild.headers_hook import urls

    blocks = headers_blocks(site_dir)
    assert "Cache-Control" not in blocks["/*"]
    for url in urls(site_dir):
        assert blocks[url] == {"Cache-Control": cache_control(url)}, url
    assert blocks["/guide/"]["Cache-Control"] == "no-cache"
    wasm = next(u for u in blocks if u.endswith("pyodide.asm.wasm"))
    assert blocks[wasm]["Cache-Control"] == FOREVER
    assert set(blocks) == {"/*", *urls(site_dir)}


def test_a_deploy_build_with_site_url_on_this_machine_stops_with_a_clear_message(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SITE_LOCAL"}
    env.update(SITE_URL="http://127.0.0.1:8000/", NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "s")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "SITE_URL=https://example.org/ make build" in done.stderr
