"""MkDocs hook: a Content-Security-Policy for every page, made at build time.

Each HTML page gets a ``<meta http-equiv="Content-Security-Policy">`` whose
``script-src`` allows the site's own files and, by SHA-256 hash, exactly the
inline scripts of that page (the theme's small bootstrap scripts) — never
``'unsafe-inline'``. ``'wasm-unsafe-eval'`` is there because Pyodide compiles
WebAssembly. The same policy, with the hashes of all pages and the parts a meta
tag cannot carry (``frame-ancestors``), goes to ``_headers`` for the server
(``sitebuild/serve.py`` sends it with every response, so the Web Worker gets it too).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from mkdocs.plugins import event_priority

HEADERS_FILE = "_headers"

#: The policy without script hashes; one origin: the site's own.
BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
#: Only honoured in an HTTP header, not in a meta tag.
HEADER_ONLY: dict[str, list[str]] = {"frame-ancestors": ["'none'"]}
#: Sent with every response by the server, beside the policy.
OTHER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
_DATA_TYPE = re.compile(r"""\btype=["']?(application/json|application/ld\+json|text/template)""", re.I)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)

_all_hashes: set[str] = set()


def script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources for the executable inline scripts of a page, in order."""
    out = []
    for attrs, body in _INLINE_SCRIPT.findall(html):
        if _DATA_TYPE.search(attrs):
            continue  # a data block, not a script: CSP does not apply
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in out:
            out.append(source)
    return out


def policy(hashes, extra: dict[str, list[str]] | None = None) -> str:
    directives = {k: list(v) for k, v in BASE_POLICY.items()}
    directives["script-src"] += sorted(hashes)
    directives.update(extra or {})
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def add_meta(html: str) -> str:
    """Insert the page's policy right after its charset declaration."""
    if "<head" not in html:
        return html
    hashes = script_hashes(html)
    _all_hashes.update(hashes)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    match = _CHARSET.search(html)
    if match is None:
        return html.replace("<head>", "<head>" + meta, 1)
    return html[: match.end()] + meta + html[match.end() :]


def on_pre_build(config, **kwargs) -> None:
    _all_hashes.clear()


# After every other hook has changed the page: the hashes are of its final scripts.
@event_priority(-50)
def on_post_page(output: str, page, config, **kwargs) -> str:
    return add_meta(output)


@event_priority(-50)
def on_post_template(output_content: str, template_name: str, config, **kwargs) -> str:
    # Static templates such as 404.html (the sitemap is XML and stays as it is).
    return add_meta(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config, **kwargs) -> None:
    lines = ["/*", f"  Content-Security-Policy: {policy(_all_hashes, HEADER_ONLY)}"]
    lines += [f"  {name}: {value}" for name, value in OTHER_HEADERS.items()]
    Path(config["site_dir"], HEADERS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
