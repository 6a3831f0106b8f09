// Bench only: plain loadPyodide() of the site's runtime files, timed from navigation start.
const bench = (window.__bench = { marks: {}, errors: [] });
const runtime = new URL(new URLSearchParams(location.search).get("runtime"), location.href).href;
try {
  const { loadPyodide } = await import(runtime + "pyodide.mjs");
  bench.marks.imported = performance.now();
  // Plain loadPyodide(): the runtime's own default lockfile (the npm package's),
  // served by the bench next to this page since the site does not ship it.
  const pyodide = await loadPyodide({
    indexURL: runtime,
    lockFileURL: new URL("pyodide-lock.json", location.href).href,
  });
  bench.marks.ready = performance.now();
  bench.version = pyodide.version;
  document.getElementById("status").textContent = "ready";
  console.log(`bench:ready ${bench.marks.ready}`);
} catch (err) {
  bench.errors.push(String(err?.stack ?? err));
  document.getElementById("status").textContent = "error";
  console.log(`bench:error ${err}`);
}
