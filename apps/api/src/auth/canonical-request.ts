/**
 * The pieces of AWS Signature Version 4 both sides compute: the canonical request, the string to sign and
 * the signing key (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 */
import { createHash, createHmac } from "node:crypto";

export const ALGORITHM = "AWS4-HMAC-SHA256";

export interface CanonicalInput {
  method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  url: string;
  /** Header name/value pairs as received, repeated names included (Node's `rawHeaders`, paired up). */
  headers: ReadonlyArray<readonly [string, string]>;
  signedHeaders: readonly string[];
  body: Buffer;
}

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 encoding, as SigV4 wants it: everything but unreserved characters. */
function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, "%20"));
  } catch {
    return text;
  }
}

/** Services other than S3 encode each path segment once more on top of the encoding it was sent with. */
function canonicalPath(path: string): string {
  if (path === "" || path === "/") return "/";
  return path
    .split("/")
    .map((segment) => encodeRfc3986(segment))
    .join("/");
}

function canonicalQuery(query: string): string {
  if (query === "") return "";
  return query
    .split("&")
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const at = pair.indexOf("=");
      const key = at < 0 ? pair : pair.slice(0, at);
      const value = at < 0 ? "" : pair.slice(at + 1);
      return [encodeRfc3986(safeDecode(key)), encodeRfc3986(safeDecode(value))] as const;
    })
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

function canonicalHeaders(headers: CanonicalInput["headers"], signed: readonly string[]): string {
  const values = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (!signed.includes(key)) continue;
    values.set(key, [...(values.get(key) ?? []), value.trim().replace(/\s+/g, " ")]);
  }
  return signed.map((name) => `${name}:${(values.get(name) ?? []).join(",")}\n`).join("");
}

export function canonicalRequest(input: CanonicalInput): string {
  const at = input.url.indexOf("?");
  const path = at < 0 ? input.url : input.url.slice(0, at);
  const query = at < 0 ? "" : input.url.slice(at + 1);
  return [
    input.method.toUpperCase(),
    canonicalPath(path),
    canonicalQuery(query),
    canonicalHeaders(input.headers, input.signedHeaders),
    input.signedHeaders.join(";"),
    // The hash of the body actually received: a client-declared x-amz-content-sha256 is never trusted.
    sha256Hex(input.body),
  ].join("\n");
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

export function signature(key: Buffer, toSign: string): string {
  return createHmac("sha256", key).update(toSign, "utf8").digest("hex");
}
