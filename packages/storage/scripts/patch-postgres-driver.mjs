/**
 * Patches the `postgres` driver (3.4.9, the latest release) in node_modules after every install
 * (`postinstall`), until upstream ships a fix for porsager/postgres#1154 / #1208.
 *
 * The bug: a write queued for the next turn of the event loop runs after the connection closed, and
 * dereferences its null socket. The TypeError is thrown from a setImmediate callback, past every
 * caller's try/catch, and kills the process: the chaos test saw every worker exit at once when
 * Postgres restarted. And the close paths cancel that write without forgetting it, so the connection,
 * reopened, kept stale bytes and a stale timer.
 *
 * The patch: a write to a closed connection rejects its queries with CONNECTION_CLOSED, which callers
 * already handle (jobs retry, transactions roll back); closing forgets the pending write.
 * `packages/storage/src/driver-patch.test.ts` shows the crash is gone. Run again, it changes nothing;
 * on a driver without the bug it finds nothing to patch and says so.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const MARK = "stepwise-patch:";

const PATCHES = [
  {
    find: "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n",
    replace:
      "  function nextWrite(fn) {\n" +
      `    // ${MARK} the connection closed after this write was queued (porsager/postgres#1154)\n` +
      "    if (socket === null) {\n" +
      "      chunk = nextWriteTimer = null\n" +
      "      error(Errors.connection('CONNECTION_CLOSED', options))\n" +
      "      return false\n" +
      "    }\n" +
      "    const x = socket.write(chunk, fn)\n",
  },
  {
    find: "    clearImmediate(nextWriteTimer)\n    if (socket) {\n",
    replace: `    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null // ${MARK} forget the cancelled write\n    if (socket) {\n`,
  },
  {
    find: "    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n",
    replace: `    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null // ${MARK} forget the cancelled write\n    socket.removeListener('data', data)\n`,
  },
];

const require = createRequire(import.meta.url);
let entry;
try {
  entry = require.resolve("postgres");
} catch {
  process.stdout.write("patch-postgres-driver: the postgres driver is not installed; nothing to patch\n");
  process.exit(0);
}
// The driver's exports do not include its package.json: walk up from its entry point.
let root = dirname(entry);
const manifest = async (dir) => JSON.parse(await readFile(join(dir, "package.json"), "utf8").catch(() => "{}"));
while ((await manifest(root)).name !== "postgres") {
  if (dirname(root) === root) throw new Error(`patch-postgres-driver: no package root above ${entry}`);
  root = dirname(root);
}
const { version } = await manifest(root);

for (const file of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]) {
  const path = join(root, file);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) continue;
  if (text.includes(MARK)) continue;
  const found = PATCHES.map((p) => text.split(p.find).length - 1);
  if (found.every((n) => n === 0)) {
    process.stdout.write(
      `patch-postgres-driver: postgres ${version} ${file} has changed; the patch no longer applies and may not be needed\n`,
    );
    continue;
  }
  if (found.some((n) => n !== 1)) {
    throw new Error(`patch-postgres-driver: postgres ${version} ${file}: expected each patched place once, found ${found.join(", ")}`);
  }
  await writeFile(
    path,
    PATCHES.reduce((t, p) => t.replace(p.find, p.replace), text),
  );
  process.stdout.write(`patch-postgres-driver: patched postgres ${version} ${file}\n`);
}
