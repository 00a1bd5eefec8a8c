/**
 * Request bodies must be valid UTF-8. Decoding leniently turns every invalid byte sequence into U+FFFD, so
 * two different byte strings would arrive as the same name or input (and a byte-level check downstream
 * would see something the client never sent). AWS's JSON protocol is UTF-8; anything else is refused.
 */
import { isUtf8 } from "node:buffer";

export const INVALID_UTF8 = "The request body is not valid UTF-8";

/** The refusal message for a body that is not valid UTF-8, or undefined when it is. */
export function utf8Problem(body: Buffer): string | undefined {
  return body.length === 0 || isUtf8(body) ? undefined : INVALID_UTF8;
}
