/**
 * `npm run bench [-- name...]`: runs every suite in bench/suites/ (or those whose name contains one of
 * the arguments) in this one process, one after the other, and prints one table of what they measured.
 */
import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Suite } from "./suite.ts";
import { renderTable, type SuiteRows } from "./table.ts";

const SUITES_DIR = fileURLToPath(new URL("./suites/", import.meta.url));

function isSuite(value: unknown): value is Suite {
  return (
    typeof value === "object" && value !== null && typeof (value as Suite).name === "string" && typeof (value as Suite).run === "function"
  );
}

async function loadSuites(): Promise<Suite[]> {
  const files = (await readdir(SUITES_DIR)).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts")).sort();
  const suites: Suite[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(SUITES_DIR + file).href)) as Record<string, unknown>;
    const suite = module.suite ?? module.default;
    if (!isSuite(suite)) throw new Error(`bench/suites/${file} must export \`suite\` (or a default) of the shape { name, run() }`);
    suites.push(suite);
  }
  return suites;
}

async function main(filters: string[]): Promise<void> {
  const suites = (await loadSuites()).filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));
  if (suites.length === 0) throw new Error(`No suite matches ${filters.join(", ")}`);
  const results: SuiteRows[] = [];
  for (const suite of suites) {
    process.stderr.write(`running ${suite.name}...\n`);
    const started = performance.now();
    results.push({ suite: suite.name, rows: await suite.run() });
    process.stderr.write(`${suite.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(`${renderTable(results)}\n`);
}

await main(process.argv.slice(2));
