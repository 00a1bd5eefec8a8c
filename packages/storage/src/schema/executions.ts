import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";

/** A RedriveExecution client token that redrove the execution, and the redrive date it was answered. */
export interface RedriveToken {
  token: string;
  /** ISO 8601, millisecond precision: also when the token was first used. */
  redriveDate: string;
}

/**
 * What the credential that started an execution may reach (STEPWISE_KEY_SCOPES): name patterns in which
 * `*` stands for any run of characters. The execution acts for that credential, so what it starts
 * (nested executions, and theirs) is checked against this when it runs, and inherits it.
 */
export interface CredentialScope {
  /** How refusals name the credential: an access key ID or a bearer token's position, never a secret. */
  principal: string;
  stateMachines: readonly string[];
  activities: readonly string[];
  /**
   * AWS services (as resources name them: `dynamodb`, or `*`) the execution's integration tasks may call.
   * None when absent: executions recorded before this field existed call none.
   */
  awsServices?: readonly string[];
  /**
   * The scope of the credential that started the execution, when another scoped credential redrove it:
   * what the execution starts must fit both (see the runtime's engine/redrive.ts).
   */
  within?: CredentialScope;
}

// No foreign key to state_machines: an execution outlives the machine it was started from
// (it runs on its own definition snapshot and stays describable after DeleteStateMachine).
export const executions = pgTable(
  "executions",
  {
    arn: text("arn").primaryKey(),
    stateMachineArn: text("state_machine_arn").notNull(),
    name: text("name").notNull(),
    status: text("status").$type<ExecutionStatus>().notNull().default("RUNNING"),
    input: text("input").notNull(),
    output: text("output"),
    error: text("error"),
    cause: text("cause"),
    /** Millisecond precision, as JavaScript dates and AWS timestamps have: the list cursor relies on it. */
    startDate: timestamp("start_date", { withTimezone: true, precision: 3 }).notNull(),
    stopDate: timestamp("stop_date", { withTimezone: true }),
    /** Bumped on every change of the row, for compare-and-set. */
    version: integer("version").notNull().default(0),
    definition: text("definition").notNull(),
    roleArn: text("role_arn").notNull(),
    redriveCount: integer("redrive_count").notNull().default(0),
    /** When it was last redriven. */
    redriveDate: timestamp("redrive_date", { withTimezone: true, precision: 3 }),
    /** The last client tokens that redrove it, oldest first: RedriveExecution answers them again instead of redriving. */
    redriveTokens: jsonb("redrive_tokens").$type<RedriveToken[]>().notNull().default([]),
    /** StartExecution's X-Ray `traceHeader`, as given (DescribeExecution returns it). */
    traceHeader: text("trace_header"),
    /**
     * A traced execution's OpenTelemetry trace: its `execution` span as a W3C traceparent, then `;` and
     * that span's parent (see packages/tracing). Null: not traced (tracing off, or not sampled).
     */
    traceContext: text("trace_context"),
    /** A nested execution started by a `.sync` Task: the task token to complete when this one ends. */
    parentTaskToken: text("parent_task_token"),
    /**
     * Secret random bytes (hex) from which its transitions draw task tokens and other ids: a transition
     * run again after a rollback draws the same ones (see runtime/src/engine/step-random.ts). Null for
     * executions started before it existed, which draw from fresh randomness.
     */
    idSeed: text("id_seed"),
    /** Started through a version (or an alias, which picked this version): the version it runs. */
    stateMachineVersionArn: text("state_machine_version_arn"),
    /** Started through an alias: that alias. */
    stateMachineAliasArn: text("state_machine_alias_arn"),
    /** Started by a scoped credential (or by an execution that was): its scope. Null: unrestricted. */
    scope: jsonb("scope").$type<CredentialScope>(),
    /** A distributed Map's child workflow execution: the Map Run that started it (ListExecutions by mapRunArn). */
    mapRunArn: text("map_run_arn"),
    /** A child workflow execution's parent execution, and the parent's thread for its item, told when it ends. */
    parentExecutionArn: text("parent_execution_arn"),
    parentThreadId: text("parent_thread_id"),
  },
  (t) => [
    unique("executions_state_machine_name_unique").on(t.stateMachineArn, t.name),
    check("executions_status_check", sql`${t.status} in ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE')`),
    // ListExecutions: newest first, optionally filtered by status; arn breaks start_date ties for keyset paging.
    index("executions_list_idx").on(t.stateMachineArn, t.startDate.desc(), t.arn.desc()),
    index("executions_list_by_status_idx").on(t.stateMachineArn, t.status, t.startDate.desc(), t.arn.desc()),
    // ListExecutions of a version or an alias; most executions have neither.
    index("executions_list_by_version_idx")
      .on(t.stateMachineVersionArn, t.startDate.desc(), t.arn.desc())
      .where(sql`${t.stateMachineVersionArn} is not null`),
    index("executions_list_by_alias_idx")
      .on(t.stateMachineAliasArn, t.startDate.desc(), t.arn.desc())
      .where(sql`${t.stateMachineAliasArn} is not null`),
    // ListExecutions of a Map Run, optionally by status.
    index("executions_list_by_map_run_idx")
      .on(t.mapRunArn, t.status, t.startDate.desc(), t.arn.desc())
      .where(sql`${t.mapRunArn} is not null`),
    // A parent stopping its running children, and the reconciler's checks between parents and children.
    index("executions_children_idx").on(t.parentExecutionArn, t.parentThreadId).where(sql`${t.parentExecutionArn} is not null`),
    // Retention: closed top-level executions by close date, oldest first (children go with their parent).
    index("executions_expiry_idx")
      .on(t.stopDate)
      .where(sql`${t.parentExecutionArn} is null and ${t.status} in ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')`),
  ],
);
