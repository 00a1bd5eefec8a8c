import { type CompiledMachine, compileMachine, type ExecutionInfo, type Json, type StateMachineDefinition } from "@stepwise/asl";
import { type ExecutionRecord, type Executor, getExecutions } from "@stepwise/storage";
import { type ExecutionTrace, parseExecutionTrace } from "@stepwise/tracing";
import { type ExecutionLogSettings, logSettingsOf } from "../execution-logs/log-settings.ts";

export interface LoadedExecution {
  machine: CompiledMachine;
  /** Its redrive count is the one fact that changes (RedriveExecution): a transition sets it from the lock row. */
  info: ExecutionInfo;
  /** Set for a child of a `.sync` Task: the parent's task to complete when this execution ends. */
  parentTaskToken: string | null;
  /** The secret seed its transitions draw ids from (step-random.ts); null for executions from before it. */
  idSeed: string | null;
  /** What its state machine logs of it, read with it; undefined: nothing (OFF). */
  logging?: ExecutionLogSettings;
  /** A distributed Map's child workflow execution: the parent and its thread for the item, told when this ends. */
  mapParent?: { executionArn: string; threadId: string };
  /** Its OpenTelemetry trace, when it is traced (see tracing/execution-spans.ts). */
  trace?: ExecutionTrace;
}

/** What the context object (`$$.Execution`) exposes of an execution. */
export function executionInfo(row: ExecutionRecord): ExecutionInfo {
  return {
    executionArn: row.arn,
    executionName: row.name,
    startTime: row.startDate.toISOString(),
    roleArn: row.roleArn,
    stateMachineArn: row.stateMachineArn,
    stateMachineName: row.stateMachineArn.split(":").pop() ?? "",
    input: JSON.parse(row.input) as Json,
    redriveCount: row.redriveCount,
  };
}

/**
 * An execution's definition and facts never change once it started (but for its redrive count, which
 * another process may change: transitions take it from the lock row), so each process keeps those it
 * is working on instead of reading and parsing them on every transition. Executions of one definition
 * share its compiled machine, so an entry costs about its input; an execution leaves when it ends, and
 * the cache is bounded by count and by input size. When it held fewer executions than were in flight
 * (2,000 against the bench's 8,000), every transition read and compiled its execution again and a
 * worker's CPU per state rose by half.
 */
export class ExecutionCache {
  private readonly entries = new Map<string, { loaded: LoadedExecution; bytes: number }>();
  private readonly machines = new Map<string, CompiledMachine>();
  private bytes = 0;

  constructor(private readonly limits = { executions: 20_000, inputBytes: 64 * 2 ** 20, machines: 500 }) {}

  /** The executions, in the order asked; those not held are read in one statement. */
  async loadAll(db: Executor, arns: readonly string[]): Promise<LoadedExecution[]> {
    const found = new Map<string, LoadedExecution>();
    for (const arn of arns) {
      const cached = this.entries.get(arn);
      if (!cached) continue;
      // Most recently used last: eviction takes the oldest first.
      this.entries.delete(arn);
      this.entries.set(arn, cached);
      found.set(arn, cached.loaded);
    }
    const missing = arns.filter((arn) => !found.has(arn));
    if (missing.length > 0) for (const row of await getExecutions(db, missing)) found.set(row.arn, this.hold(row));
    return arns.map((arn) => found.get(arn) as LoadedExecution);
  }

  private hold(row: ExecutionRecord): LoadedExecution {
    const loaded: LoadedExecution = {
      machine: this.compiled(row.definition),
      info: executionInfo(row),
      parentTaskToken: row.parentTaskToken,
      idSeed: row.idSeed,
      logging: logSettingsOf(row.loggingConfiguration),
      trace: row.traceContext ? parseExecutionTrace(row.traceContext) : undefined,
      ...(row.parentExecutionArn !== null && row.parentThreadId !== null
        ? { mapParent: { executionArn: row.parentExecutionArn, threadId: row.parentThreadId } }
        : {}),
    };
    const entry = { loaded, bytes: row.input.length };
    this.entries.set(row.arn, entry);
    this.bytes += entry.bytes;
    while (this.entries.size > this.limits.executions || this.bytes > this.limits.inputBytes) {
      const [oldest, evicted] = this.entries.entries().next().value as [string, { bytes: number }];
      this.entries.delete(oldest);
      this.bytes -= evicted.bytes;
    }
    return loaded;
  }

  /** An execution ended: nothing of it is applied any more (a stale job is answered under the lock). */
  forget(arn: string): void {
    const entry = this.entries.get(arn);
    if (!entry) return;
    this.entries.delete(arn);
    this.bytes -= entry.bytes;
  }

  /** The definition compiled, shared by every execution of it (and by starts). */
  compiled(definition: string): CompiledMachine {
    let machine = this.machines.get(definition);
    if (machine) {
      this.machines.delete(definition);
    } else {
      machine = compileMachine(JSON.parse(definition) as StateMachineDefinition);
      if (this.machines.size >= this.limits.machines) this.machines.delete(this.machines.keys().next().value as string);
    }
    this.machines.set(definition, machine);
    return machine;
  }
}
