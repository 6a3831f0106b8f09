"""What the bench measures, one function per figure: cold and warm ready, long tasks,
step and keystroke latency, bytes (the definitions are in ``bench/run.py``'s docstring)."""

from __future__ import annotations

import re
import statistics
import time

from bench.flow import run_flow
from bench.harness import DESKTOP, SIM, Bench, is_pyodide, load, log, restored, transferred
from bench.server import BARE_COOKIE
from bench.stats import parts_median, summary

#: The runtime as the npm package publishes it (bench/server.py), for a second baseline.
NPM_RUNTIME = "/_bench/npm/"
#: The simulator's scripts, blocked for the "without the simulator" long-task baseline.
SIMULATOR_SCRIPTS = re.compile(r"/assets/simulator/[^?#]*\.m?js(?:[?#].*)?$")
SETTLE_MS = 1000  # long tasks are counted until this long after ready
#: For reference: the first visit stays open this long after ready before the second
#: (a reader reading step 1), time for Chromium to write its compiled-wasm cache.
DWELL_MS = 3000


def cold_and_warm(b: Bench, rounds: int) -> dict:
    sim_cold, sim_warm, bare_cold, bare_warm, timings, loads = [], [], [], [], [], []
    npm_cold, worker_cold, dwell_cold, dwell_warm, page_cold = [], [], [], [], []
    warm_restored = dwell_restored = 0  # warm visits whose Python was restored from the snapshot
    kinds = ("bare", "sim", "page", "npm", "worker", "dwell")
    for i in range(rounds):
        loads.append(load())
        for kind in kinds[i % len(kinds) :] + kinds[: i % len(kinds)]:
            ctx = b.context()
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            if kind == "page":  # /simulator/ itself, its worker a bare loadPyodide() (bench/server.py)
                ctx.add_cookies([{"name": BARE_COOKIE[0], "value": BARE_COOKIE[1], "url": b.base}])
                data = b.simulator(page)
                if (data.get("timings") or {}).get("bare") is not True:
                    raise RuntimeError(f"/simulator/ did not run the bare worker: {data.get('timings')}")
                page_cold.append(data["marks"]["ready"])
            elif kind == "npm":
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
            else:  # as cold_then_warm, with the cold visit's timings
                data = b.simulator(page)
                sim_cold.append(data["marks"]["ready"])
                timings.append({**data["timings"], **{k: round(v) for k, v in data["marks"].items()}})
                page.close()
                warm = b.simulator(ctx.new_page())
                sim_warm.append(warm["marks"]["ready"])
                warm_restored += restored(warm)
            ctx.close()
        log(
            f"  round {i + 1}/{rounds}: bare {bare_cold[-1]:.0f} ms (on /simulator/ {page_cold[-1]:.0f}), "
            f"simulator {sim_cold[-1]:.0f} ms cold, "
            f"{sim_warm[-1]:.0f} ms warm (bare warm {bare_warm[-1]:.0f}); worker alone {worker_cold[-1]:.0f} ms; "
            f"npm's bare {npm_cold[-1]:.0f} ms; after {DWELL_MS / 1000:.0f} s open {dwell_cold[-1]:.0f} → "
            f"{dwell_warm[-1]:.0f} ms; load {loads[-1]:.1f}"
        )
    ratios = [s / r for s, r in zip(sim_cold, page_cold, strict=True)]
    warm_ratios = [w / c for w, c in zip(sim_warm, sim_cold, strict=True)]
    return {
        "simulator_cold": summary(sim_cold),
        "bare_cold": summary(bare_cold),
        # The budgeted baseline: the same /simulator/ page, its worker a bare loadPyodide().
        "page_bare_cold": summary(page_cold),
        "cold_ratio": round(statistics.median(sim_cold) / statistics.median(page_cold), 3),
        "cold_ratio_per_round": summary(ratios, 3),
        "cold_ratio_to_blank": round(statistics.median(sim_cold) / statistics.median(bare_cold), 3),
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
    }


def simulator_tasks(tasks: list[dict], frames: list[dict]) -> tuple[float, float]:
    """The ms of the long tasks in which a script of the simulator ran (a long animation
    frame names each script of 5 ms or more, with its time), and those scripts' own ms."""
    scripts = [x for f in frames for x in f["scripts"] if SIMULATOR_SCRIPTS.search(x["url"])]

    def within(x, t):
        return x["start"] < t["start"] + t["duration"] and x["start"] + x["duration"] > t["start"]

    own = [t for t in tasks if any(within(x, t) for x in scripts)]
    return sum(t["duration"] for t in own), sum(x["duration"] for x in scripts if any(within(x, t) for t in own))


def long_tasks(b: Bench, rounds: int) -> dict:
    """Long tasks on /guide/ at 1280 px, with the simulator and with its scripts blocked.

    Two windows, the same for both variants of a round (the latest run with the
    simulator sets them): the whole load (navigation -> 1 s after ready), and the
    simulator's boot (its worker created -> 1 s after ready), where the page itself
    has settled and what remains is what the simulator does. A task counts in the
    window where it starts.

    With and without differ by Material's own tasks, which cross 50 ms in some loads
    and not in others, either way; so the whole load's budget is held to the long
    tasks in which one of the simulator's scripts ran (long animation frames name each
    script of 5 ms or more, with its time): their whole duration, summed over the
    load, the worst round (``load_attributed_ms``).
    """
    load = {"on": [], "off": []}
    boot = {"on": [], "off": []}
    attributed, own_script = [], []  # per round with the simulator: see the docstring
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
            data = page.evaluate("() => ({ tasks: window.__bench.longtasks, frames: window.__bench.frames })")
            tasks = [t for t in data["tasks"] if t["start"] < end]
            frames = [f for f in data["frames"] if f["start"] < end]
            load[kind].append(sum(t["duration"] for t in tasks))
            boot[kind].append(sum(t["duration"] for t in tasks if t["start"] >= spawn))
            if kind == "on":
                frame_ms, script_ms = simulator_tasks(tasks, frames)
                attributed.append(frame_ms)
                own_script.append(script_ms)
            detail.append(
                {
                    "round": i + 1,
                    "simulator": kind,
                    "spawn_ms": round(spawn),
                    "end_ms": round(end),
                    "tasks": [{k: round(v) for k, v in t.items()} for t in tasks],
                    # What ran in each long frame: the script's file and its ms.
                    "frames": [
                        {
                            "start": round(f["start"]),
                            "duration": round(f["duration"]),
                            "blocking": round(f["blocking"]),
                            "render": None if f["render"] is None else round(f["render"]),
                            "scripts": [[x["url"].rsplit("/", 1)[-1], round(x["duration"])] for x in f["scripts"]],
                        }
                        for f in frames
                    ],
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
        # Long tasks running the simulator's scripts: their duration, and those scripts' own ms.
        "load_attributed": summary(attributed),
        "load_attributed_ms": max(attributed, default=0),
        "load_simulator_script_ms": summary(own_script),
        "boot_with": summary(boot["on"]),
        "boot_without": summary(boot["off"]),
        "boot_caused_ms": caused(boot),
        "boot_rounds_with_long_tasks": sum(1 for v in boot["on"] if v > 0),
        "detail": detail,
    }


def latencies(b: Bench, flows: int) -> dict:
    steps, keys, first_password_keys = [], [], []
    ctx = b.context()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    b.simulator(page)  # fills the cache; the flows below run warm, in new tabs
    page.close()
    for i in range(flows):
        page = ctx.new_page()
        b.simulator(page)
        run_flow(page)
        data = page.evaluate("() => ({steps: window.__bench.steps, keys: window.__bench.keys})")
        steps += data["steps"]
        keys += data["keys"]
        first_password_keys += [k for k in data["keys"] if k["field"] == "password"][:1]
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
        # The one-time costs (the password module, zxcvbn's import, the lists, the index) are
        # paid before the password step by the worker's background work, or by this key.
        "first_password_key_ms": summary([k["painted"] for k in first_password_keys]),
        "first_password_key_warmed": sum(1 for k in first_password_keys if k.get("warmed")),
        "parts": {
            "what": "median ms: page before sending, worker round trip, page after the reply (until the DOM changed)",
            "step": parts_median(steps),
            "key": parts_median(keys),
        },
        "steps": steps,
        "keys": keys,
    }


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


#: What the bench's cold visits offer: the browser's own (brotli first), and gzip alone
#: (what a host without the .br files, or a browser over plain HTTP, gets).
ENCODINGS = {"brotli": None, "gzip": "gzip, deflate"}


def cold_bytes(b: Bench) -> dict:
    """A cold visit of /simulator/ until ready, once per :data:`ENCODINGS`: its bytes."""
    out = {}
    for name, accept in ENCODINGS.items():
        ctx = b.context(accept_encoding=accept)
        finished: list = []
        ctx.on("requestfinished", lambda req, finished=finished: finished.append(req))
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        b.visit(page, b.base + "simulator/", collect=False)
        out[name] = own_bytes(transferred(finished), b)
        ctx.close()
    return out


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


#: The symbols zxcvbn reads as letters (its l33t table), and two letters among them.
DENSE = "!$%(+0123456789<@[{|il"
CHECK_REPEATS = 5  # each input's figure is the fastest of this many round trips


def check_inputs() -> list[tuple[str, str]]:
    """Inputs for the slowest live check: passwords dense in l33t symbols (the slow
    case zxcvbn had), at 40 characters (all it scores) and at the password's limit,
    and every field at the protocol's limit of a value."""
    import random

    from recovery_core.passwords import MAX_LENGTH
    from recovery_core.protocol import MAX_VALUE

    rnd = random.Random(17)
    out = [("password", "74122$[@%|[l!$7872@3(6@6@<{%923!!<$+i+15")]
    out += [("password", "".join(rnd.choices(DENSE, k=40))) for _ in range(24)]
    out += [("password", "".join(rnd.choices(DENSE, k=MAX_LENGTH)))]
    out += [(field, "".join(rnd.choices(DENSE, k=MAX_VALUE))) for field in ("password", "email", "phone")]
    out += [("email", "a" * (MAX_VALUE - 12) + "@example.com"), ("phone", "9" * MAX_VALUE)]
    return out


def slowest_checks(b: Bench) -> dict:
    """Round trips of live `check` requests from the page to the worker and back, on
    /simulator/?step=new-password once it is ready (warm): each input's fastest of
    :data:`CHECK_REPEATS`, and the slowest input."""
    ctx = b.context()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    b.simulator(page, "simulator/?step=new-password")
    inputs = check_inputs()
    times = page.evaluate(
        """async ([inputs, repeats]) => {
          const bridge = document.querySelector('link[rel=modulepreload][href*="/bridge.js"]').href;
          const { getSimulator } = await import(bridge);
          const sim = getSimulator();
          const out = [];
          for (const [field, value] of inputs) {
            let best = Infinity;
            for (let i = 0; i < repeats; i++) {
              const t = performance.now();
              const reply = await sim.request({ op: "check", field, value });
              if (!reply?.ok && reply?.error?.code === "internal") throw new Error(JSON.stringify(reply));
              best = Math.min(best, performance.now() - t);
            }
            out.push(best);
          }
          return out;
        }""",
        [inputs, CHECK_REPEATS],
    )
    ctx.close()
    ranked = sorted(zip(times, inputs, strict=True), reverse=True)
    return {
        "slowest_ms": round(ranked[0][0], 1),
        "median_ms": round(statistics.median(times), 1),
        "slowest": [{"ms": round(t, 1), "field": f, "value": v[:60]} for t, (f, v) in ranked[:5]],
        "inputs": len(inputs),
    }


def deep_links(b: Bench) -> dict:
    """Each ``?step=`` (and /simulator/ itself) cold, in a fresh profile, with the runtime's
    wasm held back so Python cannot start: navigation start -> the step's build-time
    screen painted (the probe's ``marks.painted``)."""
    import json

    from recovery_core.protocol import handle
    from recovery_core.steps import STEP_IDS
    from sitebuild.bundle import FIRST_SCREEN_REQUEST

    painted = {}
    held = []  # the wasm's requests, never answered while a screen is measured
    for step in ["", *STEP_IDS]:
        start = {**FIRST_SCREEN_REQUEST, "step": step or None}  # the build's own request
        expected = json.loads(handle(json.dumps(start)))["state"]["where"]
        ctx = b.context()
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
        page.goto(f"{b.base}simulator/" + (f"?step={step}" if step else ""), wait_until="commit")
        page.wait_for_function("() => window.__bench?.marks?.painted !== undefined")
        marks = page.evaluate("() => window.__bench.marks")
        shown = page.evaluate("() => document.querySelector('[data-simulator] .sim__where')?.textContent || ''")
        if expected not in shown:  # that step's own screen, not another one
            raise RuntimeError(f"?step={step}: the screen shown says {shown!r}, not {expected!r}")
        painted[step or "/simulator/"] = round(marks["painted"], 1)
        while held:  # answered at last, so no route handler is left pending at close
            held.pop().abort()
        page.unroute_all(behavior="ignoreErrors")
        ctx.close()
    slowest = max(painted, key=painted.get)
    return {"slowest_ms": painted[slowest], "slowest": slowest, "painted_ms": painted}


#: A phone, as CDP emulates one: the CPU slowed this many times, and each network
#: (Mbit/s, round trip ms); the first is budgeted, the second reported.
PHONE_CPU = 4
PHONE_NETWORKS = {"20 Mbit/s, 60 ms": (20, 60), "2 Mbit/s, 150 ms": (2, 150)}


def as_phone(ctx, page, mbps: float, rtt_ms: int) -> None:
    """Slow ``page`` (and its workers) to :data:`PHONE_CPU` and the given network."""
    cdp = ctx.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU})
    cdp.send("Network.enable")
    rate = mbps * 1e6 / 8  # bytes per second
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": rtt_ms, "downloadThroughput": rate, "uploadThroughput": rate},
    )


def phone(b: Bench, rounds: int) -> dict:
    """Cold ready of /simulator/ and of npm's bare runtime under each phone profile,
    alternating; ``rounds`` on the first network, one on the slower one (a minute each)."""
    out = {}
    for n, (name, (mbps, rtt)) in enumerate(PHONE_NETWORKS.items()):
        sim, npm = [], []
        for i in range(rounds if n == 0 else 1):
            for kind in ("sim", "npm") if i % 2 == 0 else ("npm", "sim"):
                ctx = b.context()
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                as_phone(ctx, page, mbps, rtt)
                if kind == "sim":
                    sim.append(b.simulator(page)["marks"]["ready"])
                else:
                    npm.append(b.bare(page, NPM_RUNTIME)["marks"]["ready"])
                ctx.close()
            log(f"  {name}, round {i + 1}: simulator {sim[-1]:.0f} ms, npm's bare {npm[-1]:.0f} ms")
        out[name] = {
            "simulator": summary(sim),
            "npm": summary(npm),
            "ratio": round(statistics.median(sim) / statistics.median(npm), 3),
        }
    return {"cpu_slowdown": PHONE_CPU, "networks": out}
