/**
 * StartExecution through the API process, as a client would call it, timing each request. Every
 * execution is named, so the SDK's retry of a request that failed in transit (a keep-alive connection
 * the server closed as it was reused) cannot start it twice: a start is idempotent by name and input.
 */
import { performance } from "node:perf_hooks";
import { type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { LoadKind } from "./load-workload.ts";

export interface StartedExecution {
  executionArn: string;
  /** Index into the workload kinds. */
  kind: number;
  /** When the request was sent, ms since the starter was created. */
  sentAtMs: number;
  /** StartExecution's round trip. */
  requestMs: number;
}

export class ExecutionStarter {
  readonly started: StartedExecution[] = [];
  /** StartExecution calls that failed after the SDK's retries. */
  readonly errors: string[] = [];
  /** StartExecution calls that needed more than one attempt. */
  retried = 0;
  private readonly origin = performance.now();
  private next = 0;

  constructor(
    private readonly sfn: SFNClient,
    private readonly kinds: readonly LoadKind[],
    /** State machine ARN of each kind. */
    private readonly machines: readonly string[],
    private readonly namePrefix: string,
  ) {}

  /** Ms since the starter was created, on the clock `sentAtMs` uses. */
  now(): number {
    return performance.now() - this.origin;
  }

  /** Starts the next kind of the mix in turn; undefined if the request failed. */
  async startNext(): Promise<StartedExecution | undefined> {
    const index = this.next++;
    const kind = index % this.kinds.length;
    const sentAtMs = this.now();
    try {
      const { executionArn, $metadata } = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.machines[kind],
          name: `${this.namePrefix}-${index}`,
          input: JSON.stringify(this.kinds[kind]?.input),
        }),
      );
      if (($metadata.attempts ?? 1) > 1) this.retried += 1;
      const started = { executionArn: executionArn as string, kind, sentAtMs, requestMs: this.now() - sentAtMs };
      this.started.push(started);
      return started;
    } catch (error) {
      this.errors.push(`${(error as Error).name}: ${(error as Error).message}`);
      return undefined;
    }
  }
}
