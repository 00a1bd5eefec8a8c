/**
 * The functions Step Functions adds to JSONata (`$partition`, `$range`, `$hash`, `$random(seed?)`,
 * `$uuid`, `$parse`), the ones it takes away (`$eval`), and the clock and randomness of `$now`,
 * `$millis` and `$random`, which must come from the caller for the core to stay pure.
 *
 * Argument checking is JSONata's own, through each function's signature, so a wrong call fails with the
 * T0410 text AWS reports (`Argument 2 of function "random" does not match function signature`).
 * Behaviour at the edges (undefined results, truncation towards zero, the D3137 texts) follows what
 * AWS was measured to return.
 */
import { createHash } from "node:crypto";
import jsonata from "jsonata";
import { HASH_ALGORITHMS } from "../hash-algorithms.ts";
import { JavaRandom, toJavaLong } from "../java-random.ts";
import { contextOf } from "./evaluation-context.ts";
import { parseStrictJson } from "./strict-json.ts";

type Focus = jsonata.Focus;

/**
 * An error raised the way JSONata raises its own: by code, with the fields its message template reads.
 * JSONata renders the final message from the template (D3137's template is the message itself).
 */
class JsonataFunctionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    fields: { index?: number; token?: string } = {},
  ) {
    super(message);
    Object.assign(this, fields);
  }
}

interface NativeFunction {
  implementation: (this: Focus, ...args: unknown[]) => unknown;
}

let builtinFromMillis: Promise<NativeFunction> | undefined;

/** JSONata's own `$fromMillis`, which formats `$now()`'s instant exactly as JSONata would. */
function fromMillis(): Promise<NativeFunction> {
  builtinFromMillis ??= jsonata("$fromMillis").evaluate(undefined) as Promise<NativeFunction>;
  return builtinFromMillis;
}

async function now(this: Focus, picture?: string, timezone?: string): Promise<unknown> {
  const millis = contextOf(this.environment).now.getTime();
  const format = await fromMillis();
  return format.implementation.call(this, millis, picture, timezone);
}

function millis(this: Focus): number {
  return contextOf(this.environment).now.getTime();
}

/** Without a seed, the caller's randomness; with one, what AWS's `java.util.Random` gives. */
function random(this: Focus, seed?: number): number {
  return seed === undefined ? contextOf(this.environment).random() : new JavaRandom(toJavaLong(seed)).nextDouble();
}

function uuid(this: Focus): string {
  const { random: draw } = contextOf(this.environment);
  const bytes = Array.from({ length: 16 }, () => Math.floor(draw() * 256) & 0xff);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `$parse(json)`: the replacement for the disabled `$eval`. */
function parse(text?: string): unknown {
  if (text === undefined) return undefined;
  const value = parseStrictJson(text);
  if (value === undefined) throw new JsonataFunctionError("D3137", "Invalid JSON");
  return value;
}

/** `$hash(value, algorithm)`: the hex digest of the UTF-8 text; the algorithm name is case-sensitive. */
function hash(value: string, algorithm?: string): string | undefined {
  if (algorithm === undefined) return undefined;
  const nodeAlgorithm = HASH_ALGORITHMS.get(algorithm);
  if (nodeAlgorithm === undefined) {
    throw new JsonataFunctionError("D3137", `Hash algorithm '${algorithm}' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5`);
  }
  return createHash(nodeAlgorithm).update(value, "utf8").digest("hex");
}

/**
 * `$partition(array, size)`: chunks of `size` items, the last one holding the rest. Nothing comes back
 * for a missing or empty array or a size that truncates to zero; no size gives the whole array as one
 * chunk.
 */
function partition(array?: unknown, size?: number): unknown[] | undefined {
  if (array === undefined) return undefined;
  if (!Array.isArray(array)) {
    // AWS's own wording, which names no element type.
    throw new JsonataFunctionError("T0412", "", { index: 1, token: "partition" });
  }
  if (array.length === 0) return undefined;
  if (size === undefined) return [[...array]];
  const chunkSize = Math.trunc(size);
  if (chunkSize < 0) throw new JsonataFunctionError("D3137", "Second argument must be zero or greater");
  if (chunkSize === 0) return undefined;
  const chunks: unknown[][] = [];
  for (let start = 0; start < array.length; start += chunkSize) chunks.push(array.slice(start, start + chunkSize));
  return chunks;
}

/**
 * `$range(start, end, step)`: from `start` towards `end` by `step`, `end` included when a step lands on
 * it. Nothing comes back without a step, for a zero step, or for a step pointing away from `end`; a
 * single value comes back bare, as a JSONata sequence of one does.
 */
function range(this: Focus, start: number, end: number, step?: number): number | number[] | undefined {
  if (step === undefined) return undefined;
  const first = Math.trunc(start);
  const last = Math.trunc(end);
  const by = Math.trunc(step);
  if (by === 0 || (by > 0 && first > last) || (by < 0 && first < last)) return undefined;
  const count = Math.floor((last - first) / by) + 1;
  contextOf(this.environment).guard.checkArrayLength(count);
  if (count === 1) return first;
  return Array.from({ length: count }, (_, i) => first + i * by);
}

/** Installs the Step Functions dialect on a compiled expression. */
export function installDialect(program: jsonata.Expression): void {
  program.registerFunction("now", now, "<s?s?:s>");
  program.registerFunction("millis", millis, "<:n>");
  program.registerFunction("random", random, "<n?:n>");
  program.registerFunction("uuid", uuid, "<:s>");
  program.registerFunction("parse", parse, "<s?:x>");
  program.registerFunction("hash", hash, "<ss?:s>");
  program.registerFunction("partition", partition, "<x?n?:x>");
  program.registerFunction("range", range, "<nnn?:x>");
  // Unbound, `$eval(...)` fails as calling a non-function (T1006), which is what AWS answers.
  program.assign("eval", undefined);
}
