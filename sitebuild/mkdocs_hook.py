"""MkDocs hook: the simulator's browser runtime in ``<site_dir>/assets/simulator/``.

Listed in ``mkdocs.yml``::

    hooks:
      - sitebuild/mkdocs_hook.py

Before every build (``mkdocs build`` and each rebuild of ``mkdocs serve``, whose
site_dir is a temporary directory) it prepares :func:`sitebuild.build.prepare`'s files and
hands the worker's content-hashed name to the templates (``config.extra.simulator_worker``,
for the simulator page's head); after it, it writes them: the Pyodide runtime, the
wheels, the lockfile and web/'s JS/CSS land next to each other, so the bridge finds
the worker, and the worker the runtime, by relative URLs. Slow steps are cached under
``.cache/simulator-build/``; a rebuild with nothing changed only copies files. Under
``mkdocs serve`` it also watches web/, sitebuild/ and recovery_core/.
"""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

# MkDocs loads hooks by file path; sitebuild itself is installed (make setup).
from sitebuild.build import BuildError, Prepared, prepare
from sitebuild.output import sync

ROOT = Path(__file__).resolve().parent.parent

log = get_plugin_logger("simulator")

#: Where the runtime goes, relative to site_dir.
OUT = Path("assets") / "simulator"


_prepared: Prepared | None = None


def on_pre_build(config, **kwargs) -> None:
    """Prepare the files now: the pages need the worker's name (``config.extra.simulator_worker``,
    see docs/overrides/main.html) before they are rendered."""
    global _prepared
    t0 = time.perf_counter()
    try:
        _prepared = prepare(ROOT, log=log.info)
    except BuildError as exc:
        raise PluginError(f"simulator: {exc}") from exc
    config.extra["simulator_worker"] = _prepared.worker
    from recovery_core.messages import UI

    # What the page says where the simulator's own scripts failed to load (docs/overrides/main.html).
    config.extra["simulator_fallback"] = {k: UI[k] for k in ("scripts_failed", "reload", "guide_link")}
    total = sum(_prepared.manifest["files"].values())
    log.info(
        f"{OUT.as_posix()}/ prepared in {time.perf_counter() - t0:.2f} s: Pyodide {_prepared.manifest['pyodide']}, "
        f"{len(_prepared.manifest['packages'])} wheels, {total / 1e6:.1f} MB"
    )


def on_post_build(config, **kwargs) -> None:
    """Write them, once MkDocs has cleaned and filled site_dir."""
    sync(_prepared.files, Path(config["site_dir"]) / OUT)


def on_serve(server, config, builder, **kwargs):
    for name in ("web", "sitebuild", "recovery_core"):
        server.watch(str(ROOT / name))
    return server
