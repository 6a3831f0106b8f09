// @ts-check
// Background work between the reader's requests: storing this start's snapshot, then
// the slices of the core's one-time costs (protocol.warm_up: the as-you-type formatter,
// the password module, then passwords.warm_up: zxcvbn's import in two slices, ~20–40
// and ~50–110 ms in Pyodide under Node, then the Russian lists and the word index, each
// slice at most ~30 ms; 16 slices in all), so the first key presses do not pay them
// (~200 ms at once in the password field).
// - One piece AFTER_REPLY_MS after each reply, when no request has come meanwhile: the
//   gap a reply opens is the likeliest to last (a brisk typist leaves ~100 ms between
//   keys, a click waits for the screen it opens), so the work is done during the
//   steps before the password one, even for a reader who never pauses.
// - Once the reader has paused IDLE_MS, the pieces run NEXT_MS apart until done.
// A request arriving meanwhile waits for one piece at most. The page learns of each
// piece ({type: "warm-up", pieces, done}), for the tests and the bench.
// After a start that did not restore a snapshot, and once the reader has paused
// IDLE_MS, the runtime's script is loaded once more in a throwaway worker for the
// next visit's sake (codecache.mjs; ~150 ms on another thread); the page learns when
// that is over ({type: "warm-up", pieces, done: true, primed}).
import { primeCodeCache } from "./codecache.mjs";
import { hasUnsaved, storeUnsaved } from "./snapshot.mjs";

const AFTER_REPLY_MS = 10;
const IDLE_MS = 500;
const NEXT_MS = 20;
let warm = null; // the Python generator, then false once it is done
let timer = 0;
let lastRequest = 0;
let pieces = 0;
let primer = null; // "waiting" for the reader's pause, then "running", then "over"

/** Whether Python's part is over: the snapshot stored and the warm-up done. */
const finished = () => !hasUnsaved() && warm === false;

/** Schedule the next piece; `ready` is what boot() gave (its `warmUp`). Called after
 * each reply (`replied`), and once at start-up (the snapshot is stored even if no
 * request ever comes). */
export function whenIdle(ready, replied = true) {
  clearTimeout(timer);
  if (replied) lastRequest = performance.now();
  primer ??= ready.fresh ? "waiting" : "over";
  if (finished()) return schedulePrimer();
  timer = setTimeout(() => piece(ready), replied ? AFTER_REPLY_MS : IDLE_MS);
}

/** Start the primer once the reader has paused IDLE_MS (a reply meanwhile postpones it). */
function schedulePrimer() {
  if (primer !== "waiting") return;
  const idle = performance.now() - lastRequest;
  if (idle < IDLE_MS) {
    timer = setTimeout(schedulePrimer, IDLE_MS - idle);
    return;
  }
  primer = "running";
  primeCodeCache().then((primed) => {
    primer = "over";
    self.postMessage({ type: "warm-up", pieces, done: true, primed });
  });
}

/** Run one piece, then schedule the next: after the next reply, or NEXT_MS on once
 * the reader has been idle IDLE_MS. */
function piece(ready) {
  if (hasUnsaved()) storeUnsaved();
  else {
    try {
      warm ??= ready.warmUp();
      if (warm.next().done) {
        warm.destroy();
        warm = false;
      }
    } catch (err) {
      warm = false; // only a head start: the first real check pays instead
      console.warn(err);
    }
  }
  pieces += 1;
  self.postMessage({ type: "warm-up", pieces, done: finished() });
  if (finished()) return schedulePrimer();
  const idle = performance.now() - lastRequest;
  timer = setTimeout(() => piece(ready), Math.max(NEXT_MS, IDLE_MS - idle));
}
