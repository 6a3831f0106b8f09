"""The Pyodide runtime the simulator ships: found in node_modules, checked against the
version package-lock.json pins, named after its content; and the project's pinned
Python dependencies."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sitebuild.common import KEEP, ROOT, BuildError, prune, publish, sha256_file, tmp_dir, touch

#: Runtime files the browser fetches; the npm package's other files stay behind.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
#: Where the runtime goes: a directory named after its version and content.
RUNTIME_DIR = "runtime/{version}-{digest}/pyodide/"
#: The first line of the shipped pyodide.asm.js: Chromium's explicit compile hint (V8
#: since Chrome 136, https://v8.dev/blog/explicit-compile-hints): every function of the
#: file is compiled with the file, and so kept in its code cache, instead of one by one
#: when first called (~500 of them while Python starts). Other browsers see a comment.
#: Measured in bench/RESULTS.md.
COMPILE_HINT = b"//# allFunctionsCalledOnLoad\n"


@dataclass(frozen=True)
class Runtime:
    """The Pyodide runtime from node_modules."""

    dir: Path
    version: str
    lock_info: dict
    python: tuple[int, int]
    digest: str = ""  # sha256 of the runtime files, names and contents
    stdlib: Path | None = None  # a py-compiled python_stdlib.zip to ship instead of the npm one
    script: Path | None = None  # pyodide.asm.js with COMPILE_HINT, shipped instead of the npm one

    def file(self, name: str) -> Path:
        """Where the runtime file ``name`` that ships comes from."""
        if name == "python_stdlib.zip" and self.stdlib:
            return self.stdlib
        if name == "pyodide.asm.js" and self.script:
            return self.script
        return self.dir / name

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


def hinted_script(runtime: Runtime, cache: Path) -> Path:
    """npm's pyodide.asm.js with :data:`COMPILE_HINT` as its first line (its bytes
    otherwise unchanged), written once into the cache."""
    source = runtime.dir / "pyodide.asm.js"
    dest = cache / "runtime-script" / sha256_file(source)[:16]
    if (dest / source.name).is_file():
        touch(dest)
        return dest / source.name
    tmp = tmp_dir(cache, "script-")
    (tmp / source.name).write_bytes(COMPILE_HINT + source.read_bytes())
    publish(tmp, dest)
    prune(dest.parent, KEEP, dest)
    return dest / source.name


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
