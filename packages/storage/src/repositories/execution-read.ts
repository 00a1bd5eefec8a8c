/**
 * Executions by ARN, as SQL text. Every worker reads each execution it moves once (then caches it),
 * and DescribeExecution reads one per call: drizzle's builder took about three times the CPU of the
 * prepared statement (see state-machines.ts for the same on StartExecution).
 */
import type { Executor } from "../connection.ts";
import { ExecutionDoesNotExist } from "../errors.ts";
import type { CredentialScope, executions } from "../schema/executions.ts";
import { runSqlText } from "../sql-text.ts";

export type ExecutionRecord = typeof executions.$inferSelect & {
  /**
   * Its state machine's LoggingConfiguration (JSON text) as it is when the execution is read, so a worker
   * knows whether to log its events without another statement. Absent where a record is built elsewhere.
   */
  loggingConfiguration?: string | null;
};

const EXECUTIONS_BY_ARN = `
  select arn, state_machine_arn, name, status, input, output, error, cause, start_date::text, stop_date::text, version,
    definition, role_arn, redrive_count, redrive_date::text, redrive_tokens::text, trace_header, trace_context, parent_task_token, id_seed,
    state_machine_version_arn, state_machine_alias_arn, scope::text, map_run_arn, parent_execution_arn, parent_thread_id,
    (select logging_configuration::text from state_machines m where m.arn = executions.state_machine_arn) as logging_configuration
  from executions where arn = any($1::text[])`;

interface ExecutionRow {
  arn: string;
  state_machine_arn: string;
  name: string;
  status: ExecutionRecord["status"];
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  start_date: string;
  stop_date: string | null;
  version: number;
  definition: string;
  role_arn: string;
  redrive_count: number;
  redrive_date: string | null;
  redrive_tokens: string;
  trace_header: string | null;
  trace_context: string | null;
  parent_task_token: string | null;
  id_seed: string | null;
  state_machine_version_arn: string | null;
  state_machine_alias_arn: string | null;
  scope: string | null;
  map_run_arn: string | null;
  parent_execution_arn: string | null;
  parent_thread_id: string | null;
  logging_configuration: string | null;
}

export async function getExecution(db: Executor, arn: string): Promise<ExecutionRecord> {
  const [execution] = await getExecutions(db, [arn]);
  return execution as ExecutionRecord;
}

/** Several executions in one statement (a transaction's members), in the order asked; any missing one is an error. */
export async function getExecutions(db: Executor, arns: readonly string[]): Promise<ExecutionRecord[]> {
  const rows = await runSqlText<ExecutionRow>(db, EXECUTIONS_BY_ARN, [arns]);
  const byArn = new Map(rows.map((row) => [row.arn, row]));
  return arns.map((arn) => {
    const row = byArn.get(arn);
    if (!row) throw new ExecutionDoesNotExist(arn);
    return executionRecord(row);
  });
}

/** The scope an execution acts under (null: unrestricted); one column, read at every nested start. */
export async function getExecutionScope(db: Executor, arn: string): Promise<CredentialScope | null> {
  const [row] = await runSqlText<{ scope: string | null }>(db, "select scope::text from executions where arn = $1", [arn]);
  if (!row) throw new ExecutionDoesNotExist(arn);
  return row.scope === null ? null : (JSON.parse(row.scope) as CredentialScope);
}

function executionRecord(row: ExecutionRow): ExecutionRecord {
  return {
    arn: row.arn,
    stateMachineArn: row.state_machine_arn,
    name: row.name,
    status: row.status,
    input: row.input,
    output: row.output,
    error: row.error,
    cause: row.cause,
    startDate: new Date(row.start_date),
    stopDate: row.stop_date === null ? null : new Date(row.stop_date),
    version: row.version,
    definition: row.definition,
    roleArn: row.role_arn,
    redriveCount: row.redrive_count,
    redriveDate: row.redrive_date === null ? null : new Date(row.redrive_date),
    redriveTokens: JSON.parse(row.redrive_tokens),
    traceHeader: row.trace_header,
    traceContext: row.trace_context,
    parentTaskToken: row.parent_task_token,
    idSeed: row.id_seed,
    stateMachineVersionArn: row.state_machine_version_arn,
    stateMachineAliasArn: row.state_machine_alias_arn,
    scope: row.scope === null ? null : JSON.parse(row.scope),
    mapRunArn: row.map_run_arn,
    parentExecutionArn: row.parent_execution_arn,
    parentThreadId: row.parent_thread_id,
    loggingConfiguration: row.logging_configuration,
  };
}
