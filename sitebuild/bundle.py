"""A bundle: everything the simulator ships besides the runtime and the browser files,
built once per key of its inputs — the content-addressed wheels (py-compiled when the
host can), the lockfile (``pyodide lockfile add-wheels`` over the runtime's base
lockfile), the manifest (simulator.json) and the first screen (recovery_core's reply to
the first ``start``, computed by the shipped wheels in this host's Python)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from sitebuild import pycompile
from sitebuild.common import (
    KEEP,
    BuildError,
    Log,
    Timer,
    json_output,
    kb,
    prune,
    publish,
    pyodide_cli,
    run,
    sha256_file,
    tmp_dir,
    touch,
)
from sitebuild.runtime import RUNTIME_FILES, Runtime, hinted_script, project_pins, pyodide_runtime, runtime_digest
from sitebuild.stdlib import cut_stdlib
from sitebuild.wheels import pypi_wheel, recovery_core_wheel

#: The package the worker loads by name; the lockfile brings its dependencies.
ENTRY_PACKAGE = "recovery-core"
#: Bump when the layout of a bundle changes, to invalidate cached bundles.
BUNDLE_FORMAT = 4
#: The requests whose replies widget.js shows while Python loads: a reader who has typed
#: nothing yet, at /simulator/ (``step`` null) or at a link to any step (``step`` set);
#: the tab's first seed is this one (widget.js: FIRST_SEED), so the core then answers
#: the same (tests/site/test_built_site.py).
FIRST_SCREEN_REQUEST = {"op": "start", "step": None, "seed": 0, "data": {}}
#: The bundle's file with the first screens' states, by step ("" for none; not shipped
#: as a file of its own).
FIRST_SCREEN_FILE = "first-screens.json"


@dataclass
class Sources:
    """Every input of a bundle, resolved (wheels fetched or built)."""

    runtime: Runtime
    wheels: list[Path]  # as built or downloaded: what the lockfile is made from
    rc_key: str
    compile: bool

    def key(self) -> str:
        data = {
            "format": BUNDLE_FORMAT,
            "pyodide": self.runtime.version,
            "runtime": self.runtime.digest,
            "info": self.runtime.lock_info,
            "wheels": sorted((w.name, sha256_file(w)) for w in self.wheels),
            "compile": [self.runtime.python_tag, pycompile.SOURCE_ONLY, pycompile.policy_key()]
            if self.compile
            else None,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def resolve_sources(root: Path, cache: Path, log: Log, compile: bool | None = None) -> Sources:
    """Fetch or build every wheel; decide whether py-compile can run on this host."""
    runtime = pyodide_runtime(root)
    rc, rc_key = recovery_core_wheel(root, cache, log)
    wheels = [rc] + [pypi_wheel(name, version, runtime, cache, log) for name, version in project_pins(root)]
    host = sys.version_info[:2]
    can_compile = host == runtime.python
    if compile is None:
        compile = can_compile
        if not can_compile:
            log(
                f"note: host Python {host[0]}.{host[1]} ≠ Pyodide's "
                f"{runtime.python[0]}.{runtime.python[1]}; shipping wheels without py-compile"
            )
    elif compile and not can_compile:
        raise BuildError(f"py-compile needs a host Python {runtime.python[0]}.{runtime.python[1]}")
    if compile:
        runtime = dataclasses.replace(runtime, stdlib=cut_stdlib(runtime, wheels, cache, log))
    runtime = dataclasses.replace(runtime, script=hinted_script(runtime, cache))
    runtime = dataclasses.replace(runtime, digest=runtime_digest(runtime))
    return Sources(runtime, wheels, rc_key, compile)


def make_bundle(src: Sources, cache: Path, log: Log) -> Path:
    """The lockfile, the manifest and the content-addressed wheels, built once per key."""
    dest = cache / "bundles" / src.key()
    if (dest / "simulator.json").is_file():
        touch(dest)
        return dest
    tmp = tmp_dir(cache, "bundle-")
    stage = tmp / "stage"
    stage.mkdir()
    for wheel in src.wheels:
        shutil.copy2(wheel, stage / wheel.name)

    # The runtime's base lockfile minus its packages: their wheels are not shipped,
    # and an entry without its file would only turn ImportError into a failed fetch.
    base = json.loads((src.runtime.dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    base["packages"] = {}
    (tmp / "base-lock.json").write_text(json.dumps(base), encoding="utf-8")
    with Timer(log, "pyodide lockfile add-wheels"):
        run(
            [
                *pyodide_cli(),
                "lockfile",
                "add-wheels",
                "--input",
                str(tmp / "base-lock.json"),
                "--output",
                str(stage / "pyodide-lock.json"),
                "--base-path",
                str(stage),
                *(str(stage / w.name) for w in src.wheels),
            ],
            "pyodide lockfile add-wheels",
        )
    lock = json.loads((stage / "pyodide-lock.json").read_text(encoding="utf-8"))
    if ENTRY_PACKAGE not in lock["packages"]:
        raise BuildError(f"the lockfile has no {ENTRY_PACKAGE!r} entry")

    # py-compile each wheel (cached on its own), then point its entry at the compiled
    # file and hash, as `pyodide py-compile DIR` does for a flat folder. Every wheel
    # moves into wheels/<sha>/ so its URL changes whenever its content does.
    sizes: dict[str, int] = {}
    report = []
    for entry in lock["packages"].values():
        original = stage / entry["file_name"]
        shipped = pycompile.compiled_wheel(original, src.runtime, cache, log) if src.compile else original
        sha = sha256_file(shipped)
        rel = f"wheels/{sha[:16]}/{shipped.name}"
        (tmp / rel).parent.mkdir(parents=True)
        shutil.copy2(shipped, tmp / rel)
        entry["file_name"], entry["sha256"] = rel, sha
        sizes[rel] = shipped.stat().st_size
        report.append({"name": entry["name"], "source": original.stat().st_size, "shipped": sizes[rel], "file": rel})
    (tmp / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    for name in RUNTIME_FILES:
        sizes[src.runtime.out_dir + name] = src.runtime.file(name).stat().st_size
    manifest = {
        "build": src.key(),
        "pyodide": src.runtime.version,
        "python": src.runtime.lock_info["python"],
        "runtime": src.runtime.out_dir,
        "lockfile": "pyodide-lock.json",
        "entry": ENTRY_PACKAGE,
        "packages": sorted(lock["packages"]),
        "compiled": src.compile,
        "files": dict(sorted(sizes.items())),
        "wheels": report,
    }
    (tmp / "simulator.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    states = first_screens([stage / w.name for w in src.wheels])
    (tmp / FIRST_SCREEN_FILE).write_text(json.dumps(states, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(stage)
    (tmp / "base-lock.json").unlink()
    publish(tmp, dest)
    prune(dest.parent, KEEP, dest)
    for row in report:
        change = f"{kb(row['source'])} → {kb(row['shipped'])}" if src.compile else kb(row["shipped"])
        log(f"  {row['name']}: {change}")
    return dest


def first_screens(wheels: list[Path]) -> dict:
    """The states recovery_core answers :data:`FIRST_SCREEN_REQUEST` with, for no step
    (key "") and for each step, computed by ``wheels`` (first on sys.path, so the code
    shipped, not this checkout) in this Python."""
    code = (
        "import json, sys; sys.path[:0] = sys.argv[2:]; from recovery_core.protocol import handle; "
        "from recovery_core.steps import STEP_IDS; request = json.loads(sys.argv[1]); "
        "print(json.dumps({str(step or ''): json.loads(handle(json.dumps({**request, 'step': step})))"
        "['state'] for step in [None, *STEP_IDS]}))"
    )
    return json_output(
        [sys.executable, "-I", "-c", code, json.dumps(FIRST_SCREEN_REQUEST), *map(str, wheels)],
        "computing the simulator's first screens",
        lambda r: isinstance(r, dict) and "" in r and all(isinstance(v, dict) and v.get("screen") for v in r.values()),
    )
