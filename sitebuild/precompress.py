"""Compress the built site ahead of time: ``<file>.gz`` and ``<file>.br`` beside every file worth it.

A static host that serves precompressed files (nginx's ``gzip_static`` and
``brotli_static``, for one) sends these as they are; ``sitebuild/serve.py`` does the
same for a browser that accepts them. Browsers offer brotli over HTTPS only, so every
real host can use it; gzip is for the rest (plain-HTTP localhost among them). It
matters most for the simulator: ``pyodide.asm.wasm`` is 8.6 MB, 2.8 MB gzipped and
2.1 MB in brotli; the stdlib and the wheels are zips of stored entries
(``sitebuild/pycompile.py``), compressed here whole. Files under 1 kB are left alone,
and so are files compression does not shrink by a tenth (zips that are deflated already).

Each ``.gz`` and ``.br`` carries its original's modification time, and a server uses
it only while the time matches and the ``.gz``'s recorded length (gzip's trailer; the
two are written together, and brotli records no length) is the original's size: a file
changed after the build (by hand, or by a bench variant) is served as it is, never
compressed from stale bytes. Nothing else is deleted: a ``.gz`` this did not write
(MkDocs's own ``sitemap.xml.gz``) stays as it is. Compressed bytes are cached by
content under ``.cache/precompress/``, so the runtime is compressed once (brotli at its
best takes ~40 s for the wasm), not at every build.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import brotli
from mkdocs.plugins import event_priority

#: Types worth compressing (text, WebAssembly, zips of stored entries); nothing else.
SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".wasm", ".map", ".zip", ".whl"})
#: Smaller files gain less than a request's own headers.
MIN_BYTES = 1024
#: Keep a .gz only when it saves at least this share of the original.
MIN_SAVING = 0.1
#: Compressed files kept in the cache (per encoding), most recently used first.
CACHE_KEEP = 200
#: The encodings written, by file suffix: Content-Encoding name and compressor
#: (gzip at level 9, no name or time in its header; brotli at its best quality).
ENCODINGS = {
    ".gz": ("gzip", lambda data: gzip.compress(data, compresslevel=9, mtime=0)),
    ".br": ("br", lambda data: brotli.compress(data, quality=11)),
}


def wanted(path: Path) -> bool:
    """Whether ``path`` is of a type that gets a ``.gz`` beside it."""
    return path.suffix in SUFFIXES


def fresh_gzip(path: str | os.PathLike) -> str | None:
    """The ``.gz`` beside ``path`` if there is one made from its current content, else None:
    the same modification time, and gzip's trailer records the original's size."""
    gz = os.fspath(path) + ".gz"
    try:
        original = os.stat(path)
        if os.stat(gz).st_mtime_ns != original.st_mtime_ns:
            return None
        with open(gz, "rb") as f:
            f.seek(-4, os.SEEK_END)
            recorded = int.from_bytes(f.read(4), "little")  # ISIZE: the size mod 2**32
    except OSError:
        return None
    return gz if recorded == original.st_size % 2**32 else None


def fresh_brotli(path: str | os.PathLike) -> str | None:
    """The ``.br`` beside ``path`` if there is one made from its current content, else None:
    the same modification time, and a fresh ``.gz`` beside it (written with it)."""
    br = os.fspath(path) + ".br"
    try:
        if os.stat(br).st_mtime_ns != os.stat(path).st_mtime_ns:
            return None
    except OSError:
        return None
    return br if fresh_gzip(path) else None


def _compressed(data: bytes, cache: Path, suffix: str) -> bytes:
    """``data`` compressed for ``suffix`` (see :data:`ENCODINGS`; the same bytes always
    give the same file), from the cache when it was done before."""
    cached = cache / (hashlib.sha256(data).hexdigest() + suffix)
    try:
        out = cached.read_bytes()
        os.utime(cached)  # most recently used
        return out
    except FileNotFoundError:
        pass
    out = ENCODINGS[suffix][1](data)
    cache.mkdir(parents=True, exist_ok=True)
    _write(cached, out)
    return out


def _write(dest: Path, data: bytes) -> None:
    """Write ``dest`` atomically (a reader never sees half a file); no temp file is left."""
    with tempfile.NamedTemporaryFile(dir=dest.parent, prefix=".", suffix=".tmp", delete=False) as tmp:
        tmp.write(data)
    try:
        os.replace(tmp.name, dest)
    finally:
        Path(tmp.name).unlink(missing_ok=True)


def _prune(cache: Path) -> None:
    """Keep the CACHE_KEEP most recently used entries (another build may prune at once)."""

    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    for suffix in ENCODINGS:
        entries = sorted(cache.glob("*" + suffix), key=used, reverse=True) if cache.is_dir() else []
        for stale in entries[CACHE_KEEP:]:
            stale.unlink(missing_ok=True)


def precompress(root: Path, cache: Path) -> dict[str, int]:
    """Write a fresh ``.gz`` and ``.br`` beside every file under ``root`` worth it; returns
    the count and byte totals (``original``, ``gzipped``, ``brotli``) of the files compressed."""
    root, totals = Path(root), {"files": 0, "original": 0, "gzipped": 0, "brotli": 0}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or not wanted(path):
            continue
        data = path.read_bytes()
        gz = _compressed(data, cache, ".gz") if len(data) >= MIN_BYTES else None
        if gz is None or len(gz) > len(data) * (1 - MIN_SAVING):
            continue  # sent as it is (a .gz beside it from elsewhere is not fresh: left alone)
        br = _compressed(data, cache, ".br")
        for suffix, out in ((".gz", gz), (".br", min(br, gz, key=len))):
            dest = path.with_name(path.name + suffix)
            if suffix == ".br" and out is gz:
                dest.unlink(missing_ok=True)  # brotli no smaller: gzip is sent
                continue
            if not (dest.is_file() and dest.read_bytes() == out):
                _write(dest, out)
            shutil.copystat(path, dest)  # the original's time: how a server tells it is fresh
        totals["files"] += 1
        totals["original"] += len(data)
        totals["gzipped"] += len(gz)
        totals["brotli"] += min(len(br), len(gz))
    _prune(cache)
    return totals


# ---------------------------------------------------------------- MkDocs hook
# Listed last under `hooks:` in mkdocs.yml: it runs after every other hook has
# written its files (the pages' CSP, the simulator's runtime).

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "precompress"
_command = None


def on_startup(*, command: str, dirty: bool) -> None:
    global _command
    _command = command


@event_priority(-90)  # after the hooks that write files (the simulator's, the search worker)
def on_post_build(config, **kwargs) -> None:
    from mkdocs.plugins import get_plugin_logger

    if _command == "serve":
        return  # `mkdocs serve`'s own server never sends them: no need to write ~7 MB per rebuild
    totals = precompress(Path(config["site_dir"]), CACHE)
    get_plugin_logger("precompress").info(
        f"{totals['files']} files compressed: {totals['original'] / 1e6:.1f} MB → "
        f"gzip {totals['gzipped'] / 1e6:.1f} MB, brotli {totals['brotli'] / 1e6:.1f} MB"
    )
