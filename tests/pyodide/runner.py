"""Run the unit tests inside Pyodide under Node: ``python -m tests.pyodide.runner``.

Fetches (once, into ``.cache/simulator-build/``) the wheels of pytest and its needs,
pinned in ``tests/pyodide/requirements.txt``, plus the three wheels the site ships
(recovery_core built from this checkout, and the ``[project] dependencies`` pins),
then runs ``node tests/pyodide/run_pytest.mjs``, which unpacks them into Pyodide
from ``node_modules/pyodide`` and runs ``pytest tests/unit -q`` there, on the cut
stdlib the site ships (the whole one behind it, for pytest), failing on any stdlib
module the simulator's code imports that the cut one lacks. The simulator's wheels
are the ones the site ships, py-compiled as it ships them (without docstrings and
asserts, ``sitebuild/pycompile.py``): the suite tests what a reader runs.

Extra arguments replace the pytest arguments: ``python -m tests.pyodide.runner tests/unit -x``.
Exits with pytest's exit code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from sitebuild.common import CACHE_NAME, ROOT, BuildError
from sitebuild.runtime import pyodide_runtime
from sitebuild.stdlib import SIMULATOR_PACKAGES
from sitebuild.wheels import pypi_wheel

REQUIREMENTS = Path("tests") / "pyodide" / "requirements.txt"
RUNNER = Path("tests") / "pyodide" / "run_pytest.mjs"
#: Copied into Pyodide's file system: the pytest configuration and the tests.
COPY = ("pyproject.toml", "tests/__init__.py", "tests/conftest.py", "tests/typography.py", "tests/unit")
DEFAULT_ARGS = ("tests/unit", "-q")


def runner_pins(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(name, version)`` from tests/pyodide/requirements.txt; each line must be ``name==version``."""
    from packaging.requirements import Requirement

    pins = []
    for line in (root / REQUIREMENTS).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==":
            raise BuildError(f"{REQUIREMENTS}: {line!r} must be pinned as name==version")
        pins.append((req.name, specs[0].version))
    return pins


def pytest_wheels(root: Path = ROOT, log=print) -> list[Path]:
    """pytest's set of wheels, as tests/pyodide/requirements.txt pins them."""
    runtime = pyodide_runtime(root)
    return [pypi_wheel(name, version, runtime, root / CACHE_NAME, log) for name, version in runner_pins(root)]


def shipped(root: Path = ROOT, log=print) -> tuple[list[Path], Path | None]:
    """The simulator's wheels and python_stdlib.zip as the site ships them: py-compiled
    and cut, or (no host Python of Pyodide's version to py-compile) as built and None."""
    from sitebuild.bundle import resolve_sources
    from sitebuild.pycompile import compiled_wheel

    cache = root / CACHE_NAME
    src = resolve_sources(root, cache, log)
    if not src.compile:
        return src.wheels, None
    return [compiled_wheel(w, src.runtime, cache, log) for w in src.wheels], src.runtime.stdlib


def log(line: str) -> None:
    print(f"pyodide-tests: {line}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv) or list(DEFAULT_ARGS)
    node = shutil.which("node")
    if not node:
        print("pyodide-tests: error: Node.js is not installed", file=sys.stderr)
        return 2
    try:
        simulator, cut = shipped(ROOT, log)
        found = pytest_wheels(ROOT, log) + simulator
    except BuildError as exc:
        print(f"pyodide-tests: error: {exc}", file=sys.stderr)
        return 2
    cmd = [node, str(ROOT / RUNNER), "--root", str(ROOT)]
    cmd += [f"--wheel={w}" for w in found] + [f"--copy={c}" for c in COPY]
    if cut:
        cmd += [f"--stdlib={cut}", f"--full-stdlib={pyodide_runtime(ROOT).dir / 'python_stdlib.zip'}"]
        cmd += [f"--simulator={name}" for name in SIMULATOR_PACKAGES]
    return subprocess.run([*cmd, "--", *args], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
