import { type CompiledMachine, compileMachine, type ExecutionInfo, type Json, type StateMachineDefinition } from "@stepwise/asl";
import { type ExecutionRecord, type Executor, getExecution } from "@stepwise/storage";

export interface LoadedExecution {
  machine: CompiledMachine;
  /** Its redrive count is the one fact that changes (RedriveExecution): a transition sets it from the lock row. */
  info: ExecutionInfo;
  /** Set for a child of a `.sync` Task: the parent's task to complete when this execution ends. */
  parentTaskToken: string | null;
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
 * another process may change: transitions take it from the lock row), so each process keeps the few it
 * is working on instead of reading and parsing them on every transition.
 */
export class ExecutionCache {
  private readonly entries = new Map<string, LoadedExecution>();

  constructor(private readonly capacity = 2000) {}

  async load(db: Executor, arn: string): Promise<LoadedExecution> {
    const cached = this.entries.get(arn);
    if (cached) {
      this.entries.delete(arn);
      this.entries.set(arn, cached);
      return cached;
    }
    const row = await getExecution(db, arn);
    const loaded: LoadedExecution = {
      machine: compileMachine(JSON.parse(row.definition) as StateMachineDefinition),
      info: executionInfo(row),
      parentTaskToken: row.parentTaskToken,
    };
    this.entries.set(arn, loaded);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return loaded;
  }
}
