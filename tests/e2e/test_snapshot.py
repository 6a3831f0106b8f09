"""The start-up snapshot in a real Chromium: stored after a first start, restored on
the next visit, never holding what the reader typed, and never in the way when bad."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import ROOT
from tests.e2e.sim import at_step, core_ready, open_simulator, press
from tests.e2e.test_worker_boot import boot

CACHE = "simulator-snapshot"
#: Typed into the simulator before Python is up, so it sits in the queue while the snapshot is taken.
MARK = "snapshot-canary-4f1c9e@example.ru"
#: A string the worker puts into Python's memory before the snapshot (a sys.path entry).
IN_MEMORY = "/home/pyodide/.simulator-wheels/recovery_core"

# Runs in the page: wait (bounded) for the stored snapshot and tell what it holds.
STORED = """async ([name, needles, timeout]) => {
  const until = Date.now() + timeout;
  for (;;) {
    const cache = await caches.open(name);
    const keys = await cache.keys();
    const snapshot = keys.find((k) => k.url.includes("/snapshot.bin?"));
    if (snapshot) {
      const bytes = await (await cache.match(snapshot)).arrayBuffer();
      const text = new TextDecoder("latin1").decode(bytes); // one char per byte
      const [magic, memory] = new Uint32Array(bytes, 0, 2); // web/worker/zeropages.mjs
      return { keys: keys.map((k) => k.url), key: snapshot.url, size: bytes.byteLength,
               magic: text.slice(0, 4), memory,
               found: Object.fromEntries(needles.map((n) => [n, text.includes(n)])) };
    }
    if (Date.now() > until) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
}"""

# Runs in the page: the reader's text is sent before the worker is ready.
TYPED_EARLY = """async ([bridge, value]) => {
  const { getSimulator } = await import(bridge);
  const sim = getSimulator();
  const pending = sim.request({ op: "check", field: "email", value });
  const sentWhile = sim.state;
  return { sentWhile, reply: await pending, timings: await sim.ready };
}"""


def stored(page: Page, *needles: str, timeout: int = 30_000) -> dict:
    result = page.evaluate(STORED, [CACHE, list(needles), timeout])
    assert result is not None, "no snapshot was stored"
    return result


def test_first_start_stores_a_snapshot_without_anything_typed(page: Page, site_url):
    page.goto("")
    typed = page.evaluate(TYPED_EARLY, [site_url + "assets/simulator/bridge.js", MARK])
    assert typed["sentWhile"] == "loading"  # queued in the worker while the snapshot was taken
    assert typed["reply"]["ok"] is True and typed["reply"]["verdict"]["ok"] is True
    assert typed["timings"]["from"] == "boot"

    snapshot = stored(page, MARK, IN_MEMORY)
    assert len(snapshot["keys"]) == 1
    key = snapshot["key"]
    assert key.startswith(site_url + "assets/simulator/snapshot.bin?")
    assert re.search(r"worker=[0-9a-f]{16}&runtime=runtime%2F[\d.]+-[0-9a-f]+%2Fpyodide%2F&wheels=", key)
    assert snapshot["magic"] == "SNP1"
    assert snapshot["memory"] > 16_000_000  # Python's whole memory, not a stub
    assert snapshot["size"] < 0.75 * snapshot["memory"]  # without its zero pages
    # The privacy page tells the reader what the snapshot weighs on their device.
    said = re.search(
        r"снимок уже запущенного тренажёра \(около (\d+) МБ\)", (ROOT / "docs" / "safety.md").read_text("utf-8")
    )
    assert said and int(said[1]) == max(1, round(snapshot["size"] / 1e6)), (said, snapshot["size"])
    assert snapshot["found"][IN_MEMORY]  # the search does see Python's strings
    assert not snapshot["found"][MARK]  # taken before the reader's request was answered


def test_next_visit_restores_the_snapshot_and_works(page: Page, context, site_url):
    page.goto("")
    first = boot(page, site_url)
    assert first["timings"]["from"] == "boot"
    stored(page)
    page.close()

    again = context.new_page()
    again.goto("")
    result = boot(
        again,
        site_url,
        {"op": "check", "field": "phone", "value": "8 912 345 67 89"},
        {"op": "start", "step": None, "seed": 3},
        {"op": "act", "action": "open_app"},
        {"op": "check", "field": "password", "value": "Ласточка-Вертолёт-Сирень-42"},
        {"op": "check", "field": "password", "value": "qwerty123"},
    )
    assert result["timings"]["from"] == "snapshot"
    phone, started, acted, strong, weak = result["replies"]
    assert phone["verdict"]["ok"] is True and phone["verdict"]["value"] == "+79123456789"
    assert started["state"]["step"] == "open-ozon"
    assert acted["state"]["step"] == "sign-out"
    # zxcvbn is imported after the restore, from the wheels written back into the file system.
    assert strong["verdict"]["ok"] is True and strong["verdict"]["score"] >= 3
    assert weak["verdict"]["ok"] is False and weak["verdict"]["score"] <= 1
    # Progress still ends complete: the runtime comes from the HTTP cache as before.
    assert result["progress"][-1]["fraction"] == 1

    # And the reader's page works on top of it.
    again.close()
    reader = context.new_page()
    open_simulator(reader)
    press(reader, "Открыть Ozon")
    at_step(reader, 2)


@pytest.mark.parametrize("bad", ["short", "garbled", "truncated"])
def test_a_bad_snapshot_is_replaced_and_the_visit_still_works(page: Page, context, site_url, bad):
    """Short: 4 KiB of junk; garbled: full size, no snapshot header; truncated: the
    stored snapshot without its last page."""
    page.goto("")
    boot(page, site_url)
    snapshot = stored(page)
    key = snapshot["key"]
    stale = key.replace("worker=", "worker=0ld")  # an older worker's
    other = site_url + "assets/simulator/not-a-snapshot"  # not ours to drop
    page.evaluate(
        """async ([name, key, stale, other, size]) => {
          const cache = await caches.open(name);
          const good = await (await cache.match(key)).arrayBuffer();
          const bad = size > 0 ? new Uint8Array(size).fill(7) : good.slice(0, good.byteLength - 4096);
          await cache.put(key, new Response(bad));
          await cache.put(stale, new Response("stale"));
          await cache.put(other, new Response("other"));
        }""",
        [CACHE, key, stale, other, {"short": 4096, "garbled": snapshot["size"], "truncated": 0}[bad]],
    )
    page.close()

    again = context.new_page()
    warnings: list[str] = []
    # The page's console carries its workers' messages too, from before a worker exists:
    # a listener added on the "worker" event could miss what the worker says at once.
    again.on("console", lambda m: warnings.append(m.text))
    open_simulator(again)
    expect(core_ready(again)).to_contain_text("Шаг 1 из 9")
    press(again, "Открыть Ozon")
    at_step(again, 2)
    timings = again.evaluate(
        "async (b) => (await import(b)).getSimulator().timings", site_url + "assets/simulator/bridge.js"
    )
    assert timings["from"] == "boot"
    assert any(w.startswith("simulator: snapshot not restored") for w in warnings), warnings

    # The bad one and the stale one are gone; no new one is taken right after a failed
    # restore, so the next visit starts afresh and stores a good one again.
    left = again.evaluate("async (name) => (await (await caches.open(name)).keys()).map((k) => k.url)", CACHE)
    assert sorted(left) == [other]
    again.close()
    third = context.new_page()
    third.goto("")
    boot(third, site_url)
    fresh = stored(third, IN_MEMORY)
    assert sorted(fresh["keys"]) == sorted([key, other])
    assert fresh["found"][IN_MEMORY]


# Runs in the page: wait (bounded) until the worker says the next visit's code cache is primed.
PRIMED = """async ([bridge, timeout]) => {
  const sim = (await import(bridge)).getSimulator();
  const until = Date.now() + timeout;
  while (sim.warmUp?.primed === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return sim.warmUp;
}"""


def compiled_scripts(trace: list[dict]) -> dict[str, dict]:
    """V8's module compiles in a trace, by file name: their duration and consumed code cache."""
    out = {}
    for event in trace:
        data = (event.get("args") or {}).get("data") or {}
        if event.get("name") == "v8.compileModule" and data.get("url"):
            out[data["url"].rsplit("/", 1)[-1]] = {
                "ms": event.get("dur", 0) / 1000,
                "cache": data.get("consumedCacheSize"),
            }
    return out


def test_the_first_visit_primes_the_next_ones_compiled_runtime_script(playwright, tmp_path, site_url):
    """Chromium caches a script's compiled code from its second load on; the first visit
    loads the runtime's script a second time (codecache.mjs), so the next visit compiles
    it from the cache. In a profile on disk, as a reader's (a test's private context
    keeps no code cache)."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        locale="ru-RU",
        service_workers="block",
        base_url=site_url,
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto("")
        assert boot(page, site_url)["timings"]["from"] == "boot"
        warm_up = page.evaluate(PRIMED, [site_url + "assets/simulator/bridge.js", 30_000])
        assert warm_up and warm_up["done"] is True and warm_up["primed"] is True, warm_up
        stored(page)
        page.close()

        again = context.new_page()
        cdp = context.new_cdp_session(again)
        events: list[dict] = []
        ended: list[bool] = []
        cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
        cdp.on("Tracing.tracingComplete", lambda e: ended.append(True))
        cdp.send("Tracing.start", {"traceConfig": {"includedCategories": ["v8"]}, "transferMode": "ReportEvents"})
        again.goto("")
        assert boot(again, site_url)["timings"]["from"] == "snapshot"
        cdp.send("Tracing.end")
        # CDP events reach Python while Playwright waits: poll for the condition, bounded.
        for _ in range(200):
            if ended:
                break
            again.wait_for_timeout(50)
        assert ended, "the trace did not end"
    finally:
        context.close()
    compiled = compiled_scripts(events)
    assert "pyodide.asm.js" in compiled, sorted(compiled)
    assert (compiled["pyodide.asm.js"]["cache"] or 0) > 100_000, compiled["pyodide.asm.js"]
