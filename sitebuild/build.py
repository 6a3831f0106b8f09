"""Assemble the simulator's browser runtime into one directory of the site.

``python -m sitebuild.build OUT_DIR`` (and the MkDocs hook ``sitebuild/mkdocs_hook.py``, which
builds into ``<site_dir>/assets/simulator/``) lays out::

    OUT_DIR/
      runtime/<version>-<sha>/pyodide/
                          pyodide.mjs, pyodide.asm.js, pyodide.asm.wasm, python_stdlib.zip
                          (from node_modules/pyodide, the version pinned in package-lock.json)
      wheels/<sha>/*.whl  recovery_core (built from this repo), and the pinned
                          [project] dependencies from PyPI, py-compiled when possible
      pyodide-lock.json   ``pyodide lockfile add-wheels`` over the runtime's base lockfile
                          (its ``info`` kept, its packages dropped: their wheels are not shipped)
      simulator.json      the manifest: versions and every file's size
      worker.<sha>.mjs    web/worker.mjs bundled with web/worker/ by esbuild, the runtime's
                          directory, the manifest and the lockfile written into it,
                          named after its content
                          (bridge.js and the simulator page are told the name)
      bridge.js, …        the other browser files from web/ (*.js, *.css); the
                          simulator's first screens are written into widget.js (below)

The runtime and each wheel sit in a directory named after their content (the runtime's
also after its version), so those URLs never change content: ``sitebuild/serve.py`` lets
browsers cache them for good, and a browser that cached an older build can never pair
a new lockfile's integrity hash with a stale wheel.

The first screens (recovery_core's replies to the first ``start``, at /simulator/ and at
a link to each step, the same for every reader who has typed nothing yet) are written
into widget.js: the page shows the one its address names while Pyodide loads.

Everything slow is cached under ``.cache/simulator-build/``, keyed by its inputs: a
rebuild with nothing changed only hashes the sources and copies files whose size or
mtime differ.

The steps live in modules of their own; this one puts them in order and is the command:

- :mod:`sitebuild.runtime`: the Pyodide runtime from node_modules, the project's pins;
- :mod:`sitebuild.wheels`: the recovery_core wheel and the PyPI wheels;
- :mod:`sitebuild.pycompile` and :mod:`sitebuild.stdlib`: py-compiling them and the stdlib;
- :mod:`sitebuild.bundle`: lockfile, manifest and first screens, cached per key;
- :mod:`sitebuild.inject` and :mod:`sitebuild.output`: the browser files' build-time
  values, and the output directory;
- :mod:`sitebuild.common`: the error, commands and the cache every step shares.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sitebuild.bundle import make_bundle, resolve_sources
from sitebuild.common import CACHE_NAME, ROOT, BuildError, Log, kb
from sitebuild.output import plan, sync, worker_name

__all__ = ["BuildError", "Prepared", "Result", "build", "main", "prepare"]


@dataclass
class Prepared:
    """What a build writes: every file, the manifest, the worker's name."""

    files: dict[str, Path | bytes]
    manifest: dict
    worker: str


def prepare(root: Path = ROOT, *, compile: bool | None = None, log: Log = print) -> Prepared:
    """Everything :func:`build` writes, without writing it (the MkDocs hook needs the
    worker's name before the pages are rendered, and writes the files after)."""
    root = Path(root).resolve()
    cache = root / CACHE_NAME
    src = resolve_sources(root, cache, log, compile)
    bundle = make_bundle(src, cache, log)
    files = plan(bundle, src.runtime, root)
    manifest = json.loads((bundle / "simulator.json").read_text(encoding="utf-8"))
    return Prepared(files, manifest, worker_name(files))


@dataclass
class Result:
    out_dir: Path
    manifest: dict
    copied: int
    seconds: float


def build(out_dir: Path, root: Path = ROOT, *, compile: bool | None = None, log: Log = print) -> Result:
    """Build the simulator runtime into ``out_dir`` (see the module docstring)."""
    t0 = time.perf_counter()
    prepared = prepare(root, compile=compile, log=log)
    out_dir = Path(out_dir)
    copied = sync(prepared.files, out_dir)
    return Result(out_dir, prepared.manifest, copied, time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="e.g. site/assets/simulator")
    parser.add_argument("--root", type=Path, default=ROOT, help="project root (default: this checkout)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--compile", dest="compile", action="store_true", default=None, help="require py-compile")
    group.add_argument("--no-compile", dest="compile", action="store_false", help="ship .py sources")
    args = parser.parse_args(argv)
    try:
        result = build(args.out_dir, args.root, compile=args.compile, log=lambda line: print(f"simulator: {line}"))
    except BuildError as exc:
        print(f"simulator: error: {exc}", file=sys.stderr)
        return 1
    from sitebuild.precompress import CACHE, precompress  # in a site build, its own hook does this

    gzipped = precompress(result.out_dir, CACHE)
    total = sum(result.manifest["files"].values())
    print(
        f"simulator: {result.out_dir} ready in {result.seconds:.2f} s — Pyodide {result.manifest['pyodide']}, "
        f"{len(result.manifest['packages'])} wheels, {kb(total)} to download, {result.copied} files copied; "
        f"{gzipped['files']} files also gzipped ({kb(gzipped['original'])} → {kb(gzipped['gzipped'])})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
