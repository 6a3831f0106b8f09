"""The wheels the simulator ships, before py-compile: recovery_core built from this
checkout (reproducibly, from a copy of exactly its sources) and the pinned
dependencies downloaded from PyPI; both cached."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sitebuild.common import (
    KEEP,
    BuildError,
    Log,
    Timer,
    hash_files,
    only_wheel,
    prune,
    publish,
    run,
    tmp_dir,
    touch,
)
from sitebuild.runtime import Runtime

#: Files outside the package directory that go into the recovery_core wheel.
#: Not README.md: its text would ride in every reader's download (METADATA), and an
#: edit to it would change the wheel's hash, every URL keyed on it and the snapshot key.
PROJECT_FILES = ("pyproject.toml", "LICENSE", "MANIFEST.in", "setup.cfg", "setup.py")
#: The time written into the recovery_core wheel's entries: two clones of one commit
#: (whose files carry their checkout times) build the same bytes. 1980-01-01, zip's first day.
SOURCE_DATE_EPOCH = "315532800"


def pypi_wheel(name: str, version: str, runtime: Runtime, cache: Path, log: Log) -> Path:
    """The pure-Python wheel of ``name==version`` from PyPI, downloaded once."""
    dest = cache / "pypi" / f"{name.lower()}-{version}"
    if found := only_wheel(dest):
        return found
    tmp = tmp_dir(cache, "pypi-")
    py = f"{runtime.python[0]}.{runtime.python[1]}"
    with Timer(log, f"downloaded {name}=={version} from PyPI"):
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--implementation",
                "py",
                "--abi",
                "none",
                "--platform",
                "any",
                "--python-version",
                py,
                "--dest",
                str(tmp),
                f"{name}=={version}",
            ],
            f"pip download {name}=={version}",
        )
    if not only_wheel(tmp):
        raise BuildError(f"pip download {name}=={version} did not produce exactly one wheel")
    publish(tmp, dest)
    return only_wheel(dest)


def source_files(root: Path) -> list[Path]:
    """The files the recovery_core wheel is built from, relative to ``root``."""
    files = [Path(name) for name in PROJECT_FILES if (root / name).is_file()]
    for path in sorted((root / "recovery_core").rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and "__pycache__" not in rel.parts and path.suffix not in (".pyc", ".pyo"):
            files.append(rel)
    return files


def recovery_core_wheel(root: Path, cache: Path, log: Log) -> tuple[Path, str]:
    """The recovery_core wheel built from the working tree; cached by a hash of its sources."""
    files = source_files(root)
    key = hash_files(root, files)[:16]
    dest = cache / "recovery_core" / key
    if found := only_wheel(dest):
        touch(dest)
        return found, key
    tmp = tmp_dir(cache, "rc-")
    src = tmp / "src"
    for rel in files:  # build from a copy: exactly the hashed files, no build/ in the tree
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, src / rel)
    with Timer(log, "built the recovery_core wheel"):
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--wheel-dir",
                str(tmp / "out"),
                str(src),
            ],
            "building the recovery_core wheel",
            env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        )
    wheel = only_wheel(tmp / "out")
    if not wheel:
        raise BuildError("pip wheel did not produce exactly one recovery_core wheel")
    shutil.rmtree(src)
    wheel.rename(tmp / wheel.name)
    (tmp / "out").rmdir()
    publish(tmp, dest)
    prune(dest.parent, KEEP, dest)
    return only_wheel(dest), key
