// @ts-check
// A throwaway module worker: imports the script it is sent, so that Chromium keeps
// its compiled code for the next visit (web/worker/codecache.mjs), and ends.
self.onmessage = async ({ data }) => {
  let ok = true;
  try {
    await import(String(data));
  } catch {
    ok = false;
  }
  // Chromium hands the compiled code over after the module's evaluation, later in
  // the task that evaluated it: end in a later task, or nothing is kept.
  setTimeout(() => {
    self.postMessage(ok ? "primed" : "failed");
    self.close();
  }, 0);
};
