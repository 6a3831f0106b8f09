// Run pytest inside Pyodide under Node, from the same npm package the site ships.
//
//   node tests/pyodide/run_pytest.mjs --root . --wheel a.whl --wheel b.whl \
//        --copy pyproject.toml --copy tests/unit \
//        [--stdlib cut.zip --full-stdlib python_stdlib.zip --simulator recovery_core ...] \
//        -- tests/unit -q
//
// Every --wheel is unpacked into Pyodide's site-packages; every --copy (a file or a
// directory, relative to --root) is copied to the same place under the project
// directory in Pyodide's file system, which becomes the working directory; the
// arguments after -- go to pytest.main(). Exits with pytest's exit code.
//
// With --stdlib, Pyodide starts on that python_stdlib.zip (the cut one the site ships)
// and --full-stdlib, behind it on sys.path, gives pytest what the cut one lacks; every
// module taken from there on behalf of the --simulator packages' code (the innermost
// caller that is not the stdlib is theirs) is reported, and makes the exit code 3.
// `python -m tests.pyodide.runner` fetches the wheels and calls this.

import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadPyodide } from "pyodide";

const PROJECT = "/home/pyodide/project";
const SKIP = new Set(["__pycache__", ".pytest_cache", ".hypothesis"]);

const { values, positionals } = parseArgs({
  options: {
    root: { type: "string", default: "." },
    wheel: { type: "string", multiple: true, default: [] },
    copy: { type: "string", multiple: true, default: [] },
    stdlib: { type: "string" },
    "full-stdlib": { type: "string" },
    simulator: { type: "string", multiple: true, default: [] },
  },
  allowPositionals: true,
});

/** Copy a host file or directory tree into the Pyodide file system. */
async function copyIn(FS, hostPath, target) {
  const info = await stat(hostPath);
  if (info.isDirectory()) {
    FS.mkdirTree(target);
    for (const entry of await readdir(hostPath)) {
      if (SKIP.has(entry) || entry.endsWith(".pyc")) continue;
      await copyIn(FS, path.join(hostPath, entry), `${target}/${entry}`);
    }
  } else {
    FS.mkdirTree(path.posix.dirname(target));
    FS.writeFile(target, new Uint8Array(await readFile(hostPath)));
  }
}

const t0 = performance.now();
const write = (stream) => ({
  // Copy the bytes: Pyodide reuses its buffer once write() returns.
  write: (buf) => (stream.write(Buffer.from(buf)), buf.length),
});
const pyodide = await loadPyodide(values.stdlib ? { stdLibURL: path.resolve(values.stdlib) } : {});
pyodide.setStdout(write(process.stdout));
pyodide.setStderr(write(process.stderr));
// The whole stdlib behind the cut one, for pytest (and the runner's own sysconfig).
const FULL = "/lib/full_stdlib.zip";
if (values.stdlib) {
  pyodide.FS.writeFile(FULL, new Uint8Array(await readFile(values["full-stdlib"])));
  pyodide.runPython(`import sys; sys.path.append(${JSON.stringify(FULL)})`);
}

const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
for (const wheel of values.wheel) {
  // A Uint8Array, not a Buffer; extractDir, or it lands in the working directory.
  const bytes = new Uint8Array(await readFile(wheel));
  pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
}

const root = path.resolve(values.root);
for (const rel of values.copy) {
  try {
    await copyIn(pyodide.FS, path.join(root, rel), `${PROJECT}/${rel.split(path.sep).join("/")}`);
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
}
pyodide.FS.mkdirTree(PROJECT);
pyodide.FS.chdir(PROJECT);

pyodide.globals.set("pytest_args", JSON.stringify(positionals));
pyodide.globals.set("cut_args", JSON.stringify(values.stdlib ? { full: FULL, simulator: values.simulator } : null));
let code = pyodide.runPython(`
import importlib, json, sys, zipfile, zipimport

class Lacking:
    """Notes each stdlib module the cut stdlib lacks that the simulator's code imports."""

    def __init__(self, full, simulator):
        def names(path):
            with zipfile.ZipFile(path) as zf:
                return {n.rsplit(".", 1)[0].replace("/", ".").removesuffix(".__init__")
                        for n in zf.namelist() if n.endswith((".py", ".pyc"))}
        cut = next(p for p in sys.path if p.endswith(".zip") and p.startswith("/lib/python"))
        self.full = full
        self.only_full = names(full) - names(cut)
        self.simulator = set(simulator)
        self.found = set()

    def find_spec(self, name, path=None, target=None):
        if name in self.only_full:
            frame = sys._getframe(1)
            while frame and frame.f_globals.get("__name__", "").partition(".")[0] in sys.stdlib_module_names:
                frame = frame.f_back  # importlib, and stdlib code working for its caller
            if frame and frame.f_globals.get("__name__", "").partition(".")[0] in self.simulator:
                self.found.add(name)
            # From the full stdlib, also a submodule of a package the cut one has.
            parent = name.rpartition(".")[0].replace(".", "/")
            return zipimport.zipimporter(f"{self.full}/{parent}/" if parent else self.full).find_spec(name)
        return None

args = json.loads(cut_args)
lacking = None
if args:
    lacking = Lacking(args["full"], args["simulator"])
    sys.meta_path.insert(0, lacking)

import pytest
importlib.invalidate_caches()
code = int(pytest.main(json.loads(pytest_args)))
if lacking:
    print("cut stdlib: the simulator imports, and it lacks:", ", ".join(sorted(lacking.found)) or "nothing", file=sys.stderr)
    code = code or (3 if lacking.found else 0)
code
`);
process.stderr.write(
  `pyodide ${pyodide.version}: pytest exited with ${code} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
process.exitCode = code;
