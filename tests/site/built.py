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


def transferred_sizes(site_dir: Path) -> dict[str, int]:
    """Each file of the built manifest (simulator.json), as a first start transfers it:
    the .gz beside it if there is one, else the file, read back from the built site."""
    out = site_dir / "assets" / "simulator"
    manifest = json.loads((out / "simulator.json").read_text(encoding="utf-8"))
    gz = {rel: out / (rel + ".gz") for rel in manifest["files"]}
    return {rel: (gz[rel].stat().st_size if gz[rel].exists() else size) for rel, size in manifest["files"].items()}
