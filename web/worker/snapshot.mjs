// @ts-check
// The start-up snapshot. After the first start, this browser keeps a snapshot of
// Python's memory with recovery_core imported (Pyodide's memory snapshot, ~21 MB,
// taken before any request, so it holds no input) in Cache Storage, its zero pages
// left out (`pack`). The next visit restores it instead of starting Python and
// importing again (measured: ~0.6 of a cold start instead of ~0.9). The first visit
// pays ~20 ms to take it, and ~20 ms more to hand it over, at the first idle moment
// (warmup.mjs).
// - Keyed by everything it depends on: this worker's version, the runtime and
//   every wheel's sha256; storing a new one drops the others.
// - Pyodide marks the options experimental (`_makeSnapshot`, `_loadSnapshot`), so
//   a snapshot that does not restore, or not to this worker's Python, is dropped
//   and Python starts afresh (taking no new one in that visit). So it does when
//   the lookup takes over LOOKUP_MS.
// - Without Cache Storage (a page not served over HTTPS or from localhost, or
//   storage blocked) every visit starts afresh and takes none.
import { BASE, RUNTIME_DIR, WORKER_VERSION } from "./config.mjs";
import { whileRestoring } from "./downloads.mjs";
import { failed, stderrLines } from "./report.mjs";
import { writeWheels } from "./wheels.mjs";
import { pack, unpack } from "./zeropages.mjs";

/** Cache Storage name for the start-up snapshot. */
const SNAPSHOT_CACHE = "simulator-snapshot";
/** How long the lookup may take before Python starts afresh without it. */
export const LOOKUP_MS = 3000;
/** Every snapshot key of this site starts so (other keys in the cache are not ours). */
const SNAPSHOT_PREFIX = new URL("snapshot.bin?", BASE).href;

/** The snapshot taken at this start, until it is handed to Cache Storage. */
let unsaved = null;

/** Keep this start's snapshot until it is stored (see `storeUnsaved`). */
export function keepUnsaved(key, bytes) {
  unsaved = { key, bytes };
}

/** Whether a snapshot taken at this start still waits to be stored. */
export function hasUnsaved() {
  return unsaved !== null;
}

/** Hand the snapshot taken at this start to Cache Storage (in the background). */
export function storeUnsaved() {
  if (unsaved) storeSnapshot(unsaved.key, unsaved.bytes);
  unsaved = null;
}

/** Python restored from `stored` (as `findSnapshot` found it), with the wheels written
 * back and checked to be this worker's; null (the snapshot dropped) if it does not restore. */
export async function restore(loadPyodide, options, stored, wheels) {
  const gaveUp = new Promise((_, reject) => whileRestoring({ giveUp: reject }));
  let snapshot = null;
  try {
    snapshot = unpack(stored);
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
    whileRestoring(null);
    // Pyodide has copied it into its memory (or given up); its config would keep ~21 MB alive.
    try {
      snapshot?.buffer.transfer?.();
    } catch {
      /* not detachable here: it stays until the worker ends */
    }
  }
}

/** The cache key: a URL of this site that is never fetched. */
export function snapshotKey(pkgs) {
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
export function openSnapshots() {
  opened ??= (async () => {
    try {
      return typeof caches === "object" ? await caches.open(SNAPSHOT_CACHE) : null;
    } catch {
      return null; // storage blocked or unavailable: start afresh
    }
  })();
  return opened;
}

/** The stored snapshot for `key`: `found`, whether there is one (known before its
 * bytes are read), and `stored`, its bytes as stored (see `pack`) or null. */
export function findSnapshot(key) {
  const response = (async () => {
    try {
      return (await (await openSnapshots())?.match(key)) ?? null;
    } catch {
      return null;
    }
  })();
  const stored = response.then((r) => r?.arrayBuffer() ?? null).catch(() => null);
  return { found: response.then(Boolean), stored };
}

/** Keep `bytes` under `key`, the other snapshots dropped first (they may be what
 * fills the quota); failures only cost the next visit's speed. */
async function storeSnapshot(key, bytes) {
  const cache = await openSnapshots();
  if (!cache) return;
  try {
    await dropSnapshots(key);
    // A Blob body: Chromium copies it once (a typed array body took ~50 ms here, a Blob ~20).
    await cache.put(key, new Response(pack(bytes)));
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
