/**
 * AWS's intrinsics run on the JVM and turn values into text the way Java's `toString` does: strings
 * bare, objects as `{a=1, b=[x, y]}`, arrays as `[1, 2]`. `States.Format` prints arguments this way,
 * and `States.ArrayContains` and `States.Hash` compare and hash this text.
 */
import type { Json } from "../json.ts";

export function javaText(value: Json): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return javaNumber(value);
  if (value === null || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(javaText).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${key}=${javaText(item)}`)
    .join(", ")}}`;
}

/**
 * Integers print as integers (JSON integers become Java longs); other numbers, and integers too large
 * to have been written without an exponent, as Java's `Double.toString`, which switches to `1.0E-4`
 * notation outside [10^-3, 10^7).
 */
export function javaNumber(n: number): string {
  const magnitude = Math.abs(n);
  if (Number.isInteger(n) && magnitude < 1e21) return String(n === 0 ? 0 : n);
  if (magnitude >= 1e-3 && magnitude < 1e7) return String(n);
  const [mantissa = "", exponent = "0"] = n.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
