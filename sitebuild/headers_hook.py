"""MkDocs hook: what a static host needs to serve the build as ``sitebuild/serve.py`` does.

* The caching policy goes into ``_headers`` beside the CSP block (``docs/hooks/csp.py``):
  one ``Cache-Control`` per file of the built site, from the rule the local server uses
  (:func:`sitebuild.serve.cache_control`: cached for good when the name carries the
  content's hash, revalidated otherwise). One block per file, not wildcards: hosts that
  read ``_headers`` (Netlify, Cloudflare Pages) merge every block that matches a path,
  so a ``/*`` default would be joined to the immutable value instead of replaced.
* A build for deployment whose ``site_url`` still points at this machine stops: its
  canonical links and sitemap would send readers to 127.0.0.1. Local builds (``make
  serve``, ``make test``, the bench, ``mkdocs serve``) say so with ``SITE_LOCAL=1``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from sitebuild.serve import cache_control

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_command = "build"


def on_startup(*, command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config, **kwargs):
    host = urlsplit(config["site_url"] or "").hostname
    if _command == "build" and host in LOCAL_HOSTS and os.environ.get("SITE_LOCAL") != "1":
        raise PluginError(
            f"site_url is {config['site_url']}, this machine: canonical links and the sitemap would point there. "
            "Build for the address the site will be served from (SITE_URL=https://example.org/ make build), "
            "or set SITE_LOCAL=1 for a build served locally."
        )
    return config


def urls(site_dir: Path) -> list[str]:
    """The URL path of every file a browser may ask for (``x/index.html`` as ``/x/``)."""
    out = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or rel.endswith((".gz", ".br")) or rel == "_headers":
            continue  # a .gz or .br is sent under its original's URL
        out.append("/" + rel.removesuffix("index.html"))
    return out


def caching_rules(site_dir: Path) -> str:
    return "".join(f"\n{url}\n  Cache-Control: {cache_control(url)}\n" for url in urls(site_dir))


@event_priority(-100)  # after every hook that writes files (the simulator's, the .gz and .br files)
def on_post_build(config, **kwargs) -> None:
    headers = Path(config["site_dir"], "_headers")
    headers.write_text(headers.read_text(encoding="utf-8") + caching_rules(Path(config["site_dir"])), encoding="utf-8")
