// The simulator widget: a generic renderer of recovery_core's `state`.
//
// All logic and all Russian screen text come from recovery_core (Python, in
// Pyodide, in a Web Worker, through bridge.js). This file only draws what the
// state says, sends the reader's clicks and keystrokes back, keeps the address
// bar in step (?step=<id> on /simulator/), and remembers what the reader typed
// (never passwords) so a reload keeps their place.
//
// Everything the reader types is shown with textContent, never innerHTML.
/* global document$ */

import { getSimulator } from "./bridge.js";

const STORE_KEY = "recovery-simulator:v1";
const TICKS = [
  [60, "+1 мин"],
  [300, "+5 мин"],
  [3600, "+1 ч"],
  [86400, "+24 ч"],
];
const WIDE = "(min-width: 76.25em)";
// recovery_core's first screen, as the build computed it (demo/build.py): shown while
// Python loads, so the reader can read step 1 at once; null in the unbuilt source.
const FIRST_SCREEN = null;

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

/** «4:05» from seconds. */
function mmss(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return hours ? `${hours}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

function loadStore() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE_KEY)) || {};
  } catch {
    return {};
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

function megabytes(bytes) {
  // Not toLocaleString: its first call costs a 40–50 ms long task (bench/).
  return (bytes / 1048576).toFixed(1).replace(".", ",");
}

// ---------------------------------------------------------------- the widget

class SimulatorWidget {
  constructor(root, mode) {
    this.root = root;
    this.mode = mode; // "page" (/simulator/) or "guide" (docked next to the guide)
    this.sim = getSimulator();
    this.state = null;
    this.messages = [];
    this.store = loadStore();
    this.seq = 0; // live-check sequence: stale verdicts are dropped
    this.timer = null;
    this.busy = false;
    this.nav = 0; // bumped by every start/act: a reply for an older one is dropped
    this.dead = false;
    this.previewing = false; // showing FIRST_SCREEN while the core loads
    this.build();
  }

  // -- skeleton -----------------------------------------------------------

  build() {
    this.root.replaceChildren();
    // md-typeset: Material's button and text styles, also in the sidebar dock.
    this.root.classList.add("sim", "md-typeset");
    this.loader = h(
      "div.sim__loader",
      {},
      h("p.sim__loader-title", {}, "Тренажёр работает прямо в браузере: сначала загрузится среда Python (около 13 МБ, один раз)."),
      (this.launch = h("button.md-button.md-button--primary.sim__launch", { type: "button" }, "Запустить тренажёр")),
      (this.progressWrap = h(
        "div.sim__progress-wrap",
        { hidden: true },
        (this.progressBar = h("progress.sim__progressbar", { max: 100, "aria-label": "Загрузка тренажёра" })),
        (this.progressText = h("p.sim__progress-text", { role: "status", "aria-live": "polite" }, "Подготовка…")),
        (this.waitNote = h("p.sim__wait-note", { hidden: true }, "Шаг откроется, как только тренажёр загрузится.")),
      )),
    );
    this.error = h("div.sim__error", { hidden: true, role: "alert" });
    this.app = h("div.sim__app", { hidden: true });
    // One live region that outlives re-renders, so screen readers hear each result.
    this.live = h("div.visually-hidden.sim__live", { role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this.root.append(this.live, this.loader, this.error, this.app);
    this.launch.addEventListener("click", () => {
      this.autoStarted = true;
      this.boot();
    });
  }

  /** Start loading when the widget comes into view, or on intent (pointer, focus);
   * at once when the simulator is already loading (the page's head started it). */
  watch() {
    if (this.sim.state === "loading" || this.sim.state === "ready") {
      this.autoStarted = true;
      this.boot();
      return;
    }
    const auto = () => {
      if (this.autoStarted) return;
      this.autoStarted = true;
      io.disconnect();
      // A failure earlier in this tab is shown as it is; only «Повторить» tries again.
      if (this.sim.state === "error") this.showError(this.sim.error);
      else this.boot();
    };
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) auto();
    });
    io.observe(this.root);
    this.root.addEventListener("pointerenter", auto, { once: true });
    this.root.addEventListener("focusin", auto, { once: true });
  }

  async boot(step) {
    if (step) this.pendingStep = step;
    if (this.booting) return this.booting;
    this.launch.hidden = true;
    this.progressWrap.hidden = false;
    this.error.hidden = true;
    this.unsubscribe?.();
    this.unsubscribe = this.sim.onProgress((p) => this.showProgress(p));
    this.booting = (async () => {
      try {
        this.sim.start();
        this.preview();
        await this.sim.ready;
        // A crash after start-up (the bridge reports it) is shown at once, not on the next click.
        this.unwatchStatus?.();
        this.unwatchStatus = this.sim.onStatus(({ state, error }) => {
          if (state === "error" && this.state && !this.dead) this.lost(error);
        });
        await this.begin(this.pendingStep ?? this.initialStep(), { replaceUrl: true });
      } catch (err) {
        this.showError(err);
      }
    })();
    return this.booting;
  }

  /** While the core loads, show its first screen as the build computed it (only for
   * a reader with no step to return to): readable at once; a click waits for the core. */
  preview() {
    if (!FIRST_SCREEN || this.state || this.pendingStep || this.initialStep()) return;
    this.previewing = true;
    this.root.classList.add("sim--preview");
    this.app.hidden = false;
    this.show(FIRST_SCREEN, { preview: true });
  }

  /** The preview is over: the core answered (or failed). */
  endPreview() {
    this.previewing = false;
    this.root.classList.remove("sim--preview");
    this.app.removeAttribute("aria-busy");
    this.waitNote.hidden = true;
  }

  /** A click on the preview: say it will be answered, wait for the core; false if it failed. */
  async untilCore() {
    if (!this.previewing) return true;
    this.waitNote.hidden = false;
    this.app.setAttribute("aria-busy", "true");
    this.live.textContent = "Тренажёр ещё загружается. Шаг откроется, как только он будет готов.";
    await this.booting;
    return !this.dead && !this.previewing && this.state !== null && this.app.hidden === false;
  }

  /** Bytes of the runtime and the wheels together (they download side by side, and
   * the wheels finish first), then the start-up steps. */
  showProgress(p) {
    this.progressBar.value = Math.round((p.fraction ?? 0) * 100);
    const { loaded = 0, total = 0 } = p.bytes ?? {};
    this.progressText.textContent =
      p.phase === "import"
        ? `${p.label || "Запуск тренажёра"}…`
        : total > 1e5
          ? `Загрузка тренажёра: ${megabytes(loaded)} из ${megabytes(total)} МБ`
          : "Загрузка тренажёра…";
  }

  showError(err) {
    this.endPreview();
    const message =
      (err && err.message && /[а-яё]/i.test(err.message) && err.message) ||
      "Не удалось запустить тренажёр. Проверьте соединение и нажмите «Повторить». Инструкция на сайте работает и без тренажёра.";
    this.booting = null;
    this.loader.hidden = true;
    this.app.hidden = true;
    const retry = h("button.md-button.md-button--primary", { type: "button" }, "Повторить");
    retry.addEventListener("click", async () => {
      this.error.hidden = true;
      this.loader.hidden = false;
      this.sim.retry();
      this.boot(this.state?.step);
    });
    this.error.replaceChildren(h("p", {}, message), retry);
    this.error.hidden = false;
  }

  /** The worker died mid-flow: say so, keep what the reader built, offer to go on. */
  lost(err) {
    if (this.dead || !this.state) return this.showError(err);
    const s = this.state;
    const where = s.number ? `с шага ${s.number} из ${s.total}` : "с того же места";
    this.app.hidden = true;
    this.loader.hidden = true;
    this.booting = null;
    const retry = h("button.md-button.md-button--primary", { type: "button" }, "Продолжить");
    retry.addEventListener("click", () => {
      this.error.hidden = true;
      this.loader.hidden = false;
      this.sim.retry();
      this.boot(s.step);
    });
    this.error.replaceChildren(
      h("p", {}, `Тренажёр перестал отвечать. Нажмите «Продолжить» — он перезапустится, и вы продолжите ${where}: введённые адрес и номер сохранены.`),
      retry,
    );
    this.error.hidden = false;
    this.live.textContent = "Тренажёр перестал отвечать.";
  }

  initialStep() {
    if (this.mode === "page") return stepFromUrl() || this.store.step || null;
    return this.store.step || null;
  }

  // -- talking to the core -------------------------------------------------

  async call(request) {
    let reply;
    try {
      reply = await this.sim.request(request);
    } catch (err) {
      this.lost(err);
      return null;
    }
    if (!reply.ok) {
      this.messages = [{ level: "error", text: reply.error?.message || "Что-то пошло не так.", code: reply.error?.code }];
      this.renderMessages();
      return null;
    }
    return reply;
  }

  /** Open the flow at a step. ``replaceUrl``: the address bar shows the step from the start. */
  async begin(step, { push = false, replaceUrl = false } = {}) {
    const nav = ++this.nav;
    if (this.store.seed === undefined) this.store.seed = crypto.getRandomValues(new Uint32Array(1))[0] % 1e9;
    const data = this.store.data || {};
    const reply = await this.call({ op: "start", step: step ?? null, seed: this.store.seed, data });
    if (!reply || nav !== this.nav || this.dead) return;
    this.loader.hidden = true;
    this.app.hidden = false;
    // The core's first screen is the preview itself: keep its DOM (and the reader's focus).
    const same = this.previewing && JSON.stringify(reply.state) === JSON.stringify(this.state);
    this.endPreview();
    if (same) {
      this.state = reply.state;
      this.remember(reply.state);
    } else this.show(reply.state, { push, focus: this.started });
    if (replaceUrl) this.pushStep(reply.state.step, { replace: true });
    this.started = true;
  }

  async act(action, value = null) {
    if (this.busy) return;
    this.busy = true;
    try {
      if (!(await this.untilCore())) return;
      const nav = ++this.nav;
      const reply = await this.call({ op: "act", action, value });
      if (reply && nav === this.nav && !this.dead) this.show(reply.state, { push: true, focus: true });
    } finally {
      this.busy = false;
    }
  }

  async tick(seconds, { quiet = false } = {}) {
    if (!(await this.untilCore())) return;
    const nav = this.nav;
    const reply = await this.call({ op: "tick", seconds });
    if (!reply || nav !== this.nav || this.dead) return;
    if (quiet && reply.state.step === this.state?.step && !reply.state.messages.length) this.patchTimers(reply.state);
    else this.show(reply.state, { push: true, focus: false, keepMessages: !reply.state.messages.length });
  }

  // -- rendering -----------------------------------------------------------

  /** Render a new state; push the step to the address bar if it changed. */
  show(state, { push = false, focus = false, keepMessages = false, preview = false } = {}) {
    const previous = this.state;
    const stepChanged = !previous || previous.step !== state.step;
    this.state = state;
    this.messages = keepMessages ? this.messages : state.messages || [];
    if (!preview) this.remember(state);
    this.render(stepChanged);
    if (!keepMessages) this.announce(stepChanged);
    if (stepChanged) {
      if (push) this.pushStep(state.step);
      if (focus) this.heading?.focus();
      this.root.dispatchEvent(new CustomEvent("simulator:step", { bubbles: true, detail: { step: state.step } }));
    }
    this.scheduleClock();
  }

  remember(state) {
    const d = state.data || {};
    this.store.step = state.step;
    this.store.data = { email: d.email ?? this.store.data?.email ?? null, phone: d.phone ?? this.store.data?.phone ?? null };
    saveStore(this.store);
  }

  /** Put the step in the address bar: a new history entry, or (replace) the current one. */
  pushStep(step, { replace = false } = {}) {
    if (this.mode !== "page") return;
    const url = new URL(window.location.href);
    if (url.searchParams.get("step") === step) return;
    url.searchParams.set("step", step);
    const state = { ...(history.state || {}), simulatorStep: step };
    if (replace) history.replaceState(state, "", url);
    else history.pushState(state, "", url);
  }

  render(stepChanged) {
    const s = this.state;
    const keep = stepChanged ? null : this.captureFocus();
    const field = this.fieldInput;
    const typed = field && !stepChanged ? { name: field.name, value: field.value } : null;

    this.app.replaceChildren(
      this.renderBar(s),
      h("div.sim__grid", {}, this.renderPhone(s, typed), h("div.sim__side", {}, this.renderInbox(s), this.renderDevice(s), this.renderClock(s))),
    );
    this.markField();
    if (keep) this.restoreFocus(keep);
  }

  renderBar(s) {
    const where = s.number ? `Шаг ${s.number} из ${s.total}` : "Отдельный случай: нет доступа к почте";
    const back = s.actions.includes("back")
      ? h("button.md-button.sim__nav", { type: "button", on: { click: () => this.act("back") } }, "← Назад")
      : null;
    const restart = h(
      "button.md-button.sim__nav",
      { type: "button", on: { click: () => this.restart() } },
      "Начать сначала",
    );
    return h(
      "div.sim__bar",
      {},
      h("p.sim__where", {}, h("strong", {}, where), " · ", s.title),
      h("progress.sim__steps", { max: s.total, value: s.number ?? 0, "aria-label": where }),
      h("div.sim__navs", {}, back, restart),
    );
  }

  renderPhone(s, typed) {
    const sc = s.screen || {};
    this.heading = h("h3.sim__heading", { tabindex: "-1" }, sc.heading || s.title);
    const parts = [h("p.sim__app-name", { "aria-hidden": "true" }, "Магазин · учебный экран"), this.heading];
    for (const t of sc.text || []) parts.push(h("p", {}, t));
    if (sc.list?.length) parts.push(h("ul.sim__list", {}, sc.list.map((t) => h("li", {}, t))));
    parts.push(this.renderMessages(true));

    const form = h("form.sim__form", { novalidate: true });
    this.fieldInput = null;
    if (sc.field) form.append(this.renderField(sc.field, typed));
    const buttons = h("div.sim__buttons");
    for (const b of sc.buttons || []) {
      const allowed = s.actions.includes(b.action);
      const cls = b.kind === "primary" ? "md-button.md-button--primary" : b.kind === "link" ? "sim__link" : "md-button";
      const btn = h(`button.${cls}`, {
        type: b.kind === "primary" && b.uses_field ? "submit" : "button",
        disabled: !allowed,
        dataset: { action: b.action, key: `action:${b.action}` },
      }, b.label);
      if (!(b.kind === "primary" && b.uses_field)) btn.addEventListener("click", () => this.press(b));
      buttons.append(btn);
    }
    const primary = (sc.buttons || []).find((b) => b.kind === "primary" && b.uses_field);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (primary && s.actions.includes(primary.action)) this.press(primary);
    });
    form.append(buttons);
    parts.push(form, this.renderJumps(s));
    return h("section.sim__phone", { "aria-label": "Экран магазина (учебный)" }, h("div.sim__screen", {}, parts));
  }

  /** On narrow screens the mailbox and phone sit below: links down to them, with counts. */
  renderJumps(s) {
    const letters = (s.inbox || []).length;
    const texts = (s.device?.sms || []).length + (s.device?.call ? 1 : 0);
    return h(
      "p.sim__jumps",
      {},
      h("a", { href: `#sim-inbox-${this.mode}` }, `↓ Почта${letters ? ` (${letters})` : ""}`),
      h("a", { href: `#sim-device-${this.mode}` }, `↓ Телефон${texts ? ` (${texts})` : ""}`),
    );
  }

  renderField(f, typed) {
    const id = `sim-field-${this.mode}`;
    const hintId = `${id}-hint`;
    const stored = f.name === "password" ? "" : (this.store.drafts?.[f.name] ?? "");
    const value = typed && typed.name === f.name ? typed.value : stored || f.value || "";
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
      const toggle = h("button.sim__reveal", { type: "button", "aria-pressed": "false", dataset: { key: "reveal" } }, "Показать");
      toggle.addEventListener("click", () => {
        const shown = input.type === "text";
        input.type = shown ? "password" : "text";
        toggle.textContent = shown ? "Показать" : "Скрыть";
        toggle.setAttribute("aria-pressed", String(!shown));
      });
      wrap.append(toggle);
    }
    wrap.append(this.feedback);
    if (value) queueMicrotask(() => this.onType(f.name, input));
    return wrap;
  }

  renderMessages(fresh = false) {
    if (fresh || !this.messageBox) this.messageBox = h("div.sim__messages");
    this.messageBox.replaceChildren(
      ...this.messages.map((m) => h(`p.sim__msg.sim__msg--${m.level || "info"}`, {}, m.text)),
    );
    this.markField();
    return this.messageBox;
  }

  /** Say the results of the last action through the live region. */
  announce(stepChanged) {
    const s = this.state;
    const where = s.number ? `Шаг ${s.number} из ${s.total}: ${s.title}.` : `${s.title}.`;
    const said = this.messages.map((m) => m.text).join(" ");
    this.live.textContent = stepChanged ? `${where} ${said}`.trim() : said;
  }

  /** The field is invalid while an error message about it is shown. */
  markField() {
    if (!this.fieldInput) return;
    if (this.messages.some((m) => m.level === "error")) this.fieldInput.setAttribute("aria-invalid", "true");
    else this.fieldInput.removeAttribute("aria-invalid");
  }

  renderInbox(s) {
    const letters = s.inbox || [];
    const body = letters.length
      ? letters
          .slice()
          .reverse()
          .map((l) => {
            const link = l.link
              ? h(
                  "button.md-button.sim__mail-link",
                  {
                    type: "button",
                    disabled: !s.actions.includes(l.link.action),
                    dataset: { key: `link:${l.id}` },
                    on: { click: () => this.act(l.link.action, l.link.value) },
                  },
                  l.link.label,
                )
              : null;
            const status = l.link && l.link.status !== "active"
              ? h("p.sim__mail-status", {}, { used: "Ссылка уже использована", expired: "Срок действия ссылки истёк", replaced: "Эта ссылка заменена новым письмом" }[l.link.status] || "")
              : null;
            return h(
              "article.sim__mail",
              {},
              h("p.sim__meta", {}, `${l.from} · ${l.time}`),
              h("p.sim__subject", {}, l.subject),
              (l.body || []).map((t) => h("p", {}, t)),
              link,
              status,
            );
          })
      : [h("p.sim__empty", {}, "Писем пока нет.")];
    return h("section.sim__panel.sim__inbox", { id: `sim-inbox-${this.mode}`, "aria-label": "Почта (учебная)" }, h("h4", {}, "Почта (учебная)"), body);
  }

  renderDevice(s) {
    const d = s.device || {};
    const items = [];
    if (d.call) {
      items.push(
        h(
          "article.sim__call",
          {},
          h("p.sim__meta", {}, `Входящий звонок · ${d.call.from} · ${d.call.time}`),
          h("p", {}, d.call.transcript),
        ),
      );
    }
    for (const m of (d.sms || []).slice().reverse()) {
      items.push(h("article.sim__sms", {}, h("p.sim__meta", {}, `SMS · ${m.from} · ${m.time}`), h("p", {}, m.text)));
    }
    if (!items.length) items.push(h("p.sim__empty", {}, "Сообщений и звонков пока нет."));
    return h("section.sim__panel.sim__device", { id: `sim-device-${this.mode}`, "aria-label": "Телефон (учебный)" }, h("h4", {}, "Телефон с новым номером (учебный)"), items);
  }

  renderClock(s) {
    this.timersBox = h("ul.sim__timers", {}, this.timerItems(s));
    return h(
      "section.sim__panel.sim__clock",
      { "aria-label": "Время в тренажёре" },
      h("h4", {}, "Время в тренажёре"),
      (this.clockText = h("p.sim__clock-now", {}, `Сейчас ${s.clock_text}`)),
      this.timersBox,
      h(
        "div.sim__ticks",
        { role: "group", "aria-label": "Перемотать время вперёд" },
        TICKS.map(([sec, label]) =>
          h("button.md-button.sim__tick", { type: "button", dataset: { key: `tick:${sec}` }, on: { click: () => this.tick(sec) } }, label),
        ),
      ),
    );
  }

  timerItems(s) {
    const t = s.timers || {};
    const labels = {
      link_expires_in: "Ссылка из письма действует ещё",
      letter_resend_in: "Письмо можно отправить повторно через",
      code_expires_in: "Код действует ещё",
      code_resend_in: "Новый код можно запросить через",
    };
    const out = [];
    for (const [k, label] of Object.entries(labels)) {
      if (t[k] !== null && t[k] !== undefined && t[k] > 0) out.push(h("li", {}, `${label} ${mmss(t[k])}`));
    }
    if (s.attempts_left !== null && s.attempts_left !== undefined) {
      out.push(h("li", {}, `Осталось попыток: ${s.attempts_left}`));
    }
    return out;
  }

  /** A quiet one-second tick: update the clock and timers, and re-enable buttons whose countdown ended. */
  patchTimers(state) {
    const enabledBefore = this.state.actions.join();
    this.state = { ...state, messages: this.messages };
    if (state.actions.join() !== enabledBefore) return this.render(false);
    this.clockText.textContent = `Сейчас ${state.clock_text}`;
    this.timersBox.replaceChildren(...this.timerItems(state));
  }

  /** Real time passes too: one simulated second a second while a countdown runs. */
  scheduleClock() {
    clearTimeout(this.timer);
    const t = this.state?.timers || {};
    const running = Object.values(t).some((v) => typeof v === "number" && v > 0 && v < 3600);
    if (!running || !this.root.isConnected) return;
    this.timer = setTimeout(() => {
      if (document.visibilityState === "visible" && !this.busy) this.tick(1, { quiet: true });
      else this.scheduleClock();
    }, 1000);
  }

  captureFocus() {
    const a = document.activeElement;
    if (!a || !this.app.contains(a)) return null;
    return { key: a.dataset?.key, start: a.selectionStart, end: a.selectionEnd };
  }

  restoreFocus(keep) {
    if (!keep.key) return;
    const el = this.app.querySelector(`[data-key="${CSS.escape(keep.key)}"]`);
    if (!el) return;
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
    this.act(button.action, value);
  }

  async restart() {
    this.store.data = {};
    this.store.drafts = {};
    saveStore(this.store);
    await this.act("restart");
  }

  async onType(name, input) {
    if (name !== "password") {
      this.store.drafts = { ...(this.store.drafts || {}), [name]: input.value };
      saveStore(this.store);
    }
    const seq = ++this.seq;
    let reply;
    try {
      reply = await this.sim.request({ op: "check", field: name, value: input.value });
    } catch {
      return; // the worker is gone: lost() already tells the reader
    }
    if (seq !== this.seq || !reply.ok || !input.isConnected) return;
    this.showVerdict(name, input, reply.verdict);
  }

  showVerdict(name, input, v) {
    const box = this.feedback;
    box.replaceChildren();
    if (name === "phone" && v.display !== undefined && v.display !== null) {
      // As-you-type formatting: only when the caret is at the end, so editing inside is not disturbed.
      const atEnd = input.selectionStart === input.value.length;
      if (atEnd && v.display !== input.value && input.value.trim()) {
        input.value = v.display;
        input.setSelectionRange(v.display.length, v.display.length);
      }
    }
    if (!input.value) return;
    const level = v.ok ? "ok" : v.complete === false ? "hint" : "bad";
    box.append(h(`p.sim__verdict.sim__verdict--${level}`, {}, v.message || (v.ok ? "Выглядит правильно" : "")));
    if (name === "password" && typeof v.score === "number") {
      // zxcvbn's 0–4; the core accepts 3 and up, and calls only 4 strong.
      const names = ["очень слабый", "слабый", "средний", "неплохой", "надёжный"];
      box.append(
        h(
          "div.sim__meter-row",
          {},
          h("meter.sim__meter", { min: 0, max: 4, low: 2, high: 3, optimum: 4, value: v.score, "aria-label": "Надёжность пароля" }),
          h("span", {}, `Пароль ${names[v.score]}`),
        ),
      );
      if (v.crack_time) box.append(h("p.sim__crack", {}, `Если базу паролей украдут, подбор займёт примерно: ${v.crack_time}`));
      const tips = (v.feedback || []).filter((t) => !(v.message || "").includes(t)); // not said twice
      if (tips.length) box.append(h("ul.sim__tips", {}, tips.map((t) => h("li", {}, t))));
      if (v.checklist?.length) {
        box.append(
          h(
            "ul.sim__checklist",
            { "aria-label": "Советы из инструкции" },
            v.checklist.map((c) => h(`li.${c.ok ? "is-ok" : "is-missing"}`, {}, `${c.ok ? "✓" : "○"} ${c.label}`)),
          ),
        );
      }
    }
  }

  /** Drive the simulator to a step (from «Попробовать этот шаг» or history). */
  async goTo(step) {
    if (!this.state || this.previewing) return this.boot(step);
    await this.begin(step, { push: true });
  }

  destroy() {
    this.dead = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.unwatchStatus?.();
  }
}

// ---------------------------------------------------------------- guide integration

function highlightGuide(step) {
  for (const el of document.querySelectorAll(".sim-current")) el.classList.remove("sim-current");
  const heading = document.getElementById(`step-${step}`);
  if (heading) heading.classList.add("sim-current");
}

function wireGuide(widget) {
  widget.root.addEventListener("simulator:step", (e) => highlightGuide(e.detail.step));
}

// «Попробовать этот шаг» drives the docked simulator on wide screens. Caught in the
// capture phase on window, before Material's instant navigation follows the link;
// on phones the link simply opens /simulator/?step=….
window.addEventListener(
  "click",
  (e) => {
    const link = e.target instanceof Element ? e.target.closest("a.try-step[data-sim-step]") : null;
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
  const root = document.querySelector("[data-simulator]");
  if (!root) return;
  const mode = root.dataset.simulator === "guide" ? "guide" : "page";
  if (mode === "guide" && !window.matchMedia(WIDE).matches) return;
  current = new SimulatorWidget(root, mode);
  if (mode === "guide") wireGuide(current);
  current.watch();
}

// Back and Forward between steps on /simulator/: the URL's ?step= is the truth.
// Material may also re-render the page for the same popstate and mount a new
// widget; begin() drops replies to older requests, so the last step wins.
window.addEventListener("popstate", () => {
  if (current?.mode !== "page") return;
  if (current.previewing) current.boot(stepFromUrl());
  else if (current.state || current.booting) current.begin(stepFromUrl());
});

// Material emits document$ inside its own DOMContentLoaded work: mount in a task
// of our own, so the two never add up to one long task (bench/: > 50 ms).
document$.subscribe(() => setTimeout(mount, 0));
