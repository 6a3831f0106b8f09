"""Read back a build-time value from a built browser file, and the worker's source."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from sitebuild.output import worker_bundle

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def worker_bundled() -> str:
    """web/worker.mjs and its modules as the build bundles them, before its values go in
    (bundled once for the session: each call of esbuild is a process)."""
    return worker_bundle(ROOT / "web" / "worker.mjs", ROOT)


def built_value(source: str, built: str, name: str) -> object:
    """The JSON value the build wrote for ``"@build:<name>@"``: the built line that
    reads as the source's line around the marker, less what surrounds it there."""
    marker = f'"@build:{name}@"'
    (line,) = [line for line in source.splitlines() if marker in line]
    before, after = line.split(marker)
    (found,) = [b for b in built.splitlines() if b.startswith(before) and b.endswith(after)]
    return json.loads(found[len(before) : len(found) - len(after)])
