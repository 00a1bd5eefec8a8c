/** StartExecution, StopExecution, DescribeExecution, ListExecutions, DescribeStateMachineForExecution. */
import { parseArn } from "@stepwise/runtime";
import {
  type ExecutionRecord,
  findStateMachine,
  getExecution,
  getMapRun,
  getStateMachine,
  historyLength,
  listExecutions,
  StateMachineDoesNotExist,
} from "@stepwise/storage";
import { z } from "zod";
import { type Action, action, byExecutionArn, byMachineArn } from "./action.ts";
import { requireArn, requireMachineTarget } from "./arn-checks.ts";
import { validationError } from "./aws-error.ts";
import { DEFAULT_LOGGING, DEFAULT_TRACING } from "./machine-settings.ts";
import { type RedriveStatus, redriveStatusOf } from "./redrive.ts";
import { arnField, causeField, errorField, maxResultsField, nameField, sensitiveData } from "./request-shape.ts";
import { epochSeconds, present } from "./wire.ts";

export const startRequest = z.object({
  stateMachineArn: arnField,
  name: nameField.optional(),
  input: sensitiveData.optional(),
  traceHeader: z.string().max(256).optional(),
});

const startExecution: Action = action(startRequest, byMachineArn, async ({ runtime, access, traceparent }, request) => {
  requireMachineTarget(request.stateMachineArn, "machine", "version", "alias");
  const scope = access.executionScope;
  const started = await runtime.engine.start({
    stateMachineArn: request.stateMachineArn,
    ...(scope ? { scope } : {}),
    ...(request.name !== undefined ? { name: request.name } : {}),
    ...(request.input !== undefined ? { input: request.input } : {}),
    ...(request.traceHeader !== undefined ? { traceHeader: request.traceHeader } : {}),
    ...(traceparent ? { traceparent } : {}),
  });
  return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
});

const stopRequest = z.object({ executionArn: arnField, error: errorField.optional(), cause: causeField.optional() });

const stopExecution: Action = action(stopRequest, byExecutionArn, async ({ runtime }, request) => {
  const arn = requireArn(request.executionArn, "execution");
  await getExecution(runtime.db, arn);
  await runtime.engine.stop(arn, request.error, request.cause);
  const stopped = await getExecution(runtime.db, arn);
  return { stopDate: epochSeconds(stopped.stopDate ?? new Date()) };
});

const includedDataField = z.enum(["ALL_DATA", "METADATA_ONLY"]).optional();

export function describeExecutionRecord(execution: ExecutionRecord, includeData: boolean, redriveStatus: RedriveStatus) {
  const succeeded = execution.status === "SUCCEEDED";
  return present({
    executionArn: execution.arn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    stopDate: execution.stopDate ? epochSeconds(execution.stopDate) : undefined,
    input: includeData ? execution.input : undefined,
    inputDetails: { included: includeData },
    output: includeData && succeeded ? execution.output : undefined,
    outputDetails: succeeded ? { included: includeData } : undefined,
    traceHeader: execution.traceHeader,
    error: execution.error,
    cause: execution.cause,
    redriveCount: execution.redriveCount,
    redriveDate: execution.redriveDate ? epochSeconds(execution.redriveDate) : undefined,
    stateMachineVersionArn: execution.stateMachineVersionArn,
    stateMachineAliasArn: execution.stateMachineAliasArn,
    mapRunArn: execution.mapRunArn,
    ...redriveStatus,
  });
}

const describeExecution: Action = action(
  z.object({ executionArn: arnField, includedData: includedDataField }),
  byExecutionArn,
  async ({ runtime }, request) => {
    const execution = await getExecution(runtime.db, requireArn(request.executionArn, "execution"));
    const [machine, length] = await Promise.all([
      findStateMachine(runtime.db, execution.stateMachineArn),
      historyLength(runtime.db, execution.arn),
    ]);
    return describeExecutionRecord(
      execution,
      request.includedData !== "METADATA_ONLY",
      redriveStatusOf(runtime.engine, execution, length, machine),
    );
  },
);

const listRequest = z.object({
  stateMachineArn: arnField.optional(),
  statusFilter: z.enum(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]).optional(),
  maxResults: maxResultsField,
  nextToken: z.string().min(1).max(3096).optional(),
  mapRunArn: z.string().min(1).max(2000).optional(),
  redriveFilter: z.enum(["REDRIVEN", "NOT_REDRIVEN"]).optional(),
});

const listedBy = (request: z.infer<typeof listRequest>) =>
  [request.stateMachineArn, request.mapRunArn].flatMap((arn) => (arn === undefined ? [] : [{ arn }]));

const listExecutionsAction: Action = action(listRequest, listedBy, async ({ runtime }, request) => {
  const filters = {
    ...(request.statusFilter !== undefined ? { statusFilter: request.statusFilter } : {}),
    ...(request.maxResults !== undefined ? { maxResults: request.maxResults } : {}),
    ...(request.nextToken !== undefined ? { nextToken: request.nextToken } : {}),
  };
  let page: Awaited<ReturnType<typeof listExecutions>>;
  if (request.mapRunArn !== undefined) {
    if (request.stateMachineArn !== undefined)
      throw validationError("You can specify either a mapRunArn or a stateMachineArn, but not both");
    // An unknown Map Run is a ResourceNotFound, as AWS answers it, rather than an empty list.
    await getMapRun(runtime.db, request.mapRunArn);
    page = await listExecutions(runtime.db, { mapRunArn: request.mapRunArn, ...filters });
  } else {
    if (request.stateMachineArn === undefined) throw validationError("Must provide a StateMachine ARN or MapRun ARN");
    const target = requireMachineTarget(request.stateMachineArn, "machine", "version", "alias");
    await getStateMachine(runtime.db, target.machineArn);
    page = await listExecutions(runtime.db, {
      stateMachineArn: target.machineArn,
      ...(target.kind === "version" ? { through: { versionArn: target.arn } } : {}),
      ...(target.kind === "alias" ? { through: { aliasArn: target.arn } } : {}),
      ...filters,
    });
  }
  // The filter applies within the page: a page may come back shorter than maxResults, as AWS allows.
  const items = page.items.filter(
    (e) => request.redriveFilter === undefined || (request.redriveFilter === "REDRIVEN") === e.redriveCount > 0,
  );
  return present({
    executions: items.map((e) =>
      present({
        executionArn: e.arn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: epochSeconds(e.startDate),
        stopDate: e.stopDate ? epochSeconds(e.stopDate) : undefined,
        redriveCount: e.redriveCount,
        redriveDate: e.redriveDate ? epochSeconds(e.redriveDate) : undefined,
        stateMachineVersionArn: e.stateMachineVersionArn,
        stateMachineAliasArn: e.stateMachineAliasArn,
        // AWS returns it only when the listing is of a Map Run.
        mapRunArn: request.mapRunArn,
      }),
    ),
    nextToken: page.nextToken,
  });
});

const describeMachineForExecution: Action = action(
  z.object({ executionArn: arnField, includedData: includedDataField }),
  byExecutionArn,
  async ({ runtime }, request) => {
    const execution = await getExecution(runtime.db, requireArn(request.executionArn, "execution"));
    const machine = await getStateMachine(runtime.db, execution.stateMachineArn).catch((error: unknown) => {
      if (error instanceof StateMachineDoesNotExist) return undefined;
      throw error;
    });
    // The execution ran the revision current when it started: if the machine changed since, that revision's
    // own date is unknown, and the start date is the latest it can have been made.
    const sameRevision = machine !== undefined && machine.definition === execution.definition && machine.updatedAt <= execution.startDate;
    return present({
      stateMachineArn: execution.stateMachineArn,
      name: parseArn(execution.stateMachineArn)?.resourceName ?? execution.stateMachineArn,
      definition: execution.definition,
      roleArn: execution.roleArn,
      updateDate: epochSeconds(sameRevision ? machine.updatedAt : execution.startDate),
      loggingConfiguration: machine?.loggingConfiguration ?? DEFAULT_LOGGING,
      tracingConfiguration: machine?.tracingConfiguration ?? DEFAULT_TRACING,
      revisionId: sameRevision ? machine.revisionId : undefined,
      // A Map Run's child: its Map Run, and the label its state machine is named with (`<machine>/<label>`).
      mapRunArn: execution.mapRunArn,
      label: execution.mapRunArn === null ? undefined : execution.stateMachineArn.slice(execution.stateMachineArn.lastIndexOf("/") + 1),
    });
  },
);

export const executionActions: Record<string, Action> = {
  StartExecution: startExecution,
  StopExecution: stopExecution,
  DescribeExecution: describeExecution,
  ListExecutions: listExecutionsAction,
  DescribeStateMachineForExecution: describeMachineForExecution,
};
