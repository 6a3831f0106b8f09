"""The start-up snapshot in a real Chromium: stored after a first start, restored on
the next visit, never holding what the reader typed, and never in the way when bad."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

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
    if (keys.length) {
      const bytes = await (await cache.match(keys[0])).arrayBuffer();
      const text = new TextDecoder("latin1").decode(bytes); // one char per byte
      return { keys: keys.map((k) => k.url), size: bytes.byteLength,
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
  const reply = await sim.request({ op: "check", field: "email", value });
  return { reply, timings: await sim.ready };
}"""


def stored(page: Page, *needles: str, timeout: int = 30_000) -> dict:
    result = page.evaluate(STORED, [CACHE, list(needles), timeout])
    assert result is not None, "no snapshot was stored"
    return result


def test_first_start_stores_a_snapshot_without_anything_typed(page: Page, site_url):
    page.goto("")
    typed = page.evaluate(TYPED_EARLY, [site_url + "assets/simulator/bridge.js", MARK])
    assert typed["reply"]["ok"] is True and typed["reply"]["verdict"]["ok"] is True
    assert typed["timings"]["from"] == "boot"

    snapshot = stored(page, MARK, IN_MEMORY)
    assert len(snapshot["keys"]) == 1
    key = snapshot["keys"][0]
    assert key.startswith(site_url + "assets/simulator/snapshot.bin?")
    assert re.search(r"runtime=runtime%2F[\d.]+-[0-9a-f]+%2Fpyodide%2F", key)
    assert snapshot["size"] > 10_000_000  # Python's whole memory, not a stub
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


@pytest.mark.parametrize("bad", ["short", "garbled"])
def test_a_bad_snapshot_is_replaced_and_the_visit_still_works(page: Page, context, site_url, bad):
    """Short: the wasm cannot even be instantiated with it; garbled: full size, no snapshot header."""
    page.goto("")
    boot(page, site_url)
    snapshot = stored(page)
    key = snapshot["keys"][0]
    page.evaluate(
        """async ([name, key, size]) => {
          const cache = await caches.open(name);
          await cache.put(key, new Response(new Uint8Array(size).fill(7)));
          await cache.put(key.replace("format=", "format=0"), new Response("stale"));  // an older build's
        }""",
        [CACHE, key, 4096 if bad == "short" else snapshot["size"]],
    )
    page.close()

    again = context.new_page()
    open_simulator(again)
    expect(core_ready(again)).to_contain_text("Шаг 1 из 9")
    press(again, "Открыть Ozon")
    at_step(again, 2)
    timings = again.evaluate(
        "async (b) => (await import(b)).getSimulator().timings", site_url + "assets/simulator/bridge.js"
    )
    assert timings["from"] == "boot"

    # A good snapshot took its place, and the stale one is gone.
    fresh = again.evaluate(
        """async ([name, key, timeout]) => {
          const until = Date.now() + timeout;
          for (;;) {
            const cache = await caches.open(name);
            const keys = (await cache.keys()).map((k) => k.url);
            const size = (await (await cache.match(key))?.arrayBuffer())?.byteLength ?? 0;
            if ((size > 10_000_000 && keys.length === 1) || Date.now() > until) return { keys, size };
            await new Promise((r) => setTimeout(r, 100));
          }
        }""",
        [CACHE, key, 30_000],
    )
    assert fresh == {"keys": [key], "size": fresh["size"]} and fresh["size"] > 10_000_000
