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
   moment that screen appeared. In the same rounds, in a rotating order, the bare
   page ``/_bench/bare.html``: plain ``loadPyodide()`` of the runtime directory the
   site serves, until it resolves; ratio = median(simulator) / median(bare). Also
   for reference: bare ``loadPyodide()`` of the npm package's files as published, and
   the simulator's worker alone (``/_bench/worker.html``: the site's worker.mjs on a
   blank page, until it answers a phone ``check`` posted at once), which splits the
   ratio into what the boot itself adds and what the page around it does.
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
   What the simulator causes: median with it - median without, in the boot window.
6. bytes: everything ``/`` transfers, none of it Pyodide's; the simulator's own
   files beyond the Pyodide runtime, as transferred on a cold visit.

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
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.server import MOUNT, serve  # noqa: E402
from sitebuild.output import WORKER_NAME_PATTERN  # noqa: E402
from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PROBE = Path(__file__).resolve().parent / "static" / "probe.js"
READY_TIMEOUT = 90_000
#: The runtime as the npm package publishes it (bench/server.py), for a second baseline.
NPM_RUNTIME = "/_bench/npm/"
DESKTOP = {"width": 1280, "height": 900}
SIM = "assets/simulator/"
#: The simulator's scripts, blocked for the "without the simulator" long-task baseline.
SIMULATOR_SCRIPTS = re.compile(r"/assets/simulator/[^?#]*\.m?js(?:[?#].*)?$")
EMAIL = "test.reader@example.com"
PHONE_KEYS = "89123456789"
PASSWORD = "Lastochka-Vertolet-Siren-42"
KEY_DELAY = 120  # ms between key presses: a brisk typist
SETTLE_MS = 1000  # long tasks are counted until this long after ready
#: For reference: the first visit stays open this long after ready before the second
#: (a reader reading step 1), time for Chromium to write its compiled-wasm cache.
DWELL_MS = 3000

BUDGETS = {
    "cold_ratio": 1.15,
    "warm_over_cold": 0.8,
    "step_p95_ms": 50,
    "key_p95_ms": 30,
    "longtask_ms_caused": 0,
    "home_pyodide_bytes": 0,
    "simulator_own_bytes": 1_200_000,
}


def budget_text(key: str, prefix: str = "") -> str:
    """The table's budget column, from :data:`BUDGETS`: «≤ 1.15», «p95 ≤ 50 ms», «≤ 1 200 kB», «0 B»."""
    limit = BUDGETS[key]
    if key.endswith("_bytes"):
        text = "0 B" if limit == 0 else f"≤ {limit / 1000:,.0f} kB".replace(",", " ")
    elif key.endswith("_ms") or key.endswith("_ms_caused"):
        text = f"{limit} ms" if limit == 0 else f"≤ {limit} ms"
    else:
        text = f"≤ {limit:.2f}"
    return f"{prefix}{text}"


# ---------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def summary(values: list[float], digits: int = 1) -> dict:
    """median, min, max (and p50/p95 from 5 samples on) of ``values``."""
    if not values:
        return {"n": 0}
    out = {
        "n": len(values),
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }
    if len(values) >= 5:
        q = statistics.quantiles(values, n=100, method="inclusive")
        out["p50"], out["p95"] = round(q[49], digits), round(q[94], digits)
    out["samples"] = [round(v, digits) for v in values]
    return out


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build_site(dest: Path, site_url: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url, "SITE_LOCAL": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(dest)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: mkdocs build failed:\n{done.stdout}{done.stderr}")


def load() -> float:
    """The 1-minute load average: how busy the machine was (other work skews every figure)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return -1.0


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "os": platform.platform(), "python": platform.python_version()}


# ---------------------------------------------------------------- browser


@dataclass
class Bench:
    playwright: object
    base: str
    runtime_path: str
    tmp: Path
    worker_path: str = ""  # URL path of the site's worker.<sha>.mjs (for the worker-alone page)

    def context(self, viewport=DESKTOP):
        """A fresh browser with a fresh profile on disk: empty HTTP and code caches."""
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=self.tmp))
        ctx = self.playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=viewport,
            locale="ru-RU",
            service_workers="block",
        )
        ctx.add_init_script(path=str(PROBE))
        ctx.set_default_timeout(READY_TIMEOUT)
        return ctx

    def visit(self, page, url: str, collect: bool = True) -> dict:
        """Load ``url`` and wait for the probe's "bench:ready <ms>"; then (``collect``) its data.

        Nothing is evaluated in the page until then: Playwright's own injected
        scripts would take main-thread time (tens of ms) in the middle of a measurement.
        """
        with page.expect_console_message(signal("ready"), timeout=READY_TIMEOUT) as message:
            page.goto(url)
        text = message.value.text
        if not text.startswith("bench:ready "):
            raise RuntimeError(f"{url}: {text}")
        if not collect:  # "bench:ready <ready> [<spawn>]"
            return {"marks": dict(zip(("ready", "spawn"), map(float, text.split()[1:]), strict=False))}
        return page.evaluate("() => window.__bench")

    def bare(self, page, runtime: str | None = None) -> dict:
        return self.visit(page, f"{self.base}{MOUNT[1:]}bare.html?runtime={runtime or self.runtime_path}")

    def worker(self, page) -> dict:
        return self.visit(page, f"{self.base}{MOUNT[1:]}worker.html?worker={self.worker_path}")

    def simulator(self, page, path: str = "simulator/", base: str | None = None) -> dict:
        return self.visit(page, (base or self.base) + path)

    @staticmethod
    def cold_then_warm(ctx, page, visit, dwell_ms: int = 0) -> tuple[dict, dict]:
        """``visit(page)`` in a fresh profile, then ``visit`` again in a new tab of it (HTTP
        cache filled), the first tab closed at once or after staying open ``dwell_ms``."""
        cold = visit(page)
        if dwell_ms:
            page.wait_for_timeout(dwell_ms)
        page.close()
        return cold, visit(ctx.new_page())


def restored(visit: dict) -> bool:
    """Whether a visit's worker restored Python from the start-up snapshot (its timings' ``from``)."""
    return (visit.get("timings") or {}).get("from") == "snapshot"


def signal(name: str):
    """A console-message predicate: the probe's "bench:<name>", or any "bench:error"."""
    return lambda m: m.text == f"bench:{name}" or m.text.startswith((f"bench:{name} ", "bench:error"))


def transferred(requests: list) -> list[dict]:
    """URL, status and transferred body bytes of finished requests."""
    out = []
    for req in requests:
        try:
            sizes = req.sizes()
            resp = req.response()
        except Exception:
            continue
        body = sizes["responseBodySize"]
        if not body and resp is not None and resp.status == 200:
            # Chromium reports no body size for a worker's own script: take Content-Length.
            body = int(resp.headers.get("content-length") or 0)
        out.append(
            {
                "url": req.url,
                "status": resp.status if resp else None,
                "body": body,
                "headers": sizes["responseHeadersSize"],
            }
        )
    return out


def cold_and_warm(b: Bench, rounds: int) -> dict:
    sim_cold, sim_warm, bare_cold, bare_warm, timings, files, loads = [], [], [], [], [], None, []
    npm_cold, worker_cold, dwell_cold, dwell_warm = [], [], [], []
    warm_restored = dwell_restored = 0  # warm visits whose Python was restored from the snapshot
    kinds = ("bare", "sim", "npm", "worker", "dwell")
    for i in range(rounds):
        loads.append(load())
        for kind in kinds[i % len(kinds) :] + kinds[: i % len(kinds)]:
            ctx = b.context()
            finished: list = []
            ctx.on("requestfinished", lambda req, finished=finished: finished.append(req))
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            if kind == "npm":
                npm_cold.append(b.bare(page, NPM_RUNTIME)["marks"]["ready"])
            elif kind == "worker":
                worker_cold.append(b.worker(page)["marks"]["ready"])
            elif kind == "dwell":
                cold, warm = b.cold_then_warm(ctx, page, b.simulator, DWELL_MS)
                dwell_cold.append(cold["marks"]["ready"])
                dwell_warm.append(warm["marks"]["ready"])
                dwell_restored += restored(warm)
            elif kind == "bare":
                cold, warm = b.cold_then_warm(ctx, page, b.bare)
                bare_cold.append(cold["marks"]["ready"])
                bare_warm.append(warm["marks"]["ready"])
            else:  # as cold_then_warm, counting the cold visit's requests before the warm one adds its own
                data = b.simulator(page)
                sim_cold.append(data["marks"]["ready"])
                timings.append({**data["timings"], **{k: round(v) for k, v in data["marks"].items()}})
                if files is None:
                    files = transferred(finished)
                page.close()
                warm = b.simulator(ctx.new_page())
                sim_warm.append(warm["marks"]["ready"])
                warm_restored += restored(warm)
            ctx.close()
        log(
            f"  round {i + 1}/{rounds}: bare {bare_cold[-1]:.0f} ms, simulator {sim_cold[-1]:.0f} ms cold, "
            f"{sim_warm[-1]:.0f} ms warm (bare warm {bare_warm[-1]:.0f}); worker alone {worker_cold[-1]:.0f} ms; "
            f"npm's bare {npm_cold[-1]:.0f} ms; after {DWELL_MS / 1000:.0f} s open {dwell_cold[-1]:.0f} → "
            f"{dwell_warm[-1]:.0f} ms; load {loads[-1]:.1f}"
        )
    ratios = [s / r for s, r in zip(sim_cold, bare_cold, strict=True)]
    warm_ratios = [w / c for w, c in zip(sim_warm, sim_cold, strict=True)]
    return {
        "simulator_cold": summary(sim_cold),
        "bare_cold": summary(bare_cold),
        "cold_ratio": round(statistics.median(sim_cold) / statistics.median(bare_cold), 3),
        "cold_ratio_per_round": summary(ratios, 3),
        "worker_cold": summary(worker_cold),
        "worker_ratio": round(statistics.median(worker_cold) / statistics.median(bare_cold), 3),
        "bare_npm_cold": summary(npm_cold),
        "cold_ratio_to_npm": round(statistics.median(sim_cold) / statistics.median(npm_cold), 3),
        "simulator_warm": summary(sim_warm),
        "bare_warm": summary(bare_warm),
        "warm_over_cold": round(statistics.median(sim_warm) / statistics.median(sim_cold), 3),
        # Each warm visit over the cold one just before it, in the same profile: a load
        # that changes during the run moves both alike. The budget is checked on this.
        "warm_over_cold_per_round": summary(warm_ratios, 3),
        "dwell_ms": DWELL_MS,
        "warm_over_cold_after_dwell_per_round": summary(
            [w / c for w, c in zip(dwell_warm, dwell_cold, strict=True)], 3
        ),
        # The worker restores Python from the snapshot the first visit stored, once stored.
        "warm_from_snapshot": warm_restored,
        "warm_after_dwell_from_snapshot": dwell_restored,
        "simulator_timings": timings,
        "load_1min": summary(loads),
        "_files": files,
    }


def long_tasks(b: Bench, rounds: int) -> dict:
    """Long tasks on /guide/ at 1280 px, with the simulator and with its scripts blocked.

    Two windows, the same for both variants of a round (the latest run with the
    simulator sets them): the whole load (navigation -> 1 s after ready), and the
    simulator's boot (its worker created -> 1 s after ready), where the page itself
    has settled and what remains is what the simulator does. A task counts in the
    window where it starts.
    """
    load = {"on": [], "off": []}
    boot = {"on": [], "off": []}
    detail = []
    window = None  # (spawn, end): set by the first round, which runs with the simulator first
    for i in range(rounds):
        for kind in ("on", "off") if i % 2 == 0 else ("off", "on"):
            ctx = b.context(DESKTOP)
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            if kind == "off":  # its scripts: widget.js, bridge.js and the worker the page's head starts
                ctx.route(SIMULATOR_SCRIPTS, lambda route: route.abort())
            started = time.monotonic()
            if kind == "on":
                marks = b.visit(page, b.base + "guide/", collect=False)["marks"]
                window = (marks["spawn"], marks["ready"] + SETTLE_MS)
            else:
                page.goto(b.base + "guide/")
            spawn, end = window
            # No evaluation in the page until the window is over.
            time.sleep(max(0.0, started + end / 1000 + 0.3 - time.monotonic()))
            tasks = [t for t in page.evaluate("() => window.__bench.longtasks") if t["start"] < end]
            load[kind].append(sum(t["duration"] for t in tasks))
            boot[kind].append(sum(t["duration"] for t in tasks if t["start"] >= spawn))
            detail.append(
                {
                    "round": i + 1,
                    "simulator": kind,
                    "spawn_ms": round(spawn),
                    "end_ms": round(end),
                    "tasks": [{k: round(v) for k, v in t.items()} for t in tasks],
                }
            )
            ctx.close()
        log(
            f"  round {i + 1}/{rounds}: long tasks {load['on'][-1]:.0f} ms with the simulator "
            f"({boot['on'][-1]:.0f} ms while it boots), {load['off'][-1]:.0f} ms without "
            f"({boot['off'][-1]:.0f} ms in that window)"
        )

    def caused(d):
        return round(max(0.0, statistics.median(d["on"]) - statistics.median(d["off"])), 1)

    return {
        "load_with": summary(load["on"]),
        "load_without": summary(load["off"]),
        "load_caused_ms": caused(load),
        "boot_with": summary(boot["on"]),
        "boot_without": summary(boot["off"]),
        "boot_caused_ms": caused(boot),
        "boot_rounds_with_long_tasks": sum(1 for v in boot["on"] if v > 0),
        "detail": detail,
    }


def run_flow(page, expect) -> None:
    """Steps 1-9 of the simulator as a reader clicks and types them.

    Each click waits for the probe's "bench:screen" (the next screen painted) and each
    typed text for its last "bench:feedback": no polling in the page while a
    latency is being measured. Checks of what is shown come after.
    """
    screen = page.get_by_role("region", name="Экран магазина (учебный)")
    where = page.locator("[data-simulator] .sim__where")

    def at(n: int) -> None:
        expect(where).to_contain_text(f"Шаг {n} из 9")

    def click(locator) -> None:
        locator.wait_for()  # actionability checks evaluate in the page: before the click, not after
        with page.expect_console_message(signal("screen")) as message:
            locator.click()
        if message.value.text != "bench:screen":
            raise RuntimeError(message.value.text)

    def press(name: str) -> None:
        click(screen.get_by_role("button", name=name, exact=True))

    def type_text(field, text: str) -> None:
        field.press_sequentially(text[:-1], delay=KEY_DELAY)
        page.wait_for_timeout(KEY_DELAY)
        with page.expect_console_message(signal("feedback")):
            field.press(text[-1])

    at(1)
    press("Открыть Ozon")
    at(2)
    press("Выход")
    at(3)
    press("Забыли пароль?")
    at(4)
    screen.get_by_label("Электронная почта").fill(EMAIL)
    press("Отправить письмо")
    at(5)
    click(page.get_by_role("region", name="Почта (учебная)").get_by_role("button", name="Восстановить доступ"))
    at(6)
    type_text(screen.get_by_label("Новый номер телефона"), PHONE_KEYS)
    expect(screen.locator(".sim__verdict--ok")).to_be_visible()
    press("Продолжить")
    at(7)
    press("Получить код по SMS")
    sms = page.get_by_role("region", name="Телефон (учебный)").locator(".sim__sms").first
    expect(sms).to_contain_text("Код")
    code = re.search(r"\b(\d{6})\b", sms.inner_text()).group(1)
    screen.get_by_label(re.compile(r"^Код из SMS")).fill(code)
    press("Подтвердить")
    at(8)
    type_text(screen.get_by_label("Новый пароль"), PASSWORD)
    expect(screen.locator(".sim__verdict--ok")).to_be_visible()
    press("Сохранить пароль")
    at(9)
    type_text(screen.get_by_label("Пароль", exact=True), PASSWORD)
    press("Войти")
    expect(screen).to_contain_text("Доступ к аккаунту восстановлен")


def latencies(b: Bench, flows: int) -> dict:
    from playwright.sync_api import expect

    steps, keys = [], []
    ctx = b.context()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    b.simulator(page)  # fills the cache; the flows below run warm, in new tabs
    page.close()
    for i in range(flows):
        page = ctx.new_page()
        b.simulator(page)
        run_flow(page, expect)
        data = page.evaluate("() => ({steps: window.__bench.steps, keys: window.__bench.keys})")
        steps += data["steps"]
        keys += data["keys"]
        page.close()
        log(f"  flow {i + 1}/{flows}: {len(data['steps'])} screens, {len(data['keys'])} keys")
    ctx.close()
    by_field: dict[str, list[float]] = {}
    for k in keys:
        by_field.setdefault(k["field"], []).append(k["painted"])
    return {
        "step_ms": summary([s["painted"] for s in steps]),
        "step_dom_ms": summary([s["dom"] for s in steps]),
        "key_ms": summary([k["painted"] for k in keys]),
        "key_dom_ms": summary([k["dom"] for k in keys]),
        "key_ms_by_field": {f: summary(v) for f, v in by_field.items()},
        "parts": {
            "what": "median ms: page before sending, worker round trip, page after the reply (until the DOM changed)",
            "step": parts_median(steps),
            "key": parts_median(keys),
        },
        "steps": steps,
        "keys": keys,
    }


def parts_median(samples: list[dict]) -> list[float] | None:
    parts = [s["parts"] for s in samples if s.get("parts")]
    return [round(statistics.median(p[i] for p in parts), 1) for i in range(3)] if parts else None


def home_bytes(b: Bench) -> dict:
    ctx = b.context()
    finished: list = []
    ctx.on("requestfinished", lambda req: finished.append(req))
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.goto(b.base, wait_until="networkidle")
    page.mouse.move(600, 400)
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(2000)
    files = transferred(finished)
    ctx.close()
    pyodide = [f for f in files if is_pyodide(f["url"], b)]
    return {
        "total": sum(f["body"] + f["headers"] for f in files),
        "body": sum(f["body"] for f in files),
        "requests": len(files),
        "pyodide_bytes": sum(f["body"] for f in pyodide),
        "pyodide_urls": [f["url"] for f in pyodide],
        "simulator_urls": [f["url"] for f in files if SIM in f["url"]],
    }


def worker_path(site: Path) -> str:
    """URL path of the built site's worker (its name carries its content's hash)."""
    (worker,) = (path for path in (site / SIM).glob("worker*.mjs") if WORKER_NAME_PATTERN.fullmatch(path.name))
    return f"/{SIM}{worker.name}"


def is_pyodide(url: str, b: Bench) -> bool:
    """Whether ``url`` is part of Pyodide's boot: runtime, wheels, worker (and the lockfile and
    manifest, which older workers fetched)."""
    path = url.removeprefix(b.base.rstrip("/"))
    if not path.startswith("/" + SIM):
        return False
    rel = path[len(SIM) + 1 :]
    return (
        path.startswith(b.runtime_path)
        or rel.startswith("wheels/")
        or rel in ("pyodide-lock.json", "simulator.json")
        or WORKER_NAME_PATTERN.fullmatch(rel)
    )


def own_bytes(files: list[dict], b: Bench) -> dict:
    sim = [f for f in files if f["url"].removeprefix(b.base.rstrip("/")).startswith("/" + SIM)]
    runtime = [f for f in sim if f["url"].removeprefix(b.base.rstrip("/")).startswith(b.runtime_path)]
    own = [f for f in sim if f not in runtime]
    return {
        "own": sum(f["body"] for f in own),
        "own_files": {f["url"].rsplit(SIM, 1)[1]: f["body"] for f in own},
        "runtime": sum(f["body"] for f in runtime),
        "page_total": sum(f["body"] for f in files),
    }


# ---------------------------------------------------------------- report


def row(name: str, value: str, budget: str = "", ok: bool | None = None) -> str:
    mark = "" if ok is None else ("ok" if ok else "MISSED")
    return f"| {name:<52} | {value:>28} | {budget:>12} | {mark:<6} |"


def table(r: dict) -> str:
    c, lt, lat, by, bud = r["ready"], r["long_tasks"], r["latency"], r["bytes"], r["budgets"]

    def rng(s, unit=" ms"):
        return f"{s['median']:.0f} [{s['min']:.0f}–{s['max']:.0f}]{unit}"

    def pct(s):
        return f"{s['p50']:.0f} / {s['p95']:.0f} ms (n={s['n']})"

    ratio = c["cold_ratio_per_round"]
    dwell = c["warm_over_cold_after_dwell_per_round"]
    lines = [
        row("metric", "median [min–max]", "budget"),
        "|" + "-" * 54 + "|" + "-" * 30 + "|" + "-" * 14 + "|" + "-" * 8 + "|",
        row("cold ready: bare loadPyodide(), the site's runtime", rng(c["bare_cold"])),
        row("cold ready: simulator, /simulator/", rng(c["simulator_cold"])),
        row(
            "cold ready ratio, simulator / bare",
            f"{c['cold_ratio']:.2f}",
            budget_text("cold_ratio"),
            bud["cold_ratio"]["ok"],
        ),
        row("  same, per round", f"{ratio['median']:.2f} [{ratio['min']:.2f}–{ratio['max']:.2f}]"),
        row("cold ready: the worker alone, blank page", rng(c["worker_cold"])),
        row("  worker alone / bare", f"{c['worker_ratio']:.2f}"),
        row("cold ready: bare loadPyodide(), npm's runtime as is", rng(c["bare_npm_cold"])),
        row("  simulator / that", f"{c['cold_ratio_to_npm']:.2f}"),
        row("warm ready: bare loadPyodide(), the site's runtime", rng(c["bare_warm"])),
        row("warm ready: simulator", rng(c["simulator_warm"])),
        row(
            "warm / cold, simulator, per round",
            f"{c['warm_over_cold_per_round']['median']:.2f} "
            f"[{c['warm_over_cold_per_round']['min']:.2f}–{c['warm_over_cold_per_round']['max']:.2f}]",
            budget_text("warm_over_cold"),
            bud["warm_over_cold"]["ok"],
        ),
        row("  median / median", f"{c['warm_over_cold']:.2f}"),
        row(
            "  warm visits restored from the snapshot",
            f"{c['warm_from_snapshot']} of {c['warm_over_cold_per_round']['n']}",
        ),
        row(
            f"  same, first visit left open {c['dwell_ms'] / 1000:.0f} s, per round",
            f"{dwell['median']:.2f} [{dwell['min']:.2f}–{dwell['max']:.2f}]",
        ),
        row("  warm visits restored from the snapshot", f"{c['warm_after_dwell_from_snapshot']} of {dwell['n']}"),
        row(
            "step latency p50 / p95 (click → next screen)",
            pct(lat["step_ms"]),
            budget_text("step_p95_ms", "p95 "),
            bud["step_p95_ms"]["ok"],
        ),
        row(
            "keystroke latency p50 / p95 (key → feedback)",
            pct(lat["key_ms"]),
            budget_text("key_p95_ms", "p95 "),
            bud["key_p95_ms"]["ok"],
        ),
        row("long tasks, /guide/ load: with simulator", rng(lt["load_with"])),
        row("long tasks, /guide/ load: simulator blocked", rng(lt["load_without"])),
        row("long tasks while the simulator boots: with it", rng(lt["boot_with"])),
        row("long tasks in that window: simulator blocked", rng(lt["boot_without"])),
        row(
            "long tasks caused by the simulator (boot window)",
            f"{lt['boot_caused_ms']:.0f} ms ({lt['boot_rounds_with_long_tasks']}/{lt['boot_with']['n']} rounds)",
            budget_text("longtask_ms_caused"),
            bud["longtask_ms_caused"]["ok"],
        ),
        row("/ transferred, all requests", f"{by['home']['total'] / 1e3:,.1f} kB ({by['home']['requests']} req.)"),
        row(
            "/ Pyodide bytes",
            f"{by['home']['pyodide_bytes']} B",
            budget_text("home_pyodide_bytes"),
            bud["home_pyodide_bytes"]["ok"],
        ),
        row(
            "simulator's own files beyond the runtime",
            f"{by['simulator']['own'] / 1e3:,.1f} kB",
            budget_text("simulator_own_bytes"),
            bud["simulator_own_bytes"]["ok"],
        ),
        row("Pyodide runtime files", f"{by['simulator']['runtime'] / 1e3:,.1f} kB"),
    ]
    return "\n".join(lines)


def evaluate(r: dict) -> dict:
    c, lt, lat, by = r["ready"], r["long_tasks"], r["latency"], r["bytes"]
    values = {
        "cold_ratio": c["cold_ratio"],
        "warm_over_cold": c["warm_over_cold_per_round"]["median"],
        "step_p95_ms": lat["step_ms"]["p95"],
        "key_p95_ms": lat["key_ms"]["p95"],
        "longtask_ms_caused": lt["boot_caused_ms"],
        "home_pyodide_bytes": by["home"]["pyodide_bytes"],
        "simulator_own_bytes": by["simulator"]["own"],
    }
    return {k: {"value": v, "limit": BUDGETS[k], "ok": v <= BUDGETS[k]} for k, v in values.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="cold rounds of each kind (default 5)")
    parser.add_argument("--flows", type=int, default=3, help="runs through steps 1-9 (default 3)")
    parser.add_argument("--site", type=Path, help="serve this built site instead of building one")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--cache-control", help="send this Cache-Control for everything (to compare policies)")
    parser.add_argument("--only", help="comma-separated: ready,longtasks,latency,bytes")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "report.json")
    parser.add_argument("--label", default="", help="a note stored in the report")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else {"ready", "longtasks", "latency", "bytes"}

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
            "bare": "the bench-only /_bench/bare.html: plain loadPyodide() of the runtime directory the site "
            "serves (its stdlib py-compiled by sitebuild/build.py); 'npm' is the same with the files of the "
            "pinned npm package as published",
            "worker": "the bench-only /_bench/worker.html: the site's worker.mjs on a blank page, navigation "
            "start -> its reply to a phone `check` posted at once",
            "long_tasks": "sum of PerformanceObserver 'longtask' durations on /guide/ at 1280 px, by start time: "
            "'load' from navigation, 'boot' from the simulator's worker being created, both to 1 s "
            "after ready; the same windows with the simulator's scripts blocked; caused = median(with) - "
            "median(without), at least 0",
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
                files = report["ready"].pop("_files")
            if "longtasks" in only:
                log(f"bench: main-thread long tasks on /guide/, {args.rounds} rounds with and without the simulator")
                report["long_tasks"] = long_tasks(b, args.rounds)
            if "latency" in only:
                log(f"bench: step and keystroke latency, {args.flows} runs through the flow")
                report["latency"] = latencies(b, args.flows)
            if "bytes" in only:
                log("bench: bytes")
                report["bytes"] = {"home": home_bytes(b)}
                if "ready" in only:
                    report["bytes"]["simulator"] = own_bytes(files, b)
    finally:
        server.shutdown()
        server.server_close()
    report["seconds"] = round(time.perf_counter() - t0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    complete = only >= {"ready", "longtasks", "latency", "bytes"}
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


def chromium_version(pw) -> str:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        return browser.version
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
