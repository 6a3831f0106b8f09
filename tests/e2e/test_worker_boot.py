"""The simulator's worker in a real Chromium: boots Pyodide from the site's own files,
answers the JSON protocol, stays one per tab, and recovers from a failed download."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from recovery_core import messages as M
from tests.e2e.sim import BOOT_TIMEOUT, WORKER_URL, core_ready

BRIDGE = "assets/simulator/bridge.js"
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

# Runs in the page: import the bridge, start the worker, wait until it is ready
# (bounded, so a hang fails the test instead of stalling it), send requests.
BOOT = """async ([bridge, requests]) => {
  const { getSimulator } = await import(bridge);
  const sim = getSimulator();
  const progress = [];
  sim.onProgress((p) => progress.push(p));
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 90000));
  let timings;
  try {
    timings = await Promise.race([sim.start(), timeout]);
  } catch (e) {
    return { error: { code: e.code, message: e.message, detail: e.detail } };
  }
  const replies = [];
  for (const request of requests) replies.push(await sim.request(request));
  return { timings, progress, replies, state: sim.state };
}"""


def boot(page: Page, site_url: str, *requests: dict, query: str = "") -> dict:
    result = page.evaluate(BOOT, [site_url + BRIDGE + query, list(requests)])
    assert "error" not in result, f"the simulator did not start: {result['error']}"
    return result


def test_worker_boots_from_the_site_and_answers(page: Page, site_url, requests_seen):
    page.goto("")
    result = boot(
        page,
        site_url,
        {"op": "check", "field": "phone", "value": "+7 999 123-45-67"},
        {"op": "check", "field": "phone", "value": "12"},
        {"op": "start", "step": None, "seed": 7},
    )
    valid, invalid, started = result["replies"]

    assert valid["ok"] is True
    assert valid["verdict"]["ok"] is True
    assert re.sub(r"\D", "", valid["verdict"]["value"]).endswith("9991234567")
    assert invalid["ok"] is True
    assert invalid["verdict"]["ok"] is False
    assert CYRILLIC.search(invalid["verdict"]["message"])
    assert started["ok"] is True
    assert started["state"]["step"] == "open-ozon"
    assert started["state"]["total"] == 9
    assert CYRILLIC.search(started["state"]["title"])

    # A real progress bar: bytes of the runtime and of the wheels, then the start-up steps.
    last = {p["phase"]: p for p in result["progress"]}
    assert set(last) == {"runtime", "packages", "import"}
    for phase in ("runtime", "packages", "import"):
        assert last[phase]["total"] > 0 and last[phase]["loaded"] == last[phase]["total"], last[phase]
        assert last[phase]["label"] in M.UI, last[phase]  # the page says it, in the core's words
    # As transferred (gzip), ~4 MB: the wasm alone 2.8 MB; decoded it would be over 12 MB.
    assert 2_500_000 < last["runtime"]["total"] < 6_000_000, last["runtime"]
    assert result["progress"][-1]["fraction"] == 1
    fractions = [p["fraction"] for p in result["progress"]]
    assert fractions == sorted(fractions)
    assert result["timings"]["total"] > 0

    # Everything came from the site itself: the runtime, the wheels, nothing else.
    assert any(url.endswith("/pyodide/pyodide.asm.wasm") for url in requests_seen.urls)
    assert any(url.endswith(".whl") for url in requests_seen.urls)
    assert requests_seen.foreign() == []
    # The lockfile and the manifest are written into the worker: not fetched, no round trip.
    assert not [u for u in requests_seen.urls if u.endswith(("/pyodide-lock.json", "/simulator.json"))]


# Runs in the page: requests sent at once, before the worker is ready (bounded wait).
EARLY = """async ([bridge]) => {
  const events = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (...args) {
    if (typeof args[0]?.request === "string") events.push("posted"); // not Material's search worker
    return post.apply(this, args);
  };
  const { getSimulator } = await import(bridge);
  const sim = getSimulator();
  sim.ready.then(() => events.push("ready"), () => events.push("failed"));
  const requests = [
    sim.request({ op: "check", field: "phone", value: "+7 999 123-45-67" }),
    sim.request({ op: "start", step: null, seed: 1 }),
  ].map((p, i) => p.then((r) => (events.push(`reply ${i + 1}`), r), (e) => (events.push(`rejected ${i + 1}`), { code: e.code, message: e.message })));
  const sentWhile = sim.state; // both already posted: request() sends at once
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 90000));
  const replies = await Promise.race([Promise.all(requests), timeout]);
  return { sentWhile, events, replies };
}"""


# Runs in the page: a reader who never pauses — each request two frames after the
# previous reply (~33 ms), at most `limit` of them — until the worker reports its
# background work done (worker/warmup.mjs).
BUSY_READER = """async ([bridge, limit]) => {
  const { getSimulator } = await import(bridge);
  const sim = getSimulator();
  await sim.start();
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const replies = [];
  while (!sim.warmUp?.done && replies.length < limit) {
    const value = "+7 912 345-67-8".slice(0, 1 + (replies.length % 15));
    replies.push(await sim.request({ op: "check", field: "phone", value }));
    await frame();
    await frame();
  }
  const password = await sim.request({ op: "check", field: "password", value: "Ласточка-Вертолёт-42" });
  return { warmUp: sim.warmUp, sent: replies.length, failed: replies.filter((r) => !r.ok), password };
}"""


def test_the_background_work_gets_done_between_the_requests_of_a_reader_who_never_pauses(page: Page, site_url):
    """zxcvbn's one-time costs are paid one piece per gap between requests, not only
    once the reader pauses (half a second), so a brisk reader's first password key
    does not pay them all at once (``make bench``: the first password key)."""
    page.goto("")
    result = page.evaluate(BUSY_READER, [site_url + BRIDGE, 150])
    assert result["failed"] == []
    assert result["warmUp"] is not None and result["warmUp"]["done"], result
    assert result["sent"] < 150
    assert result["password"]["ok"] is True and result["password"]["verdict"]["ok"] is True


def test_requests_sent_while_loading_are_answered_in_order_once_python_is_up(page: Page, site_url):
    page.goto("")
    result = page.evaluate(EARLY, [site_url + BRIDGE])
    assert result["sentWhile"] == "loading"
    # Posted at once; the worker queued them and answered right after saying it was ready, in order.
    assert result["events"] == ["posted", "posted", "ready", "reply 1", "reply 2"]
    check, started = result["replies"]
    assert check["ok"] is True and check["verdict"]["ok"] is True
    assert started["ok"] is True and started["state"]["step"] == "open-ozon"


def test_requests_sent_while_loading_are_rejected_in_russian_when_loading_fails(page: Page, context, site_url):
    context.route("**/*.whl", lambda route: route.abort())
    page.goto("")
    result = page.evaluate(EARLY, [site_url + BRIDGE])
    assert result["sentWhile"] == "loading"
    assert result["events"] == ["posted", "posted", "failed", "rejected 1", "rejected 2"]
    for reply in result["replies"]:
        assert reply == {
            "code": "load-failed",
            "message": "Не удалось загрузить файлы тренажёра. Проверьте соединение и нажмите «Повторить».",
        }


def test_one_worker_per_tab_even_when_the_bridge_runs_again(page: Page, site_url, requests_seen):
    page.goto("")
    boot(page, site_url)
    # Instant navigation re-runs page scripts without reloading the document; a
    # second evaluation of the bridge (another module instance) must find the
    # running simulator instead of starting a second worker.
    result = boot(page, site_url, {"op": "check", "field": "phone", "value": "+7 999 123-45-67"}, query="?again")
    assert result["state"] == "ready"
    assert result["replies"][0]["verdict"]["ok"] is True
    assert sum(url.endswith("/pyodide.asm.wasm") for url in requests_seen.urls) == 1
    assert sum(bool(WORKER_URL.search(url)) for url in requests_seen.urls) == 1


def test_failed_download_shows_a_russian_message_and_retry_recovers(page: Page, context, site_url):
    context.route("**/*.whl", lambda route: route.abort())
    page.goto("")
    error = page.evaluate(BOOT, [site_url + BRIDGE, []])["error"]
    assert error["code"] == "load-failed"
    assert error["message"] == "Не удалось загрузить файлы тренажёра. Проверьте соединение и нажмите «Повторить»."

    context.unroute("**/*.whl")
    reply = page.evaluate(
        """async (bridge) => {
          const sim = (await import(bridge)).getSimulator();
          await sim.retry();
          return sim.request({op: "check", field: "phone", value: "+7 999 123-45-67"});
        }""",
        site_url + BRIDGE,
    )
    assert reply["verdict"]["ok"] is True


def test_without_webassembly_the_reader_gets_a_russian_explanation(browser_type, browser_type_launch_args, site_url):
    args = [*browser_type_launch_args.get("args", []), "--js-flags=--jitless"]  # V8 without WebAssembly
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        page = browser.new_page()
        page.goto(site_url)
        error = page.evaluate(BOOT, [site_url + BRIDGE, []])["error"]
    finally:
        browser.close()
    assert error["code"] == "no-wasm"
    assert error["message"].startswith(
        "Тренажёр не может запуститься: в этом браузере недоступна технология WebAssembly."
    )


# Counts the simulator's workers a page creates, and when (before the page's own
# scripts ran, i.e. before DOMContentLoaded, means the <head> started it).
COUNT_WORKERS = """(() => {
  const seen = (window.__workers = []);
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      if (String(url).includes("/assets/simulator/")) seen.push({ url: String(url), parsing: document.readyState === "loading" });
      super(url, options);
    }
  };
})();"""


def test_the_head_starts_the_worker_and_the_widget_adopts_it(page: Page, context, requests_seen):
    """/simulator/: the worker starts while the page is still being parsed, before
    Material's scripts, and the widget uses that one worker: no second one, one download."""
    context.add_init_script(COUNT_WORKERS)
    page.goto("simulator/")
    expect(core_ready(page)).to_be_visible(timeout=90_000)
    workers = page.evaluate("window.__workers")
    assert len(workers) == 1, workers
    assert workers[0]["parsing"] is True
    assert WORKER_URL.search(workers[0]["url"])
    assert sum(url.endswith("/pyodide.asm.wasm") for url in requests_seen.urls) == 1
    assert sum(bool(WORKER_URL.search(url)) for url in requests_seen.urls) == 1


@pytest.mark.parametrize(
    ("path", "width", "workers", "settled"),
    [
        ("", 1280, [], None),  # no simulator on the page: never
        ("guide/", 360, [], None),  # not docked on a phone: «Попробовать» opens /simulator/
        ("guide/", 1280, [False], "ready"),  # docked: widget.js starts it once the page is parsed
        ("simulator/", 1280, [True], "ready"),  # the simulator page: its <head> does
        ("simulator/", 360, [], "ask"),  # …except on a phone, which waits for «Запустить тренажёр»
    ],
)
def test_only_the_simulator_page_starts_the_worker_from_its_head(page: Page, context, path, width, workers, settled):
    """Beside the guide the simulator is secondary: it never competes with the guide's own load."""
    context.add_init_script(COUNT_WORKERS)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(path)
    # Counted once the page can start no more: the core answers, or the phone's
    # simulator waits for its button, or (no simulator shown) the page has loaded.
    page.wait_for_load_state("load")
    if settled == "ready":
        expect(page.locator("[data-simulator][data-phase=ready]")).to_be_attached(timeout=BOOT_TIMEOUT)
    elif settled == "ask":
        expect(page.get_by_role("button", name="Запустить тренажёр")).to_be_visible()
    assert [w["parsing"] for w in page.evaluate("window.__workers")] == workers


def test_the_simulator_page_fetches_the_widget_and_its_bridge_side_by_side(page: Page):
    """widget.js imports bridge.js: /simulator/ preloads both from its head, so bridge.js
    does not wait for widget.js to arrive (one round trip fewer on a phone's network)."""
    page.goto("simulator/")
    page.wait_for_load_state("load")
    timing = page.evaluate(
        """() => Object.fromEntries(performance.getEntriesByType("resource")
             .filter((e) => /\\/assets\\/simulator\\/(widget|bridge)\\.js$/.test(e.name))
             .map((e) => [e.name.split("/").pop(), {start: e.startTime, end: e.responseEnd}]))"""
    )
    assert set(timing) == {"widget.js", "bridge.js"}, timing
    assert timing["bridge.js"]["start"] < timing["widget.js"]["end"], timing


@pytest.mark.parametrize("path", ["", "guide/", "support/"])
def test_other_pages_leave_the_simulators_scripts_behind_their_own(page: Page, path):
    """Where the simulator is secondary its scripts are not raised above the page's own."""
    page.goto(path)
    assert page.locator("head link[rel=modulepreload]").count() == 0
    # async: it runs in a task of its own, never inside the parser's last task with Material's.
    assert page.locator("script[type=module][async][src$='/simulator/widget.js']").count() == 1


@pytest.mark.parametrize(("accept", "encoding"), [(None, "br"), ("gzip, deflate", "gzip")])
def test_the_runtime_arrives_compressed_and_the_progress_counts_it_whole(
    page: Page, context, site_url, accept, encoding
):
    """The server sends the build's .br files (Chromium offers brotli to localhost, as to
    HTTPS) or, offered gzip alone, its .gz: the wasm crosses the network at a third of its
    size or less, the stored zips compressed whole, and the progress bar still counts the
    runtime's bytes up to its total."""
    if accept:
        context.set_extra_http_headers({"Accept-Encoding": accept})
    encodings = {}
    context.on("response", lambda r: encodings.__setitem__(r.url.rsplit("/", 1)[-1], r.headers.get("content-encoding")))
    page.goto("")
    result = boot(page, site_url, {"op": "check", "field": "phone", "value": "+7 999 123-45-67"})
    assert result["replies"][0]["verdict"]["ok"] is True
    shipped = {n: e for n, e in encodings.items() if n.startswith("pyodide.asm.") or n.endswith((".zip", ".whl"))}
    assert len(shipped) == 6 and set(shipped.values()) == {encoding}, encodings  # wasm, js, stdlib, 3 wheels
    runtime = [p for p in result["progress"] if p["phase"] == "runtime"]
    # Counted as the build's .gz carry it (the launch text's figure): the wasm 2.8 MB, the
    # cut stdlib 0.9 MB and both runtime scripts 0.2 MB, all of the runtime.
    assert 3_500_000 < runtime[-1]["loaded"] == runtime[-1]["total"] < 6_000_000, runtime[-1]
