/**
 * Builds the console's browser bundle with esbuild: src/client/main.ts (with the ASL validator and
 * elkjs) to `app.js`, next to index.html and styles.css.
 */
import { copyFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLIENT = join(HERE, "client");
/** `apps/console/dist`, where `npm start` serves the console from. */
export const DEFAULT_DIST = join(HERE, "..", "dist");
/** Sources the bundle is made of, to tell whether a built bundle is out of date. */
const SOURCE_DIRS = [
  CLIENT,
  join(HERE, "..", "..", "..", "packages", "asl", "src"),
  join(HERE, "..", "..", "..", "packages", "cli", "src", "commands", "remote"),
];

/** The ASL core imports node:crypto for hashing functions that validation never calls. */
const nodeCryptoShim: Plugin = {
  name: "node-crypto-shim",
  setup(b) {
    b.onResolve({ filter: /^node:crypto$/ }, () => ({ path: join(CLIENT, "node-crypto-shim.ts") }));
  },
};

export interface BuildOptions {
  outdir?: string;
  minify?: boolean;
}

/**
 * Builds into a fresh directory beside `outdir`, then swaps it in, so a server reading `outdir` (or
 * another process building at the same time) never sees half a bundle.
 */
export async function buildConsole(options: BuildOptions = {}): Promise<string> {
  const outdir = options.outdir ?? DEFAULT_DIST;
  const staging = `${outdir}.build-${process.pid}-${Date.now()}`;
  // Loaded only when a build is needed, so serving a built console does not load esbuild.
  const { build } = await import("esbuild");
  await mkdir(staging, { recursive: true });
  try {
    await build({
      entryPoints: [join(CLIENT, "main.ts")],
      outfile: join(staging, "app.js"),
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: options.minify ?? true,
      sourcemap: true,
      legalComments: "linked",
      logLevel: "silent",
      plugins: [nodeCryptoShim],
    });
    await copyFile(join(CLIENT, "index.html"), join(staging, "index.html"));
    await copyFile(join(CLIENT, "styles.css"), join(staging, "styles.css"));
    const old = `${outdir}.old-${process.pid}-${Date.now()}`;
    await rename(outdir, old).catch(() => undefined);
    await rename(staging, outdir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process swapped in its bundle between our two renames: built from the same sources, it will do.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return outdir;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(path));
    else if (!entry.name.endsWith(".test.ts")) newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

async function bundleTime(outdir: string): Promise<number | undefined> {
  return stat(join(outdir, "app.js")).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

export async function hasBundle(outdir: string = DEFAULT_DIST): Promise<boolean> {
  return (await bundleTime(outdir)) !== undefined;
}

/** True when `outdir` holds a bundle built after the last change to its sources. */
export async function isBundleCurrent(outdir: string = DEFAULT_DIST): Promise<boolean> {
  const built = await bundleTime(outdir);
  if (built === undefined) return false;
  const sources = await Promise.all(SOURCE_DIRS.map(newestMtime));
  return Math.max(...sources) <= built;
}
