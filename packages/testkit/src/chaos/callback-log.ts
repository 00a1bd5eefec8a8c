/**
 * Task tokens the chaos workers hand on (`<token> <verdict>` per line) for the chaos client to answer,
 * and the tokens it has answered (one per line), so a restarted client neither forgets nor repeats one.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";

export function appendCallback(file: string, token: string, verdict: string): void {
  appendFileSync(file, `${token} ${verdict}\n`);
}

/** Every token handed on, with its verdict (a handler run again hands the same token again). */
export function readCallbacks(file: string): Map<string, string> {
  const callbacks = new Map<string, string>();
  for (const line of existsSync(file) ? readFileSync(file, "utf8").split("\n") : []) {
    const [token, verdict] = line.split(" ");
    if (token && verdict) callbacks.set(token, verdict);
  }
  return callbacks;
}

export function appendAnswered(file: string, token: string): void {
  appendFileSync(file, `${token}\n`);
}

export function readAnswered(file: string): Set<string> {
  return new Set(existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);
}
