// @ts-check
// The page's side of the simulator: one worker per tab, JSON in and out.
//
//   import { getSimulator } from "…/assets/simulator/bridge.js";
//   const sim = getSimulator();          // the same object on every page of the tab
//   sim.onProgress((p) => …);            // {phase, loaded, total, label, fraction, bytes}
//   sim.start();                         // explicit: when the widget is seen or asked for
//   await sim.ready;                     // timings; rejects with a SimulatorError
//   const reply = await sim.request({op: "start", step: null, seed: null});
//   sim.retry();                         // after an error: a fresh worker
//
// The instance lives on `window`, so Material's instant navigation (which
// re-runs page scripts without reloading) never starts a second worker.
//
// A worker the page's <head> already started (docs/overrides/main.html: on
// /simulator/ only) is adopted on first use, with the messages it sent before
// this module ran, as if `start()` had created it.

const KEY = Symbol.for("ozon-recovery-guide.simulator");
const EARLY_KEY = Symbol.for("ozon-recovery-guide.simulator.early");
const WORKER_URL = new URL("@build:WORKER_FILE@", import.meta.url);
/** With no progress at all for this long, the load counts as failed. */
const STALL_MS = 45_000;

/** With no reply for this long while a request waits (after start-up), the worker
 * counts as stopped: a worker that dies without an error event, or hangs, must not
 * freeze the simulator. Replies come in order, so only the oldest request is timed. */
const REPLY_MS = 15_000;
// recovery_core's texts (recovery_core.view.browser_texts), written in by sitebuild/inject.py.
const TEXTS = /** @type {BrowserTexts} */ (/** @type {unknown} */ ("@build:TEXTS@"));
const MESSAGES = {
  "load-failed": TEXTS?.ui.load_failed,
  "worker-failed": TEXTS?.ui.worker_failed,
  "no-wasm": TEXTS?.ui.no_wasm,
  "no-worker": TEXTS?.ui.no_worker,
  timeout: TEXTS?.ui.lost,
};

/** A failure the reader should see: `message` is Russian, `code` is for the code. */
export class SimulatorError extends Error {
  constructor(code, message, detail = "") {
    super(message);
    this.name = "SimulatorError";
    this.code = code;
    this.detail = detail;
  }
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a rejection nobody awaits is not an "uncaught" error
  return { promise, resolve, reject };
}

/** Share of the whole load: bytes first (90 %), then starting Python (10 %).
 * Phases report separately (the wheels may be in before the runtime's size is
 * known), so the bar takes the largest share seen: it never moves back. */
function fraction(phases) {
  const { loaded, total } = downloaded(phases);
  const steps = phases.import ? phases.import.loaded / phases.import.total : 0;
  return total ? 0.9 * (loaded / total) + 0.1 * steps : 0;
}

/** Bytes of the runtime and the wheels together, as far as reported. */
function downloaded(phases) {
  const bytes = ["runtime", "packages"].map((p) => phases[p] ?? { loaded: 0, total: 0 });
  return { loaded: bytes.reduce((n, p) => n + p.loaded, 0), total: bytes.reduce((n, p) => n + p.total, 0) };
}

class Simulator {
  #worker = null;
  #ready = deferred();
  #pending = new Map(); // request id -> {resolve, reject}
  #nextId = 1;
  #phases = {};
  #fraction = 0;
  #last = null; // the latest progress event, replayed to late subscribers
  #progress = new Set();
  #status = new Set();
  #stallTimer = 0;
  #replyTimer = 0;
  #startedAt = 0;

  /** "idle" | "loading" | "ready" | "error" */
  state = "idle";
  /** The SimulatorError after a failure, else null. */
  error = null;
  /** Load timings (ms) once ready. */
  timings = null;
  /** The worker's background work so far: {pieces, done, primed, at} (`primed`:
   * undefined until the next visit's code cache was primed, then whether it was;
   * `at`: this page's clock, ms), or null before its first piece (worker/warmup.mjs). */
  warmUp = null;

  /** `early`: {worker, url, events, startedAt} from the page's head, to adopt. */
  constructor(early = null) {
    if (early) this.#spawn(early);
  }

  /** Resolves with the timings once the simulator answers; rejects with a SimulatorError. */
  get ready() {
    return this.#ready.promise;
  }

  /** Start the worker unless it is running or ready; returns `ready`. */
  start() {
    if (this.state === "idle") this.#spawn();
    return this.ready;
  }

  /** After an error: drop the failed worker and start a new one; returns the new `ready`. */
  retry() {
    if (this.state !== "error") return this.start();
    this.#stop();
    this.#ready = deferred();
    this.#spawn();
    return this.ready;
  }

  /** Send one protocol request (an object); resolves with the parsed reply object.
   * Sent at once, also while the worker loads: it queues requests and answers them
   * the moment Python is up, without waiting for the page to hear "ready" first. */
  async request(obj) {
    this.start();
    if (this.state === "error") await this.ready; // rejects with the error
    if (!this.#worker) throw this.error ?? new SimulatorError("stopped", MESSAGES["load-failed"]);
    const id = this.#nextId++;
    const body = JSON.stringify({ id, ...obj });
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, request: body });
      this.#armReplyTimer();
    });
  }

  /** Call `cb` with every progress event (and the latest one now); returns an unsubscribe function. */
  onProgress(cb) {
    this.#progress.add(cb);
    if (this.#last) cb(this.#last);
    return () => this.#progress.delete(cb);
  }

  /** Call `cb({state, error, timings})` on every change of state (and now); returns an unsubscribe function. */
  onStatus(cb) {
    this.#status.add(cb);
    cb(this.#snapshot());
    return () => this.#status.delete(cb);
  }

  #snapshot() {
    return { state: this.state, error: this.error, timings: this.timings };
  }

  #setState(state) {
    this.state = state;
    const snap = this.#snapshot();
    for (const cb of this.#status) cb(snap);
  }

  /** Start a worker, or adopt the `early` one (replaying what it already sent). */
  #spawn(early = null) {
    this.error = null;
    this.timings = null;
    this.warmUp = null;
    this.#phases = {};
    this.#fraction = 0;
    this.#last = null;
    this.#startedAt = early?.startedAt ?? performance.now();
    this.#setState("loading");
    if (typeof WebAssembly !== "object") {
      // The worker would find the same: say so without downloading anything.
      this.#fail("no-wasm", MESSAGES["no-wasm"], "WebAssembly is not available");
      return;
    }
    let worker = early?.worker;
    if (!worker) {
      try {
        worker = new Worker(WORKER_URL, { type: "module", name: "simulator" });
      } catch (err) {
        this.#fail("no-worker", MESSAGES["no-worker"], String(err));
        return;
      }
    }
    this.#worker = worker;
    const handle = (event) => {
      if (event.type === "message") return this.#receive(worker, event.data);
      // "error": worker.mjs itself cannot load or run (network, or no module workers).
      if (event.type === "error") event.preventDefault();
      if (worker === this.#worker) {
        const detail = event.type === "error" ? (event.message ?? "") : "messageerror";
        this.#fail("worker-failed", MESSAGES["worker-failed"], detail);
      }
    };
    worker.onmessage = worker.onerror = worker.onmessageerror = handle;
    this.#armStallTimer();
    for (const event of early?.events ?? []) handle(event);
  }

  #armStallTimer() {
    clearTimeout(this.#stallTimer);
    if (this.state !== "loading") return;
    this.#stallTimer = setTimeout(
      () => this.#fail("load-failed", MESSAGES["load-failed"], "no progress for 45 s"),
      STALL_MS,
    );
  }

  /** While requests wait on a started worker, its next reply is due within REPLY_MS. */
  #armReplyTimer(restart = false) {
    if (this.state !== "ready" || !this.#pending.size) {
      clearTimeout(this.#replyTimer);
      this.#replyTimer = 0;
      return;
    }
    if (this.#replyTimer && !restart) return;
    clearTimeout(this.#replyTimer);
    this.#replyTimer = setTimeout(
      () => this.#fail("timeout", MESSAGES.timeout, `no reply for ${REPLY_MS / 1000} s`),
      REPLY_MS,
    );
  }

  #receive(worker, msg) {
    if (worker !== this.#worker || !msg) return; // a terminated worker's last words
    if (msg.type === "progress") {
      this.#phases[msg.phase] = msg;
      this.#fraction = Math.max(this.#fraction, fraction(this.#phases));
      this.#last = {
        phase: msg.phase,
        loaded: msg.loaded,
        total: msg.total,
        label: msg.label,
        fraction: this.#fraction,
        bytes: downloaded(this.#phases), // every phase's, also for a subscriber who missed some
      };
      this.#armStallTimer();
      for (const cb of this.#progress) cb(this.#last);
    } else if (msg.type === "ready") {
      clearTimeout(this.#stallTimer);
      this.timings = { ...msg.timings, page: Math.round(performance.now() - this.#startedAt) };
      this.#setState("ready");
      this.#ready.resolve(this.timings);
      this.#armReplyTimer(true);
    } else if (msg.type === "warm-up") {
      this.warmUp = { pieces: msg.pieces, done: msg.done, primed: msg.primed, at: performance.now() };
    } else if (msg.type === "error") {
      this.#fail(msg.code, msg.message, msg.detail ?? "");
    } else if (msg.id !== undefined) {
      const pending = this.#pending.get(msg.id);
      if (!pending) return;
      this.#pending.delete(msg.id);
      this.#armReplyTimer(true);
      try {
        pending.resolve(JSON.parse(msg.reply));
      } catch (err) {
        pending.reject(err);
      }
    }
  }

  #fail(code, message, detail) {
    if (this.state === "error") return;
    const error = new SimulatorError(code, message, detail);
    if (detail) console.warn(`simulator: ${code}: ${detail}`);
    this.error = error;
    this.#stop();
    this.#setState("error");
    this.#ready.reject(error);
  }

  /** Terminate the worker and reject what is pending. */
  #stop() {
    clearTimeout(this.#stallTimer);
    clearTimeout(this.#replyTimer);
    this.#replyTimer = 0;
    this.#worker?.terminate();
    this.#worker = null;
    const error = this.error ?? new SimulatorError("stopped", MESSAGES["load-failed"]);
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}

/** The tab's one simulator (created on first use; the worker starts on `start()`). */
export function getSimulator() {
  if (!window[KEY]) {
    const early = window[EARLY_KEY];
    delete window[EARLY_KEY];
    const ours = early?.worker && early.url === WORKER_URL.href;
    if (early && !ours) early.worker?.terminate();
    window[KEY] = new Simulator(ours ? early : null);
  }
  return window[KEY];
}
