"""Run the unit tests inside Pyodide under Node: ``python -m tests.pyodide.runner``.

Fetches (once, into ``.cache/simulator-build/``) the wheels of pytest and its needs,
pinned in ``tests/pyodide/requirements.txt``, plus the three wheels the site ships
(recovery_core built from this checkout, and the ``[project] dependencies`` pins),
then runs ``node tests/pyodide/run_pytest.mjs``, which unpacks them into Pyodide
from ``node_modules/pyodide`` and runs ``pytest tests/unit -q`` there, on the cut
stdlib the site ships (the whole one behind it, for pytest), failing on any stdlib
module the simulator's code imports that the cut one lacks. The wheels
are used as built, not py-compiled, so tracebacks show source lines.

Extra arguments replace the pytest arguments: ``python -m tests.pyodide.runner tests/unit -x``.
Exits with pytest's exit code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from sitebuild.common import CACHE_NAME, ROOT, BuildError
from sitebuild.runtime import project_pins, pyodide_runtime
from sitebuild.stdlib import SIMULATOR_PACKAGES
from sitebuild.wheels import pypi_wheel, recovery_core_wheel

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


def wheels(root: Path = ROOT, log=print) -> list[Path]:
    """Every wheel to unpack: pytest's set, then the simulator's."""
    cache = root / CACHE_NAME
    runtime = pyodide_runtime(root)
    found = [pypi_wheel(name, version, runtime, cache, log) for name, version in runner_pins(root)]
    found += [pypi_wheel(name, version, runtime, cache, log) for name, version in project_pins(root)]
    found.append(recovery_core_wheel(root, cache, log)[0])
    return found


def cut_stdlib_zip() -> Path | None:
    """The cut python_stdlib.zip the site ships (sitebuild/stdlib.py), or None where the
    build ships npm's whole one (no host Python of Pyodide's version to py-compile)."""
    from sitebuild.bundle import resolve_sources

    return resolve_sources(
        ROOT, ROOT / CACHE_NAME, lambda line: print(f"pyodide-tests: {line}", file=sys.stderr)
    ).runtime.stdlib


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv) or list(DEFAULT_ARGS)
    node = shutil.which("node")
    if not node:
        print("pyodide-tests: error: Node.js is not installed", file=sys.stderr)
        return 2
    try:
        found = wheels(ROOT, log=lambda line: print(f"pyodide-tests: {line}", file=sys.stderr))
        cut = cut_stdlib_zip()
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
