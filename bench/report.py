"""The bench's budgets, and its table: each budget checked and shown from :data:`BUDGETS`."""

from __future__ import annotations

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
