"""The unit tests also pass inside Pyodide (Node + the npm runtime), all of them."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_unit_tests_pass_inside_pyodide():
    collected = _run("-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/unit")
    count = re.search(r"^(\d+) tests? collected", collected.stdout, re.M)
    assert count, collected.stdout[-2000:]
    n = int(count.group(1))
    assert n > 0

    done = _run("-m", "tests.pyodide.runner")
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert re.search(rf"\b{n} passed\b", summary), summary
    # The runner names the runtime it used: the tests really ran in Pyodide.
    assert re.search(r"^pyodide \d+\.\d+\.\d+: pytest exited with 0", done.stderr, re.M), done.stderr[-2000:]
    # On the cut stdlib the site ships, which lacks nothing the simulator's code imported.
    assert "cut stdlib: the simulator imports, and it lacks: nothing" in done.stderr, done.stderr[-2000:]
