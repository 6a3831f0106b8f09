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
