/**
 * Verification of AWS Signature Version 4 on Step Functions requests, answering as AWS does: the error
 * code and message a client of AWS would get for a missing, incomplete, unknown, expired or wrong
 * signature.
 */
import { timingSafeEqual } from "node:crypto";
import { ALGORITHM, type CanonicalInput, canonicalRequest, signature, signingKey, stringToSign } from "./canonical-request.ts";

export const SERVICE = "states";
/** How far X-Amz-Date may be from the server's clock, either way. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

export type SignedRequest = Omit<CanonicalInput, "signedHeaders">;

export type SignatureCheck = { ok: true; accessKeyId: string } | { ok: false; code: string; message: string };

export interface VerifyOptions {
  keys: ReadonlyMap<string, string>;
  region: string;
  /** `states` unless told otherwise (AWS's published test vectors sign for `service`). */
  service?: string;
  now: Date;
}

const fail = (code: string, message: string): SignatureCheck => ({ ok: false, code, message });

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

function header(request: SignedRequest, name: string): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/**
 * The first header the request carries that AWS requires to be signed but the signature leaves out.
 * AWS: the canonical headers must include Host, Content-Type when present, and every x-amz-* header
 * sent (X-Amz-Date among them). Without this a signature over `host` alone could be replayed with any
 * X-Amz-Target, turning a signed DescribeStateMachine into a DeleteStateMachine.
 */
function unsignedRequiredHeader(request: SignedRequest, signed: readonly string[]): string | undefined {
  for (const [name] of request.headers) {
    const lower = name.toLowerCase();
    const required = lower === "content-type" || lower.startsWith("x-amz-");
    if (required && !signed.includes(lower)) return name;
  }
  return undefined;
}

interface Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string): Authorization | string {
  const space = value.indexOf(" ");
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) return `Unsupported AWS 'algorithm': '${algorithm}'`;
  const parts = new Map<string, string>();
  for (const part of value.slice(space + 1).split(",")) {
    const at = part.indexOf("=");
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const missing = ["Credential", "Signature", "SignedHeaders"].filter((name) => !parts.get(name));
  if (missing.length > 0) {
    return `${missing.map((name) => `Authorization header requires '${name}' parameter.`).join(" ")} Authorization=${value}`;
  }
  const credential = (parts.get("Credential") as string).split("/");
  if (credential.length !== 5 || credential.some((piece) => piece.length === 0)) {
    return `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.get("Credential")}'`;
  }
  const [accessKeyId, date, region, service, terminator] = credential as [string, string, string, string, string];
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: (parts.get("SignedHeaders") as string).split(";").map((name) => name.trim().toLowerCase()),
    signature: parts.get("Signature") as string,
  };
}

/** `20240102T030405Z` → its time, or undefined when it is not that format. */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const time = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  return Number.isNaN(time.getTime()) ? undefined : time;
}

const isoBasic = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

export function verifySignature(request: SignedRequest, options: VerifyOptions): SignatureCheck {
  const authorization = header(request, "authorization");
  if (authorization === undefined) return fail("MissingAuthenticationTokenException", "Missing Authentication Token");
  const auth = parseAuthorization(authorization.trim());
  if (typeof auth === "string") return fail("IncompleteSignatureException", auth);

  const amzDate = header(request, "x-amz-date");
  if (amzDate === undefined) {
    return fail(
      "IncompleteSignatureException",
      `Authorization header requires existence of a 'X-Amz-Date' header. Authorization=${authorization}`,
    );
  }
  const signedAt = parseAmzDate(amzDate.trim());
  if (!signedAt) return fail("IncompleteSignatureException", `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);

  // Which key signed comes first: an unknown key learns nothing from the checks that follow.
  const secret = options.keys.get(auth.accessKeyId);
  if (secret === undefined) return fail("UnrecognizedClientException", "The security token included in the request is invalid.");

  const service = options.service ?? SERVICE;
  if (auth.service !== service) return fail("InvalidSignatureException", `Credential should be scoped to correct service: '${service}'. `);
  if (auth.region !== options.region)
    return fail("InvalidSignatureException", `Credential should be scoped to a valid region, not '${auth.region}'. `);
  if (auth.terminator !== "aws4_request") {
    return fail(
      "InvalidSignatureException",
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'. `,
    );
  }
  if (auth.date !== amzDate.trim().slice(0, 8)) {
    return fail(
      "InvalidSignatureException",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.trim().slice(0, 8)}', from '${amzDate.trim()}'.`,
    );
  }
  if (!auth.signedHeaders.includes("host")) {
    return fail("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const unsigned = unsignedRequiredHeader(request, auth.signedHeaders);
  if (unsigned !== undefined) {
    return fail("InvalidSignatureException", `'${unsigned}' must be a 'SignedHeader' in the AWS Authorization.`);
  }

  const now = options.now;
  const skew = signedAt.getTime() - now.getTime();
  if (skew < -MAX_SKEW_MS) {
    const earliest = new Date(now.getTime() - MAX_SKEW_MS);
    return fail(
      "InvalidSignatureException",
      `Signature expired: ${isoBasic(signedAt)} is now earlier than ${isoBasic(earliest)} (${isoBasic(now)} - 15 min.)`,
    );
  }
  if (skew > MAX_SKEW_MS) {
    const latest = new Date(now.getTime() + MAX_SKEW_MS);
    return fail(
      "InvalidSignatureException",
      `Signature not yet current: ${isoBasic(signedAt)} is still later than ${isoBasic(latest)} (${isoBasic(now)} + 15 min.)`,
    );
  }

  const scope = `${auth.date}/${auth.region}/${auth.service}/${auth.terminator}`;
  const canonical = canonicalRequest({ ...request, signedHeaders: auth.signedHeaders });
  const expected = signature(signingKey(secret, auth.date, auth.region, auth.service), stringToSign(amzDate.trim(), scope, canonical));
  if (!constantTimeEquals(expected, auth.signature.toLowerCase())) return fail("InvalidSignatureException", MISMATCH);
  return { ok: true, accessKeyId: auth.accessKeyId };
}
