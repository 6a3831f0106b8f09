"""py-compile (``.py`` → ``.pyc`` for the runtime's Python, so the browser does not
compile at import), done here like ``pyodide py-compile`` but reproducibly, smaller
(:data:`OPTIMIZE`, :data:`DEBUG_RANGES`) and with the modules of :data:`SOURCE_ONLY`
left as source; used for the wheels (phonenumbers with the imports
:mod:`sitebuild.deferred` defers) and the stdlib."""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from sitebuild import deferred
from sitebuild.common import KEEP, BuildError, Log, Timer, only_wheel, prune, publish, sha256_file, tmp_dir, touch
from sitebuild.runtime import Runtime

#: Modules py-compile leaves as source (fnmatch patterns of paths inside a wheel):
#: per-region metadata, imported one region at a time when a number of that region
#: is parsed. As .pyc they would add 180 kB to phonenumberslite (473 → 691 kB).
#: How modules are compiled: without docstrings and asserts (``-OO``: Python's own
#: supported mode, which the stdlib is tested in; Pyodide copes with ``__doc__`` None),
#: and without the column ranges tracebacks draw ``^^^`` with (``-X no_debug_ranges``).
#: Together they make the kept stdlib 1.52 → 0.97 MB deflated, phonenumbers' modules
#: 143 → 84 kB; line numbers stay. ``sitebuild.stdlib`` probes the result under Node.
OPTIMIZE = 2
DEBUG_RANGES = False
#: Entries are stored, not deflated: the site sends the whole file compressed (gzip or
#: brotli, ``sitebuild/precompress.py``), which beats deflating entry by entry, each
#: on its own. phonenumberslite's 500 small region modules share most of their text:
#: 450 → 204 kB gzipped whole; the stdlib 989 → 914 kB; brotli gives 156 and 683 kB.
COMPRESSION = zipfile.ZIP_STORED

SOURCE_ONLY = (
    "phonenumbers/data/region_*.py",
    "phonenumbers/shortdata/region_*.py",
)
#: ...except these, compiled all the same: the region every Russian number (+7, the
#: simulator's demo numbers) is parsed with, which the first phone check would
#: otherwise compile in the browser (its import from source: 2–5 ms in Pyodide under
#: Node). The wheel: −1.5 kB stored, +0.7 kB gzip, +0.5 kB brotli.
COMPILED_ANYWAY = ("phonenumbers/data/region_RU.py",)


def compiled_wheel(wheel: Path, runtime: Runtime, cache: Path, log: Log) -> Path:
    """``wheel`` with its modules py-compiled for the runtime's Python (see :func:`py_compile_wheel`), cached."""
    policy = hashlib.sha256("\n".join((*SOURCE_ONLY, policy_key())).encode()).hexdigest()[:8]
    dest = cache / "compiled" / runtime.python_tag / f"{sha256_file(wheel)[:16]}-{policy}"
    if found := only_wheel(dest):
        touch(dest)
        return found
    tmp = tmp_dir(cache, "pyc-")
    with Timer(log, f"py-compiled {wheel.name}"):
        py_compile_wheel(wheel, tmp, runtime.python_tag)
    if not only_wheel(tmp):
        raise BuildError(f"py-compile of {wheel.name} did not leave exactly one wheel")
    publish(tmp, dest)
    prune(dest.parent, KEEP * 3, dest)
    return only_wheel(dest)


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
    ``pyodide py-compile``, except the modules matching :data:`SOURCE_ONLY` (but not
    :data:`COMPILED_ANYWAY`).

    Needs a host Python of the runtime's version (``.pyc`` is version-specific). The
    output is reproducible: hash-based ``.pyc`` headers and the input's timestamps,
    so the same input gives the same bytes, hence the same URL in the site.
    """
    from fnmatch import fnmatchcase

    out = out_dir / compiled_wheel_name(wheel.name, python_tag)
    py_compile_zip(
        wheel,
        out,
        python_tag,
        lambda name: name in COMPILED_ANYWAY or not any(fnmatchcase(name, p) for p in SOURCE_ONLY),
        rewrite=deferred.rewrite,
    )
    return out


def py_compile_zip(
    src: Path,
    dest: Path,
    python_tag: str,
    wanted: Callable[[str], bool],
    keep: Callable[[str], bool] | None = None,
    rewrite: Callable[[str, bytes], bytes] | None = None,
) -> None:
    """Copy the zip ``src`` to ``dest``, each ``.py`` for which ``wanted(path)`` is true
    replaced by its ``.pyc`` (hash-based, unchecked: sourceless), entries in order and
    stored (:data:`COMPRESSION`).
    With ``keep``, only the ``.py`` files it accepts are copied (and the directories
    holding them); other files stay. With ``rewrite``, each ``.py`` is first replaced
    by ``rewrite(path, text)`` (:mod:`sitebuild.deferred`)."""
    if f"cp{sys.version_info[0]}{sys.version_info[1]}" != python_tag:
        raise BuildError(f"py-compile for {python_tag} needs that host Python")
    with (
        tempfile.TemporaryDirectory() as tmp,
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(dest, "w", compression=COMPRESSION) as zout,
    ):
        names = [info.filename for info in zin.infolist()]
        kept = {n for n in names if n.endswith(".py") and (keep is None or keep(n))}
        sources = {n: rewrite(n, zin.read(n)) if rewrite else zin.read(n) for n in sorted(kept)}
        compiled = _compile_all({n: data for n, data in sources.items() if wanted(n)}, Path(tmp))
        for info in zin.infolist():
            name = info.filename
            if name.endswith(".pyc"):
                continue  # recompiled below, or dropped with its source kept
            if name.endswith(".py") and name not in kept:
                continue
            if name.endswith("/") and keep is not None and not any(k.startswith(name) for k in kept):
                continue
            data = sources[name] if name in sources else zin.read(info)
            if name in compiled:
                name, data = name + "c", compiled[name]
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            entry.external_attr = info.external_attr
            entry.compress_type = COMPRESSION
            zout.writestr(entry, data)


@functools.cache
def policy_key() -> str:
    """What besides the sources decides the compiled bytes (for cache keys); read once."""
    rewrites = hashlib.sha256(Path(deferred.__file__).read_bytes()).hexdigest()[:12]
    return (
        f"optimize={OPTIMIZE} debug_ranges={DEBUG_RANGES} compression={COMPRESSION} anyway={COMPILED_ANYWAY} "
        f"rewrites={rewrites}"
    )


#: Run in a child Python: ``no_debug_ranges`` is a start-up flag, not a compile() argument.
_CHILD = """
import json, py_compile, sys
for source, compiled, name in json.load(sys.stdin)["files"]:
    py_compile.compile(source, cfile=compiled, dfile=name, doraise=True, optimize=int(sys.argv[1]),
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
"""


def _compile_all(sources: dict[str, bytes], tmp: Path) -> dict[str, bytes]:
    """``{name: .pyc bytes}`` for ``{name: .py bytes}``: hash-based, unchecked (sourceless),
    compiled with :data:`OPTIMIZE` and :data:`DEBUG_RANGES` in one child process."""
    files = []
    for i, (name, data) in enumerate(sources.items()):
        source = tmp / f"{i}.py"
        source.write_bytes(data)
        files.append((str(source), str(tmp / f"{i}.pyc"), name))
    flags = [] if DEBUG_RANGES else ["-X", "no_debug_ranges"]
    run = subprocess.run(
        [sys.executable, "-I", *flags, "-c", _CHILD, str(OPTIMIZE)],
        input=json.dumps({"files": files}),
        capture_output=True,
        text=True,
    )
    if run.returncode:
        raise BuildError("py-compile failed: " + (run.stderr.strip().splitlines() or ["?"])[-1])
    return {name: Path(compiled).read_bytes() for _, compiled, name in files}
