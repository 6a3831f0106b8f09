// @ts-check
// The next visit's compile of the runtime's script (pyodide.asm.js, ~1 MB: ~100 ms
// on the bench's machine). Chromium keeps a script's compiled code (V8's code cache)
// only from its second load on, the first load only marking it, so a reader's second
// visit would compile it again and only the third be spared. Loading it once more
// in a throwaway worker (web/prime.mjs), in the first visit's idle time, is that
// second load: the next visit starts from the cached code (bench/RESULTS.md).
import { BASE, INDEX_URL } from "./config.mjs";

/** Load the runtime's script once more in a throwaway worker; resolves true once it
 * has, false if it could not (never rejects: only the next visit is slower). */
export function primeCodeCache() {
  return new Promise((resolve) => {
    let worker;
    try {
      worker = new Worker(new URL("prime.mjs", BASE), { type: "module", name: "simulator-prime" });
    } catch {
      resolve(false); // no nested workers here
      return;
    }
    const end = (ok) => {
      worker.terminate();
      resolve(ok);
    };
    worker.onmessage = (event) => end(event.data === "primed");
    worker.onerror = () => end(false);
    worker.postMessage(INDEX_URL + "pyodide.asm.js");
  });
}
