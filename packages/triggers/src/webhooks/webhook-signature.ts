/**
 * A webhook request's signature: the HMAC-SHA256 of the raw body under the webhook's secret, as
 * `sha256=<hex>` in `X-Stepwise-Signature-256` — the scheme GitHub uses, whose own header,
 * `X-Hub-Signature-256`, is accepted too, so a GitHub webhook can point at Stepwise directly. Compared in
 * constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Request headers (lower case, as Node gives them) that may carry the signature, in order of preference. */
export const SIGNATURE_HEADERS = ["x-stepwise-signature-256", "x-hub-signature-256"] as const;

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

export function webhookSignature(secret: string, body: Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function signatureMatches(secret: string, body: Uint8Array, header: string | undefined): boolean {
  const given = header === undefined ? null : SIGNATURE.exec(header.trim());
  if (!given) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given[1] as string, "hex"));
}

/** A secret for a webhook created without one: 32 random bytes, as text. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString("base64url");
}
