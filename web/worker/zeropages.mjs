// @ts-check
// The start-up snapshot's stored form (snapshot.mjs): Python's memory without its
// zero pages. About half of it is zeros (of ~21 MB, ~10.7 MB are in non-zero 4 KiB
// pages), and reading the snapshot from Cache Storage is on the next visit's
// critical path. Hand-written: a few lines that decode at copying speed, where gzip
// (CompressionStream, 21 → ~4 MB) took longer to read and decompress than the
// whole snapshot to read (bench/RESULTS.md). No imports: tests/unit runs it in Node.
const PAGE = 4096;
const MAGIC = 0x31504e53; // "SNP1", little-endian
const HEADER_WORDS = 3; // MAGIC, the memory's length, the number of runs

/** Whether page `p` of `bytes` holds anything but zeros (`words`: the same memory as u32). */
function pageHasData(bytes, words, p) {
  const from = p * PAGE;
  const to = Math.min(from + PAGE, bytes.length);
  let i = from;
  if (words) {
    for (const end = to >>> 2; i >>> 2 < end; i += 4) if (words[i >>> 2] !== 0) return true;
  }
  for (; i < to; i++) if (bytes[i] !== 0) return true;
  return false;
}

/** `bytes` as a Blob: a header, the runs of non-zero pages as [first, end) page
 * numbers, then those pages' bytes. */
export function pack(bytes) {
  const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2) : null;
  const pages = Math.ceil(bytes.length / PAGE);
  const runs = [];
  let first = -1;
  for (let p = 0; p <= pages; p++) {
    const data = p < pages && pageHasData(bytes, words, p);
    if (data && first < 0) first = p;
    else if (!data && first >= 0) {
      runs.push(first, p);
      first = -1;
    }
  }
  const parts = [new Uint32Array([MAGIC, bytes.length, runs.length / 2, ...runs])];
  for (let r = 0; r < runs.length; r += 2)
    parts.push(bytes.subarray(runs[r] * PAGE, Math.min(runs[r + 1] * PAGE, bytes.length)));
  return new Blob(parts, { type: "application/octet-stream" });
}

/** The memory `pack` stored in `buffer`; throws if `buffer` is not one. */
export function unpack(buffer) {
  const head = buffer.byteLength >= 4 * HEADER_WORDS ? new Uint32Array(buffer, 0, HEADER_WORDS) : null;
  if (!head || head[0] !== MAGIC) throw new Error("not a stored snapshot");
  const [, length, count] = head;
  const runs = new Uint32Array(buffer, 4 * HEADER_WORDS, 2 * count); // throws if too short
  const memory = new Uint8Array(length); // zeros
  let offset = 4 * (HEADER_WORDS + 2 * count);
  for (let r = 0; r < runs.length; r += 2) {
    const from = runs[r] * PAGE;
    const size = Math.min(runs[r + 1] * PAGE, length) - from;
    if (size <= 0) throw new Error("a stored snapshot with a bad run");
    memory.set(new Uint8Array(buffer, offset, size), from); // throws past either end
    offset += size;
  }
  if (offset !== buffer.byteLength) throw new Error("a stored snapshot of the wrong size");
  return memory;
}
