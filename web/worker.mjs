// @ts-check
// The simulator's module Web Worker: boots Pyodide from this site's own files,
// loads our wheels as our lockfile names them, imports recovery_core.protocol and
// answers {id, request} with {id, reply}: plain JSON strings both ways, so no
// proxy ever crosses the boundary or needs freeing.
//
// This file answers requests; the rest is in worker/, one job a file, and
// sitebuild bundles them into one worker.<hash>.mjs (sitebuild/output.py):
//   config.mjs     the build-time values (runtime directory, manifest, lockfile, texts)
//   report.mjs     timings, progress steps, the first failure
//   downloads.mjs  every download started at once, counted, failures surfaced
//   wheels.mjs     the wheels the lockfile names, onto sys.path as zips
//   snapshot.mjs   Python restored from this browser's snapshot, or one taken
//   boot.mjs       the start, in order
//   warmup.mjs     background work between the reader's requests
//   codecache.mjs  the runtime's script loaded once more, for the next visit
//
// Messages to the page:
//   {type: "progress", phase: "runtime"|"packages"|"import", loaded, total, label}
//     runtime/packages count bytes as transferred (each file's share of its decoded
//     bytes times its .gz size, also when brotli is sent: downloads.mjs), import
//     counts steps; label is a key of the texts' `ui` (the page says it);
//   {type: "ready", timings}: ms since the worker started — downloaded (runtime
//     bytes in), wasmReady, runtime (Python up), wheels (on sys.path), import,
//     total — bytes (everything fetched), startedAt (when the worker started,
//     ms since the epoch, to line it up with the page's clock) and from
//     ("snapshot" when Python was restored from this browser's snapshot, else "boot");
//   {type: "warm-up", pieces, done}: after each piece of background work
//     (warmup.mjs), done once Python's is over; once more with primed (true or
//     false) when the next visit's code cache has been primed (codecache.mjs);
//   {type: "error", code, message, detail}: message is Russian, for the reader;
//   {id, reply}: the answer to a request.

import { boot } from "./worker/boot.mjs";
import { progress } from "./worker/downloads.mjs";
import { INTERNAL_REPLY_MESSAGE, fail, failed, mark, t0, timings } from "./worker/report.mjs";
import { whenIdle } from "./worker/warmup.mjs";

const booted = boot().then(
  (result) => {
    if (failed) return null;
    mark("total");
    const bytes = progress.totals("runtime").total + progress.totals("packages").total;
    const startedAt = Math.round(performance.timeOrigin + t0);
    self.postMessage({ type: "ready", timings: { ...timings, bytes, startedAt } });
    whenIdle(result, false); // the snapshot stored, and zxcvbn warmed, even if no request ever comes
    return result;
  },
  (err) => {
    fail("start-failed", err);
    return null;
  },
);

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
