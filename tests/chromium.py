"""Debian's Chromium and its launch flags on these machines (tests and bench share them).

``playwright install`` cannot download browsers here; without the background
networking flags Chromium keeps trying hosts this machine cannot reach.
"""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
