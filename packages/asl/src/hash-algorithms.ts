/** The hash algorithms AWS offers (`States.Hash`, JSONata `$hash`), by AWS's name, as node:crypto names them. */
export const HASH_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ["MD5", "md5"],
  ["SHA-1", "sha1"],
  ["SHA-256", "sha256"],
  ["SHA-384", "sha384"],
  ["SHA-512", "sha512"],
]);
