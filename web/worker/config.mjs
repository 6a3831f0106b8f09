// @ts-check
// The worker's build-time values, written in by sitebuild (sitebuild/inject.py) once
// it has bundled the worker, and the URLs that follow from them. Each marker stands
// alone on its line, typed by the JSDoc above it: the bundle keeps the line whole.

/** The directory the worker is served from (the bundle's own URL). */
export const BASE = new URL("./", import.meta.url).href;
// The runtime's directory, relative to the worker: the versioned one
// (runtime/<version>-<hash>/pyodide/).
export const RUNTIME_DIR = "@build:RUNTIME_DIR@";
export const INDEX_URL = new URL(RUNTIME_DIR, BASE).href;
// The manifest (simulator.json: the entry package, every file's size for the
// progress bar) and the lockfile (pyodide-lock.json): fetching them would cost a
// round trip before the wheels and the snapshot lookup.
/** @type {any} */
export const MANIFEST = "@build:MANIFEST@";
/** @type {any} */
export const LOCKFILE = "@build:LOCKFILE@";
// A hash of the bundled worker: a changed worker never restores a snapshot an
// older one took.
export const WORKER_VERSION = "@build:WORKER_VERSION@";
// recovery_core's texts (recovery_core.view.browser_texts).
/** @type {any} */
const TEXTS_VALUE = "@build:TEXTS@";
/** @type {BrowserTexts} */
export const TEXTS = TEXTS_VALUE;
