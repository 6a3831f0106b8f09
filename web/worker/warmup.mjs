// @ts-check
// Background work while the reader reads. After IDLE_MS with no request, the first
// piece runs, and the next ones NEXT_MS apart while no request comes: storing this
// start's snapshot, then the slices of the core's one-time costs (passwords.warm_up:
// zxcvbn's import, lists, first run; each slice at most ~100 ms), so the reader's
// first key press in the password field does not pay them, even on a link straight
// to that step (all done about 1 s after the last request, not 2.5 s). A request
// arriving meanwhile waits for one piece at most, and restarts the countdown.
import { hasUnsaved, storeUnsaved } from "./snapshot.mjs";

const IDLE_MS = 500;
const NEXT_MS = 20;
let warm = null; // the Python generator, then false once it is done
let idleTimer = 0;

/** (Re)start the idle countdown; `ready` is what boot() gave (its `warmUp`). `wait`:
 * ms until the next piece (after a request, IDLE_MS; between pieces, NEXT_MS). */
export function whenIdle(ready, wait = IDLE_MS) {
  clearTimeout(idleTimer);
  if (warm === false && !hasUnsaved()) return;
  idleTimer = setTimeout(() => {
    if (hasUnsaved()) {
      storeUnsaved();
      whenIdle(ready, NEXT_MS);
      return;
    }
    try {
      warm ??= ready.warmUp();
      if (warm.next().done) {
        warm.destroy();
        warm = false;
      } else whenIdle(ready, NEXT_MS);
    } catch (err) {
      warm = false; // only a head start: the first real check pays instead
      console.warn(err);
    }
  }, wait);
}
