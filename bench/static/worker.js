// Bench only: the site's own simulator worker on a blank page, timed from navigation
// start until it answers a phone `check` posted at once (it queues it while Python
// starts): the simulator's boot without a page around it competing for the CPU.
const bench = (window.__bench = { marks: {}, errors: [] });
const status = document.getElementById("status");
const url = new URL(new URLSearchParams(location.search).get("worker"), location.href);
const worker = new Worker(url, { type: "module" });
worker.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type === "ready") {
    bench.timings = msg.timings;
  } else if (msg?.type === "error") {
    bench.errors.push(`${msg.code}: ${msg.detail}`);
    status.textContent = "error";
    console.log(`bench:error ${msg.code}: ${msg.detail}`);
  } else if (msg?.id === 1) {
    bench.marks.ready = performance.now();
    const reply = JSON.parse(msg.reply);
    if (!reply.ok || !reply.verdict.ok) bench.errors.push(`check: ${msg.reply}`);
    status.textContent = "ready";
    console.log(`bench:ready ${bench.marks.ready}`);
  }
};
worker.postMessage({
  id: 1,
  request: JSON.stringify({ id: 1, op: "check", field: "phone", value: "+7 912 345-67-89" }),
});
