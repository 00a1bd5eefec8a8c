/**
 * What every insert of new executions sends (StartExecution's, and a distributed Map's child executions'):
 * each row's common fields and its first rows. Internal to storage.
 */
import type { ExecutionRows } from "./execution-rows.ts";
import type { NewExecution } from "./executions.ts";

/** A new execution's first event(s) and root thread, written with its row (see executionRowsParts). */
export function firstRows(input: Pick<NewExecution, "arn" | "events" | "rootThread">): ExecutionRows {
  return {
    executionArn: input.arn,
    events: input.events,
    threads: [{ threadId: "", position: input.rootThread.position, status: input.rootThread.status }],
  };
}

/** The row fields every execution insert sends, keyed as the inserts' json_to_recordset columns name them. */
export function executionRecordFields(input: NewExecution) {
  return {
    arn: input.arn,
    sm: input.stateMachineArn,
    name: input.name,
    input: input.input,
    definition: input.definition,
    role: input.roleArn,
    start: input.startDate.toISOString(),
    trace: input.traceHeader ?? null,
    tctx: input.traceContext ?? null,
    seed: input.idSeed ?? null,
  };
}
