/**
 * Stands in for `node:crypto` in the browser bundle. The ASL core imports it for States.Hash and
 * JSONata's $hash, which the console never evaluates: it only validates definitions.
 */
export function createHash(): never {
  throw new Error("Hashing is not available in the console");
}
