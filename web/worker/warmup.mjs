// @ts-check
// Background work while the reader reads. After IDLE_MS with no request, the next
// piece runs: first storing this start's snapshot, then the slices of the core's
// one-time costs (passwords.warm_up: zxcvbn's import, lists, first run; each slice
// at most ~100 ms), so the reader's first key press in the password field does not
// pay them. A request arriving meanwhile waits for one piece at most.
import { hasUnsaved, storeUnsaved } from "./snapshot.mjs";

const IDLE_MS = 500;
let warm = null; // the Python generator, then false once it is done
let idleTimer = 0;

/** (Re)start the idle countdown; `ready` is what boot() gave (its `warmUp`). */
export function whenIdle(ready) {
  clearTimeout(idleTimer);
  if (warm === false && !hasUnsaved()) return;
  idleTimer = setTimeout(() => {
    if (hasUnsaved()) {
      storeUnsaved();
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
