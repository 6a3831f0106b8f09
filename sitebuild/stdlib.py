"""The standard library the simulator ships: the runtime's ``python_stdlib.zip`` cut
down to what the worker imports, those modules py-compiled.

What it imports is found two ways, and the union is kept:

- **recorded**: Pyodide is started under Node with the shipped wheels, every module
  of the wheels is imported and one request of each kind is answered
  (:data:`PROBE_REQUESTS`); the stdlib files in ``sys.modules`` then are Pyodide's own
  start-up and what answering touched, lazy and by-name imports included (codecs);
- **read**: every ``import`` statement of the wheels (in functions too), and then the
  import closure of all of it, following the statements that run when a module is
  imported (not those in function bodies, which the recording sees when they run).

The cut zip is then checked the same way under Node, with it as Pyodide's stdlib: a
module missing there fails the build, not a reader. ``tests/pyodide`` runs the whole
unit suite inside Pyodide on this zip and fails on any stdlib module the simulator's
code imports that it lacks. The npm package ships the whole stdlib as source, 2.4 MB;
the simulator's 155 modules of it, py-compiled, are 1.5 MB.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

from sitebuild.common import KEEP, BuildError, Log, Timer, json_output, prune, publish, sha256_file, tmp_dir, touch
from sitebuild.pycompile import policy_key, py_compile_zip
from sitebuild.runtime import Runtime, runtime_digest

#: What the worker imports, and requests that make it import what answering needs.
PROBE_MODULE = "recovery_core.protocol"
#: The packages whose code is the simulator's (the wheels' top-level packages).
SIMULATOR_PACKAGES = ("recovery_core", "phonenumbers", "zxcvbn")
PROBE_REQUESTS = (
    {"op": "start", "step": None, "seed": 1},
    {"op": "act", "action": "open_app", "value": None},
    {"op": "check", "field": "email", "value": "anna@example.com"},
    {"op": "check", "field": "email", "value": "maria@почта.рф"},  # idna
    {"op": "check", "field": "phone", "value": "+7 912 345-67-89"},
    {"op": "check", "field": "phone", "value": "+375 29 123-45-67"},
    {"op": "check", "field": "code", "value": "123 456"},
    {"op": "check", "field": "password", "value": "Lastochka-Vertolet-Siren-42"},
    {"op": "tick", "seconds": 60},
)
#: Runs under Node: starts Pyodide from the npm package (with ``stdlib`` as its
#: python_stdlib.zip when given), puts the wheels on sys.path as the worker does,
#: imports every module of ``packages``, answers the requests and a ``start`` at every
#: step, and prints {"files": stdlib files imported, "unimportable": {module: error},
#: "failed": requests answered with an internal error}. (Some modules of a wheel do not
#: import anywhere: phonenumberslite leaves out the data of phonenumbers.carrier.)
_PROBE_JS = r"""
import fs from "node:fs";
import { pathToFileURL } from "node:url";
const [indexDir, stdlib, args, ...wheels] = process.argv.slice(1); // node -e: no script path
const { loadPyodide } = await import(pathToFileURL(indexDir + "/pyodide.mjs").href);
const options = { indexURL: indexDir + "/", stdout: () => {}, stderr: (l) => process.stderr.write(l + "\n") };
const py = await loadPyodide(stdlib ? { ...options, stdLibURL: stdlib } : options);
const paths = wheels.map((w, i) => {
  const path = `/tmp/probe-${i}.whl`;
  py.FS.writeFile(path, new Uint8Array(fs.readFileSync(w)));
  return path;
});
py.globals.set("probe_args", JSON.stringify({ ...JSON.parse(args), paths }));
process.stdout.write(py.runPython(`
import importlib, json, pkgutil, sys
args = json.loads(probe_args)
stdlib = next(p for p in sys.path if p.endswith(".zip") and p.startswith("/lib/python"))
sys.path.extend(args["paths"])
failed, unimportable = [], {}
for package in args["packages"]:
    pkg = importlib.import_module(package)
    for m in pkgutil.walk_packages(pkg.__path__, package + "."):
        try:
            importlib.import_module(m.name)
        except Exception as exc:
            unimportable[m.name] = repr(exc)
handle = importlib.import_module(args["module"]).handle
for request in args["requests"]:
    reply = json.loads(handle(json.dumps(request, ensure_ascii=False)))
    if not reply.get("ok") and reply.get("error", {}).get("code") == "internal":
        failed.append(f"{request}: {reply}")
json.dumps({"failed": failed, "unimportable": unimportable, "files": sorted({
    m.__file__[len(stdlib) + 1:] for m in list(sys.modules.values())
    if (getattr(m, "__file__", None) or "").startswith(stdlib + "/")})})
`));
"""


def _probe_args() -> dict:
    from recovery_core.steps import STEP_IDS

    starts = [{"op": "start", "step": step, "seed": 1} for step in STEP_IDS]
    return {
        "module": PROBE_MODULE,
        "packages": list(SIMULATOR_PACKAGES),
        "requests": [*PROBE_REQUESTS, *starts],
    }


def _probe(runtime: Runtime, wheels: list[Path], stdlib: Path | None, what: str) -> dict:
    """Run :data:`_PROBE_JS`; its reply, or a BuildError when Node is missing."""
    node = shutil.which("node")
    if not node:
        raise BuildError("cutting the stdlib needs Node (to find what Pyodide imports): install nodejs")
    return json_output(
        [
            node,
            "--input-type=module",
            "-e",
            _PROBE_JS,
            "--",
            str(runtime.dir),
            str(stdlib or ""),
            json.dumps(_probe_args(), ensure_ascii=False),
            *map(str, wheels),
        ],
        what,
        lambda out: isinstance(out, dict) and isinstance(out.get("files"), list),
    )


def _cache_key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def stdlib_imports(runtime: Runtime, wheels: list[Path], cache: Path, log: Log) -> dict:
    """``{"files": the stdlib files (paths in python_stdlib.zip) the worker imports,
    "unimportable": the wheels' modules that do not import even so}``, recorded under
    Node with the whole stdlib (see the module docstring); cached."""
    key = _cache_key(
        runtime_digest(dataclasses.replace(runtime, stdlib=None)),
        sorted(sha256_file(w) for w in wheels),
        _probe_args(),
        _PROBE_JS,
    )
    dest = cache / "stdlib-imports" / f"{key}.json"
    if dest.is_file():
        touch(dest)
        return json.loads(dest.read_text(encoding="utf-8"))
    with Timer(log, "recorded the stdlib modules the worker imports (Pyodide under Node)"):
        out = _probe(runtime, wheels, None, "the stdlib probe under Node")
    if out["failed"]:
        raise BuildError("the simulator fails under Node with the whole stdlib: " + "; ".join(out["failed"][:5]))
    out = {"files": out["files"], "unimportable": sorted(out["unimportable"])}
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.write_text(json.dumps(out), encoding="utf-8")
    os.replace(tmp, dest)
    prune(dest.parent, KEEP * 3, dest)
    return out


# ---------------------------------------------------------------- reading imports


def _module_name(path: str) -> str:
    name = path.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def _is_main_guard(node: ast.AST) -> bool:
    """``if __name__ == "__main__":``: never runs on import."""
    test = node.test if isinstance(node, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def imported_names(source: bytes, path: str, *, functions: bool) -> set[str]:
    """Every module an ``import`` in ``source`` (the file ``path`` of a zip) may load, with
    its parent packages; ``from a import b`` counts ``a.b`` too (it may be a module).
    With ``functions`` false, imports inside function bodies are left out."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError:
        return set()  # not code of this Python (a test fixture, a template)
    module = _module_name(path)
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_main_guard(child):
                continue
            if not functions and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".") if package else []
                    parts = parts[: len(parts) - (child.level - 1)] if child.level > 1 else parts
                    base = ".".join([*parts, *([child.module] if child.module else [])])
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in child.names if alias.name != "*")
            visit(child)

    visit(tree)
    return {".".join(name.split(".")[:i]) for name in found if name for i in range(1, name.count(".") + 2)}


def _zip_modules(path: Path) -> dict[str, str]:
    """Module name -> file, for the ``.py`` files of a zip (``__main__`` modules left out)."""
    with zipfile.ZipFile(path) as zf:
        return {
            _module_name(name): name
            for name in zf.namelist()
            if name.endswith(".py") and not name.endswith("__main__.py") and not name.startswith("site-packages/")
        }


def kept_modules(stdlib_zip: Path, recorded: list[str], wheels: list[Path]) -> list[str]:
    """The files of ``stdlib_zip`` to ship: ``recorded``, the stdlib modules the wheels
    import anywhere, and the import closure of both (see the module docstring)."""
    modules = _zip_modules(stdlib_zip)
    roots = {_module_name(path) for path in recorded}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            for name in zf.namelist():
                if name.endswith(".py") and not name.endswith("__main__.py") and ".dist-info/" not in name:
                    roots |= imported_names(zf.read(name), name, functions=True)
    todo = sorted(name for name in roots if name in modules)
    kept: set[str] = set()
    with zipfile.ZipFile(stdlib_zip) as zf:
        while todo:
            name = todo.pop()
            if name in kept:
                continue
            kept.add(name)
            path = modules[name]
            todo += [n for n in imported_names(zf.read(path), path, functions=False) if n in modules and n not in kept]
    return sorted(modules[name] for name in kept)


# ---------------------------------------------------------------- the zip


def cut_stdlib(runtime: Runtime, wheels: list[Path], cache: Path, log: Log) -> Path:
    """The runtime's python_stdlib.zip cut to what the simulator imports, py-compiled,
    checked under Node with it as Pyodide's stdlib; cached."""
    src = runtime.dir / "python_stdlib.zip"
    recorded = stdlib_imports(runtime, wheels, cache, log)
    # Keyed on the inputs, with this module's source and the compile flags for the rules: reading every
    # module of the wheels (kept_modules) takes ~2 s, too much for each rebuild.
    rules = hashlib.sha256(Path(__file__).read_bytes() + policy_key().encode()).hexdigest()
    key = _cache_key(sha256_file(src), recorded, sorted(sha256_file(w) for w in wheels), rules)
    dest = cache / "stdlib" / runtime.python_tag / key
    if (dest / src.name).is_file():
        touch(dest)
        return dest / src.name
    tmp = tmp_dir(cache, "stdlib-")
    wanted = set(kept_modules(src, recorded["files"], wheels))
    with Timer(log, f"kept and py-compiled {len(wanted)} modules of python_stdlib.zip"):
        py_compile_zip(src, tmp / src.name, runtime.python_tag, wanted.__contains__, keep=wanted.__contains__)
    with Timer(log, "checked the simulator under Node on the cut stdlib"):
        out = _probe(runtime, wheels, tmp / src.name, "the simulator on the cut stdlib, under Node")
    lacking = out["failed"] + [
        f"import {name}: {error}" for name, error in out["unimportable"].items() if name not in recorded["unimportable"]
    ]
    if lacking:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(
            "the cut python_stdlib.zip lacks what the simulator needs (sitebuild/stdlib.py): " + "; ".join(lacking[:5])
        )
    publish(tmp, dest)
    prune(dest.parent, KEEP, dest)
    return dest / src.name


def zip_module_files(path: Path) -> set[str]:
    """The module files of a stdlib zip, ``.pyc`` named as their ``.py``."""
    with zipfile.ZipFile(path) as zf:
        return {name.removesuffix("c") for name in zf.namelist() if name.endswith((".py", ".pyc"))}
