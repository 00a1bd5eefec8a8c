/** Bearer-token authentication for the REST API (`Authorization: Bearer <token>`). */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import type { ApiConfig } from "../config.ts";

/** Hashing first gives equal-length buffers, so the comparison leaks neither content nor length. */
function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

export function parseApiTokens(raw: string): string[] {
  return raw
    .split(",")
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
}

/** True when `candidate` equals one of `tokens`; every token is compared so timing does not reveal which. */
export function tokenMatches(candidate: string, tokens: readonly string[]): boolean {
  const candidateDigest = digest(candidate);
  let matched = false;
  for (const token of tokens) {
    if (timingSafeEqual(candidateDigest, digest(token))) matched = true;
  }
  return matched;
}

/** Accepts any token of STEPWISE_API_TOKENS; answers 401 otherwise. A no-op when STEPWISE_AUTH is off. */
export function bearerAuth(config: ApiConfig): RequestHandler {
  if (config.STEPWISE_AUTH === "off") {
    return (_req, _res, next) => next();
  }
  const tokens = parseApiTokens(config.STEPWISE_API_TOKENS);
  return (req, res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      res
        .status(401)
        .json({ error: "UnrecognizedClientException", message: "Missing bearer token: send 'Authorization: Bearer <token>'." });
      return;
    }
    if (!tokenMatches(match[1]!, tokens)) {
      res.status(401).json({ error: "UnrecognizedClientException", message: "The bearer token is not valid." });
      return;
    }
    next();
  };
}
