/**
 * Tells when executions have ended, by asking Postgres (the source of truth) for all the awaited ones
 * at once every few ms, so waiting for many executions costs one query per poll, not one per execution.
 */

import type { Runtime } from "@stepwise/runtime";
import { anyOf, executions } from "@stepwise/storage";
import { and, ne } from "drizzle-orm";

export class CompletionWatcher {
  private readonly awaited = new Map<string, () => void>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly db: Runtime["db"],
    private readonly pollMs = 50,
  ) {
    this.loop = this.poll();
  }

  /** Resolves once the execution is no longer RUNNING. */
  ended(executionArn: string): Promise<void> {
    return new Promise((resolve) => this.awaited.set(executionArn, resolve));
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      if (this.awaited.size > 0) {
        const rows = await this.db
          .select({ arn: executions.arn })
          .from(executions)
          .where(and(anyOf(executions.arn, [...this.awaited.keys()]), ne(executions.status, "RUNNING")));
        for (const { arn } of rows) {
          this.awaited.get(arn)?.();
          this.awaited.delete(arn);
        }
      }
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }
}
