"""What every step of the simulator's build shares: its error, running a command, and
the cache under ``.cache/simulator-build/`` (entries keyed by their inputs, published
atomically, pruned to the most recently used)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_NAME = Path(".cache") / "simulator-build"
#: How many recovery_core wheels and bundles to keep in the cache.
KEEP = 6

Log = Callable[[str], None]


class BuildError(RuntimeError):
    """A build step failed; the message says what to do."""


def run(cmd: list[str], what: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    """Run ``cmd``; a BuildError with its output when it fails."""
    done = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env=None if env is None else {**os.environ, **env}
    )
    if done.returncode != 0:
        raise BuildError(f"{what} failed ({done.returncode}):\n$ {' '.join(cmd)}\n{done.stdout}{done.stderr}")


def json_output(cmd: list[str], what: str, valid: Callable[[object], bool]) -> object:
    """Run ``cmd`` and return the JSON it prints, when ``valid`` accepts it; else a BuildError."""
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    try:
        value = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        value = None
    if value is None or not valid(value):
        raise BuildError(f"{what} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return value


def pyodide_cli() -> list[str]:
    """The ``pyodide`` command of pyodide-build, from this venv or the PATH."""
    exe = Path(sys.executable).with_name("pyodide")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("pyodide")
    if not found:
        raise BuildError("the `pyodide` command (pyodide-build) is not installed: pip install -e '.[dev]'")
    return [found]


def hash_files(root: Path, files: Iterable[Path]) -> str:
    """sha256 over the paths and contents of ``files``."""
    h = hashlib.sha256()
    for rel in files:
        h.update(rel.as_posix().encode() + b"\0")
        h.update((root / rel).read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def tmp_dir(cache: Path, prefix: str) -> Path:
    """A new temporary directory inside the cache (same file system: publishing is a rename)."""
    path = cache / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=path))


def publish(tmp: Path, dest: Path) -> None:
    """Move a finished temporary directory into place (atomic; a concurrent winner is kept)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(tmp, dest)
    except OSError:
        if not dest.is_dir():
            raise
        shutil.rmtree(tmp, ignore_errors=True)


def only_wheel(directory: Path) -> Path | None:
    """The one wheel in ``directory``, or None."""
    wheels = sorted(directory.glob("*.whl")) if directory.is_dir() else []
    return wheels[0] if len(wheels) == 1 else None


def prune(parent: Path, keep: int, current: Path) -> None:
    """Drop all but the ``keep`` most recently used entries of ``parent``."""
    if not parent.is_dir():
        return
    entries = sorted((p for p in parent.iterdir() if p != current), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def touch(path: Path) -> None:
    """Mark a cache entry as just used (for :func:`prune`)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def kb(n: int) -> str:
    return f"{n / 1000:,.1f} kB".replace(",", " ")


class Timer:
    """Logs a line for a slow step: what, then how long it took."""

    def __init__(self, log: Log, what: str):
        self.log, self.what = log, what

    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.log(f"{self.what} ({time.perf_counter() - self.t0:.1f} s)")
