"""Shared fixtures: the site built once per session and served on localhost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def build_site(dest: Path, docs_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` into ``dest``; returns the finished process."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)]
    config = ROOT / "mkdocs.yml"
    if docs_dir is not None:
        # A copy of the config pointing at another docs dir (for negative tests).
        text = config.read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {docs_dir}")
        text = text.replace("custom_dir: docs/overrides", f"custom_dir: {docs_dir}/overrides")
        text = text.replace("- docs/hooks/steps.py", f"- {ROOT}/docs/hooks/steps.py")
        config = dest.parent / "mkdocs-variant.yml"
        config.write_text(text, encoding="utf-8")
    cmd += ["--config-file", str(config)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site, built with ``--strict`` into a temporary directory."""
    dest = tmp_path_factory.mktemp("site") / "site"
    done = build_site(dest)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return dest


@pytest.fixture(scope="session")
def site_url(site_dir) -> str:
    """The built site served over HTTP on a free 127.0.0.1 port; ends with ``/``."""
    from demo.serve import serve_in_background

    server, url = serve_in_background(site_dir)
    yield url
    server.shutdown()
    server.server_close()
