"""The bench's statistics: median, range and percentiles of a list of samples."""

from __future__ import annotations

import statistics


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


def parts_median(samples: list[dict]) -> list[float] | None:
    parts = [s["parts"] for s in samples if s.get("parts")]
    return [round(statistics.median(p[i] for p in parts), 1) for i in range(3)] if parts else None
