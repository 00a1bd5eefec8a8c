/** The repository's files as the docs checks see them: paths relative to the root, read as text. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

/** Every file under `dir` (relative to the root) whose path passes `keep`, skipping node_modules and dot folders. */
export function listRepoFiles(dir: string, keep: (path: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (absolute: string) => {
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(absolute, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (keep(relative(ROOT, path))) found.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, dir));
  return found.sort();
}
