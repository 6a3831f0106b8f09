"""The start-up snapshot's stored form (web/worker/zeropages.mjs), run in Node: every
memory comes back byte for byte, only its non-zero pages are stored, and anything that
is not a whole stored snapshot is refused rather than restored."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "web" / "worker" / "zeropages.mjs"
PAGE = 4096

# Runs in Node: each case's memory packed, read back from the Blob and unpacked.
SCRIPT = """
const { pack, unpack } = await import(process.argv[1]);
const PAGE = 4096;
function memory(length, pages, offset = 0) {
  const buffer = new ArrayBuffer(length + offset);
  const bytes = new Uint8Array(buffer, offset, length);
  for (const [page, at, value] of pages) bytes[Math.min(page * PAGE + at, length - 1)] = value;
  return bytes;
}
const cases = JSON.parse(process.argv[2]);
const out = {};
for (const [name, c] of Object.entries(cases)) {
  const bytes = memory(c.length, c.pages, c.offset ?? 0);
  const stored = await pack(bytes).arrayBuffer();
  const back = unpack(stored);
  const same = back.length === bytes.length && back.every((b, i) => b === bytes[i]);
  out[name] = { same, stored: stored.byteLength };
}
const good = await pack(memory(3 * PAGE + 5, [[0, 1, 9], [2, 7, 3], [3, 4, 1]])).arrayBuffer();
const bad = {
  empty: new ArrayBuffer(0),
  garbage: new Uint8Array(3 * PAGE).fill(7).buffer,
  truncated: good.slice(0, good.byteLength - 1),
  extended: (() => { const b = new Uint8Array(good.byteLength + 1); b.set(new Uint8Array(good)); return b.buffer; })(),
  header_only: good.slice(0, 12),
};
out.refused = {};
for (const [name, buffer] of Object.entries(bad)) {
  try { unpack(buffer); out.refused[name] = false; } catch { out.refused[name] = true; }
}
console.log(JSON.stringify(out));
"""

# name: (length, [(page, byte in page, value)], byteOffset of the memory in its buffer)
CASES = {
    "all zeros": (5 * PAGE, [], 0),
    "empty": (0, [], 0),
    "one byte": (1, [(0, 0, 1)], 0),
    "first and last page": (8 * PAGE, [(0, 0, 1), (7, PAGE - 1, 2)], 0),
    "a run of three": (10 * PAGE, [(2, 5, 1), (3, 9, 2), (4, 0, 3)], 0),
    "a short last page": (4 * PAGE + 17, [(4, 16, 5)], 0),
    "last byte of a page": (3 * PAGE, [(1, PAGE - 1, 255)], 0),
    "unaligned view": (6 * PAGE + 3, [(1, 2, 4), (6, 2, 8)], 1),
}


def header(runs: int) -> int:
    return 4 * (3 + 2 * runs)


def stored_size(length: int, pages: list) -> tuple[int, int]:
    """The bytes `pack` should store for a memory: its header and its non-zero pages."""
    nonzero = sorted({min(p * PAGE + at, length - 1) // PAGE for p, at, _ in pages})
    runs = sum(1 for i, p in enumerate(nonzero) if i == 0 or nonzero[i - 1] != p - 1)
    data = sum(min((p + 1) * PAGE, length) - p * PAGE for p in nonzero)
    return header(runs) + data, runs


@pytest.fixture(scope="module")
def results() -> dict:
    node = shutil.which("node")
    assert node, "Node.js is needed (make setup installs the npm packages with it)"
    cases = {name: {"length": n, "pages": pages, "offset": off} for name, (n, pages, off) in CASES.items()}
    done = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT, MODULE.as_uri(), json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", CASES)
def test_memory_comes_back_byte_for_byte_from_its_non_zero_pages(results, name):
    length, pages, _ = CASES[name]
    assert results[name]["same"] is True
    assert results[name]["stored"] == stored_size(length, pages)[0]


def test_what_is_not_a_whole_stored_snapshot_is_refused(results):
    assert results["refused"] == {
        "empty": True,
        "garbage": True,
        "truncated": True,
        "extended": True,
        "header_only": True,
    }
