"""MkDocs hook: the simulator's browser runtime in ``<site_dir>/assets/simulator/``.

Listed in ``mkdocs.yml``::

    hooks:
      - demo/mkdocs_hook.py

After every build (``mkdocs build`` and each rebuild of ``mkdocs serve``, whose
site_dir is a temporary directory) it runs :func:`demo.build.build`: the Pyodide
runtime, the wheels, the lockfile and demo/'s JS/CSS land next to each other, so
the bridge finds the worker, and the worker the runtime, by relative URLs. Slow
steps are cached under ``.cache/simulator-build/``; a rebuild with nothing changed
only copies files. Under ``mkdocs serve`` it also watches demo/ and recovery_core/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path
    sys.path.insert(0, str(ROOT))

from demo.build import BuildError, build  # noqa: E402

log = get_plugin_logger("simulator")

#: Where the runtime goes, relative to site_dir.
OUT = Path("assets") / "simulator"


def on_post_build(config, **kwargs) -> None:
    try:
        result = build(Path(config["site_dir"]) / OUT, ROOT, log=log.info)
    except BuildError as exc:
        raise PluginError(f"simulator: {exc}") from exc
    total = sum(result.manifest["files"].values())
    log.info(
        f"{OUT.as_posix()}/ in {result.seconds:.2f} s: Pyodide {result.manifest['pyodide']}, "
        f"{len(result.manifest['packages'])} wheels, {total / 1e6:.1f} MB"
    )


def on_serve(server, config, builder, **kwargs):
    for name in ("demo", "recovery_core"):
        server.watch(str(ROOT / name))
    return server
