// The simulator's module Web Worker: boots Pyodide from this site's own files,
// loads our wheels by name from our lockfile, imports recovery_core.protocol and
// answers {id, request} with {id, reply}: plain JSON strings both ways, so no
// proxy ever crosses the boundary or needs freeing.
//
// Messages to the page:
//   {type: "progress", phase: "runtime"|"packages"|"import", loaded, total, label}
//     runtime/packages count bytes, import counts steps;
//   {type: "ready", timings}: ms since the worker started — downloaded (runtime
//     bytes in), wasmReady, runtime (Python up, wheels installed), import, total —
//     and bytes (everything fetched);
//   {type: "error", code, message, detail}: message is Russian, for the reader;
//   {id, reply}: the answer to a request.

const BASE = new URL("./", import.meta.url).href;
// The runtime's directory, relative to this file; demo/build.py writes the
// versioned one (runtime/<version>-<hash>/pyodide/) here when it copies this file.
const RUNTIME_DIR = "pyodide/";
const INDEX_URL = new URL(RUNTIME_DIR, BASE).href;
const MANIFEST_URL = new URL("simulator.json", BASE).href;

const MESSAGES = {
  "no-wasm":
    "Тренажёр не может запуститься: в этом браузере недоступна технология WebAssembly. " +
    "Обновите браузер или откройте страницу в другом. Инструкция работает и без тренажёра.",
  "load-failed":
    "Не удалось загрузить файлы тренажёра. Проверьте соединение и нажмите «Повторить».",
  "start-failed":
    "Тренажёр не запустился. Нажмите «Повторить»; если не поможет, обновите страницу.",
  crashed:
    "В тренажёре произошла внутренняя ошибка. Нажмите «Повторить», чтобы начать заново.",
};
const INTERNAL_REPLY_MESSAGE =
  "В тренажёре произошла внутренняя ошибка. Попробуйте ещё раз или обновите страницу.";

const LABELS = {
  runtime: "Загрузка Python",
  packages: "Загрузка модулей тренажёра",
  boot: "Запуск Python",
  import: "Подготовка тренажёра",
};

const t0 = performance.now();
const timings = {};
const mark = (name) => (timings[name] = Math.round(performance.now() - t0));

let failed = false;
const stderrLines = [];

/** Report the first failure (later ones are consequences) and stop answering. */
function fail(code, detail) {
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

// ------------------------------------------------------------------ progress

/** Byte counts per file and per phase, posted at most every 50 ms per phase. */
class Progress {
  constructor(onRuntimeDone) {
    this.sizes = new Map(); // absolute URL -> expected bytes (from simulator.json)
    this.loaded = new Map(); // absolute URL -> bytes so far
    this.done = new Set(); // absolute URLs fully received
    this.lastPost = { runtime: 0, packages: 0 };
    this.onRuntimeDone = onRuntimeDone;
  }

  phaseOf(url) {
    if (url.startsWith(INDEX_URL)) return "runtime";
    if (url.startsWith(BASE + "wheels/")) return "packages";
    return null;
  }

  setSizes(files) {
    for (const [rel, size] of Object.entries(files)) this.sizes.set(new URL(rel, BASE).href, size);
    this.post("runtime", true);
    this.post("packages", true);
  }

  add(url, bytes, done = false) {
    this.loaded.set(url, (this.loaded.get(url) ?? 0) + bytes);
    if (done) this.done.add(url);
    const phase = this.phaseOf(url);
    if (phase) this.post(phase, done);
  }

  totals(phase) {
    let loaded = 0;
    let total = 0;
    for (const [url, size] of this.sizes) {
      if (this.phaseOf(url) !== phase) continue;
      total += size;
      loaded += this.done.has(url) ? size : Math.min(this.loaded.get(url) ?? 0, size);
    }
    return { loaded, total };
  }

  post(phase, force = false) {
    if (failed || this.sizes.size === 0) return;
    const { loaded, total } = this.totals(phase);
    const now = performance.now();
    if (!force && loaded < total && now - this.lastPost[phase] < 50) return;
    this.lastPost[phase] = now;
    self.postMessage({ type: "progress", phase, loaded, total, label: LABELS[phase] });
    if (phase === "runtime" && loaded >= total && this.onRuntimeDone) {
      this.onRuntimeDone();
      this.onRuntimeDone = null;
    }
  }
}

// Runtime bytes all in: the rest of the wait is compiling and starting Python.
const progress = new Progress(() => {
  mark("downloaded");
  postStep(0, LABELS.boot);
});

function postStep(loaded, label) {
  if (!failed) self.postMessage({ type: "progress", phase: "import", loaded, total: 2, label });
}

// Pyodide fetches the wasm, the stdlib and the wheels with the global fetch():
// wrap it to count bytes as they stream in and to turn any failure into an
// error message (Pyodide itself only logs a failed wasm fetch, then waits forever).
const nativeFetch = self.fetch.bind(self);
self.fetch = async function trackedFetch(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input), BASE).href;
  if (!progress.phaseOf(url)) return nativeFetch(input, init);
  let response;
  try {
    response = await nativeFetch(input, init);
  } catch (err) {
    fail("load-failed", `${url}: ${err}`);
    throw err;
  }
  if (!response.ok || !response.body) {
    if (!response.ok) fail("load-failed", `${url}: HTTP ${response.status}`);
    return response;
  }
  // Count bytes on a clone: Pyodide gets the untouched response, which keeps its
  // URL, so the browser can cache the compiled wasm for the next visit.
  countBytes(url, response.clone().body.getReader());
  return response;
};

async function countBytes(url, reader) {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      progress.add(url, value.byteLength);
    }
    progress.add(url, 0, true);
  } catch (err) {
    fail("load-failed", `${url}: ${err}`);
  }
}

// Pyodide also swallows a failed wasm compilation (out of memory, CSP): surface it.
if (typeof WebAssembly === "object" && WebAssembly.instantiateStreaming) {
  const nativeInstantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = function (source, imports) {
    const result = nativeInstantiateStreaming.call(WebAssembly, source, imports);
    result.then(() => mark("wasmReady"), (err) => fail("start-failed", err));
    return result;
  };
}

/** GET a small JSON file, always revalidated so it matches the files just deployed. */
async function fetchJSON(url) {
  let response;
  try {
    response = await nativeFetch(url, { cache: "no-cache" });
  } catch (err) {
    fail("load-failed", `${url}: ${err}`);
    throw err;
  }
  if (!response.ok) {
    fail("load-failed", `${url}: HTTP ${response.status}`);
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response.json();
}

/** import() a runtime script, counting its bytes when it has arrived. */
async function importCounted(name) {
  const url = INDEX_URL + name;
  try {
    const module = await import(url);
    progress.add(url, 0, true);
    return module;
  } catch (err) {
    fail("load-failed", `${url}: ${err}`);
    throw err;
  }
}

// ------------------------------------------------------------------ boot

async function boot() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fail("no-wasm", "WebAssembly is not available");
    throw new Error("no WebAssembly");
  }
  // Everything starts at once: the manifest (sizes for the progress bar), the
  // lockfile, both runtime scripts; loadPyodide then fetches the wasm, the stdlib
  // and, through `packages`, our wheels, all in parallel.
  const manifest = fetchJSON(MANIFEST_URL).then((m) => {
    progress.setSizes(m.files);
    return m;
  });
  const lockfile = fetchJSON(new URL("pyodide-lock.json", BASE).href);
  // Same URL as Pyodide's own import of it: one download, and we learn when it is in.
  const asm = importCounted("pyodide.asm.js");
  const { loadPyodide } = await importCounted("pyodide.mjs");
  const entry = (await manifest).entry;

  const pyodide = await loadPyodide({
    indexURL: INDEX_URL,
    lockFileContents: lockfile,
    packageBaseUrl: BASE,
    packages: [entry],
    stdout: (line) => console.log(line),
    stderr: (line) => {
      stderrLines.push(line);
      console.warn(line);
    },
  });
  await asm;
  mark("runtime");

  // loadPyodide logs a package that failed to load instead of throwing: check.
  const lock = await lockfile;
  const missing = Object.values(lock.packages)
    .map((p) => p.name)
    .filter((name) => !pyodide.loadedPackages[name]);
  if (missing.length) {
    fail("load-failed", `packages not loaded: ${missing.join(", ")}`);
    throw new Error("packages not loaded");
  }
  postStep(1, LABELS.import);

  let handle;
  try {
    handle = pyodide.pyimport("recovery_core.protocol").handle;
  } catch (err) {
    fail("start-failed", err);
    throw err;
  }
  mark("import");
  postStep(2, LABELS.import);
  return { pyodide, handle };
}

const booted = boot().then(
  (result) => {
    if (failed) return null;
    mark("total");
    const bytes = progress.totals("runtime").total + progress.totals("packages").total;
    self.postMessage({ type: "ready", timings: { ...timings, bytes } });
    return result;
  },
  (err) => {
    fail("start-failed", err);
    return null;
  },
);

// ------------------------------------------------------------------ requests

/** Best-effort id of a request, so even an internal-error reply echoes it. */
function requestId(request) {
  try {
    const id = JSON.parse(request)?.id;
    return typeof id === "string" || typeof id === "number" ? id : null;
  } catch {
    return null;
  }
}

self.onmessage = async (event) => {
  const { id, request } = event.data ?? {};
  if (id === undefined || typeof request !== "string") return;
  const ready = await booted;
  if (!ready) return; // the page already has the error; it rejects what is pending
  const { pyodide, handle } = ready;
  let reply;
  try {
    reply = handle(request);
  } catch (err) {
    // handle() never raises by contract; if it does, answer anyway.
    reply = JSON.stringify({
      id: requestId(request),
      ok: false,
      error: { code: "internal", message: INTERNAL_REPLY_MESSAGE },
    });
    console.error(err);
    if (!(err instanceof pyodide.ffi.PythonError)) fail("crashed", err); // Pyodide is unusable now
  }
  self.postMessage({ id, reply });
};
