"""Shared fixtures: the site built once per session and served on localhost."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


#: The suite's layers, one per folder and marked by it: ``pytest -m "unit or property
#: or site"`` is ``make test-fast``.
LAYERS = ("unit", "property", "site", "pyodide", "e2e")


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        layer = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        assert layer in LAYERS, f"{item.nodeid}: a test belongs in one of the folders {LAYERS}"
        item.add_marker(layer)


def build_site(dest: Path, docs_dir: Path | None = None, site_url: str | None = None) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` into ``dest``; returns the finished process.

    ``site_url`` must be where the site is served: Material's instant navigation
    only takes over links whose origin (port included) matches it.
    """
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)]
    config = ROOT / "mkdocs.yml"
    if docs_dir is not None:
        # A copy of the config pointing at another docs dir (for negative tests).
        text = config.read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {docs_dir}")
        text = text.replace("custom_dir: docs/overrides", f"custom_dir: {docs_dir}/overrides")
        text = re.sub(r"(?m)^(\s*- )((?:docs|sitebuild)/\S+\.py)$", rf"\g<1>{ROOT}/\g<2>", text)  # the hooks
        config = dest.parent / "mkdocs-variant.yml"
        config.write_text(text, encoding="utf-8")
    cmd += ["--config-file", str(config)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_LOCAL": "1"}  # served here
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def site_port() -> int:
    # Imported here: this conftest is also loaded inside Pyodide (tests/pyodide), where
    # only recovery_core is installed.
    from sitebuild.serve import free_port

    return free_port()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, site_port) -> Path:
    """The site, built with ``--strict`` into a temporary directory, for ``site_port``."""
    dest = tmp_path_factory.mktemp("site") / "site"
    done = build_site(dest, site_url=f"http://127.0.0.1:{site_port}/")
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return dest


@pytest.fixture(scope="session")
def site_url(site_dir, site_port) -> str:
    """The built site served over HTTP on 127.0.0.1; ends with ``/``."""
    from sitebuild.serve import serve_in_background

    server, url = serve_in_background(site_dir, port=site_port)
    yield url
    server.shutdown()
    server.server_close()
