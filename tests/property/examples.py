"""How many examples each property draws: all of them in ``make test``, a quarter in
``make test-fast`` (``PROPERTY_EXAMPLES=0.25``), which is a quick check, not the guard."""

from __future__ import annotations

import os

SCALE = float(os.environ.get("PROPERTY_EXAMPLES", "1"))


def examples(n: int) -> int:
    """``n`` examples scaled for this run, never fewer than 10."""
    return max(10, round(n * SCALE))
