"""Benchmark the simulator against bare Pyodide in headless Chromium: ``make bench``.

``python -m bench.run`` builds the site (``mkdocs build --strict``) into
``.cache/bench/site`` for a free port, serves it with ``sitebuild/serve.py``'s handler
(its caching and security headers included) plus a bench-only ``/_bench/``
directory (``bench/server.py``), and measures in headless Chromium, every figure
in the page on its ``performance.now()`` timeline (0 = navigation start; see
``bench/static/probe.js``), each cold visit in a fresh browser profile:

1. cold ready: ``/simulator/`` until the simulator is *ready for input*: its first
   screen is in the DOM and painted (the next animation frame), and the worker
   has answered a ``check`` of a phone number sent through the page's bridge the
   moment that screen appeared. In the same rounds, in a rotating order, the
   baseline: the same ``/simulator/`` page with its worker swapped for a bare
   ``loadPyodide()`` of the runtime directory the site serves (``bench/server.py``,
   by a cookie), until that worker answers the same ``check``; ratio =
   median(simulator) / median(that). Also for reference: the blank page
   ``/_bench/bare.html`` running the same bare ``loadPyodide()``, bare ``loadPyodide()``
   of the npm package's files as published, and the simulator's worker alone
   (``/_bench/worker.html``: the site's worker.mjs on a blank page, until it answers a
   phone ``check`` posted at once), which split the figure into what the boot itself
   adds and what the page around it does.
2. warm ready: the same again in a new tab of the same profile (HTTP cache filled),
   opened as soon as the cold visit is ready; warm / cold is the median over rounds of
   each warm visit over the cold one just before it (a load that drifts during the run
   moves both alike). For reference, not budgeted: the same when the cold visit stayed
   open ``DWELL_MS`` first (Chromium writes its compiled-wasm cache a while after the
   wasm was compiled; the budgeted figure never benefits from it).
3. step latency: a trusted click on a simulator button -> the next screen
   painted, over the whole flow (steps 1-9 and the code request), p50/p95.
4. keystroke latency: a key press in the phone and password fields -> the live
   feedback updated and painted, p50/p95.
5. main-thread long tasks (>= 50 ms) on ``/guide/`` at 1280 px, where the
   simulator is docked and boots: from navigation, and from the worker's creation
   (the boot), to 1 s after ready; the same windows with the simulator's scripts blocked.
   What the simulator causes: median with it - median without, in the boot window;
   over the whole load, the long tasks in which one of its scripts ran (long animation
   frames name each script of 5 ms or more and its time), the worst round.
6. the slowest live check: ``check`` requests sent through the page's bridge on a
   warm ``/simulator/?step=new-password``, until their replies, for inputs made to be
   slow (``check_inputs()``: passwords dense in the symbols zxcvbn reads as letters,
   every field at the protocol's limit); each input's fastest of 5, the slowest input.
7. deep links before Python: each ``?step=`` cold in a fresh profile, the runtime's
   wasm held back: navigation start -> that step's build-time screen painted; the slowest.
8. bytes: everything ``/`` transfers, none of it Pyodide's; a cold visit of
   ``/simulator/`` until ready, as transferred: the browser offering brotli (as over
   HTTPS) and offering gzip alone; the simulator's own files beyond the runtime.

9. a phone: cold ready of ``/simulator/`` and of npm's bare runtime with the CPU
   slowed 4x (CDP ``Emulation.setCPUThrottlingRate``) on a 20 Mbit/s, 60 ms network
   (``--phone-rounds``, budgeted) and on a 2 Mbit/s, 150 ms one (one round, reported;
   CDP ``Network.emulateNetworkConditions``). CDP slows the page's main thread more than
   a worker's: the site's worker page alone went 2.3 → 3.7 s at 4x where npm's bare
   ``loadPyodide()``, on the main thread, is slowed in full. The ratio flatters a
   worker against a main-thread boot by that much.

The harness never evaluates anything in a page while it measures (the probe
signals by console messages): Playwright's injected scripts take main-thread time.

It prints a table, writes ``bench/report.json`` (medians, min, max, samples, the
machine and its load) and exits 1 only when the run failed or ``/`` fetched a
Pyodide byte; timing budgets are reported, not asserted (``--check``: exit 1 on a
missed budget).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, SIM, Bench, build_site, chromium_version, load, log, machine, worker_path
from bench.measures import (
    PHONE_CPU,
    PHONE_NETWORKS,
    cold_and_warm,
    cold_bytes,
    deep_links,
    home_bytes,
    latencies,
    long_tasks,
    phone,
    slowest_checks,
)
from bench.report import evaluate, table
from bench.server import serve
from sitebuild.serve import free_port

#: What the bench can measure (``--only``); a report with all of them gets the budget table.
MEASURES = ("ready", "longtasks", "latency", "checks", "deeplinks", "bytes", "phone")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 9, not 5: between runs of 5 the cold ratios moved by ±0.05–0.07 on the 2-core VM
    # (bench/RESULTS.md, 2026-12-07); the median of 9 moves less.
    parser.add_argument("--rounds", type=int, default=9, help="cold rounds of each kind (default 9)")
    parser.add_argument("--phone-rounds", type=int, default=3, help="cold rounds on a phone's 20 Mbit/s (default 3)")
    parser.add_argument("--flows", type=int, default=3, help="runs through steps 1-9 (default 3)")
    parser.add_argument("--site", type=Path, help="serve this built site instead of building one")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--cache-control", help="send this Cache-Control for everything (to compare policies)")
    parser.add_argument("--only", help="comma-separated: " + ",".join(MEASURES))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "report.json")
    parser.add_argument("--label", default="", help="a note stored in the report")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(MEASURES)

    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}/"
    t0 = time.perf_counter()
    if args.site:
        site = args.site.resolve()
    else:
        site = ROOT / ".cache" / "bench" / "site"
        log(f"bench: building the site for {base} into {site.relative_to(ROOT)}")
        build_site(site, base)
    manifest = json.loads((site / SIM / "simulator.json").read_text(encoding="utf-8"))
    runtime_dir = manifest.get("runtime", "pyodide/")
    runtime_path = f"/{SIM}{runtime_dir}"
    server = serve(site, port, args.cache_control)
    if load() > (os.cpu_count() or 1):
        log(
            f"bench: warning: the machine is busy (load average {load():.1f} on {os.cpu_count()} cores): "
            "every figure will be slower and noisier than on an idle machine"
        )
    report: dict = {
        "label": args.label,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": machine(),
        "pyodide": manifest["pyodide"],
        "compiled": manifest.get("compiled"),
        "cache_control": args.cache_control or "as sitebuild/serve.py",
        "rounds": args.rounds,
        "flows": args.flows,
        "definitions": {
            "ready": "navigation start -> max(first simulator screen painted, reply to a phone `check` sent when "
            "that screen appeared); bare: navigation start -> loadPyodide() resolved",
            "step": "trusted click on a simulator button -> next screen in the DOM, then the next animation frame",
            "key": "trusted keydown in the phone/password field -> feedback box updated, then the next animation frame",
            "page_bare": "/simulator/ itself, its worker swapped for bench/static/bare-worker.mjs (plain "
            "loadPyodide() of the site's runtime directory, answering the probe's check once Python is up): "
            "the budgeted cold-ready baseline",
            "bare": "the bench-only /_bench/bare.html: plain loadPyodide() of the runtime directory the site "
            "serves (its stdlib py-compiled by sitebuild/stdlib.py); 'npm' is the same with the files of the "
            "pinned npm package as published",
            "worker": "the bench-only /_bench/worker.html: the site's worker.mjs on a blank page, navigation "
            "start -> its reply to a phone `check` posted at once",
            "long_tasks": "sum of PerformanceObserver 'longtask' durations on /guide/ at 1280 px, by start time: "
            "'load' from navigation, 'boot' from the simulator's worker being created, both to 1 s "
            "after ready; the same windows with the simulator's scripts blocked; caused = median(with) - "
            "median(without), at least 0; attributed = the long tasks overlapping a script of "
            "assets/simulator/ named by a 'long-animation-frame' entry, summed per load, the worst round",
            "check": "a live `check` request from /simulator/ to the worker and its reply (bridge.js "
            "request()), warm: each input's fastest of 5; inputs in bench/measures.py check_inputs()",
            "own_bytes": "bytes transferred on a cold visit of /simulator/ for assets/simulator/* outside the "
            "runtime directory: widget/bridge/worker JS+CSS (the worker carries the lockfile and "
            "the manifest), wheels",
        },
    }
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            b = Bench(pw, base, runtime_path, Path(tmp), worker_path(site))
            report["machine"]["chromium"] = chromium_version(pw)
            if "ready" in only:
                log(f"bench: cold and warm ready, {args.rounds} rounds, bare and simulator alternating")
                report["ready"] = cold_and_warm(b, args.rounds)
            if "longtasks" in only:
                log(f"bench: main-thread long tasks on /guide/, {args.rounds} rounds with and without the simulator")
                report["long_tasks"] = long_tasks(b, args.rounds)
            if "latency" in only:
                log(f"bench: step and keystroke latency, {args.flows} runs through the flow")
                report["latency"] = latencies(b, args.flows)
            if "checks" in only:
                log("bench: the slowest live check, warm, on /simulator/?step=new-password")
                report["checks"] = slowest_checks(b)
            if "deeplinks" in only:
                log("bench: each ?step= cold with the runtime's wasm held back")
                report["deeplinks"] = deep_links(b)
            if "bytes" in only:
                log("bench: bytes")
                report["bytes"] = {"home": home_bytes(b), "simulator": cold_bytes(b)}
            if "phone" in only:
                log(f"bench: a phone: CPU {PHONE_CPU}x slower, networks {', '.join(PHONE_NETWORKS)}")
                report["phone"] = phone(b, args.phone_rounds)
    finally:
        server.shutdown()
        server.server_close()
    report["seconds"] = round(time.perf_counter() - t0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    complete = only >= set(MEASURES)
    if complete:
        report["budgets"] = evaluate(report)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if complete:
        print(table(report))
    else:
        print(json.dumps({k: v for k, v in report.items() if k not in ("machine", "definitions")}, indent=1)[:6000])
    m = report["machine"]
    busy = f"load average {report['ready']['load_1min']['median']:.1f}; " if "ready" in report else ""
    print(
        f"\n{m['cpu']}, {m['cores']} cores, Chromium {m.get('chromium')}, Pyodide {report['pyodide']}; "
        f"{busy}{report['seconds']} s; report: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
    )
    if "bytes" in only and report["bytes"]["home"]["pyodide_bytes"]:
        print(f"bench: / fetched Pyodide files: {report['bytes']['home']['pyodide_urls']}", file=sys.stderr)
        return 1
    if args.check and complete and not all(b["ok"] for b in report["budgets"].values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
