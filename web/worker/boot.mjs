// @ts-check
// Starting Python: every download at once, then Python restored from this browser's
// snapshot or started afresh (and a snapshot taken), the wheels on sys.path and
// recovery_core.protocol imported.
import { LOCKFILE, MANIFEST, INDEX_URL, BASE } from "./config.mjs";
import { importCounted, prefetch, progress } from "./downloads.mjs";
import { LABELS, fail, mark, postStep, stderrLines, timings } from "./report.mjs";
import { LOOKUP_MS, findSnapshot, keepUnsaved, openSnapshots, restore, snapshotKey } from "./snapshot.mjs";
import { fetchWheel, resolve, writeWheels } from "./wheels.mjs";

/** Python with recovery_core imported: `{pyodide, handle, warmUp, fresh}`. */
export async function boot() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fail("no-wasm", "WebAssembly is not available");
    throw new Error("no WebAssembly");
  }
  if (typeof MANIFEST !== "object" || typeof LOCKFILE !== "object")
    throw new Error("the worker was not built by sitebuild (sitebuild/output.py)");
  const packages = resolve(LOCKFILE, MANIFEST.entry); // before any download: it may throw
  const key = snapshotKey(packages);
  // Everything starts at once: the runtime's wasm and stdlib, both runtime scripts
  // and the wheels; loadPyodide picks up the files already on their way.
  progress.setSizes(MANIFEST.files, MANIFEST.transferred);
  prefetch("pyodide.asm.wasm");
  prefetch("python_stdlib.zip");
  const saved = findSnapshot(key);
  // The wheels are needed only once Python is up. When it will be restored, they go
  // after the runtime's files (a low fetch priority), leaving the HTTP cache's reads
  // to what the restore waits for (measured: the warm visit ~20–60 ms sooner); else
  // they start as soon as the lookup has found none (bench/RESULTS.md).
  const lookedUp = Promise.race([saved.found, new Promise((r) => setTimeout(r, LOOKUP_MS, false))]);
  const wheels = lookedUp.then((found) => Promise.all(packages.map((pkg) => fetchWheel(pkg, found ? "low" : "auto"))));
  wheels.catch((err) => fail("load-failed", err));
  // Same URL as Pyodide's own import of it: one download, and we learn when it is in.
  const asm = importCounted("pyodide.asm.js");
  const { loadPyodide } = await importCounted("pyodide.mjs");

  const options = {
    indexURL: INDEX_URL,
    lockFileContents: LOCKFILE,
    packageBaseUrl: BASE,
    stdout: (line) => console.log(line),
    stderr: (line) => {
      stderrLines.push(line);
      console.warn(line);
    },
  };
  // Restored from this browser's snapshot if there is one that works, else started
  // afresh (taking a snapshot, unless it could not be kept or one just failed).
  const snapshot = await Promise.race([saved.stored, new Promise((r) => setTimeout(r, LOOKUP_MS, null))]);
  let pyodide = snapshot && (await restore(loadPyodide, options, snapshot, wheels));
  timings.from = pyodide ? "snapshot" : "boot";
  const takeSnapshot = !snapshot && (await openSnapshots()) !== null;
  pyodide ||= await loadPyodide({ ...options, _makeSnapshot: takeSnapshot });
  await asm;
  mark("runtime");
  if (timings.from === "boot") {
    const paths = writeWheels(pyodide, await wheels); // restore() wrote them back already
    pyodide.runPython(`import sys; sys.path.extend(${JSON.stringify(paths)})`);
  }
  mark("wheels");
  postStep(1, LABELS.import);
  if (timings.from === "boot") {
    try {
      pyodide.runPython("import recovery_core.protocol");
    } catch (err) {
      fail("start-failed", err);
      throw err;
    }
  }
  if (takeSnapshot) {
    try {
      // Before any request, so it holds nothing the reader typed; handed to
      // Cache Storage at the first idle moment (~20 ms), see warmup.mjs.
      keepUnsaved(key, pyodide.makeMemorySnapshot());
    } catch (err) {
      console.warn("simulator: no snapshot taken", err); // only the next visit is slower
    }
  }
  const protocol = pyodide.pyimport("recovery_core.protocol");
  const handle = protocol.handle;
  mark("import");
  postStep(2, LABELS.import);
  return {
    pyodide,
    handle,
    warmUp: protocol.warm_up,
    fresh: timings.from === "boot", // not restored: the next visit's code cache is primed (warmup.mjs)
  };
}
