// Bench only: injected by bench/run.py into every page of the site before its
// own scripts (Playwright's add_init_script). It measures in the page, on the
// performance.now() timeline (0 = navigation start), never by Playwright round
// trips, and keeps everything in window.__bench:
//
//   marks.heading        the simulator's first screen is in the DOM (a visible
//                        `.sim__app` holding a `.sim__heading`);
//   marks.painted        the next animation frame after that, plus one task;
//   marks.checked        the worker answered a `check` of a phone number sent
//                        through the page's own bridge at `marks.heading`;
//   marks.ready          max(painted, checked): "ready for input";
//   marks.spawn, worker  the page created the simulator's worker; its first line ran;
//   longtasks            every long task (>= 50 ms) of the main thread;
//   frames               every long animation frame (>= 50 ms), with the scripts in it;
//   steps                click on a simulator button -> next screen rendered;
//   keys                 key press in a simulator field -> live feedback updated.
//
// It tells the harness by console messages ("bench:ready", "bench:screen",
// "bench:error …"), so the harness needs no evaluation in the page (which would
// itself take main-thread time) until a measurement is over.
(() => {
  if (location.pathname.startsWith("/_bench/")) return;
  const bench = (window.__bench = { marks: {}, longtasks: [], frames: [], steps: [], keys: [], errors: [] });
  const now = () => performance.now();
  const signal = (text) => console.log(`bench:${text}`);
  const error = (text) => {
    bench.errors.push(text);
    signal(`error ${text}`);
  };

  /** Resolves after the next frame has been produced (rAF, then one more task). */
  const afterPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => resolve(now());
        ch.port2.postMessage(0);
      }),
    );

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch (err) {
    error(`longtask: ${err}`);
  }
  // Long animation frames (>= 50 ms) name the scripts that ran in them (each of 5 ms or
  // more, with its URL): what a long task is made of, page by page.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        bench.frames.push({
          start: e.startTime,
          duration: e.duration,
          blocking: e.blockingDuration,
          render: e.renderStart ? e.renderStart - e.startTime : null, // then style, layout, paint
          scripts: e.scripts.map((x) => ({
            url: x.sourceURL,
            invoker: x.invoker,
            start: x.startTime,
            duration: x.duration,
          })),
        });
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch (err) {
    error(`long-animation-frame: ${err}`);
  }

  // Messages to and from the worker: split a latency into its parts. `sent` keeps every
  // send (the first one after an input is the request it caused: a later one may be a
  // check queued behind a slow reply); `received`, the latest reply.
  const io = { sent: [], received: 0 };

  // When the page starts the simulator's worker (diagnostics: how long the page took to get there).
  const NativeWorker = window.Worker;
  if (NativeWorker) {
    window.Worker = class extends NativeWorker {
      constructor(url, options) {
        const simulator = String(url).includes("/assets/simulator/");
        if (simulator) bench.marks.spawn ??= now();
        super(url, options);
        this.simulator = simulator; // Material's search worker is left alone
        if (simulator) this.addEventListener("message", () => (io.received = now()));
      }

      postMessage(...args) {
        if (this.simulator) {
          io.sent.push(now());
          if (io.sent.length > 64) io.sent.splice(0, 32);
        }
        return super.postMessage(...args);
      }
    };
  }
  document.addEventListener("DOMContentLoaded", () => (bench.marks.dcl = now()));

  let sim = null; // the page's simulator, once its first screen is there

  const heading = () => document.querySelector("[data-simulator] .sim__app:not([hidden]) .sim__heading");

  async function onFirstScreen() {
    bench.marks.heading = now();
    const painted = afterPaint().then((t) => (bench.marks.painted = t));
    const checked = (async () => {
      const widget = document.querySelector('script[src*="assets/simulator/widget.js"]');
      const { getSimulator } = await import(new URL("bridge.js", widget.src).href);
      sim = getSimulator();
      const reply = await sim.request({ op: "check", field: "phone", value: "+7 912 345-67-89" });
      bench.marks.checked = now();
      if (!reply.ok || !reply.verdict.ok) error(`check: ${JSON.stringify(reply)}`);
      bench.timings = sim.timings;
      // The worker's first line, on this page's clock.
      if (sim.timings?.startedAt) bench.marks.worker = sim.timings.startedAt - performance.timeOrigin;
    })();
    try {
      await Promise.all([painted, checked]);
      bench.marks.ready = Math.max(bench.marks.painted, bench.marks.checked);
      signal(`ready ${bench.marks.ready} ${bench.marks.spawn ?? ""}`.trim());
    } catch (err) {
      error(`ready: ${err}`);
    }
  }

  // -- steps: a click on a button of the simulator -> a new screen (a new heading node)
  let pendingClick = null;
  addEventListener(
    "click",
    (e) => {
      const button = e.target instanceof Element && e.target.closest("[data-simulator] .sim__app button");
      if (!button || !e.isTrusted) return;
      pendingClick = { t0: e.timeStamp, heading: heading(), label: button.textContent.trim() };
    },
    true,
  );

  // -- keys: a key press in a simulator field -> its live feedback box updated
  let pendingKeys = [];
  addEventListener(
    "keydown",
    (e) => {
      const field = e.target instanceof Element && e.target.closest("[data-simulator] .sim__input");
      if (!field || !e.isTrusted || (e.key.length !== 1 && e.key !== "Backspace")) return;
      // warmed: the worker's background work was done (the one-time costs paid) by then.
      pendingKeys.push({ t0: e.timeStamp, field: field.name, warmed: Boolean(sim?.warmUp?.done) });
    },
    true,
  );

  /** Page before sending, worker (first request after t0 -> latest reply), page after
   * the reply (ms), when the messages fit in. */
  const split = (t0, dom) => {
    const sent = io.sent.find((t) => t >= t0);
    return sent !== undefined && io.received >= sent && io.received <= dom
      ? [sent - t0, io.received - sent, dom - io.received].map((x) => Math.round(x * 10) / 10)
      : null;
  };

  const observer = new MutationObserver((records) => {
    const h = heading();
    if (h && bench.marks.heading === undefined) onFirstScreen();
    if (pendingClick && h && h !== pendingClick.heading) {
      const click = pendingClick;
      pendingClick = null;
      const dom = now();
      const parts = split(click.t0, dom);
      afterPaint().then((t) => {
        bench.steps.push({ label: click.label, to: h.textContent, dom: dom - click.t0, painted: t - click.t0, parts });
        signal("screen");
      });
    }
    if (pendingKeys.length && records.some((r) => r.target instanceof Element && r.target.matches(".sim__feedback"))) {
      const keys = pendingKeys;
      pendingKeys = [];
      const dom = now();
      const parts = split(keys[0].t0, dom);
      afterPaint().then((t) => {
        for (const k of keys) {
          bench.keys.push({ field: k.field, warmed: k.warmed, dom: dom - k.t0, painted: t - k.t0, parts });
        }
        signal("feedback");
      });
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["hidden"] });
})();
