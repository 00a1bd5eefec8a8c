/**
 * The JSON the REST API answers with. Payloads stored as JSON text (definitions, inputs, outputs) are
 * served as JSON values, so clients need not parse twice; dates are ISO 8601.
 */
import type { Json } from "@stepwise/asl";
import type {
  ExecutionRecord,
  ExecutionSummary,
  MapRunRecord,
  MapRunSummary,
  StateMachineRecord,
  StateMachineSummary,
} from "@stepwise/storage";

function parsed(text: string | null): Json {
  return text === null ? null : (JSON.parse(text) as Json);
}

export function stateMachineSummaryView(m: StateMachineSummary) {
  return { stateMachineArn: m.arn, name: m.name, type: m.type, status: m.status, creationDate: m.createdAt.toISOString() };
}

export function stateMachineView(m: StateMachineRecord) {
  return {
    stateMachineArn: m.arn,
    name: m.name,
    status: m.status,
    type: m.type,
    definition: parsed(m.definition),
    roleArn: m.roleArn,
    description: m.description,
    revisionId: m.revisionId,
    creationDate: m.createdAt.toISOString(),
    updateDate: m.updatedAt.toISOString(),
  };
}

export function executionSummaryView(e: ExecutionSummary) {
  return {
    executionArn: e.arn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: e.startDate.toISOString(),
    stopDate: e.stopDate?.toISOString() ?? null,
    redriveCount: e.redriveCount,
  };
}

export function executionView(e: ExecutionRecord) {
  return {
    ...executionSummaryView(e),
    input: parsed(e.input),
    output: parsed(e.output),
    error: e.error,
    cause: e.cause,
    definition: parsed(e.definition),
    roleArn: e.roleArn,
    traceHeader: e.traceHeader,
    stateMachineVersionArn: e.stateMachineVersionArn,
    stateMachineAliasArn: e.stateMachineAliasArn,
    // A distributed Map's child workflow execution: its Map Run and the execution that started it.
    mapRunArn: e.mapRunArn,
    parentExecutionArn: e.parentExecutionArn,
  };
}

/** A Map Run's label: what its ARN names between its execution and its id (`…/<label>:<id>`). */
function labelOf(run: MapRunSummary): string {
  const prefix = `${run.executionArn.replace(":execution:", ":mapRun:")}/`;
  return run.mapRunArn.startsWith(prefix) ? run.mapRunArn.slice(prefix.length, run.mapRunArn.lastIndexOf(":")) : "";
}

export function mapRunSummaryView(run: MapRunSummary) {
  return {
    mapRunArn: run.mapRunArn,
    executionArn: run.executionArn,
    stateMachineArn: run.stateMachineArn,
    label: labelOf(run),
    status: run.status,
    startDate: run.startDate.toISOString(),
    stopDate: run.stopDate?.toISOString() ?? null,
  };
}

export function mapRunView(run: MapRunRecord) {
  return {
    ...mapRunSummaryView(run),
    maxConcurrency: run.maxConcurrency,
    toleratedFailureCount: run.toleratedFailureCount,
    toleratedFailurePercentage: run.toleratedFailurePercentage,
    counts: run.counts,
    redriveCount: run.redriveCount,
    redriveDate: run.redriveDate?.toISOString() ?? null,
  };
}
