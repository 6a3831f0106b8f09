// @ts-check
// The simulator's module Web Worker: boots Pyodide from this site's own files,
// loads our wheels as our lockfile names them, imports recovery_core.protocol and
// answers {id, request} with {id, reply}: plain JSON strings both ways, so no
// proxy ever crosses the boundary or needs freeing.
//
// Fast start: every download begins the moment this worker runs (the runtime's
// wasm and stdlib before Pyodide even asks for them; the lockfile and the manifest
// are written into this file, so nothing waits for them), and the wheels are not
// unpacked: each goes into the virtual file system as one file and onto sys.path,
// where Python imports from it as from any zip (measured: ~200 ms less than
// Pyodide's loadPackage, which writes every file of every wheel). From the second
// visit on, Python is restored from a snapshot this browser keeps (see "snapshot").
//
// Messages to the page:
//   {type: "progress", phase: "runtime"|"packages"|"import", loaded, total, label}
//     runtime/packages count bytes, import counts steps; label is a key of the
//     texts' `ui` (the page says it);
//   {type: "ready", timings}: ms since the worker started — downloaded (runtime
//     bytes in), wasmReady, runtime (Python up), wheels (on sys.path), import,
//     total — bytes (everything fetched), startedAt (when the worker started,
//     ms since the epoch, to line it up with the page's clock) and from
//     ("snapshot" when Python was restored from this browser's snapshot, else "boot");
//   {type: "error", code, message, detail}: message is Russian, for the reader;
//   {id, reply}: the answer to a request.

const BASE = new URL("./", import.meta.url).href;
// The runtime's directory, relative to this file; sitebuild/build.py writes the
// versioned one (runtime/<version>-<hash>/pyodide/) here when it copies this file.
const RUNTIME_DIR = "@build:RUNTIME_DIR@";
const INDEX_URL = new URL(RUNTIME_DIR, BASE).href;
// sitebuild/build.py writes the manifest (simulator.json: the entry package, every
// file's size for the progress bar) and the lockfile (pyodide-lock.json) here:
// fetching them would cost a round trip before the wheels and the snapshot lookup.
const MANIFEST = /** @type {any} */ ("@build:MANIFEST@");
const LOCKFILE = /** @type {any} */ ("@build:LOCKFILE@");
/** Where the wheels go in Pyodide's file system (each stays one zip file). */
const WHEEL_DIR = "/home/pyodide/.simulator-wheels";
/** Cache Storage name for the start-up snapshot (see "snapshot" below). */
const SNAPSHOT_CACHE = "simulator-snapshot";
// sitebuild/build.py writes a hash of this file here: a changed worker never restores
// a snapshot an older one took.
const WORKER_VERSION = "@build:WORKER_VERSION@";

// recovery_core's texts (recovery_core.view.browser_texts), written in by sitebuild/build.py.
const TEXTS = /** @type {BrowserTexts} */ (/** @type {unknown} */ ("@build:TEXTS@"));
const MESSAGES = {
  "no-wasm": TEXTS?.ui.no_wasm,
  "load-failed": TEXTS?.ui.load_failed,
  "start-failed": TEXTS?.ui.start_failed,
  crashed: TEXTS?.ui.crashed,
};
const INTERNAL_REPLY_MESSAGE = TEXTS?.ui.internal_reply;

/** What each progress step is called (keys of the texts' `ui`). */
const LABELS = {
  runtime: "progress_download",
  packages: "progress_download",
  boot: "progress_boot",
  import: "progress_import",
};

const t0 = performance.now();
const timings = {};
const mark = (name) => (timings[name] = Math.round(performance.now() - t0));

let failed = false;
const stderrLines = [];

/** Report the first failure (later ones are consequences) and stop answering. */
function fail(code, detail) {
  if (failed) return;
  failed = true;
  const text = String(detail?.message ?? detail ?? "");
  const tail = stderrLines.slice(-5).join("\n");
  self.postMessage({
    type: "error",
    code,
    message: MESSAGES[code] ?? MESSAGES["start-failed"],
    detail: tail ? `${text}\n${tail}` : text,
  });
}

// ------------------------------------------------------------------ progress

/** Byte counts per file and per phase, posted at most every 50 ms per phase. */
class Progress {
  constructor(onRuntimeDone) {
    this.sizes = new Map(); // absolute URL -> expected bytes (from simulator.json)
    this.loaded = new Map(); // absolute URL -> bytes so far
    this.done = new Set(); // absolute URLs fully received
    this.lastPost = { runtime: 0, packages: 0 };
    this.onRuntimeDone = onRuntimeDone;
  }

  phaseOf(url) {
    if (url.startsWith(INDEX_URL)) return "runtime";
    if (url.startsWith(BASE + "wheels/")) return "packages";
    return null;
  }

  setSizes(files) {
    for (const [rel, size] of Object.entries(files)) this.sizes.set(new URL(rel, BASE).href, size);
    this.post("runtime", true);
    this.post("packages", true);
  }

  add(url, bytes, done = false) {
    this.loaded.set(url, (this.loaded.get(url) ?? 0) + bytes);
    if (done) this.done.add(url);
    const phase = this.phaseOf(url);
    if (phase) this.post(phase, done);
  }

  totals(phase) {
    let loaded = 0;
    let total = 0;
    for (const [url, size] of this.sizes) {
      if (this.phaseOf(url) !== phase) continue;
      total += size;
      loaded += this.done.has(url) ? size : Math.min(this.loaded.get(url) ?? 0, size);
    }
    return { loaded, total };
  }

  post(phase, force = false) {
    if (failed || this.sizes.size === 0) return;
    const { loaded, total } = this.totals(phase);
    const now = performance.now();
    if (!force && loaded < total && now - this.lastPost[phase] < 50) return;
    this.lastPost[phase] = now;
    self.postMessage({ type: "progress", phase, loaded, total, label: LABELS[phase] });
    if (phase === "runtime" && loaded >= total && this.onRuntimeDone) {
      this.onRuntimeDone();
      this.onRuntimeDone = null;
    }
  }
}

// Runtime bytes all in: the rest of the wait is compiling and starting Python.
const progress = new Progress(() => {
  mark("downloaded");
  postStep(0, LABELS.boot);
});

function postStep(loaded, label) {
  if (!failed) self.postMessage({ type: "progress", phase: "import", loaded, total: 2, label });
}

// Pyodide fetches the wasm and the stdlib with the global fetch(), and so do we
// the wheels: wrap it to count bytes as they stream in and to turn any failure
// into an error message (Pyodide itself only logs a failed wasm fetch, then waits
// forever). A file fetched early (see `prefetch`) is handed over when asked for.
const nativeFetch = self.fetch.bind(self);
const early = new Map(); // absolute URL -> the promise of its (tracked) response, until asked for
self.fetch = function fetchOnce(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input), BASE).href;
  const started = early.get(url);
  if (started) {
    early.delete(url);
    return started;
  }
  return trackedFetch(url, input, init);
};

/** Start downloading a runtime file now; Pyodide's own fetch() of it gets this response. */
function prefetch(name) {
  const url = INDEX_URL + name;
  const response = trackedFetch(url, url);
  response.catch(() => {}); // reported by fail(); Pyodide sees the rejection when it asks
  early.set(url, response);
}

async function trackedFetch(url, input, init) {
  if (!progress.phaseOf(url)) return nativeFetch(input, init);
  let response;
  try {
    response = await nativeFetch(input, init);
  } catch (err) {
    fail("load-failed", `${url}: ${err}`);
    throw err;
  }
  if (!response.ok || !response.body) {
    if (!response.ok) fail("load-failed", `${url}: HTTP ${response.status}`);
    return response;
  }
  // Count bytes on a clone: Pyodide gets the untouched response, which keeps its
  // URL, so the browser can cache the compiled wasm for the next visit.
  countBytes(url, response.clone().body.getReader());
  return response;
}

async function countBytes(url, reader) {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      progress.add(url, value.byteLength);
    }
    progress.add(url, 0, true);
  } catch (err) {
    fail("load-failed", `${url}: ${err}`);
  }
}

// Pyodide also swallows a failed wasm compilation (out of memory, CSP) and then
// waits forever: surface it, or, while restoring a snapshot, give up on that.
let restoring = null; // {giveUp(err)} while Python is being restored from a snapshot
if (typeof WebAssembly === "object" && WebAssembly.instantiateStreaming) {
  const nativeInstantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = function (source, imports) {
    const result = nativeInstantiateStreaming.call(WebAssembly, source, imports);
    const attempt = restoring;
    result.then(
      () => mark("wasmReady"),
      (err) => (attempt ? attempt.giveUp(err) : fail("start-failed", err)),
    );
    return result;
  };
}

/** import() a runtime script, counting its bytes when it has arrived. */
async function importCounted(name) {
  const url = INDEX_URL + name;
  try {
    const module = await import(url);
    progress.add(url, 0, true);
    return module;
  } catch (err) {
    fail("load-failed", `${url}: ${err}`);
    throw err;
  }
}

// ------------------------------------------------------------------ boot

/** The lockfile's entry package and everything it depends on, in the lockfile's terms. */
function resolve(lock, name, seen = new Map()) {
  const key = name.toLowerCase().replace(/[-_.]+/g, "-");
  const entry = lock.packages[key];
  if (!entry) throw new Error(`${name} is not in the lockfile`);
  if (!seen.has(key)) {
    seen.set(key, entry);
    for (const dep of entry.depends ?? []) resolve(lock, dep, seen);
  }
  return [...seen.values()];
}

/** Download a wheel of the lockfile, checked against the lockfile's sha256. */
async function fetchWheel(pkg) {
  const url = new URL(pkg.file_name, BASE).href;
  const digest = btoa(String.fromCharCode(...pkg.sha256.match(/../g).map((h) => parseInt(h, 16))));
  const response = await self.fetch(url, { integrity: `sha256-${digest}` });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { name: pkg.file_name.split("/").pop(), bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function boot() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fail("no-wasm", "WebAssembly is not available");
    throw new Error("no WebAssembly");
  }
  if (typeof MANIFEST !== "object" || typeof LOCKFILE !== "object")
    throw new Error("worker.mjs was not built by sitebuild/build.py");
  const packages = resolve(LOCKFILE, MANIFEST.entry); // before any download: it may throw
  const key = snapshotKey(packages);
  // Everything starts at once: the runtime's wasm and stdlib, both runtime scripts
  // and the wheels; loadPyodide picks up the files already on their way.
  progress.setSizes(MANIFEST.files);
  prefetch("pyodide.asm.wasm");
  prefetch("python_stdlib.zip");
  const wheels = Promise.all(packages.map(fetchWheel));
  wheels.catch((err) => fail("load-failed", err));
  const saved = findSnapshot(key);
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
  const snapshot = await Promise.race([saved, new Promise((r) => setTimeout(r, LOOKUP_MS, null))]);
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
      // Cache Storage at the first idle moment (~20 ms), see whenIdle.
      unsaved = { key, bytes: pyodide.makeMemorySnapshot() };
    } catch (err) {
      console.warn("simulator: no snapshot taken", err); // only the next visit is slower
    }
  }
  const handle = pyodide.pyimport("recovery_core.protocol").handle;
  mark("import");
  postStep(2, LABELS.import);
  return { pyodide, handle, warmUp: pyodide.pyimport("recovery_core.passwords").warm_up };
}

/** Write the wheels as they are, one zip each, into Pyodide's file system; their paths. */
function writeWheels(pyodide, wheels) {
  pyodide.FS.mkdirTree(WHEEL_DIR);
  return wheels.map(({ name, bytes }) => {
    const path = `${WHEEL_DIR}/${name}`;
    pyodide.FS.writeFile(path, bytes);
    return path;
  });
}

// ------------------------------------------------------------------ snapshot

// After the first start, this browser keeps a snapshot of Python's memory with
// recovery_core imported (Pyodide's memory snapshot, ~20 MB, taken before any
// request, so it holds no input) in Cache Storage. The next visit restores it
// instead of starting Python and importing again (measured: ~0.6 of a cold
// start instead of ~0.9). The first visit pays ~20 ms to take it, and ~20 ms
// more to hand it over, at the first idle moment.
// - Keyed by everything it depends on: this worker's version, the runtime and
//   every wheel's sha256; storing a new one drops the others.
// - Pyodide marks the options experimental (`_makeSnapshot`, `_loadSnapshot`), so
//   a snapshot that does not restore, or not to this worker's Python, is dropped
//   and Python starts afresh (taking no new one in that visit). So it does when
//   the lookup takes over LOOKUP_MS.
// - Without Cache Storage (a page not served over HTTPS or from localhost, or
//   storage blocked) every visit starts afresh and takes none.

/** The snapshot taken at this start, until it is handed to Cache Storage. */
let unsaved = null;
/** How long the lookup may take before Python starts afresh without it. */
const LOOKUP_MS = 3000;
/** Every snapshot key of this site starts so (other keys in the cache are not ours). */
const SNAPSHOT_PREFIX = new URL("snapshot.bin?", BASE).href;

/** Python restored from `snapshot`, with the wheels written back and checked to be
 * this worker's; null (the snapshot dropped) if it does not restore. */
async function restore(loadPyodide, options, snapshot, wheels) {
  const gaveUp = new Promise((_, reject) => (restoring = { giveUp: reject }));
  try {
    const pyodide = await Promise.race([loadPyodide({ ...options, _loadSnapshot: snapshot }), gaveUp]);
    const paths = writeWheels(pyodide, await wheels);
    const ours = pyodide.runPython(
      `import sys; all(p in sys.path for p in ${JSON.stringify(paths)}) and "recovery_core.protocol" in sys.modules`,
    );
    if (ours !== true) throw new Error("the snapshot is not of this worker's Python");
    return pyodide;
  } catch (err) {
    if (failed) throw err; // e.g. a failed download: reported already, not the snapshot's fault
    console.warn("simulator: snapshot not restored", err);
    stderrLines.length = 0;
    dropSnapshots(null);
    return null;
  } finally {
    restoring = null;
    // Pyodide has copied it into its memory (or given up); its config would keep ~20 MB alive.
    try {
      snapshot.buffer.transfer?.();
    } catch {
      /* not detachable here: it stays until the worker ends */
    }
  }
}

/** The cache key: a URL of this site that is never fetched. */
function snapshotKey(pkgs) {
  const query = new URLSearchParams({
    worker: WORKER_VERSION,
    runtime: RUNTIME_DIR,
    wheels: pkgs.map((p) => p.sha256).join(","),
  });
  return SNAPSHOT_PREFIX + query;
}

let opened = null;

/** The snapshot cache, or null; opened once, from the worker's first moment on
 * (opening it takes ~0.1 s in a new browser profile: in parallel with the downloads). */
function openSnapshots() {
  opened ??= (async () => {
    try {
      return typeof caches === "object" ? await caches.open(SNAPSHOT_CACHE) : null;
    } catch {
      return null; // storage blocked or unavailable: start afresh
    }
  })();
  return opened;
}

/** The stored snapshot for `key`, or null. */
async function findSnapshot(key) {
  const cache = await openSnapshots();
  try {
    const response = await cache?.match(key);
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/** Keep `bytes` under `key`, the other snapshots dropped first (they may be what
 * fills the quota); failures only cost the next visit's speed. */
async function storeSnapshot(key, bytes) {
  const cache = await openSnapshots();
  if (!cache) return;
  try {
    await dropSnapshots(key);
    // A Blob body: Chromium copies it once (a typed array body took ~50 ms here, a Blob ~20).
    await cache.put(key, new Response(new Blob([bytes], { type: "application/octet-stream" })));
  } catch (err) {
    console.warn("simulator: snapshot not stored", err);
  }
}

/** Delete every snapshot of this site except `keep`. */
async function dropSnapshots(keep) {
  const cache = await openSnapshots();
  try {
    for (const request of (await cache?.keys()) ?? []) {
      if (request.url.startsWith(SNAPSHOT_PREFIX) && request.url !== keep) await cache.delete(request);
    }
  } catch (err) {
    console.warn("simulator: snapshots not dropped", err);
  }
}

// ------------------------------------------------------------------ warm-up

/** After this long with no request, the next piece of background work runs:
 * first storing this start's snapshot, then the slices of the core's one-time
 * costs (passwords.warm_up: zxcvbn's import, lists, first run; each slice at
 * most ~100 ms), so the reader's first key press in the password field does not
 * pay them. A request arriving meanwhile waits for one piece at most. */
const IDLE_MS = 500;
let warm = null; // the Python generator, then false once it is done
let idleTimer = 0;

function whenIdle(ready) {
  clearTimeout(idleTimer);
  if (warm === false && !unsaved) return;
  idleTimer = setTimeout(() => {
    if (unsaved) {
      storeSnapshot(unsaved.key, unsaved.bytes);
      unsaved = null;
      whenIdle(ready);
      return;
    }
    try {
      warm ??= ready.warmUp();
      if (warm.next().done) {
        warm.destroy();
        warm = false;
      } else whenIdle(ready);
    } catch (err) {
      warm = false; // only a head start: the first real check pays instead
      console.warn(err);
    }
  }, IDLE_MS);
}

const booted = boot().then(
  (result) => {
    if (failed) return null;
    mark("total");
    const bytes = progress.totals("runtime").total + progress.totals("packages").total;
    const startedAt = Math.round(performance.timeOrigin + t0);
    self.postMessage({ type: "ready", timings: { ...timings, bytes, startedAt } });
    if (unsaved) whenIdle(result); // stored even if no request ever comes
    return result;
  },
  (err) => {
    fail("start-failed", err);
    return null;
  },
);

// ------------------------------------------------------------------ requests

/** Best-effort id of a request, so even an internal-error reply echoes it. */
function requestId(request) {
  try {
    const id = JSON.parse(request)?.id;
    return typeof id === "string" || typeof id === "number" ? id : null;
  } catch {
    return null;
  }
}

self.onmessage = async (event) => {
  const { id, request } = event.data ?? {};
  if (id === undefined || typeof request !== "string") return;
  const ready = await booted;
  if (!ready) return; // the page already has the error; it rejects what is pending
  const { pyodide, handle } = ready;
  let reply;
  try {
    reply = handle(request);
  } catch (err) {
    // handle() never raises by contract; if it does, answer anyway.
    reply = JSON.stringify({
      id: requestId(request),
      ok: false,
      error: { code: "internal", message: INTERNAL_REPLY_MESSAGE },
    });
    console.error(err);
    if (!(err instanceof pyodide.ffi.PythonError)) fail("crashed", err); // Pyodide is unusable now
  }
  self.postMessage({ id, reply });
  whenIdle(ready);
};
