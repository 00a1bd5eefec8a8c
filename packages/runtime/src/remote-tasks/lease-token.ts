/**
 * The token a remote worker gets with each task it polls (its lease), and sends back to complete, fail or
 * heartbeat it. It names the handler, the attempt (whose id is also its BullMQ job's) and the job's lock,
 * so any API process can act on it: nothing about a lease is kept in the process that handed it out.
 *
 * The lock token is the secret (a random UUID, as long as a task token): whoever holds the lease may
 * answer the task, as whoever holds a task token may. Task tokens are bare UUIDs, so a lease, which starts
 * with `lease.`, is never mistaken for one.
 */
import { InvalidToken } from "@stepwise/storage";

export interface TaskLease {
  handler: string;
  /** The attempt's task id (its BullMQ job id, and its token in Postgres). */
  taskId: string;
  /** BullMQ's lock token on the job while this lease holds it. */
  lock: string;
}

const PREFIX = "lease.";
/** A lease is at most this long: a handler name of 256 characters, two UUIDs, the JSON around them, base64. */
const MAX_LENGTH = 600;

export function isLeaseToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

export function encodeLease(lease: TaskLease): string {
  return PREFIX + Buffer.from(JSON.stringify([lease.handler, lease.taskId, lease.lock]), "utf8").toString("base64url");
}

/** The lease a token names; InvalidToken (AWS's answer to a token it never issued) when it cannot be one. */
export function decodeLease(token: string): TaskLease {
  if (!isLeaseToken(token) || token.length > MAX_LENGTH) throw new InvalidToken("Invalid token");
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(token.slice(PREFIX.length), "base64url").toString("utf8"));
  } catch {
    throw new InvalidToken("Invalid token");
  }
  if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === "string" && p.length > 0)) {
    throw new InvalidToken("Invalid token");
  }
  const [handler, taskId, lock] = parts as [string, string, string];
  return { handler, taskId, lock };
}
