"""Build-time values in the browser files: each string literal ``"@build:NAME@"`` is
replaced by a value as JSON; a marker without a value, a value without a marker or a
marker used twice stops the build (a renamed constant never ships a placeholder)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sitebuild.common import BuildError

#: Where a build-time value goes in a browser file: the string literal "@build:NAME@",
#: replaced by the value as JSON (see :func:`inject`). The values: RUNTIME_DIR, MANIFEST,
#: LOCKFILE, WORKER_VERSION (web/worker/config.mjs), WORKER_FILE (bridge.js),
#: FIRST_SCREENS (widget.js) and TEXTS (all three: recovery_core.view.browser_texts, so the browser
#: files hold no Russian of their own).
MARKER = re.compile(r'"@build:([A-Z_]+)@"')


def inject(path: Path, values: dict[str, object], text: str | None = None) -> bytes:
    """``path``'s text with each "@build:NAME@" replaced by ``values[NAME]`` as JSON.

    Fails on a marker without a value, a value without a marker, or a marker used
    twice: a renamed constant stops the build instead of shipping a placeholder.
    """
    text = path.read_text(encoding="utf-8") if text is None else text
    found = MARKER.findall(text)
    missing, unused = sorted(set(found) - values.keys()), sorted(values.keys() - set(found))
    twice = sorted({n for n in found if found.count(n) > 1})
    if missing or unused or twice:
        raise BuildError(
            f"{path.name}: build markers without a value {missing}, values without a marker {unused}, "
            f"markers used twice {twice}"
        )
    return MARKER.sub(lambda m: json.dumps(values[m[1]], ensure_ascii=False, separators=(",", ":")), text).encode()
