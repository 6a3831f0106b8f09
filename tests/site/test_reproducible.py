"""The recovery_core wheel is the same bytes from any clone of a commit, and carries
only the package: its URL, the lockfile's hash and the snapshot key follow the code."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

from sitebuild.common import sha256_file
from sitebuild.wheels import recovery_core_wheel, source_files

ROOT = Path(__file__).resolve().parents[2]


def clone(dest: Path, mtime: int) -> Path:
    """A copy of the wheel's sources whose files all carry ``mtime``, as a checkout would."""
    for rel in source_files(ROOT):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, dest / rel)
        os.utime(dest / rel, (mtime, mtime))
    return dest


def test_two_clones_build_the_same_wheel_without_the_readme(tmp_path):
    wheels = []
    for n, mtime in enumerate((1_700_000_000, 1_800_000_000)):
        src = clone(tmp_path / f"clone{n}", mtime)
        wheel, _ = recovery_core_wheel(src, tmp_path / f"cache{n}", lambda _: None)
        wheels.append(wheel)
    assert sha256_file(wheels[0]) == sha256_file(wheels[1])
    with zipfile.ZipFile(wheels[0]) as z:
        names = z.namelist()
        metadata = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert all(n.startswith("recovery_core") for n in names), names
    assert "Quick start" not in metadata and len(metadata) < 2000, len(metadata)
