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
      worker.<sha>.mjs    web/worker.mjs with the runtime's directory, the manifest
                          and the lockfile written into it, named after its content
                          (bridge.js and the simulator page are told the name)
      bridge.js, …        the other browser files from web/ (*.js, *.css); the
                          simulator's first screen is written into widget.js (below)

The runtime and each wheel sit in a directory named after their content (the runtime's
also after its version), so those URLs never change content: ``sitebuild/serve.py`` lets
browsers cache them for good, and a browser that cached an older build can never pair
a new lockfile's integrity hash with a stale wheel.

py-compile (``.py`` → ``.pyc`` for the runtime's Python, so the browser does not compile
at import) is done here, like ``pyodide py-compile``, but leaves as source the modules
listed in :data:`SOURCE_ONLY`: data loaded one at a time on demand (phonenumbers has a
module per region), which compress far better as source.

The runtime's ``python_stdlib.zip`` is py-compiled too: the npm package ships it as
source, so every module Pyodide imports while it starts was compiled in the browser
(measured: ~1.2 s of a 2.1 s cold start). Only the modules the worker actually imports
are compiled, found by starting Pyodide under Node with our wheels and sending one
request of each kind (:data:`PROBE_REQUESTS`); the rest stay source, which is smaller.

The first screen (recovery_core's reply to the first ``start``, the same for every
reader who has typed nothing yet) is computed here by the wheels being shipped, run by
this host's Python, and written into widget.js: the page shows it while Pyodide loads.

Everything slow is cached under ``.cache/simulator-build/``, keyed by its inputs:
PyPI downloads by pin, the recovery_core wheel by a hash of its sources, py-compiled
wheels by the input wheel's hash, the assembled bundle by all of these plus the
Pyodide version. A rebuild with nothing changed only hashes the sources and copies
files whose size or mtime differ.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_NAME = Path(".cache") / "simulator-build"

#: Runtime files the browser fetches; the npm package's other files stay behind.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
#: The browser files: every .mjs, .js and .css in web/ ships, next to the runtime
#: (the folder is the ship list; nothing else is kept there).
WEB_DIR = "web"
BROWSER_SUFFIXES = (".mjs", ".js", ".css")
#: The package the worker loads by name; the lockfile brings its dependencies.
ENTRY_PACKAGE = "recovery-core"
#: Files outside the package directory that go into the recovery_core wheel.
#: Not README.md: its text would ride in every reader's download (METADATA), and an
#: edit to it would change the wheel's hash, every URL keyed on it and the snapshot key.
PROJECT_FILES = ("pyproject.toml", "LICENSE", "MANIFEST.in", "setup.cfg", "setup.py")
#: The time written into the recovery_core wheel's entries: two clones of one commit
#: (whose files carry their checkout times) build the same bytes. 1980-01-01, zip's first day.
SOURCE_DATE_EPOCH = "315532800"
#: Bump when the layout of a bundle changes, to invalidate cached bundles.
BUNDLE_FORMAT = 3
#: Where the runtime goes: a directory named after its version and content.
RUNTIME_DIR = "runtime/{version}-{digest}/pyodide/"
#: Where a build-time value goes in a browser file: the string literal "@build:NAME@",
#: replaced by the value as JSON (see :func:`inject`). The values: RUNTIME_DIR, MANIFEST,
#: LOCKFILE, WORKER_VERSION (worker.mjs), WORKER_FILE (bridge.js), FIRST_SCREEN
#: (widget.js) and TEXTS (all three: recovery_core.view.browser_texts, so the browser
#: files hold no Russian of their own).
MARKER = re.compile(r'"@build:([A-Z_]+)@"')
#: The worker ships as worker.<hash>.mjs (cached for good, like the runtime); bridge.js
#: and the simulator page's head are told the name.
WORKER_NAME = "worker.{digest}.mjs"
WORKER_NAME_PATTERN = re.compile(r"worker\.[0-9a-f]{16}\.mjs")
#: Runtime files the browser receives gzip-encoded (sitebuild/precompress.py): the download
#: size a reader is told counts them so.
GZIPPED_SUFFIXES = (".mjs", ".js", ".wasm")
#: Modules py-compile leaves as source (fnmatch patterns of paths inside a wheel):
#: per-region metadata, imported one region at a time when a number of that region
#: is parsed. As .pyc they would add 180 kB to phonenumberslite (473 → 691 kB).
SOURCE_ONLY = (
    "phonenumbers/data/region_*.py",
    "phonenumbers/shortdata/region_*.py",
)
#: What the worker imports, and requests that make it import what answering needs:
#: the stdlib modules this touches under Node are the ones py-compiled.
PROBE_MODULE = "recovery_core.protocol"
PROBE_REQUESTS = (
    {"op": "start", "step": None, "seed": 1},
    {"op": "act", "action": "open_app", "value": None},
    {"op": "check", "field": "email", "value": "anna@example.com"},
    {"op": "check", "field": "phone", "value": "+7 912 345-67-89"},
    {"op": "check", "field": "code", "value": "123 456"},
    {"op": "check", "field": "password", "value": "Lastochka-Vertolet-Siren-42"},
    {"op": "tick", "seconds": 60},
)
#: Runs under Node: starts Pyodide from the npm package, puts the wheels on sys.path
#: as the worker does, imports PROBE_MODULE, answers the requests, prints the stdlib
#: files that were imported (paths inside python_stdlib.zip) as JSON.
_STDLIB_PROBE_JS = r"""
import fs from "node:fs";
import { pathToFileURL } from "node:url";
const [indexDir, module, requests, ...wheels] = process.argv.slice(1); // node -e: no script path
const { loadPyodide } = await import(pathToFileURL(indexDir + "/pyodide.mjs").href);
const py = await loadPyodide({ indexURL: indexDir + "/", stdout: () => {}, stderr: (l) => process.stderr.write(l + "\n") });
const paths = wheels.map((w, i) => {
  const path = `/tmp/probe-${i}.whl`;
  py.FS.writeFile(path, new Uint8Array(fs.readFileSync(w)));
  return path;
});
py.globals.set("probe_args", JSON.stringify({ paths, module, requests: JSON.parse(requests) }));
const files = py.runPython(`
import importlib, json, sys
args = json.loads(probe_args)
sys.path.extend(args["paths"])
handle = importlib.import_module(args["module"]).handle
for request in args["requests"]:
    handle(json.dumps(request))
stdlib = next(p for p in sys.path if p.endswith(".zip") and p.startswith("/lib/python"))
json.dumps(sorted({m.__file__[len(stdlib) + 1:] for m in list(sys.modules.values())
                   if (getattr(m, "__file__", None) or "").startswith(stdlib + "/")}))
`);
process.stdout.write(files);
"""
#: The request whose reply widget.js shows while Python loads: a reader who has typed
#: nothing yet; the reply does not depend on the seed (tests/unit/test_protocol.py).
FIRST_SCREEN_REQUEST = {"op": "start", "step": None, "seed": 0, "data": {}}
#: The bundle's file with the first screen's state (not shipped as a file of its own).
FIRST_SCREEN_FILE = "first-screen.json"
#: How many recovery_core wheels and bundles to keep in the cache.
KEEP = 6

Log = Callable[[str], None]


class BuildError(RuntimeError):
    """A build step failed; the message says what to do."""


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Runtime:
    """The Pyodide runtime from node_modules."""

    dir: Path
    version: str
    lock_info: dict
    python: tuple[int, int]
    digest: str = ""  # sha256 of the runtime files, names and contents
    stdlib: Path | None = None  # a py-compiled python_stdlib.zip to ship instead of the npm one

    def file(self, name: str) -> Path:
        """Where the runtime file ``name`` that ships comes from."""
        return self.stdlib if name == "python_stdlib.zip" and self.stdlib else self.dir / name

    @property
    def python_tag(self) -> str:
        return f"cp{self.python[0]}{self.python[1]}"

    @property
    def out_dir(self) -> str:
        """The runtime's directory in the output, ending with ``/``."""
        return RUNTIME_DIR.format(version=self.version, digest=self.digest[:12])


def pyodide_runtime(root: Path = ROOT) -> Runtime:
    """Find node_modules/pyodide and check it is the version package-lock.json pins."""
    try:
        lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
        pinned = lock["packages"]["node_modules/pyodide"]["version"]
    except (OSError, KeyError, ValueError) as exc:
        raise BuildError(f"package-lock.json does not pin pyodide ({exc})") from exc
    pkg_dir = root / "node_modules" / "pyodide"
    try:
        installed = json.loads((pkg_dir / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, KeyError, ValueError):
        raise BuildError("node_modules/pyodide is missing: run `npm ci`") from None
    if installed != pinned:
        raise BuildError(f"node_modules has pyodide {installed}, package-lock.json pins {pinned}: run `npm ci`")
    missing = [name for name in (*RUNTIME_FILES, "pyodide-lock.json") if not (pkg_dir / name).is_file()]
    if missing:
        raise BuildError(f"node_modules/pyodide lacks {', '.join(missing)}: run `npm ci`")
    info = json.loads((pkg_dir / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    major, minor = (int(x) for x in info["python"].split(".")[:2])
    runtime = Runtime(pkg_dir, installed, info, (major, minor))
    return dataclasses.replace(runtime, digest=runtime_digest(runtime))


def runtime_digest(runtime: Runtime) -> str:
    """sha256 over the names and contents of the runtime files that ship."""
    digest = hashlib.sha256()
    for name in RUNTIME_FILES:
        digest.update(name.encode() + b"\0" + bytes.fromhex(sha256_file(runtime.file(name))))
    return digest.hexdigest()


def project_pins(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(name, version)`` of every ``[project] dependencies`` entry; each must be ``==``-pinned."""
    from packaging.requirements import Requirement

    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    pins = []
    for text in data["project"].get("dependencies", []):
        req = Requirement(text)
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version or req.marker or req.extras:
            raise BuildError(f"pyproject.toml dependency {text!r} must be pinned as name==version")
        pins.append((req.name, specs[0].version))
    return pins


def source_files(root: Path = ROOT) -> list[Path]:
    """The files the recovery_core wheel is built from, relative to ``root``."""
    files = [Path(name) for name in PROJECT_FILES if (root / name).is_file()]
    for path in sorted((root / "recovery_core").rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and "__pycache__" not in rel.parts and path.suffix not in (".pyc", ".pyo"):
            files.append(rel)
    return files


def hash_files(root: Path, files: Iterable[Path]) -> str:
    """sha256 over the paths and contents of ``files``."""
    h = hashlib.sha256()
    for rel in files:
        h.update(rel.as_posix().encode() + b"\0")
        h.update((root / rel).read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- helpers


def _run(cmd: list[str], what: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env=None if env is None else {**os.environ, **env}
    )
    if done.returncode != 0:
        raise BuildError(f"{what} failed ({done.returncode}):\n$ {' '.join(cmd)}\n{done.stdout}{done.stderr}")


def _json_output(cmd: list[str], what: str, valid: Callable[[object], bool]) -> object:
    """Run ``cmd`` and return the JSON it prints, when ``valid`` accepts it; else a BuildError."""
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    try:
        value = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        value = None
    if value is None or not valid(value):
        raise BuildError(f"{what} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return value


def _pyodide_cli() -> list[str]:
    exe = Path(sys.executable).with_name("pyodide")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("pyodide")
    if not found:
        raise BuildError("the `pyodide` command (pyodide-build) is not installed: pip install -e '.[dev]'")
    return [found]


def _publish(tmp: Path, dest: Path) -> None:
    """Move a finished temporary directory into place (atomic; a concurrent winner is kept)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(tmp, dest)
    except OSError:
        if not dest.is_dir():
            raise
        shutil.rmtree(tmp, ignore_errors=True)


def _only_wheel(directory: Path) -> Path | None:
    wheels = sorted(directory.glob("*.whl")) if directory.is_dir() else []
    return wheels[0] if len(wheels) == 1 else None


def _prune(parent: Path, keep: int, current: Path) -> None:
    """Drop all but the ``keep`` most recently used entries of ``parent``."""
    if not parent.is_dir():
        return
    entries = sorted((p for p in parent.iterdir() if p != current), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)


def _kb(n: int) -> str:
    return f"{n / 1000:,.1f} kB".replace(",", " ")


class Timer:
    """Logs a line for a slow step: what, then how long it took."""

    def __init__(self, log: Log, what: str):
        self.log, self.what = log, what

    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.log(f"{self.what} ({time.perf_counter() - self.t0:.1f} s)")


# ---------------------------------------------------------------- wheels


def pypi_wheel(name: str, version: str, runtime: Runtime, cache: Path, log: Log) -> Path:
    """The pure-Python wheel of ``name==version`` from PyPI, downloaded once."""
    dest = cache / "pypi" / f"{name.lower()}-{version}"
    if found := _only_wheel(dest):
        return found
    tmp = Path(tempfile.mkdtemp(prefix="pypi-", dir=_tmp_dir(cache)))
    py = f"{runtime.python[0]}.{runtime.python[1]}"
    with Timer(log, f"downloaded {name}=={version} from PyPI"):
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--implementation",
                "py",
                "--abi",
                "none",
                "--platform",
                "any",
                "--python-version",
                py,
                "--dest",
                str(tmp),
                f"{name}=={version}",
            ],
            f"pip download {name}=={version}",
        )
    if not _only_wheel(tmp):
        raise BuildError(f"pip download {name}=={version} did not produce exactly one wheel")
    _publish(tmp, dest)
    return _only_wheel(dest)


def recovery_core_wheel(root: Path, cache: Path, log: Log) -> tuple[Path, str]:
    """The recovery_core wheel built from the working tree; cached by a hash of its sources."""
    files = source_files(root)
    key = hash_files(root, files)[:16]
    dest = cache / "recovery_core" / key
    if found := _only_wheel(dest):
        _touch(dest)
        return found, key
    tmp = Path(tempfile.mkdtemp(prefix="rc-", dir=_tmp_dir(cache)))
    src = tmp / "src"
    for rel in files:  # build from a copy: exactly the hashed files, no build/ in the tree
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, src / rel)
    with Timer(log, "built the recovery_core wheel"):
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--wheel-dir",
                str(tmp / "out"),
                str(src),
            ],
            "building the recovery_core wheel",
            env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        )
    wheel = _only_wheel(tmp / "out")
    if not wheel:
        raise BuildError("pip wheel did not produce exactly one recovery_core wheel")
    shutil.rmtree(src)
    wheel.rename(tmp / wheel.name)
    (tmp / "out").rmdir()
    _publish(tmp, dest)
    _prune(dest.parent, KEEP, dest)
    return _only_wheel(dest), key


def compiled_wheel(wheel: Path, runtime: Runtime, cache: Path, log: Log) -> Path:
    """``wheel`` with its modules py-compiled for the runtime's Python (see :func:`py_compile_wheel`), cached."""
    policy = hashlib.sha256("\n".join(SOURCE_ONLY).encode()).hexdigest()[:8]
    dest = cache / "compiled" / runtime.python_tag / f"{sha256_file(wheel)[:16]}-{policy}"
    if found := _only_wheel(dest):
        _touch(dest)
        return found
    tmp = Path(tempfile.mkdtemp(prefix="pyc-", dir=_tmp_dir(cache)))
    with Timer(log, f"py-compiled {wheel.name}"):
        py_compile_wheel(wheel, tmp, runtime.python_tag)
    if not _only_wheel(tmp):
        raise BuildError(f"py-compile of {wheel.name} did not leave exactly one wheel")
    _publish(tmp, dest)
    _prune(dest.parent, KEEP * 3, dest)
    return _only_wheel(dest)


def compiled_wheel_name(name: str, python_tag: str) -> str:
    """``pkg-1.0-py2.py3-none-any.whl`` → ``pkg-1.0-cp313-none-any.whl`` (as ``pyodide py-compile`` names it)."""
    from packaging.utils import parse_wheel_filename

    dist, version, build, tags = parse_wheel_filename(name)
    out = {(python_tag, t.abi, t.platform) for t in tags}
    if build or len(out) != 1:
        raise BuildError(f"cannot name the py-compiled wheel of {name}")
    ((interpreter, abi, plat),) = out
    return f"{dist.replace('-', '_')}-{version}-{interpreter}-{abi}-{plat}.whl"


def py_compile_wheel(wheel: Path, out_dir: Path, python_tag: str) -> Path:
    """Write ``wheel`` to ``out_dir`` with each ``.py`` replaced by its ``.pyc``, like
    ``pyodide py-compile``, except the modules matching :data:`SOURCE_ONLY`.

    Needs a host Python of the runtime's version (``.pyc`` is version-specific). The
    output is reproducible: hash-based ``.pyc`` headers and the input's timestamps,
    so the same input gives the same bytes, hence the same URL in the site.
    """
    from fnmatch import fnmatchcase

    out = out_dir / compiled_wheel_name(wheel.name, python_tag)
    py_compile_zip(wheel, out, python_tag, lambda name: not any(fnmatchcase(name, p) for p in SOURCE_ONLY))
    return out


def py_compile_zip(src: Path, dest: Path, python_tag: str, wanted: Callable[[str], bool]) -> None:
    """Copy the zip ``src`` to ``dest``, each ``.py`` for which ``wanted(path)`` is true
    replaced by its ``.pyc`` (hash-based, unchecked: sourceless), entries in order."""
    import py_compile

    if f"cp{sys.version_info[0]}{sys.version_info[1]}" != python_tag:
        raise BuildError(f"py-compile for {python_tag} needs that host Python")
    with (
        tempfile.TemporaryDirectory() as tmp,
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
    ):
        source, compiled = Path(tmp) / "m.py", Path(tmp) / "m.pyc"
        for info in zin.infolist():
            data = zin.read(info)
            name = info.filename
            if name.endswith(".pyc"):
                continue  # recompiled below, or dropped with its source kept
            if name.endswith(".py") and wanted(name):
                source.write_bytes(data)
                py_compile.compile(
                    str(source),
                    cfile=str(compiled),
                    dfile=name,
                    doraise=True,
                    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                )
                name, data = name + "c", compiled.read_bytes()
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            entry.external_attr = info.external_attr
            entry.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(entry, data, compresslevel=9)


# ---------------------------------------------------------------- stdlib


def stdlib_imports(runtime: Runtime, wheels: list[Path], cache: Path, log: Log) -> list[str]:
    """The stdlib files (paths in python_stdlib.zip) the worker imports: Pyodide's own
    start-up and :data:`PROBE_MODULE` answering :data:`PROBE_REQUESTS`, under Node; cached."""
    key = hashlib.sha256(
        json.dumps(
            {
                "runtime": runtime_digest(dataclasses.replace(runtime, stdlib=None)),
                "wheels": sorted(sha256_file(w) for w in wheels),
                "module": PROBE_MODULE,
                "requests": PROBE_REQUESTS,
                "probe": _STDLIB_PROBE_JS,
            },
            sort_keys=True,
        ).encode()
    ).hexdigest()[:16]
    dest = cache / "stdlib-imports" / f"{key}.json"
    if dest.is_file():
        _touch(dest)
        return json.loads(dest.read_text(encoding="utf-8"))
    node = shutil.which("node")
    if not node:
        raise BuildError("py-compiling the stdlib needs Node (to find what Pyodide imports): install nodejs")
    with Timer(log, "found the stdlib modules the worker imports (Pyodide under Node)"):
        files = _json_output(
            [
                node,
                "--input-type=module",
                "-e",
                _STDLIB_PROBE_JS,
                "--",
                str(runtime.dir),
                PROBE_MODULE,
                json.dumps(PROBE_REQUESTS),
                *map(str, wheels),
            ],
            "the stdlib probe under Node",
            bool,
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.write_text(json.dumps(files), encoding="utf-8")
    os.replace(tmp, dest)
    _prune(dest.parent, KEEP * 3, dest)
    return files


def compiled_stdlib(runtime: Runtime, modules: list[str], cache: Path, log: Log) -> Path:
    """The runtime's python_stdlib.zip with ``modules`` py-compiled, the rest left as source; cached."""
    src = runtime.dir / "python_stdlib.zip"
    key = hashlib.sha256((sha256_file(src) + "\n" + "\n".join(modules)).encode()).hexdigest()[:16]
    dest = cache / "stdlib" / runtime.python_tag / key
    if (dest / src.name).is_file():
        _touch(dest)
        return dest / src.name
    tmp = Path(tempfile.mkdtemp(prefix="stdlib-", dir=_tmp_dir(cache)))
    wanted = set(modules)
    with Timer(log, f"py-compiled {len(wanted)} modules of python_stdlib.zip"):
        py_compile_zip(src, tmp / src.name, runtime.python_tag, wanted.__contains__)
    _publish(tmp, dest)
    _prune(dest.parent, KEEP, dest)
    return dest / src.name


def _tmp_dir(cache: Path) -> Path:
    path = cache / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------- bundle


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
            "compile": [self.runtime.python_tag, SOURCE_ONLY] if self.compile else None,
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
        stdlib = compiled_stdlib(runtime, stdlib_imports(runtime, wheels, cache, log), cache, log)
        runtime = dataclasses.replace(runtime, stdlib=stdlib)
        runtime = dataclasses.replace(runtime, digest=runtime_digest(runtime))
    return Sources(runtime, wheels, rc_key, compile)


def make_bundle(src: Sources, cache: Path, log: Log) -> Path:
    """The lockfile, the manifest and the content-addressed wheels, built once per key."""
    dest = cache / "bundles" / src.key()
    if (dest / "simulator.json").is_file():
        _touch(dest)
        return dest
    tmp = Path(tempfile.mkdtemp(prefix="bundle-", dir=_tmp_dir(cache)))
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
        _run(
            [
                *_pyodide_cli(),
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
        shipped = compiled_wheel(original, src.runtime, cache, log) if src.compile else original
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
    state = first_screen([stage / w.name for w in src.wheels])
    (tmp / FIRST_SCREEN_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(stage)
    (tmp / "base-lock.json").unlink()
    _publish(tmp, dest)
    _prune(dest.parent, KEEP, dest)
    for row in report:
        change = f"{_kb(row['source'])} → {_kb(row['shipped'])}" if src.compile else _kb(row["shipped"])
        log(f"  {row['name']}: {change}")
    return dest


def first_screen(wheels: list[Path]) -> dict:
    """The state recovery_core answers :data:`FIRST_SCREEN_REQUEST` with, computed by
    ``wheels`` (first on sys.path, so the code shipped, not this checkout) in this Python."""
    code = (
        "import sys; sys.path[:0] = sys.argv[2:]; from recovery_core.protocol import handle; print(handle(sys.argv[1]))"
    )
    reply = _json_output(
        [sys.executable, "-I", "-c", code, json.dumps(FIRST_SCREEN_REQUEST), *map(str, wheels)],
        "computing the simulator's first screen",
        lambda r: isinstance(r, dict) and r.get("ok") and isinstance(r.get("state"), dict),
    )
    return reply["state"]


# ---------------------------------------------------------------- output


def _copy_if_changed(src: Path | bytes, dest: Path) -> bool:
    """Copy a file (or write generated bytes) unless ``dest`` already matches."""
    try:
        d = dest.stat()
        if isinstance(src, bytes):
            if d.st_size == len(src) and dest.read_bytes() == src:
                return False
        else:
            s = src.stat()
            if s.st_size == d.st_size and s.st_mtime_ns == d.st_mtime_ns:
                return False
    except FileNotFoundError:
        pass
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    if isinstance(src, bytes):
        tmp.write_bytes(src)
    else:
        shutil.copy2(src, tmp)
    os.replace(tmp, dest)
    return True


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


def worker_source(path: Path, runtime: Runtime, bundle: Path, texts: dict) -> bytes:
    """web/worker.mjs with the runtime's directory, its own version (it keys the
    start-up snapshot: a changed worker never restores an old one), and the bundle's
    manifest and lockfile (so the worker need not fetch them) filled in."""
    text = path.read_text(encoding="utf-8")
    return inject(
        path,
        {
            "RUNTIME_DIR": runtime.out_dir,
            "WORKER_VERSION": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
            "MANIFEST": json.loads((bundle / "simulator.json").read_text(encoding="utf-8")),
            "LOCKFILE": json.loads((bundle / "pyodide-lock.json").read_text(encoding="utf-8")),
            "TEXTS": texts,
        },
        text,
    )


def widget_source(path: Path, state: dict, texts: dict) -> bytes:
    """web/widget.js with the first screen's state and the texts filled in."""
    return inject(path, {"FIRST_SCREEN": state, "TEXTS": texts})


def download_bytes(bundle: Path, runtime: Runtime) -> int:
    """What a first start transfers: the runtime (its scripts and wasm gzipped, as
    sitebuild/precompress.py ships them) and the wheels, as the manifest lists them."""
    from sitebuild.precompress import CACHE, MIN_SAVING, _compressed  # the bytes the site ships

    manifest = json.loads((bundle / "simulator.json").read_text(encoding="utf-8"))
    total = 0
    for rel, size in manifest["files"].items():
        if rel.startswith(runtime.out_dir) and rel.endswith(GZIPPED_SUFFIXES):
            packed = len(_compressed(runtime.file(rel[len(runtime.out_dir) :]).read_bytes(), CACHE))
            total += packed if packed <= size * (1 - MIN_SAVING) else size
        else:
            total += size
    return total


def browser_texts(bundle: Path, runtime: Runtime) -> dict:
    """recovery_core's texts for the browser files, with the real download size."""
    from recovery_core.view import browser_texts as texts

    return texts(download_bytes(bundle, runtime))


def worker_name(files: dict[str, Path | bytes]) -> str:
    """The name :func:`plan` gave the worker."""
    (name,) = (rel for rel in files if WORKER_NAME_PATTERN.fullmatch(rel))
    return name


def plan(bundle: Path, runtime: Runtime, root: Path) -> dict[str, Path | bytes]:
    """Every output file (relative path → source file, or generated content)."""
    files: dict[str, Path | bytes] = {runtime.out_dir + name: runtime.file(name) for name in RUNTIME_FILES}
    for path in bundle.rglob("*"):
        if path.is_file() and path.name != FIRST_SCREEN_FILE:
            files[path.relative_to(bundle).as_posix()] = path
    state = json.loads((bundle / FIRST_SCREEN_FILE).read_text(encoding="utf-8"))
    texts = browser_texts(bundle, runtime)
    for path in sorted((root / WEB_DIR).iterdir()):
        if not path.is_file() or path.suffix not in BROWSER_SUFFIXES:
            continue
        if path.name == "worker.mjs":
            worker = worker_source(path, runtime, bundle, texts)
            worker_file = WORKER_NAME.format(digest=hashlib.sha256(worker).hexdigest()[:16])
            files[worker_file] = worker
        elif path.name == "widget.js":
            files[path.name] = widget_source(path, state, texts)
        elif path.name != "bridge.js":
            files[path.name] = inject(path, {})  # no markers of its own
    bridge = root / WEB_DIR / "bridge.js"
    files[bridge.name] = inject(bridge, {"WORKER_FILE": "./" + worker_file, "TEXTS": texts})
    return files


def sync(files: dict[str, Path | bytes], out_dir: Path) -> int:
    """Copy what changed into ``out_dir``; drop stale files under its runtime/ and wheels/
    (and pyodide/, where earlier builds put the runtime).

    Other files in ``out_dir`` are left alone: they may come from docs/.
    """
    copied = sum(_copy_if_changed(src, out_dir / rel) for rel, src in files.items())
    for old in out_dir.glob("worker*.mjs*"):  # earlier builds' workers, and their .gz
        if old.name.removesuffix(".gz") not in files:
            old.unlink()
    for managed in ("runtime", "pyodide", "wheels"):
        top = out_dir / managed
        if not top.is_dir():
            continue
        for path in sorted(top.rglob("*"), reverse=True):
            rel = path.relative_to(out_dir).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return copied


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
        f"{len(result.manifest['packages'])} wheels, {_kb(total)} to download, {result.copied} files copied; "
        f"{gzipped['files']} files also gzipped ({_kb(gzipped['original'])} → {_kb(gzipped['gzipped'])})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
