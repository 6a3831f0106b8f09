// @ts-check
// What the worker tells the page besides replies: its timings, the progress steps
// after the downloads, and its first failure (in the reader's words, from the texts).
import { TEXTS } from "./config.mjs";

const MESSAGES = {
  "no-wasm": TEXTS?.ui.no_wasm,
  "load-failed": TEXTS?.ui.load_failed,
  "start-failed": TEXTS?.ui.start_failed,
  crashed: TEXTS?.ui.crashed,
};
export const INTERNAL_REPLY_MESSAGE = TEXTS?.ui.internal_reply;

/** What each progress step is called (keys of the texts' `ui`). */
export const LABELS = {
  runtime: "progress_download",
  packages: "progress_download",
  boot: "progress_boot",
  import: "progress_import",
};

export const t0 = performance.now();
/** Milliseconds since the worker started, by name (posted with "ready"). */
export const timings = {};
export const mark = (name) => (timings[name] = Math.round(performance.now() - t0));

/** True once a failure was reported: the worker answers nothing more. */
export let failed = false;
/** Pyodide's recent stderr lines, sent with a failure's detail. */
export const stderrLines = [];

/** Report the first failure (later ones are consequences) and stop answering. */
export function fail(code, detail) {
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

/** The start-up steps after the downloads (0: booting, 1: importing, 2: done). */
export function postStep(loaded, label) {
  if (!failed) self.postMessage({ type: "progress", phase: "import", loaded, total: 2, label });
}
