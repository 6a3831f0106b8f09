// Run pytest inside Pyodide under Node, from the same npm package the site ships.
//
//   node tests/pyodide/run_pytest.mjs --root . --wheel a.whl --wheel b.whl \
//        --copy pyproject.toml --copy tests/unit -- tests/unit -q
//
// Every --wheel is unpacked into Pyodide's site-packages; every --copy (a file or a
// directory, relative to --root) is copied to the same place under the project
// directory in Pyodide's file system, which becomes the working directory; the
// arguments after -- go to pytest.main(). Exits with pytest's exit code.
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
const pyodide = await loadPyodide();
pyodide.setStdout(write(process.stdout));
pyodide.setStderr(write(process.stderr));

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
const code = pyodide.runPython(`
import importlib, json, pytest
importlib.invalidate_caches()
int(pytest.main(json.loads(pytest_args)))
`);
process.stderr.write(
  `pyodide ${pyodide.version}: pytest exited with ${code} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
process.exitCode = code;
