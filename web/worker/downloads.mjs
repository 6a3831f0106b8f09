// @ts-check
// The runtime's and the wheels' downloads: started early, counted as they stream in
// for the progress bar, and any failure (of a fetch or of the wasm's compilation,
// both of which Pyodide only logs before waiting forever) turned into an error.
import { BASE, INDEX_URL } from "./config.mjs";
import { LABELS, fail, failed, mark, postStep } from "./report.mjs";

/** How often a phase's progress is posted while its bytes stream in (a file done is
 * posted at once); the page redraws its bar and status line for each. Posted every
 * 50 ms, a cold start on 2 cores was ~100 ms slower (two interleaved runs of 8 cold
 * visits, bench/RESULTS.md); four times a second still moves the bar. */
const PROGRESS_MS = 250;

/** Byte counts per file and per phase, posted at most every PROGRESS_MS per phase.
 * A stream yields decoded bytes, ~15 MB where the network carries 5 (the launch text's
 * figure): each file's share of its decoded bytes is posted as that share of the
 * bytes it transfers. */
class Progress {
  constructor(onRuntimeDone) {
    // absolute URL -> {size: its decoded bytes (simulator.json), sent: as transferred (the .gz), shown}
    this.sizes = new Map();
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

  setSizes(files, transferred = {}) {
    for (const [rel, size] of Object.entries(files)) {
      this.sizes.set(new URL(rel, BASE).href, { size, sent: transferred[rel] ?? size });
    }
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
    for (const [url, { size, sent }] of this.sizes) {
      if (this.phaseOf(url) !== phase) continue;
      total += sent;
      const part = size > 0 ? Math.min(this.loaded.get(url) ?? 0, size) / size : 1;
      loaded += this.done.has(url) ? sent : sent * part;
    }
    return { loaded: Math.floor(loaded), total };
  }

  post(phase, force = false) {
    if (failed || this.sizes.size === 0) return;
    const { loaded, total } = this.totals(phase);
    const now = performance.now();
    if (!force && loaded < total && now - this.lastPost[phase] < PROGRESS_MS) return;
    this.lastPost[phase] = now;
    self.postMessage({ type: "progress", phase, loaded, total, label: LABELS[phase] });
    if (phase === "runtime" && loaded >= total && this.onRuntimeDone) {
      this.onRuntimeDone();
      this.onRuntimeDone = null;
    }
  }
}

// Runtime bytes all in: the rest of the wait is compiling and starting Python.
export const progress = new Progress(() => {
  mark("downloaded");
  postStep(0, LABELS.boot);
});

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
export function prefetch(name) {
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

/** While Python is restored from a snapshot, a failed wasm compilation rejects
 * `giveUp` (the snapshot is dropped) instead of failing the worker; null after. */
export function whileRestoring(attempt) {
  restoring = attempt;
}

/** import() a runtime script, counting its bytes when it has arrived. */
export async function importCounted(name) {
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
