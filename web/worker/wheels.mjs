// @ts-check
// The wheels, as the lockfile names them: which ones the entry package needs, each
// downloaded against its sha256 and written into Pyodide's file system as one zip
// on sys.path (not unpacked: measured ~200 ms less than Pyodide's loadPackage,
// which writes every file of every wheel).
import { BASE } from "./config.mjs";

/** Where the wheels go in Pyodide's file system (each stays one zip file). */
const WHEEL_DIR = "/home/pyodide/.simulator-wheels";

/** The lockfile's entry package and everything it depends on, in the lockfile's terms. */
export function resolve(lock, name, seen = new Map()) {
  const key = name.toLowerCase().replace(/[-_.]+/g, "-");
  const entry = lock.packages[key];
  if (!entry) throw new Error(`${name} is not in the lockfile`);
  if (!seen.has(key)) {
    seen.set(key, entry);
    for (const dep of entry.depends ?? []) resolve(lock, dep, seen);
  }
  return [...seen.values()];
}

/** Download a wheel of the lockfile, checked against the lockfile's sha256.
 * @param {{file_name: string, sha256: string}} pkg
 * @param {RequestPriority} [priority] */
export async function fetchWheel(pkg, priority = "auto") {
  const url = new URL(pkg.file_name, BASE).href;
  const digest = btoa(String.fromCharCode(...pkg.sha256.match(/../g).map((h) => parseInt(h, 16))));
  const response = await self.fetch(url, { integrity: `sha256-${digest}`, priority });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { name: pkg.file_name.split("/").pop(), bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Write the wheels as they are, one zip each, into Pyodide's file system; their paths. */
export function writeWheels(pyodide, wheels) {
  pyodide.FS.mkdirTree(WHEEL_DIR);
  return wheels.map(({ name, bytes }) => {
    const path = `${WHEEL_DIR}/${name}`;
    pyodide.FS.writeFile(path, bytes);
    return path;
  });
}
