"""The bench's harness: building the site, fresh browser profiles, and
reading what the probe (``bench/static/probe.js``) signals, without evaluating in the page."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.server import MOUNT, SIM
from sitebuild.output import WORKER_NAME_PATTERN
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
PROBE = Path(__file__).resolve().parent / "static" / "probe.js"
READY_TIMEOUT = 90_000
DESKTOP = {"width": 1280, "height": 900}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build_site(dest: Path, site_url: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url, "SITE_LOCAL": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(dest)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: mkdocs build failed:\n{done.stdout}{done.stderr}")


def load() -> float:
    """The 1-minute load average: how busy the machine was (other work skews every figure)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return -1.0


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "os": platform.platform(), "python": platform.python_version()}


@dataclass
class Bench:
    playwright: object
    base: str
    runtime_path: str
    tmp: Path
    worker_path: str = ""  # URL path of the site's worker.<sha>.mjs (for the worker-alone page)

    def context(self, viewport=DESKTOP, accept_encoding: str | None = None):
        """A fresh browser with a fresh profile on disk: empty HTTP and code caches;
        ``accept_encoding`` replaces the browser's own (``gzip, deflate, br, zstd``)."""
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=self.tmp))
        ctx = self.playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=viewport,
            locale="ru-RU",
            service_workers="block",
            extra_http_headers={"Accept-Encoding": accept_encoding} if accept_encoding else None,
        )
        ctx.add_init_script(path=str(PROBE))
        ctx.set_default_timeout(READY_TIMEOUT)
        return ctx

    def visit(self, page, url: str, collect: bool = True) -> dict:
        """Load ``url`` and wait for the probe's "bench:ready <ms>"; then (``collect``) its data.

        Nothing is evaluated in the page until then: Playwright's own injected
        scripts would take main-thread time (tens of ms) in the middle of a measurement.
        """
        with page.expect_console_message(signal("ready"), timeout=READY_TIMEOUT) as message:
            page.goto(url)
        text = message.value.text
        if not text.startswith("bench:ready "):
            raise RuntimeError(f"{url}: {text}")
        if not collect:  # "bench:ready <ready> [<spawn>]"
            return {"marks": dict(zip(("ready", "spawn"), map(float, text.split()[1:]), strict=False))}
        return page.evaluate("() => window.__bench")

    def bare(self, page, runtime: str | None = None) -> dict:
        return self.visit(page, f"{self.base}{MOUNT[1:]}bare.html?runtime={runtime or self.runtime_path}")

    def worker(self, page) -> dict:
        return self.visit(page, f"{self.base}{MOUNT[1:]}worker.html?worker={self.worker_path}")

    def simulator(self, page, path: str = "simulator/", base: str | None = None) -> dict:
        return self.visit(page, (base or self.base) + path)

    @staticmethod
    def cold_then_warm(ctx, page, visit, dwell_ms: int = 0) -> tuple[dict, dict]:
        """``visit(page)`` in a fresh profile, then ``visit`` again in a new tab of it (HTTP
        cache filled), the first tab closed at once or after staying open ``dwell_ms``."""
        cold = visit(page)
        if dwell_ms:
            page.wait_for_timeout(dwell_ms)
        page.close()
        return cold, visit(ctx.new_page())


def restored(visit: dict) -> bool:
    """Whether a visit's worker restored Python from the start-up snapshot (its timings' ``from``)."""
    return (visit.get("timings") or {}).get("from") == "snapshot"


def signal(name: str):
    """A console-message predicate: the probe's "bench:<name>", or any "bench:error"."""
    return lambda m: m.text == f"bench:{name}" or m.text.startswith((f"bench:{name} ", "bench:error"))


def transferred(requests: list) -> list[dict]:
    """URL, status and transferred body bytes of finished requests."""
    out = []
    for req in requests:
        try:
            sizes = req.sizes()
            resp = req.response()
        except Exception:
            continue
        body = sizes["responseBodySize"]
        if not body and resp is not None and resp.status == 200:
            # Chromium reports no body size for a worker's own script: take Content-Length.
            body = int(resp.headers.get("content-length") or 0)
        out.append(
            {
                "url": req.url,
                "status": resp.status if resp else None,
                "body": body,
                "headers": sizes["responseHeadersSize"],
            }
        )
    return out


def worker_path(site: Path) -> str:
    """URL path of the built site's worker (its name carries its content's hash)."""
    (worker,) = (path for path in (site / SIM).glob("worker*.mjs") if WORKER_NAME_PATTERN.fullmatch(path.name))
    return f"/{SIM}{worker.name}"


def is_pyodide(url: str, b: Bench) -> bool:
    """Whether ``url`` is part of Pyodide's boot: runtime, wheels, worker (and the lockfile and
    manifest, which older workers fetched)."""
    path = url.removeprefix(b.base.rstrip("/"))
    if not path.startswith("/" + SIM):
        return False
    rel = path[len(SIM) + 1 :]
    return (
        path.startswith(b.runtime_path)
        or rel.startswith("wheels/")
        or rel in ("pyodide-lock.json", "simulator.json")
        or WORKER_NAME_PATTERN.fullmatch(rel)
    )


def chromium_version(pw) -> str:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        return browser.version
    finally:
        browser.close()
