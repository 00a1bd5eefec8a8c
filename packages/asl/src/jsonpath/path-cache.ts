/** Compiled paths by their text: the interpreter reads the same few paths in hot loops. */
import type { CompiledPath } from "./path-ast.ts";
import { JsonPathSyntaxError } from "./path-cursor.ts";
import { parsePath } from "./path-parser.ts";

/** Paths come from definitions, so the set is small; the cap only bounds a long-lived process seeing many definitions. */
const CACHE_LIMIT = 10_000;
const cache = new Map<string, CompiledPath | JsonPathSyntaxError>();

/** The compiled path, or the syntax error that makes it invalid (cached too: validators ask repeatedly). */
export function compiledPath(path: string): CompiledPath | JsonPathSyntaxError {
  let entry = cache.get(path);
  if (entry === undefined) {
    try {
      entry = parsePath(path);
    } catch (error) {
      if (!(error instanceof JsonPathSyntaxError)) throw error;
      entry = error;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(path, entry);
  }
  return entry;
}
