"""What each speed lever gives: ``python -m bench.levers`` (a few minutes; not part of ``make bench``).

Builds the site once, derives one variant per lever switched *off*, serves each on
its own port and measures cold and warm ready (as ``bench.run`` defines them) for
bare Pyodide and every variant in the same rounds, in a rotating order, each visit
in a fresh browser profile. Interleaving keeps a busy machine from favouring one
variant; compare variants by their ratio to bare in the same run.

Variants (``--only`` picks some):

- ``all``: the site as built, every lever on;
- ``npm-stdlib``: the runtime's stdlib as the npm package ships it (source), not
  py-compiled (the wheels still are);
- ``no-pycompile``: nothing py-compiled, wheels nor stdlib (``sitebuild.build --no-compile``);
- ``pycompile-all``: every module py-compiled, none left as source (bigger wheels);
- ``unpacked``: the worker of the first commit of this benchmark's parent: Pyodide's
  ``loadPackage`` unpacks the wheels, downloads start when Pyodide asks;
- ``no-cache``: the server revalidates everything (``Cache-Control: no-cache``): warm only;
- ``late-start``: ``/simulator/`` without the inline script in its ``<head>`` that
  starts the worker (docs/overrides/main.html): widget.js starts it once Material
  has loaded the page and the widget is on screen;
- ``no-snapshot``: the worker before the start-up snapshot (Python started afresh on
  every visit, no snapshot taken); compare warm with ``--dwell 3000``, since the
  snapshot is stored at the first visit's first idle moment;
- ``no-modulepreload``: pages without the ``<link rel=modulepreload>`` of widget.js and
  bridge.js in their head (bridge.js is then fetched once widget.js has arrived);
  compare the first screen with ``--rtt``;
- ``fetched-lockfile``: the worker that fetched the lockfile and the manifest before
  it could ask for the wheels or look up its snapshot (they are written into it now);
  compare with ``--rtt``;
- ``revalidated-worker``: the worker's script revalidated on every visit (``no-cache``),
  as before it was named after its content; compare warm with ``--rtt``;
- ``no-gzip``: the site without the build's ``.gz`` and ``.br`` files
  (sitebuild/precompress.py), so everything is sent as it is; compare with ``--mbps``.

``--rtt MS`` makes the server wait that long between reading each request and answering
it: a round trip of a real network, not its bandwidth. The server speaks HTTP/1.0, one
request per connection, and Chromium opens at most 6 connections to a host: requests
beyond that queue, as over HTTP/1.1, but not over HTTP/2, where a page's requests share
one connection. So a chain of requests costs a round trip each, as anywhere, and a
crowd of parallel ones costs more here than on a host that speaks HTTP/2. ``--mbps N``
gives each variant's server one link of N megabits per second that all its responses
share (bare Pyodide's visits go through the first variant's).
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import SIM, Bench, build_site, load, log, restored, worker_path
from bench.server import serve
from bench.stats import summary
from sitebuild.output import WORKER_NAME_PATTERN
from sitebuild.precompress import CACHE as PRECOMPRESS_CACHE
from sitebuild.precompress import precompress
from sitebuild.serve import free_port

ROOT = Path(__file__).resolve().parent.parent

#: The line that named the runtime's directory in the workers of the commits compared
#: here (before the build's "@build:NAME@" markers).
OLD_RUNTIME_LINE = 'const RUNTIME_DIR = "pyodide/";'

#: The worker before this benchmark's changes (loadPackage; no early downloads).
UNPACKED_WORKER_COMMIT = "8aaac14"
#: The worker just before the start-up snapshot.
NO_SNAPSHOT_WORKER_COMMIT = "77b03d7"
#: The worker just before the lockfile and the manifest were written into it.
FETCHED_LOCKFILE_WORKER_COMMIT = "961dbb7"


def rebuild_bundle(site: Path, *, compile: bool, source_only: tuple | None = None) -> None:
    import sitebuild.build as build
    import sitebuild.pycompile as pycompile

    saved, named = pycompile.SOURCE_ONLY, worker_path(site)
    try:
        if source_only is not None:
            pycompile.SOURCE_ONLY = source_only
        build.build(site / SIM, ROOT, compile=compile, log=lambda _: None)
    finally:
        pycompile.SOURCE_ONLY = saved
    # The pages (and their CSP hashes) name the first build's worker: keep that name.
    rebuilt = worker_path(site)
    (site / rebuilt.lstrip("/")).rename(site / named.lstrip("/"))
    bridge = site / SIM / "bridge.js"
    bridge.write_text(
        bridge.read_text(encoding="utf-8").replace(rebuilt.rsplit("/", 1)[1], named.rsplit("/", 1)[1]), encoding="utf-8"
    )


def npm_stdlib(site: Path) -> None:
    manifest_path = site / SIM / "simulator.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    src = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
    dest = site / SIM / manifest["runtime"] / src.name
    # The progress bar's total, in the manifest and in the copy of it inside worker.mjs:
    # the file's size, and its transferred size (the stale .gz beside it is not sent).
    entry = json.dumps(manifest["runtime"] + src.name) + ":"
    worker = site / worker_path(site).lstrip("/")
    text = worker.read_text(encoding="utf-8")
    if text.count(entry + str(dest.stat().st_size)) != 1:
        raise RuntimeError(f"worker.mjs does not carry the size of {dest.name}")
    text = text.replace(entry + str(dest.stat().st_size), entry + str(src.stat().st_size))
    text, sent = re.subn(r'("transferred":\{[^}]*' + re.escape(entry) + r")\d+", rf"\g<1>{src.stat().st_size}", text)
    if sent != 1:
        raise RuntimeError(f"worker.mjs does not carry the transferred size of {dest.name}")
    worker.write_text(text, encoding="utf-8")
    manifest["files"][manifest["runtime"] + src.name] = src.stat().st_size
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    shutil.copyfile(src, dest)


def old_worker(site: Path, commit: str, runtime_line: str, runtime_code: str) -> None:
    """The worker of ``commit`` (``web/worker.mjs``; ``demo/worker.mjs`` before the browser
    files had their own folder), pointed at this build's runtime directory, in place of
    this build's worker (under its name: each variant is served from its own origin)."""
    manifest = json.loads((site / SIM / "simulator.json").read_text(encoding="utf-8"))
    for path in ("web/worker.mjs", "demo/worker.mjs"):
        shown = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            old = shown.stdout
            break
    else:
        raise RuntimeError(f"{commit} has no worker.mjs")
    if runtime_line not in old:
        raise RuntimeError(f"{commit}:{path} has no {runtime_line!r}")
    old = old.replace(runtime_line, runtime_code.format(json.dumps(manifest["runtime"])))
    (site / worker_path(site).lstrip("/")).write_text(old, encoding="utf-8")


def unpacked_worker(site: Path) -> None:
    """The old worker (loadPackage)."""
    old_worker(site, UNPACKED_WORKER_COMMIT, 'new URL("pyodide/", BASE)', "new URL({}, BASE)")


def worker_at(commit: str):
    """A variant: the worker of ``commit``, one that names its runtime as this one does."""
    return lambda site: old_worker(site, commit, OLD_RUNTIME_LINE, "const RUNTIME_DIR = {};")


def no_modulepreload(site: Path) -> None:
    links = re.compile(r'<link rel="modulepreload" href="[^"]*/simulator/(?:widget|bridge)\.js">\s*')
    for page in site.rglob("*.html"):
        html, n = links.subn("", page.read_text(encoding="utf-8"))
        if page.parent.name == "simulator" and n != 2:
            raise RuntimeError(f"{page}: {n} modulepreload links, expected 2")
        page.write_text(html, encoding="utf-8")


def no_gzip(site: Path) -> None:
    for packed in (*site.rglob("*.gz"), *site.rglob("*.br")):
        packed.unlink()


def late_start(site: Path) -> None:
    page = site / "simulator" / "index.html"
    html = page.read_text(encoding="utf-8")
    start = html.index("<script>(function(url) {")
    end = html.index("</script>", start) + len("</script>")
    page.write_text(html[:start] + html[end:], encoding="utf-8")


VARIANTS = {
    "all": (None, None),
    "npm-stdlib": (npm_stdlib, None),
    "no-pycompile": (lambda site: rebuild_bundle(site, compile=False), None),
    "pycompile-all": (lambda site: rebuild_bundle(site, compile=True, source_only=()), None),
    "unpacked": (unpacked_worker, None),
    "no-cache": (None, "no-cache"),
    "late-start": (late_start, None),
    "no-snapshot": (worker_at(NO_SNAPSHOT_WORKER_COMMIT), None),
    "fetched-lockfile": (worker_at(FETCHED_LOCKFILE_WORKER_COMMIT), None),
    "no-modulepreload": (no_modulepreload, None),
    "no-gzip": (no_gzip, None),
    "revalidated-worker": (None, lambda path: "no-cache" if WORKER_NAME_PATTERN.search(path) else None),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", help=f"comma-separated, from: {', '.join(VARIANTS)}")
    parser.add_argument("--dwell", type=int, default=0, help="ms the first visit stays open before the warm one")
    parser.add_argument("--rtt", type=int, default=0, help="ms the server waits before each answer")
    parser.add_argument("--mbps", type=float, default=0, help="bandwidth of each variant's link (0: unlimited)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "report-levers.json")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(VARIANTS)

    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    work = ROOT / ".cache" / "bench" / "levers"
    base_site = work / "all"
    log(f"levers: building the site into {base_site.relative_to(ROOT)}")
    build_site(base_site, "http://127.0.0.1:8000/")  # full page loads only: site_url does not matter
    servers, bases = [], {}
    for name in names:
        change, policy = VARIANTS[name]
        site = base_site
        if change is not None:
            site = work / name
            shutil.rmtree(site, ignore_errors=True)
            shutil.copytree(base_site, site)
            change(site)
            if name != "no-gzip":  # what the change rewrote gets a fresh .gz, as a build would give it
                precompress(site, PRECOMPRESS_CACHE)
        port = free_port()
        servers.append(serve(site, port, policy, delay_ms=args.rtt, mbps=args.mbps))
        bases[name] = f"http://127.0.0.1:{port}/"
    manifest = json.loads((base_site / SIM / "simulator.json").read_text(encoding="utf-8"))
    results = {
        name: {"cold": [], "warm": [], "restored": 0, "screen_cold": [], "screen_warm": []} for name in ["bare", *names]
    }
    loads = []
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="levers-") as tmp:
            b = Bench(pw, bases[names[0]], f"/{SIM}{manifest['runtime']}", Path(tmp))
            kinds = ["bare", *names]
            for i in range(args.rounds):
                loads.append(load())
                order = kinds[i % len(kinds) :] + kinds[: i % len(kinds)]
                for kind in order:
                    ctx = b.context()
                    page = ctx.pages[0] if ctx.pages else ctx.new_page()
                    visit = b.bare if kind == "bare" else functools.partial(b.simulator, base=bases[kind])
                    cold, warm = b.cold_then_warm(ctx, page, visit, args.dwell)
                    ctx.close()
                    results[kind]["cold"].append(cold["marks"]["ready"])
                    results[kind]["warm"].append(warm["marks"]["ready"])
                    results[kind]["restored"] += restored(warm)
                    if kind != "bare":  # the simulator's first screen painted
                        results[kind]["screen_cold"].append(cold["marks"]["painted"])
                        results[kind]["screen_warm"].append(warm["marks"]["painted"])
                log(
                    f"  round {i + 1}/{args.rounds} (load {loads[-1]:.1f}): "
                    + ", ".join(f"{k} {results[k]['cold'][-1]:.0f}/{results[k]['warm'][-1]:.0f}" for k in kinds)
                )
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    bare = statistics.median(results["bare"]["cold"])
    report = {
        "rounds": args.rounds,
        "dwell_ms": args.dwell,
        "rtt_ms": args.rtt,
        "mbps": args.mbps,
        "load_1min": summary(loads),
        "seconds": round(time.perf_counter() - t0),
    }
    print(
        "| variant | cold ready, median [min–max] | cold / bare | warm ready | warm / cold | warm restored "
        "| first screen cold / warm |"
    )
    print("|---|---|---|---|---|---|---|")
    for kind, r in results.items():
        cold, warm = statistics.median(r["cold"]), statistics.median(r["warm"])
        report[kind] = {
            "cold": summary(r["cold"]),
            "warm": summary(r["warm"]),
            "cold_ratio": round(cold / bare, 3),
            "warm_over_cold": round(warm / cold, 3),
            "warm_restored": r["restored"],
        }
        screen = "—"
        if r["screen_cold"]:
            report[kind] |= {"screen_cold": summary(r["screen_cold"]), "screen_warm": summary(r["screen_warm"])}
            screen = f"{statistics.median(r['screen_cold']):.0f} / {statistics.median(r['screen_warm']):.0f} ms"
        print(
            f"| {kind} | {cold:.0f} [{min(r['cold']):.0f}–{max(r['cold']):.0f}] ms | {cold / bare:.2f} | "
            f"{warm:.0f} ms | {warm / cold:.2f} | {r['restored']} of {len(r['warm'])} | {screen} |"
        )
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"\n{report['seconds']} s, load {report['load_1min']['median']}; report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
