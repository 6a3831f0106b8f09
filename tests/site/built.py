"""Read back a build-time value from a built browser file."""

from __future__ import annotations

import json


def built_value(source: str, built: str, name: str) -> object:
    """The JSON value the build wrote for ``"@build:<name>@"``: the built line that
    reads as the source's line around the marker, less what surrounds it there."""
    marker = f'"@build:{name}@"'
    (line,) = [line for line in source.splitlines() if marker in line]
    before, after = line.split(marker)
    (found,) = [b for b in built.splitlines() if b.startswith(before) and b.endswith(after)]
    return json.loads(found[len(before) : len(found) - len(after)])
