"""The bench's table shows the budgets it checks, not a copy typed beside them."""

from __future__ import annotations

import pytest

from bench import report as run


def test_each_budget_reads_as_the_table_showed_it():
    assert {k: run.budget_text(k) for k in run.BUDGETS} == {
        "cold_ratio_to_npm": "≤ 0.60",
        "cold_ratio": "≤ 1.15",
        "warm_after_dwell_over_cold": "≤ 0.60",
        "phone_ratio_to_npm": "≤ 0.60",
        "cold_transfer_bytes": "≤ 5 000 kB",
        "deeplink_ms": "≤ 1000 ms",
        "check_ms": "≤ 50 ms",
        "step_p95_ms": "≤ 50 ms",
        "key_p95_ms": "≤ 30 ms",
        "load_longtask_ms_caused": "0 ms",
        "longtask_ms_caused": "0 ms",
        "home_pyodide_bytes": "0 B",
        "simulator_own_bytes": "≤ 1 200 kB",
    }
    assert run.budget_text("step_p95_ms", "p95 ") == "p95 ≤ 50 ms"


@pytest.mark.parametrize(("key", "limit", "shown"), [("cold_ratio", 1.0, "≤ 1.00"), ("key_p95_ms", 25, "≤ 25 ms")])
def test_a_changed_budget_changes_the_column(monkeypatch, key, limit, shown):
    monkeypatch.setitem(run.BUDGETS, key, limit)
    assert run.budget_text(key) == shown


def test_the_cookie_swaps_only_the_worker_for_a_bare_runtime(site_dir):
    """The cold-ready baseline is /simulator/ itself with a bare loadPyodide() worker: the
    bench's server sends it for the site's worker to a browser holding the cookie, and
    nothing else changes (the page, and the worker for everyone else)."""
    import json
    import urllib.request

    from bench.harness import worker_path
    from bench.server import BARE_COOKIE, serve
    from sitebuild.serve import free_port

    port = free_port()
    server = serve(site_dir, port)
    try:
        manifest = json.loads((site_dir / "assets/simulator/simulator.json").read_text(encoding="utf-8"))
        base = f"http://127.0.0.1:{port}"

        def get(path, cookie=None):
            req = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
            with urllib.request.urlopen(req) as resp:
                return resp.read().decode("utf-8")

        cookie = "theme=dark; " + "=".join(BARE_COOKIE)
        own = get(worker_path(site_dir))
        bare = get(worker_path(site_dir), cookie)
        assert "recovery_core.protocol" in own and "recovery_core" not in bare
        assert "loadPyodide" in bare and f'"/assets/simulator/{manifest["runtime"]}"' in bare
        assert get("/simulator/", cookie) == get("/simulator/")
        assert get(worker_path(site_dir), "bench-worker=other") == own
    finally:
        server.shutdown()
        server.server_close()


def test_a_long_task_counts_against_the_simulator_only_when_its_scripts_ran_in_it():
    """The whole-load long-task budget is held to the long tasks in which one of the
    simulator's scripts ran (by the long animation frames' script times): Material's
    bundle alone in a task is not the simulator's, nor a script of it outside any."""
    from bench.measures import simulator_tasks

    base = "http://127.0.0.1:8000/assets/"
    tasks = [{"start": 210, "duration": 121}, {"start": 520, "duration": 67}, {"start": 900, "duration": 55}]
    frames = [
        {"scripts": [{"url": base + "javascripts/bundle.a5f9.min.js", "start": 210, "duration": 121}]},
        {
            "scripts": [
                {"url": base + "javascripts/bundle.a5f9.min.js", "start": 520, "duration": 30},
                {"url": base + "simulator/widget.js", "start": 560, "duration": 12},
            ]
        },
        {"scripts": [{"url": base + "simulator/bridge.js", "start": 700, "duration": 24}]},  # in no long task
    ]
    assert simulator_tasks(tasks, frames) == (67, 12)
    assert simulator_tasks(tasks, frames[:1]) == (0, 0)
    assert simulator_tasks(tasks[:1], frames) == (0, 0)


def test_a_p95_just_over_its_budget_does_not_read_as_the_budget():
    from bench.report import pct

    assert pct({"p50": 18.2, "p95": 30.3, "n": 195}) == "18 / 30.3 ms (n=195)"
