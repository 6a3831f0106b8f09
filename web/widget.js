// @ts-check
// The simulator widget: a generic renderer of recovery_core's `state`.
//
// All logic and every Russian text come from recovery_core (Python, in Pyodide, in a
// Web Worker, through bridge.js); the texts needed before Python is up are written
// into TEXTS by sitebuild/inject.py. This file draws what the state says, sends the
// reader's clicks and keystrokes back, runs the countdowns in real time, keeps the
// address bar in step (?step=<id> on /simulator/) and keeps the session the core
// hands out (`saved`: never a password) so a reload or Back gives it back exactly.
//
// Its life is one value, `phase`, changed only by `to()`:
//
//   idle ──boot()──▶ loading ──core up──▶ ready ──worker stops──▶ lost
//     │                 │                   ▲                       │
//     │                 └──fails──▶ error ──┴──────«Повторить» / «Продолжить»
//     └ phones wait here for «Запустить тренажёр»; wide screens boot on view
//
// While loading, the build-time first screen may be shown (a click on it waits for
// the core). Replies, timers and history events are handled only in the phases that
// allow them. Everything the reader types is shown with textContent, never innerHTML.

import { getSimulator } from "./bridge.js";

// recovery_core's first screens, as the build computed them (sitebuild/bundle.py), by step
// ("" for /simulator/ without one): the one the address names is shown while Python loads.
const FIRST_SCREENS = /** @type {Record<string, any>} */ (/** @type {unknown} */ ("@build:FIRST_SCREENS@"));
// The seed of every session of a tab (a restart keeps it): the one the build computed
// those screens with, so the core then answers the very screen the reader has been
// reading, codes included. Every reader gets the same codes: they are made up anyway.
const FIRST_SEED = 0;
// recovery_core.view.browser_texts(): {ui, ticks, steps}, written in by the build.
const TEXTS = /** @type {BrowserTexts} */ (/** @type {unknown} */ ("@build:TEXTS@"));
const T = TEXTS?.ui ?? {};

const STORE_KEY = "recovery-simulator:v2";
/** Keys of earlier formats: found, they are dropped with a notice. */
const OLD_STORE_KEYS = ["recovery-simulator:v1"];
/** Material's breakpoint for its right-hand sidebar, where the dock sits. */
const WIDE = "(min-width: 76.25em)";
/** Below this (phones, small tablets) the download waits for «Запустить тренажёр», or for a
 * tap or a key on the build-time screen of the step shown under it. */
const ASK_FIRST = "(max-width: 59.9375em)";

// ---------------------------------------------------------------- helpers

/** Create an element: h("p.cls", {attr: v}, child, ...); text children via textContent. */
function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag);
  if (classes.length) el.className = classes.join(" ");
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** What the screen repeats from a side panel: «<label> · <meta>», then `body`. */
function latest(label, meta, ...body) {
  return h("aside.sim__latest", { "aria-label": label }, h("p.sim__meta", {}, `${label} · ${meta}`), ...body);
}

/** A phone number in the core's display form, «+7 900 111-22-33». */
const PHONE_SHOWN = /\+\d{1,3}(?: \d{2,4})+(?:-\d{2,4})*/g;

/** `text` as nodes, each phone number in it kept on one line (a narrow screen would
 * otherwise break «+7 | 900 111-22-33» at a space or a hyphen). Layout only: the words
 * are the core's, as given. */
function unbroken(text) {
  const out = [];
  let at = 0;
  for (const m of String(text).matchAll(PHONE_SHOWN)) {
    out.push(text.slice(at, m.index), h("span.sim__nowrap", {}, m[0]));
    at = m.index + m[0].length;
  }
  out.push(text.slice(at));
  return out.filter((part) => part !== "");
}

/** `template` with each {name} replaced. */
function fill(template, fields) {
  let out = String(template ?? "");
  for (const [k, v] of Object.entries(fields)) out = out.replaceAll(`{${k}}`, String(v));
  return out;
}

/** Digits of a countdown, «0:42» or «23:59:59». Only the page has it: it redraws
 * them every second without asking Python; every word around them comes from the
 * core's template. */
function clockDigits(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return hours ? `${hours}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Megabytes of 10⁶ bytes (as the launch text counts them) with a decimal comma. Not
 * toLocaleString: its first call costs a 40–50 ms long task (bench/). */
function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1).replace(".", ",");
}

/** The session store of this tab: {seed, data, current, steps, drafts} and whether
 * what was there could not be read (garbled, or of an older format). */
function loadStore() {
  let unreadable = false;
  try {
    for (const key of OLD_STORE_KEYS) {
      if (sessionStorage.getItem(key) !== null) {
        unreadable = true;
        sessionStorage.removeItem(key);
      }
    }
    const raw = sessionStorage.getItem(STORE_KEY);
    if (raw === null) return { store: {}, unreadable };
    let store = null;
    try {
      store = JSON.parse(raw);
    } catch {
      /* garbled */
    }
    if (store && typeof store === "object" && !Array.isArray(store)) return { store, unreadable };
    return { store: {}, unreadable: true };
  } catch {
    return { store: {}, unreadable: false }; // storage blocked: nothing was kept, nothing to say
  }
}

function saveStore(store) {
  try {
    sessionStorage.setItem(STORE_KEY, JSON.stringify(store));
  } catch {
    /* private mode or full storage: the simulator still works, it just forgets */
  }
}

/** The ?step= of the address; cut short so a hostile value still reaches the core as "unknown". */
function stepFromUrl() {
  const step = new URLSearchParams(window.location.search).get("step");
  return step === null ? null : step.slice(0, 100);
}

const asks = () => window.matchMedia(ASK_FIRST).matches;

/** Back or Forward within one step (a fragment): where the entry was, as Material
 * restores it on its own entries (the widget keeps its entries from Material). */
function scrollBack() {
  const y = history.state?.y;
  if (typeof y === "number" || !location.hash) window.scrollTo(0, y ?? 0);
  else document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
}

/** `table[key]` when the table has that key of its own: an address's ?step=constructor
 * is an unknown step, not Object's constructor. */
const entry = (table, key) => (table && key != null && Object.hasOwn(table, key) ? table[key] : undefined);

/** A refused request's error, shown as a notice above the flow (a restore the core refused). */
const asNotice = (error) => ({ level: "warning", text: error.message, code: error.code, field: null });

// ---------------------------------------------------------------- the widget

class SimulatorWidget {
  constructor(root, mode) {
    this.root = root;
    this.mode = mode; // "page" (/simulator/) or "guide" (docked next to the guide)
    this.sim = getSimulator();
    this.phase = "idle";
    this.state = null; // the core's last state
    this.saved = null; // the core's last `saved` session
    this.syncedAt = 0; // Date.now() when the state's clock was the core's
    this.pendingStep = null; // a step asked for before the core was up
    this.previewed = null; // the build-time screen on show until the core is up
    ({ store: this.store, unreadable: this.unreadable } = loadStore());
    this.checks = {}; // field -> {busy, again}: one live check in flight per field
    this.edits = 0; // the reader's edits to the fields so far (takeDrafts)
    this.historyTurn = 0; // Back and Forward so far, and how many are still on their way (onHistory)
    this.historyPending = 0;
    this.waiting = []; // settled() callers, told when loading is over
    this.timer = 0;
    this.title = document.title;
    this.path = location.pathname; // the page this widget is on (its own history entries)
    // Back to the tab: hidden tabs run timers late, so the countdowns catch up at once.
    this.onVisible = () => document.visibilityState === "visible" && this.scheduleClock();
    document.addEventListener("visibilitychange", this.onVisible);
    this.build();
  }

  // -- lifecycle -----------------------------------------------------------

  /** The one place the phase changes; shows the parts that phase has. */
  to(phase) {
    this.phase = phase;
    if (phase !== "loading") for (const resolve of this.waiting.splice(0)) resolve();
    this.root.dataset.phase = phase;
    // Shown while the core loads, and on a phone before the reader launches it (under «Запустить»).
    const previewing = (phase === "loading" || phase === "idle") && this.previewing;
    this.root.classList.toggle("sim--preview", phase === "loading" && previewing);
    this.loader.hidden = !(phase === "idle" || phase === "loading");
    this.launchBox.hidden = phase !== "idle";
    this.progressWrap.hidden = phase !== "loading";
    this.failure.hidden = !(phase === "error" || phase === "lost");
    this.app.hidden = !(phase === "ready" || previewing);
    if (phase !== "loading" && phase !== "idle") {
      this.previewing = false;
      this.waitNote.hidden = true;
      this.app.removeAttribute("aria-busy");
    }
    if (phase !== "ready") clearTimeout(this.timer);
  }

  build() {
    this.root.replaceChildren();
    // md-typeset: Material's button and text styles, also in the sidebar dock.
    this.root.classList.add("sim", "md-typeset");
    const step = this.initialStep();
    const info = step ? entry(TEXTS?.steps, step) : null;
    this.launchBox = h(
      "div.sim__launch-box",
      {},
      h("p.sim__loader-title", {}, T.launch_text),
      (this.launchStep = h("p.sim__launch-step", { hidden: !info }, info ? fill(T.launch_step, info) : "")),
      h(
        "button.md-button.md-button--primary.sim__launch",
        { type: "button", on: { click: () => this.boot() } },
        T.launch,
      ),
    );
    this.progressWrap = h(
      "div.sim__progress-wrap",
      {},
      (this.progressBar = h("progress.sim__progressbar", { max: 100, "aria-label": T.progress_label })),
      (this.progressText = h("p.sim__progress-text", { role: "status", "aria-live": "polite" }, T.progress_preparing)),
      (this.waitNote = h("p.sim__wait-note", { hidden: true }, T.wait_note)),
    );
    this.loader = h("div.sim__loader", {}, this.launchBox, this.progressWrap);
    this.failure = h("div.sim__error", { role: "alert" });
    this.app = h("div.sim__app");
    // One live region that outlives re-renders, so screen readers hear each result.
    this.live = h("div.visually-hidden.sim__live", { role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this.root.append(this.live, this.loader, this.failure, this.app);
    this.to("idle");
    if (this.mode === "page" && info) document.title = fill(T.tab_title, { step: info.page_title, page: this.title });
  }

  /** Start when the widget comes into view or on intent (pointer, focus), on wide
   * screens; at once when the worker is already on its way (the page's head started it).
   * Phones wait for «Запустить тренажёр», which says what it downloads, unless the
   * reader launched it already in this tab (a session is stored): then a reload or a
   * link to another step goes on at once, not when the widget comes into view (the
   * button would vanish under the reader's finger as they scrolled to it). */
  watch() {
    if (this.sim.state === "loading" || this.sim.state === "ready") return this.boot();
    if (this.sim.state === "error") return this.fail(this.sim.error);
    if (this.mode === "page" && asks()) {
      if (this.store.current || this.unreadable) return this.boot();
      // The step is readable before anything downloads: the build's screen, under the
      // launch box; a tap or a key on it launches the simulator, as «Запустить» does.
      this.preview(this.firstScreen(), "idle");
      if (stepFromUrl()) this.launchBox.scrollIntoView({ block: "center" });
      return;
    }
    const auto = () => {
      io.disconnect();
      if (this.phase === "idle") this.boot();
    };
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && auto());
    io.observe(this.root);
    this.root.addEventListener("pointerenter", auto, { once: true });
    this.root.addEventListener("focusin", auto, { once: true });
  }

  /** idle/error/lost → loading → ready (or error). */
  async boot() {
    if (this.phase === "loading" || this.phase === "ready" || this.dead) return;
    this.preview(this.firstScreen());
    this.unsubscribe?.();
    this.unsubscribe = this.sim.onProgress((p) => this.showProgress(p));
    if (this.sim.state === "error") this.sim.retry();
    try {
      await this.sim.start();
    } catch (err) {
      return this.fail(err);
    }
    if (this.dead) return;
    this.unwatch?.();
    // A worker that dies or stops answering after start-up is shown at once.
    this.unwatch = this.sim.onStatus(({ state, error }) => {
      if (state === "error" && this.phase === "ready") this.lose(error);
    });
    await this.open();
  }

  /** The first state: a step asked for meanwhile, else the reader's own session
   * (restored exactly), else the step of the address, else the first. A link to
   * another step while the reader is mid-flow («Попробовать этот шаг» on a phone)
   * gives their session back first and asks before replacing it. */
  async open() {
    const urlStep = this.mode === "page" ? stepFromUrl() : null;
    const notices = [];
    let reply = null;
    const asked = this.pendingStep;
    this.pendingStep = null;
    if (this.unreadable) {
      this.unreadable = false;
      const refused = await this.request({ op: "restore", saved: null });
      if (refused && !refused.ok) notices.push(refused.error);
    }
    const atUrl =
      urlStep && (this.store.steps?.[urlStep] ?? (this.store.current?.step === urlStep ? this.store.current : null));
    const target = asked ?? urlStep;
    const known = Boolean(entry(TEXTS?.steps, target));
    const midFlow = known && !atUrl && this.store.dirty && this.store.current ? target : null;
    const saved = midFlow ? this.store.current : asked ? null : urlStep ? atUrl : this.store.current;
    if (saved) {
      reply = await this.request({ op: "restore", saved });
      if (reply && !reply.ok) {
        notices.push(reply.error);
        this.forget();
        reply = null;
      }
    }
    // The reader's latest session restored (a reload, say): its clock stands at the real
    // moment it was saved, so the seconds already waited count (unless the clock went back).
    const savedAt = this.store.currentAt;
    const latest = Boolean(reply) && JSON.stringify(saved) === JSON.stringify(this.store.current);
    const since = latest && Number.isFinite(savedAt) && savedAt <= Date.now() ? savedAt : null;
    reply ??= await this.start(asked ?? urlStep);
    if (!reply?.ok) return reply ? this.fail(reply.error) : undefined;
    this.to("ready");
    this.accept(reply, { notice: notices.map(asNotice), replaceUrl: true, landing: true, fresh: true, since });
    if (midFlow && reply.state.step !== midFlow && (await this.confirmSwitch(midFlow))) {
      const fresh = await this.start(midFlow);
      if (fresh?.ok && this.phase === "ready")
        this.accept(fresh, { replaceUrl: true, landing: true, fresh: true, focus: true });
    }
  }

  start(step) {
    if (this.store.seed === undefined) this.store.seed = FIRST_SEED;
    this.store.dirty = false; // the reader has not acted since the flow was (re)started
    return this.request({ op: "start", step: step ?? null, seed: this.store.seed, data: this.store.data ?? {} });
  }

  /** Send a request; null (and the reader told) if the worker is gone. */
  async request(body) {
    try {
      return await this.sim.request(body);
    } catch (err) {
      if (this.phase === "ready") this.lose(err);
      else if (this.phase === "loading") this.fail(err);
      return null; // lost or failed already: said once
    }
  }

  fail(err) {
    if (this.dead) return;
    this.to("error");
    this.showFailure(err?.message || T.failed, T.retry);
  }

  /** The worker died or stopped answering mid-flow: the saved session comes back on «Продолжить». */
  /** @param {unknown} [_error] what went wrong (the reader is told the same either way) */
  lose(_error) {
    if (this.dead || this.phase === "lost") return;
    this.to("lost");
    this.showFailure(T.lost, T.continue);
    this.live.textContent = T.lost_live;
  }

  showFailure(message, label) {
    const again = h("button.md-button.md-button--primary", { type: "button" }, label);
    again.addEventListener("click", () => {
      this.sim.retry();
      this.boot();
    });
    this.failure.replaceChildren(h("p", {}, message), again);
    // Not out of the guide or the search box: only where the reader already is.
    const at = document.activeElement;
    if (!at || at === document.body || this.root.contains(at)) again.focus({ preventScroll: true });
  }

  initialStep() {
    return this.mode === "page" ? stepFromUrl() : null;
  }

  /** The build's screen of the first step to show, for a reader with nothing of their own
   * yet (it is the screen the core will answer with); else null. */
  firstScreen(step = this.initialStep()) {
    const fresh = !this.state && !this.store.current && (this.store.seed ?? FIRST_SEED) === FIRST_SEED;
    return fresh ? (entry(FIRST_SCREENS, step ?? "") ?? null) : null;
  }

  // -- progress --------------------------------------------------------------

  /** Bytes of the runtime and the wheels together, then the start-up steps. */
  showProgress(p) {
    this.progressBar.value = Math.round((p.fraction ?? 0) * 100);
    const { loaded = 0, total = 0 } = p.bytes ?? {};
    this.progressText.textContent =
      p.phase === "import"
        ? T[p.label] || T.progress_import
        : total > 1e5
          ? fill(T.progress_bytes, { loaded: megabytes(loaded), total: megabytes(total) })
          : T.progress_download;
  }

  // -- the core's replies ----------------------------------------------------

  /** Take a state reply: remember it, draw it, keep the address bar and title in step. */
  accept(
    reply,
    { notice = [], push = false, replaceUrl = false, landing = false, focus = false, fresh = false, since = null } = {},
  ) {
    const previous = this.state;
    const state = reply.state;
    const stepChanged = !previous || previous.step !== state.step;
    // The build-time screen of this step was on show: what the reader typed and where
    // they were stay, as after any reply on the same step.
    const shown = previous ?? this.previewed;
    this.previewed = null;
    const redrawn = !shown || shown.step !== state.step;
    this.state = state;
    this.saved = reply.saved;
    // A started or restored session: its clock is now, or, for the reader's own session
    // after a reload, the moment it was saved, so the seconds already waited still count.
    if (fresh) this.syncedAt = since ?? Date.now();
    this.remember(state, reply.saved);
    this.draw(state, { notice, stepChanged: redrawn });
    if (this.mode === "page") {
      if (replaceUrl || push) this.putStep(state.step, { replace: replaceUrl && !push });
      document.title = fill(T.tab_title, { step: state.page_title, page: this.title });
    }
    if (stepChanged) {
      this.root.dispatchEvent(new CustomEvent("simulator:step", { bubbles: true, detail: { step: state.step } }));
      if (focus) this.heading?.focus();
    }
    if (landing && redrawn) this.land(state);
    this.announce(stepChanged);
    this.scheduleClock();
  }

  /** On a phone, a link's step (or any past the first) opens with its screen at the top
   * of the view, its controls in reach; the build-time screen of a step did already. */
  land(state) {
    if (this.mode === "page" && asks() && (stepFromUrl() || state.number > 1))
      this.screenBox.scrollIntoView({ block: "start" });
  }

  remember(state, saved) {
    const d = state.data || {};
    this.store.data = {
      email: d.email ?? this.store.data?.email ?? null,
      phone: d.phone ?? this.store.data?.phone ?? null,
    };
    this.store.current = saved;
    this.store.currentAt = this.syncedAt; // the real moment `current`'s clock stands at
    this.store.steps = { ...(this.store.steps || {}), [state.step]: saved };
    saveStore(this.store);
  }

  /** Drop the reader's stored session, its steps, data and drafts (after a restart,
   * or when it could not be restored); the seed stays. */
  forget() {
    this.store = { seed: this.store.seed, data: {} };
    saveStore(this.store);
  }

  /** The step in the address bar: a new history entry, or (replace) the current one.
   * The entry's state is the scroll offset, as Material's instant navigation keeps it. */
  putStep(step, { replace = false } = {}) {
    const url = new URL(window.location.href);
    if (url.searchParams.get("step") === step) return;
    url.searchParams.set("step", step);
    url.hash = "";
    const offset = { x: window.scrollX, y: window.scrollY };
    if (replace) history.replaceState(history.state ?? offset, "", url);
    else history.pushState(offset, "", url);
  }

  /** Tell the core the real seconds since the last sync, plus `extra` (fast-forward);
   * the fraction of a second left over carries on. The reply, `{same: true}` when
   * there was nothing to tell, or null (the worker is gone, or the phase moved on). */
  async advance(extra = 0) {
    const real = Math.floor((Date.now() - this.syncedAt) / 1000);
    if (real + extra < 1) return { same: true };
    const reply = await this.request({ op: "tick", seconds: real + extra });
    if (!reply?.ok || this.phase !== "ready") return null;
    this.syncedAt += real * 1000;
    return reply;
  }

  /** Before an action: real seconds since the last state become simulated ones. */
  async sync() {
    const reply = await this.advance();
    if (reply && !reply.same) {
      this.state = reply.state;
      this.saved = reply.saved;
      this.remember(reply.state, reply.saved);
    }
    return reply !== null;
  }

  /** Time passes now: a countdown ended (`extra` 0) or the reader fast-forwards. */
  async tickNow(extra) {
    this.busy = true;
    try {
      const reply = await this.advance(extra);
      if (reply && !reply.same) this.accept(reply);
    } finally {
      this.busy = false;
    }
  }

  /** The reader's actions, one after another: a click while the last is on its way
   * is answered after it, never dropped. */
  act(action, value = null, options = {}) {
    const run = () => this.actNow(action, value, options);
    this.queue = (this.queue ?? Promise.resolve()).then(run, run);
    return this.queue;
  }

  async actNow(action, value, { usesField = false, edits = this.edits } = {}) {
    if (this.phase === "idle" && this.previewing) this.boot(); // a tap on the build's screen, on a phone
    if (this.phase === "loading" && this.previewing) return this.waitForCore(action, value, { usesField, edits });
    if (this.phase !== "ready") return;
    this.busy = true;
    try {
      if (!(await this.sync())) return;
      const reply = await this.request({ op: "act", action, value });
      if (this.phase !== "ready" || !reply) return;
      if (!reply.ok) {
        // Refused (too long, say): said on the screen; what was typed stays.
        const said = [{ level: "error", text: reply.error.message, code: reply.error.code, field: null }];
        this.draw({ ...this.state, messages: said }, { stepChanged: false });
        this.live.textContent = reply.error.message;
        return;
      }
      if (action === "restart") this.forget();
      else if (usesField || reply.state.step !== this.state?.step)
        this.takeDrafts(reply.state, usesField ? value : null, edits);
      this.store.dirty = action !== "restart";
      this.accept(reply, { push: true, focus: true });
    } finally {
      this.busy = false;
    }
  }

  /** A click on the build-time first screen: said to wait, answered once the core is up. */
  async waitForCore(action, value, options) {
    const on = this.previewed?.step; // pressed on this step's screen: for it only
    // Said next to the buttons pressed (the progress bar may be out of view on a phone).
    this.app.querySelector(".sim__buttons")?.after(this.waitNote);
    this.waitNote.hidden = false;
    this.app.setAttribute("aria-busy", "true");
    this.live.textContent = T.wait_live;
    await this.settled();
    if (this.phase === "ready" && this.state?.step === on) return this.actNow(action, value, options);
  }

  /** Resolves once the phase is past `loading` (ready, failed, or the widget gone). */
  settled() {
    return this.phase === "loading" ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve();
  }

  fastForward(seconds) {
    if (this.phase === "ready" && !this.busy) return this.tickNow(seconds);
  }

  /** A countdown reached zero: let the core say what that changes. */
  timeIsUp() {
    if (this.phase !== "ready") return;
    // An action is on its way: its state brings the new countdowns. Look again soon.
    if (this.busy) this.timer = setTimeout(() => this.scheduleClock(), 250);
    else return this.tickNow(0);
  }

  // -- countdowns ------------------------------------------------------------

  /** Redraw every countdown each second; at zero, ask the core. */
  scheduleClock() {
    clearTimeout(this.timer);
    if (this.phase !== "ready" || !this.root.isConnected) return;
    const boxes = this.app.querySelectorAll("[data-seconds]");
    if (!boxes.length) return;
    const elapsed = (Date.now() - this.syncedAt) / 1000;
    let ended = false;
    for (const el of boxes) {
      const left = Number(el.dataset.seconds) - elapsed;
      if (left <= 0) ended = true;
      el.textContent = fill(el.dataset.template, { time: clockDigits(left) });
    }
    if (ended) return this.timeIsUp();
    // The next redraw when the shown second changes.
    const wait = 1000 - ((Date.now() - this.syncedAt) % 1000) + 5;
    this.timer = setTimeout(() => this.scheduleClock(), wait);
  }

  countdown(spec, tag = "span") {
    const el = h(tag, { dataset: { seconds: spec.seconds, template: spec.template } });
    el.textContent = fill(spec.template, { time: clockDigits(spec.seconds - (Date.now() - this.syncedAt) / 1000) });
    return el;
  }

  // -- rendering -------------------------------------------------------------

  /** Draw a state; `notice`: messages of the widget's own (a refused restore) shown first. */
  draw(state, { notice = [], stepChanged = true, preview = false } = {}) {
    const keep = stepChanged ? null : this.captureFocus();
    // The core never holds a password: what is typed (shown or hidden) survives a redraw.
    const typed = this.fieldInput && !stepChanged && this.fieldInput.name === "password" ? this.fieldInput.value : null;
    this.revealed = !stepChanged && this.revealed;
    const asking = this.app.querySelector(".sim__confirm"); // a question stays until answered
    this.messages = state.messages || [];
    this.notices = [...notice, ...(state.notices || [])];
    this.app.replaceChildren(
      this.renderBar(state, preview),
      h(
        "div.sim__grid",
        {},
        h(
          "div.sim__main",
          {},
          this.renderPhone(state, typed),
          // About the simulator, not the shop: below its screen, out of the way of the step's controls.
          this.notices.length
            ? h(
                "div.sim__notices",
                {},
                this.notices.map((m) => h(`p.sim__msg.sim__msg--${m.level || "info"}`, {}, m.text)),
              )
            : null,
        ),
        h("div.sim__side", {}, this.renderInbox(state), this.renderDevice(state), this.renderClock(state)),
      ),
    );
    if (asking) this.app.prepend(asking);
    if (keep) this.restoreFocus(keep);
  }

  renderBar(s, preview) {
    const back = s.actions.includes("back")
      ? h("button.md-button.sim__nav", { type: "button", on: { click: () => this.act("back") } }, T.back)
      : null;
    const restart =
      s.actions.includes("restart") && !preview
        ? h("button.md-button.sim__nav", { type: "button", on: { click: () => this.act("restart") } }, T.restart)
        : null;
    return h(
      "div.sim__bar",
      {},
      h("p.sim__where", {}, h("strong", {}, s.where), " · ", s.title),
      h("progress.sim__steps", { max: s.total, value: s.number ?? 0, "aria-label": T.steps_progress }),
      back || restart ? h("div.sim__navs", {}, back, restart) : null,
    );
  }

  renderPhone(s, typed) {
    const sc = s.screen || {};
    this.heading = h("h3.sim__heading", { tabindex: "-1" }, sc.heading || s.title);
    const parts = [h("p.sim__app-name", { "aria-hidden": "true" }, T.app_name), this.heading];
    for (const t of sc.text || []) parts.push(h("p", {}, unbroken(t)));
    for (const c of sc.countdowns || []) parts.push(this.countdown(c, "p"));
    if (sc.list?.length)
      parts.push(
        h(
          "ul.sim__list",
          {},
          sc.list.map((t) => h("li", {}, t)),
        ),
      );
    const boxed = this.messages.filter((m) => !(m.field && sc.field?.name === m.field));
    parts.push(
      h(
        "div.sim__messages",
        {},
        boxed.map((m) => h(`p.sim__msg.sim__msg--${m.level || "info"}`, {}, unbroken(m.text))),
      ),
    );

    const form = h("form.sim__form", { novalidate: true });
    this.fieldInput = null;
    if (sc.aside === "device" && s.device?.latest) form.append(this.renderLatest(s.device.latest));
    if (sc.aside === "letter" && s.inbox?.length) form.append(this.renderLetter(s, s.inbox[s.inbox.length - 1], true));
    if (sc.field) form.append(this.renderField(sc.field, typed));
    const buttons = h("div.sim__buttons");
    for (const b of sc.buttons || []) {
      const allowed = s.actions.includes(b.action) && !b.countdown;
      const cls = b.kind === "primary" ? "md-button.md-button--primary" : b.kind === "link" ? "sim__link" : "md-button";
      const btn = h(`button.${cls}`, {
        type: b.kind === "primary" && b.uses_field ? "submit" : "button",
        disabled: !allowed,
        dataset: { action: b.action, key: `action:${b.action}` },
      });
      if (b.countdown) btn.append(this.countdown(b.countdown));
      else btn.textContent = b.label;
      if (!(b.kind === "primary" && b.uses_field)) btn.addEventListener("click", () => this.press(b));
      buttons.append(btn);
    }
    const primary = (sc.buttons || []).find((b) => b.kind === "primary" && b.uses_field);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (primary && s.actions.includes(primary.action)) this.press(primary);
    });
    form.append(buttons);
    parts.push(form, ...(sc.hints || []).map((t) => h("p.sim__hint", {}, unbroken(t))), this.renderJumps(s));
    this.screenBox = h("section.sim__phone", { "aria-label": T.screen_region }, h("div.sim__screen", {}, parts));
    return this.screenBox;
  }

  /** The newest SMS or call, beside the code field (shown where the phone panel is out of sight). */
  renderLatest(item) {
    return latest(T.latest_label, item.meta, h("p", {}, item.text));
  }

  /** A letter of the inbox; `brief`: its subject and link only, beside the screen's buttons. */
  renderLetter(s, l, brief = false) {
    const link = h(
      "button.md-button.sim__mail-link",
      {
        type: "button",
        disabled: !s.actions.includes(l.link.action),
        dataset: { key: `link:${l.id}${brief ? ":brief" : ""}` },
        on: { click: () => this.act(l.link.action, l.link.value) },
      },
      l.link.label,
    );
    const status = l.link.status_text ? h("p.sim__mail-status", {}, l.link.status_text) : null;
    if (brief) return latest(T.latest_letter, l.meta, h("p.sim__subject", {}, l.subject), link, status);
    return h(
      "article.sim__mail",
      {},
      h("p.sim__meta", {}, l.meta),
      h("p.sim__subject", {}, l.subject),
      (l.body || []).map((t) => h("p", {}, t)),
      link,
      status,
    );
  }

  /** On narrow screens the mailbox and phone sit below: buttons that scroll to them.
   * Not fragment links: a fragment would be a history entry of its own. */
  renderJumps(s) {
    const letters = (s.inbox || []).length;
    const texts = (s.device?.sms || []).length + (s.device?.call ? 1 : 0);
    const jump = (label, n, target) =>
      h(
        "button.sim__link.sim__jump",
        { type: "button", on: { click: () => this.app.querySelector(target)?.scrollIntoView({ block: "start" }) } },
        n ? fill(T.jump_count, { label, n }) : label,
      );
    return h(
      "p.sim__jumps",
      {},
      jump(T.jump_inbox, letters, ".sim__inbox"),
      jump(T.jump_device, texts, ".sim__device"),
    );
  }

  renderField(f, typed) {
    const id = `sim-field-${this.mode}`;
    const hintId = `${id}-hint`;
    const draft = f.type === "password" ? "" : (this.store.drafts?.[f.name] ?? "");
    const value = typed ?? (draft || f.value || "");
    const input = h("input.sim__input", {
      id,
      name: f.name,
      type: f.type || "text",
      inputmode: f.inputmode || null,
      autocomplete: f.autocomplete || "off",
      placeholder: f.placeholder || null,
      spellcheck: "false",
      autocapitalize: "off",
      "aria-describedby": hintId,
      dataset: { key: `field:${f.name}` },
    });
    input.value = value;
    this.fieldInput = input;
    this.feedback = h("div.sim__feedback", { id: hintId, "aria-live": "polite" });
    input.addEventListener("input", () => this.onType(f.name, input));
    const wrap = h("div.sim__field", {}, h("label.sim__label", { for: id }, f.label), input);
    if (f.type === "password") {
      const toggle = h("button.sim__reveal", { type: "button", dataset: { key: "reveal" } });
      const show = (shown) => {
        this.revealed = shown;
        input.type = shown ? "text" : "password";
        toggle.textContent = shown ? T.reveal_hide : T.reveal_show;
        toggle.setAttribute("aria-pressed", String(shown));
      };
      show(Boolean(this.revealed));
      toggle.addEventListener("click", () => show(input.type !== "text"));
      wrap.append(toggle);
    }
    wrap.append(this.feedback);
    // The core's message about this field stands under it, in place of the live check.
    const said = this.messages.filter((m) => m.field === f.name);
    if (said.length) {
      input.setAttribute("aria-invalid", String(said.some((m) => m.level === "error")));
      this.feedback.append(...said.map((m) => h(`p.sim__msg.sim__msg--${m.level || "info"}.sim__said`, {}, m.text)));
    } else if (value) queueMicrotask(() => this.onType(f.name, input, false)); // a check, not an edit
    return wrap;
  }

  /** Say the results of the last action through the live region. */
  announce(stepChanged) {
    const s = this.state;
    const said = [...this.notices, ...(s.messages || [])].map((m) => m.text).join(" ");
    this.live.textContent = stepChanged ? `${s.where}: ${s.title}. ${said}`.trim() : said;
  }

  renderInbox(s) {
    const letters = s.inbox || [];
    const body = letters.length
      ? letters
          .slice()
          .reverse()
          .map((l) => this.renderLetter(s, l))
      : [h("p.sim__empty", {}, T.inbox_empty)];
    return h("section.sim__panel.sim__inbox", { "aria-label": T.inbox_region }, h("h4", {}, T.inbox_region), body);
  }

  renderDevice(s) {
    const d = s.device || {};
    const items = [];
    if (d.call) items.push(h("article.sim__call", {}, h("p.sim__meta", {}, d.call.meta), h("p", {}, d.call.text)));
    for (const m of (d.sms || []).slice().reverse()) {
      items.push(h("article.sim__sms", {}, h("p.sim__meta", {}, m.meta), h("p", {}, m.text)));
    }
    if (!items.length) items.push(h("p.sim__empty", {}, T.device_empty));
    return h("section.sim__panel.sim__device", { "aria-label": T.device_region }, h("h4", {}, T.device_heading), items);
  }

  renderClock(s) {
    const timers = (s.timers || []).map((t) => this.countdown(t, "li"));
    return h(
      "section.sim__panel.sim__clock",
      { "aria-label": T.clock_region },
      h("h4", {}, T.clock_region),
      timers.length ? h("ul.sim__timers", {}, timers) : h("p.sim__empty", {}, T.timers_none),
      h(
        "div.sim__ticks-box",
        { role: "group", "aria-labelledby": `sim-ticks-${this.mode}` },
        h("p.sim__ticks-label", { id: `sim-ticks-${this.mode}` }, h("strong", {}, T.ticks_label)),
        h("p.sim__ticks-hint", {}, T.ticks_hint),
        h(
          "div.sim__ticks",
          {},
          (TEXTS?.ticks ?? []).map(([sec, label]) =>
            h(
              "button.md-button.sim__tick",
              { type: "button", dataset: { key: `tick:${sec}` }, on: { click: () => this.fastForward(sec) } },
              label,
            ),
          ),
        ),
      ),
    );
  }

  captureFocus() {
    const a = /** @type {HTMLInputElement | null} */ (document.activeElement);
    if (!a || !this.app.contains(a)) return null;
    return { key: a.dataset?.key, start: a.selectionStart, end: a.selectionEnd };
  }

  restoreFocus(keep) {
    if (!keep.key) return;
    const el = this.app.querySelector(`[data-key="${CSS.escape(keep.key)}"]`);
    if (!el || el.disabled) return;
    el.focus({ preventScroll: true });
    if (keep.start !== undefined && keep.start !== null && el.setSelectionRange) {
      try {
        el.setSelectionRange(keep.start, keep.end);
      } catch {
        /* not a text input */
      }
    }
  }

  // -- reader's input --------------------------------------------------------

  press(button) {
    const value = button.uses_field && this.fieldInput ? this.fieldInput.value : null;
    this.act(button.action, value, { usesField: button.uses_field, edits: this.edits });
  }

  /** After an action the core's field value is the truth (it clears a wrong code,
   * keeps a refused address): drafts typed before it are dropped. `edits`: how many
   * edits the fields had had when the action was sent. */
  takeDrafts(state, submitted = null, edits = this.edits) {
    const f = state.screen?.field;
    const typed = f ? this.store.drafts?.[f.name] : undefined;
    // Typed again while the reply was on its way, even the very same code: that stays.
    const keep =
      f && submitted !== null && typed !== undefined && this.edits !== edits && state.step === this.state?.step;
    this.store.drafts = f && f.type !== "password" ? { [f.name]: keep ? typed : f.value || "" } : {};
    saveStore(this.store);
  }

  setDraft(name, value) {
    this.store.drafts = { ...(this.store.drafts || {}), [name]: value };
    saveStore(this.store);
  }

  /** A live check of what is typed; one in flight per field, the latest value next.
   * `edited`: the reader changed the field (not a redraw re-checking what is there). */
  async onType(name, input, edited = true) {
    if (edited) this.edits += 1;
    if (name !== "password") this.setDraft(name, input.value);
    if (this.phase === "idle" && this.previewing && edited) this.boot(); // typed on the build's screen, on a phone
    if (this.phase === "loading" && this.previewing && edited) {
      // Checked once the core is up (renderField asks again for what the field holds).
      this.feedback.replaceChildren(h("p.sim__wait-note", {}, T.check_wait));
      return;
    }
    if (this.phase !== "ready") return;
    const slot = (this.checks[name] ??= { busy: false, again: false });
    if (slot.busy) {
      slot.again = true;
      return;
    }
    slot.busy = true;
    try {
      do {
        slot.again = false;
        const reply = await this.request({ op: "check", field: name, value: input.value });
        if (!reply || !input.isConnected) return;
        if (slot.again) continue;
        if (reply.ok) this.showVerdict(name, input, reply.verdict);
        else this.showRefusal(input, reply.error);
      } while (slot.again);
    } finally {
      slot.busy = false;
    }
  }

  /** A refused check (too long, say): its reason replaces any earlier verdict. */
  showRefusal(input, error) {
    this.feedback.replaceChildren(h("p.sim__verdict.sim__verdict--bad", {}, error.message));
    input.setAttribute("aria-invalid", "true");
  }

  showVerdict(name, input, v) {
    const box = this.feedback;
    box.replaceChildren();
    input.removeAttribute("aria-invalid");
    if (name === "phone" && v.display !== undefined && v.display !== null) {
      // As-you-type formatting: only when the caret is at the end, so editing inside is not
      // disturbed, and not right after a space, which the formatted number would drop (the
      // reader may be typing «доб. 1» next; the next digit formats it).
      const atEnd = input.selectionStart === input.value.length;
      if (atEnd && v.display !== input.value && input.value.trim() && !/\s$/.test(input.value)) {
        input.value = v.display;
        input.setSelectionRange(v.display.length, v.display.length);
      }
    }
    if (!input.value) return;
    const level = v.ok && !v.suggestion ? "ok" : v.ok || v.complete === false ? "hint" : "bad";
    if (v.message) box.append(h(`p.sim__verdict.sim__verdict--${level}`, {}, v.message));
    if (name === "email" && v.suggestion) {
      // A likely typo of a common domain: offered, never forced (the address stays valid).
      const fix = h("button.sim__link.sim__fix", { type: "button" }, fill(T.email_fix, { address: v.suggestion }));
      fix.addEventListener("click", () => {
        input.value = v.suggestion;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.focus();
      });
      box.append(fix);
    }
    if (name === "password" && typeof v.score === "number") {
      box.append(
        h(
          "div.sim__meter-row",
          {},
          h("meter.sim__meter", {
            min: 0,
            max: 4,
            low: 2,
            high: 3,
            optimum: 4,
            value: v.score,
            "aria-label": T.meter_label,
          }),
          h("span", {}, v.strength),
        ),
      );
      if (v.crack_time) box.append(h("p.sim__crack", {}, fill(T.crack_time, { time: v.crack_time })));
      const tips = (v.feedback || []).filter((t) => !(v.message || "").includes(t)); // not said twice
      if (tips.length)
        box.append(
          h(
            "ul.sim__tips",
            {},
            tips.map((t) => h("li", {}, t)),
          ),
        );
      if (v.checklist?.length) {
        box.append(
          h(
            "ul.sim__checklist",
            { "aria-label": T.checklist_label },
            v.checklist.map((c) => h(`li.${c.ok ? "is-ok" : "is-missing"}`, {}, `${c.ok ? "✓" : "○"} ${c.label}`)),
          ),
        );
      }
    }
  }

  // -- from outside: history, «Попробовать этот шаг» ---------------------------

  /** Back or Forward to another ?step=: that step's session as the reader left it,
   * else the step opened afresh. The same step (a fragment, a scroll) changes nothing. */
  async onHistory() {
    const step = stepFromUrl();
    // Before the core is up, open() reads the address itself; the screen on show
    // meanwhile is the build's screen of that step, or none.
    if ((this.phase === "loading" || this.phase === "idle") && this.previewing) {
      const first = entry(FIRST_SCREENS, step ?? "");
      if (first?.step !== this.previewed?.step) this.preview(first, this.phase);
      return;
    }
    if (this.phase !== "ready" || !step) return;
    // Back and Forward pressed faster than the core answers: only the newest is shown.
    // An older reply drawn late would write its step onto the entry the reader is on now.
    const turn = ++this.historyTurn;
    // The same step changes nothing, unless an earlier turn is still on its way: then
    // this one asks too, so the core ends on the step the address names.
    if (step === this.state?.step && !this.historyPending) return scrollBack();
    this.historyPending += 1;
    try {
      const saved = this.store.steps?.[step];
      let reply = saved ? await this.request({ op: "restore", saved }) : null;
      const notice = reply && !reply.ok ? [reply.error] : [];
      if (!reply?.ok) reply = await this.start(step);
      if (!reply?.ok || this.phase !== "ready" || turn !== this.historyTurn) return;
      this.accept(reply, { notice: notice.map(asNotice), replaceUrl: true, landing: true, fresh: true });
    } finally {
      this.historyPending -= 1;
    }
  }

  /** Until the core is up: the build's screen of a step (`first`, a state), its countdowns
   * at their start (they run once the core is up); or, with none, the progress alone.
   * `phase` "idle": on a phone, before the reader launches it, under the launch box, which
   * says the step. */
  preview(first, phase = "loading") {
    // Launched from the same build-time screen (a phone's): it stays as it is, with what was typed.
    const same = this.previewing && first && this.previewed?.step === first.step;
    this.previewed = first ?? null;
    this.previewing = Boolean(first);
    if (phase === "idle") {
      const info = first && stepFromUrl() ? entry(TEXTS?.steps, first.step) : null;
      this.launchStep.hidden = !info;
      this.launchStep.textContent = info ? fill(T.launch_step, info) : "";
    }
    this.to(phase);
    const landing = phase === "loading";
    // Launched from the box above it: the screen comes into view, unless the reader is on it.
    if (same && landing && !this.app.contains(document.activeElement)) this.land(first);
    if (!first || same) return;
    this.syncedAt = Date.now();
    this.draw(first, { preview: true });
    if (landing) this.land(first);
  }

  /** «Попробовать этот шаг» in the dock: asks first when the reader is mid-flow. */
  async goTo(step) {
    if (this.phase === "idle" || this.phase === "loading" || this.phase === "error") {
      this.pendingStep = step;
      if (this.phase === "loading" && this.previewing) this.preview(null);
      return this.boot();
    }
    if (this.phase !== "ready" || this.state?.step === step) return;
    if (this.store.dirty && !(await this.confirmSwitch(step))) return;
    const reply = await this.start(step);
    if (reply?.ok && this.phase === "ready") this.accept(reply, { focus: true, fresh: true });
  }

  /** «Перейти к шагу …?» inside the widget; resolves true or false. */
  confirmSwitch(step) {
    const info = entry(TEXTS?.steps, step) ?? { title: step };
    return new Promise((resolve) => {
      const done = (yes) => {
        box.remove();
        resolve(yes);
      };
      const yes = h(
        "button.md-button.md-button--primary",
        { type: "button", on: { click: () => done(true) } },
        T.switch_yes,
      );
      const no = h("button.md-button", { type: "button", on: { click: () => done(false) } }, T.switch_no);
      const box = h(
        "div.sim__confirm",
        { role: "alertdialog", "aria-label": T.switch_yes },
        h("p", {}, fill(T.switch_question, { title: info.title, where: this.state.where })),
        h("div.sim__navs", {}, yes, no),
      );
      this.app.querySelector(".sim__confirm")?.remove();
      this.app.prepend(box);
      yes.focus();
    });
  }

  destroy() {
    this.dead = true;
    this.to("dead"); // every handler checks the phase: a late reply or timer does nothing
    clearTimeout(this.timer);
    document.removeEventListener("visibilitychange", this.onVisible);
    this.unsubscribe?.();
    this.unwatch?.();
  }
}

// ---------------------------------------------------------------- guide integration

function highlightGuide(step) {
  for (const el of document.querySelectorAll(".sim-current")) el.classList.remove("sim-current");
  const heading = document.getElementById(`step-${step}`);
  if (heading) {
    heading.classList.add("sim-current");
    heading.dataset.simLabel = T.guide_current ?? "";
  }
}

// «Попробовать этот шаг» drives the docked simulator on wide screens. Caught in the
// capture phase on window, before Material's instant navigation follows the link;
// on phones the link simply opens /simulator/?step=….
window.addEventListener(
  "click",
  (e) => {
    const link = e.target instanceof Element ? e.target.closest("a.try-step[data-sim-step]") : null;
    if (!(link instanceof HTMLElement)) return;
    if (!link || current?.mode !== "guide" || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    current.goTo(link.dataset.simStep);
    current.root.scrollIntoView({ block: "nearest" });
  },
  true,
);

// ---------------------------------------------------------------- mounting

let current = null;

function mount() {
  current?.destroy();
  current = null;
  const root = /** @type {HTMLElement | null} */ (document.querySelector("[data-simulator]"));
  if (!root) return;
  const mode = root.dataset.simulator === "guide" ? "guide" : "page";
  if (mode === "guide" && !window.matchMedia(WIDE).matches) return;
  current = new SimulatorWidget(root, mode);
  if (mode === "guide") current.root.addEventListener("simulator:step", (e) => highlightGuide(e.detail.step));
  current.watch();
}

// The dock comes and goes with the window's width.
window.matchMedia(WIDE).addEventListener("change", () => {
  if (document.querySelector('[data-simulator="guide"]')) mount();
});

// Back and Forward between steps on /simulator/ (a fragment's popstate is ignored there):
// the page's popstate listener (docs/overrides/main.html), which runs before Material's,
// asks here; true keeps the entry from instant navigation, which would load the page again.
// Only while Material is on this page: after a link was tapped and before the next page
// is in (its location$ names that page), Back is Material's, to cancel the link.
let materialPath = location.pathname;
window[Symbol.for("ozon-recovery-guide.simulator.history")] = () => {
  const here = current?.mode === "page" && location.pathname === current.path && materialPath === current.path;
  if (!here || !stepFromUrl()) return false;
  current.onHistory();
  return true;
};

/** Whether the parser is past `el`: a node follows it in the tree, so its content is whole. */
function parsed(el) {
  for (let node = el; node; node = node.parentNode) if (node.nextSibling) return true;
  return document.readyState !== "loading";
}

// On /simulator/ this module runs from an async tag right after the content
// (docs/overrides/main.html), often before Material's bundle has arrived: a deep
// link's screen is drawn from the build's first screens at once, not after the
// bundle, its DOMContentLoaded work and document$ (on a phone, most of a second).
// Beside the guide the simulator is secondary and waits for document$ as before.
// Material's document$ replays the page it was loaded with: a root mounted already
// is not mounted twice.
const early = /** @type {HTMLElement | null} */ (document.querySelector('[data-simulator="page"]'));
if (early && parsed(early)) mount();

/** Run `next` once Material's bundle has run (its classic script runs before DOMContentLoaded). */
function withMaterial(next) {
  if (typeof document$ !== "undefined") next();
  else document.addEventListener("DOMContentLoaded", next, { once: true });
}

withMaterial(() => {
  location$.subscribe((url) => (materialPath = url.pathname));
  // Material emits document$ inside its own DOMContentLoaded work: mount in a task
  // of our own, so the two never add up to one long task (bench/: > 50 ms).
  document$.subscribe(() =>
    setTimeout(() => {
      const root = document.querySelector("[data-simulator]");
      if (!root || root !== current?.root) mount();
    }, 0),
  );
});
