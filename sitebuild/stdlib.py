"""The stdlib modules the worker imports, found by starting Pyodide under Node with the
shipped wheels and sending one request of each kind (:data:`PROBE_REQUESTS`), and
the runtime's ``python_stdlib.zip`` with those modules py-compiled (the npm package
ships it as source, so each was compiled in the browser at start-up: measured ~1.2 s
of a 2.1 s cold start); the rest stay source, which is smaller."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from pathlib import Path

from sitebuild.common import KEEP, BuildError, Log, Timer, json_output, prune, publish, sha256_file, tmp_dir, touch
from sitebuild.pycompile import py_compile_zip
from sitebuild.runtime import Runtime, runtime_digest

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
        touch(dest)
        return json.loads(dest.read_text(encoding="utf-8"))
    node = shutil.which("node")
    if not node:
        raise BuildError("py-compiling the stdlib needs Node (to find what Pyodide imports): install nodejs")
    with Timer(log, "found the stdlib modules the worker imports (Pyodide under Node)"):
        files = json_output(
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
    prune(dest.parent, KEEP * 3, dest)
    return files


def compiled_stdlib(runtime: Runtime, modules: list[str], cache: Path, log: Log) -> Path:
    """The runtime's python_stdlib.zip with ``modules`` py-compiled, the rest left as source; cached."""
    src = runtime.dir / "python_stdlib.zip"
    key = hashlib.sha256((sha256_file(src) + "\n" + "\n".join(modules)).encode()).hexdigest()[:16]
    dest = cache / "stdlib" / runtime.python_tag / key
    if (dest / src.name).is_file():
        touch(dest)
        return dest / src.name
    tmp = tmp_dir(cache, "stdlib-")
    wanted = set(modules)
    with Timer(log, f"py-compiled {len(wanted)} modules of python_stdlib.zip"):
        py_compile_zip(src, tmp / src.name, runtime.python_tag, wanted.__contains__)
    publish(tmp, dest)
    prune(dest.parent, KEEP, dest)
    return dest / src.name
