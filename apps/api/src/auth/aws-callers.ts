/**
 * Who signed an AWS-protocol request (Step Functions' JSON protocol, EventBridge Scheduler's REST-JSON
 * one): Signature V4 against STEPWISE_ACCESS_KEYS, and what that key may reach (STEPWISE_KEY_SCOPES).
 */
import type { Request } from "express";
import type { ApiConfig } from "../config.ts";
import { parseAccessKeys } from "./access-keys.ts";
import { accessKeyLabel } from "./key-scopes.ts";
import { Access } from "./scopes.ts";
import { type SignatureCheck, verifySignature } from "./sigv4.ts";

const OPEN_ACCESS = Access.unrestricted("Anonymous caller");

export type SignatureFailure = Extract<SignatureCheck, { ok: false }>;

export class AwsCallers {
  private readonly keys: ReadonlyMap<string, string>;
  private readonly accesses: ReadonlyMap<string, Access>;

  constructor(
    private readonly config: ApiConfig,
    private readonly region: string,
  ) {
    this.keys = parseAccessKeys(config.STEPWISE_ACCESS_KEYS);
    this.accesses = new Map(
      [...this.keys.keys()].map((id) => {
        const scope = config.keyScopes.get(id);
        return [id, scope ? Access.scoped(accessKeyLabel(id), scope) : Access.unrestricted(accessKeyLabel(id))];
      }),
    );
  }

  /**
   * The caller's access, or the signature check's failure. Every key that verifies has an entry; a missing
   * one would be a bug and must not mean "everything", so it is undefined.
   */
  access(req: Request, body: Buffer, service: string): Access | SignatureFailure | undefined {
    if (this.config.STEPWISE_AUTH !== "on") return OPEN_ACCESS;
    const headers: Array<[string, string]> = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
    const check = verifySignature(
      { method: req.method, url: req.originalUrl, headers, body },
      { keys: this.keys, region: this.region, service, now: new Date() },
    );
    return check.ok ? this.accesses.get(check.accessKeyId) : check;
  }
}
