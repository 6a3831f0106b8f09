// Bench only: what /simulator/ runs in place of the site's worker when the bench's
// cookie asks for it (bench/server.py, BARE_COOKIE): plain loadPyodide() of the site's
// runtime, as bare.js does on a blank page, so that everything around it (the page,
// Material, the widget and its build-time screen, the probe) is the simulator's own.
// The ratio simulator / this is then what the simulator's boot adds, page for page.
// Once Python is up it answers the probe's phone `check` as a success and any other
// request (the widget's `start`) with an error, which the widget shows.
const RUNTIME = new URL("@bench:RUNTIME@", self.location.href).href;
const LOCKFILE = new URL("/_bench/pyodide-lock.json", self.location.href).href;

const booted = (async () => {
  const { loadPyodide } = await import(RUNTIME + "pyodide.mjs");
  return loadPyodide({ indexURL: RUNTIME, lockFileURL: LOCKFILE });
})();
booted.then(
  (pyodide) => self.postMessage({ type: "ready", timings: { bare: true, version: pyodide.version } }),
  (err) => self.postMessage({ type: "error", code: "start-failed", message: "bench", detail: String(err) }),
);

self.onmessage = async (event) => {
  const { id, request } = event.data ?? {};
  if (id === undefined || typeof request !== "string") return;
  await booted;
  const body = JSON.parse(request);
  const reply =
    body.op === "check"
      ? { id: body.id, ok: true, verdict: { ok: true } }
      : { id: body.id, ok: false, error: { code: "internal", message: "bench: a bare runtime" } };
  self.postMessage({ id, reply: JSON.stringify(reply) });
};
