/**
 * TestState: one state run in isolation through the ASL core's in-memory runner, answered in AWS's shape
 * (status SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR, output, error, cause, nextState).
 *
 * Nothing is invoked: a Task state needs `mock` (a result or an error), as Stepwise has no AWS services to
 * call. Error handling is found out by running variants of the state: without Retry and Catch (what the
 * invocation does), with each retrier alone (which one applies, and its backoff), with Catch alone (which
 * catcher takes the error and where it leads).
 */
import { randomUUID } from "node:crypto";
import {
  type HistoryEvent,
  isJsonObject,
  type Json,
  type JsonObject,
  type Mocks,
  type RunResult,
  runExecution,
  virtualClock,
} from "@stepwise/asl";
import { InvalidExecutionInput } from "@stepwise/runtime";
import { z } from "zod";
import { type Action, type ActionContext, action, namesNothing } from "./action.ts";
import { validationError } from "./aws-error.ts";
import { diagnoseDefinition, invalidDefinition, requireValidDefinition } from "./definition-check.ts";
import { arnField, causeField, errorField, sensitiveData } from "./request-shape.ts";
import { buildTestMachine, findState, type StateUnderTest, type Stub, type Variant } from "./test-state-machine.ts";
import { present } from "./wire.ts";

const testStateRequest = z.object({
  definition: z.string().min(1).max(1_048_576),
  roleArn: arnField.optional(),
  input: sensitiveData.optional(),
  inspectionLevel: z.enum(["INFO", "DEBUG", "TRACE"]).optional(),
  revealSecrets: z.boolean().optional(),
  variables: z.string().optional(),
  stateName: z.string().min(1).max(80).optional(),
  mock: z
    .object({
      result: sensitiveData.optional(),
      errorOutput: z.object({ error: errorField.optional(), cause: causeField.optional() }).optional(),
      fieldValidationMode: z.enum(["STRICT", "PRESENT", "NONE"]).optional(),
    })
    .optional(),
  context: z.string().optional(),
  stateConfiguration: z
    .object({
      retrierRetryCount: z.number().int().min(0).optional(),
      errorCausedByState: z.string().optional(),
      mapIterationFailureCount: z.number().int().min(0).optional(),
      mapItemReaderData: z.string().optional(),
    })
    .optional(),
});

type TestStateRequest = z.infer<typeof testStateRequest>;

/** The event that starts each attempt of a state that can be retried. */
const ATTEMPT_START: Record<string, string[]> = {
  Task: ["TaskScheduled", "LambdaFunctionScheduled"],
  Parallel: ["ParallelStateStarted"],
  Map: ["MapStateStarted"],
};
const SINGLE_STATE_NAME = "TestState";

function refuseUnsupported(request: TestStateRequest): void {
  const unsupported = [
    request.variables !== undefined && "variables",
    request.context !== undefined && "context",
    request.stateConfiguration?.errorCausedByState !== undefined && "stateConfiguration.errorCausedByState",
    request.stateConfiguration?.mapIterationFailureCount !== undefined && "stateConfiguration.mapIterationFailureCount",
    request.stateConfiguration?.mapItemReaderData !== undefined && "stateConfiguration.mapItemReaderData",
  ].filter((field): field is string => typeof field === "string");
  if (unsupported.length > 0) throw validationError(`TestState in Stepwise does not support: ${unsupported.join(", ")}`);
}

function subjectOf(request: TestStateRequest): StateUnderTest {
  let parsed: Json;
  try {
    parsed = JSON.parse(request.definition) as Json;
  } catch {
    throw invalidDefinition(diagnoseDefinition(request.definition, "STANDARD"));
  }
  if (request.stateName === undefined) {
    if (!isJsonObject(parsed)) throw validationError("The definition of the state must be a JSON object");
    return { name: SINGLE_STATE_NAME, state: parsed };
  }
  requireValidDefinition(request.definition, "STANDARD");
  const state = findState(parsed, request.stateName);
  if (!state) throw validationError("State not found in definition");
  const queryLanguage = isJsonObject(parsed) && typeof parsed.QueryLanguage === "string" ? parsed.QueryLanguage : undefined;
  return { name: request.stateName, state, ...(queryLanguage ? { queryLanguage } : {}) };
}

function mocksOf(subject: StateUnderTest, mock: TestStateRequest["mock"]): Mocks {
  const type = String(subject.state.Type);
  if (type !== "Task") {
    if (mock) throw validationError(`State type '${type}' is not supported when a mock is specified: Stepwise mocks Task states only`);
    return {};
  }
  if (!mock)
    throw validationError(
      "Stepwise cannot invoke the resources of Task states from TestState: specify 'mock' with a result or an errorOutput",
    );
  if ((mock.result === undefined) === (mock.errorOutput === undefined))
    throw validationError("A mock must specify exactly one of 'result' and 'errorOutput'");
  if (mock.errorOutput) {
    if (mock.errorOutput.error === undefined) throw validationError("mock.errorOutput.error is required");
    return {
      [subject.name]: [
        { Throw: { Error: mock.errorOutput.error, ...(mock.errorOutput.cause !== undefined ? { Cause: mock.errorOutput.cause } : {}) } },
      ],
    };
  }
  try {
    return { [subject.name]: [{ Return: JSON.parse(mock.result as string) as Json }] };
  } catch (error) {
    throw validationError(`mock.result is not valid JSON: ${(error as Error).message}`);
  }
}

function parseInput(text: string | undefined): Json {
  try {
    return JSON.parse(text ?? "{}") as Json;
  } catch (error) {
    throw new InvalidExecutionInput(`Invalid State Machine Execution Input: '${(error as Error).message}'`);
  }
}

interface Outcome {
  result: RunResult;
  stub: Stub | undefined;
}

// TestState names no stored resource and reaches none (its Task states are mocked), so every credential,
// scoped or not, may use it.
const testState: Action = action(testStateRequest, namesNothing, async (context, request) => {
  refuseUnsupported(request);
  const subject = subjectOf(request);
  const retriers = Array.isArray(subject.state.Retry) ? subject.state.Retry : [];
  requireValidDefinition(JSON.stringify(buildTestMachine(subject, { retry: retriers, keepCatch: true }).definition), "STANDARD");
  const input = parseInput(request.input);
  const mocks = mocksOf(subject, request.mock);
  const run = async (variant: Variant): Promise<Outcome> => {
    // A run never yields to the event loop (its clock is virtual), and one request may run several
    // variants, each evaluating the state's expressions within their time budget: let health checks and
    // other requests in between.
    await new Promise((resolve) => setImmediate(resolve));
    const machine = buildTestMachine(subject, variant);
    const result = await runExecution(machine.definition, {
      input,
      mocks,
      clock: virtualClock(new Date()),
      random: Math.random,
      execution: executionInfo(context),
      maxPayloadBytes: context.runtime.config.STEPWISE_MAX_PAYLOAD_BYTES,
      expressionTimeoutMs: context.runtime.config.STEPWISE_EXPRESSION_TIMEOUT_MS,
    });
    const reached = result.events
      .map((e) => e.stateEnteredEventDetails?.name)
      .find((name) => name !== undefined && machine.stubs.has(name));
    return { result, stub: reached === undefined ? undefined : machine.stubs.get(reached) };
  };

  const plain = await run({ keepCatch: false });
  const inspection =
    request.inspectionLevel === "DEBUG" || request.inspectionLevel === "TRACE" ? inspectionOf(plain.result.events, subject) : {};
  if (plain.result.status === "SUCCEEDED") {
    return present({
      status: "SUCCEEDED",
      output: JSON.stringify(plain.result.output),
      nextState: plain.stub?.target,
      ...nonEmpty(inspection),
    });
  }
  const failure = { error: plain.result.error ?? undefined, cause: plain.result.cause ?? undefined };

  const retry = await retryOf(subject, retriers, request.stateConfiguration?.retrierRetryCount ?? 0, run);
  if (retry) return present({ status: "RETRIABLE", ...failure, inspectionData: { ...inspection, errorDetails: retry } });

  if (Array.isArray(subject.state.Catch)) {
    const caught = await run({ keepCatch: true });
    if (caught.result.status === "SUCCEEDED" && caught.stub?.catchIndex !== undefined) {
      return present({
        status: "CAUGHT_ERROR",
        ...failure,
        output: JSON.stringify(caught.result.output),
        nextState: caught.stub.target,
        inspectionData: { ...inspection, errorDetails: { catchIndex: caught.stub.catchIndex } },
      });
    }
  }
  return present({ status: "FAILED", ...failure, ...nonEmpty(inspection) });
});

/**
 * The retrier AWS would use is the first whose ErrorEquals matches (tried alone with one attempt); the
 * error is RETRIABLE when that retrier has attempts left after `retried` of them, and the backoff is the
 * pause the core takes before that next attempt.
 */
async function retryOf(
  subject: StateUnderTest,
  retriers: Json[],
  retried: number,
  run: (variant: Variant) => Promise<Outcome>,
): Promise<{ retryIndex: number; retryBackoffIntervalSeconds: number } | undefined> {
  const startType = ATTEMPT_START[String(subject.state.Type)];
  if (!startType) return undefined;
  const attemptStarts = (events: HistoryEvent[]) => events.flatMap((e, i) => (startType.includes(e.type) ? [i] : []));
  for (const [index, retrier] of retriers.entries()) {
    if (!isJsonObject(retrier)) continue;
    const probe = await run({ retry: [{ ...retrier, MaxAttempts: 1 }], keepCatch: false });
    if (attemptStarts(probe.result.events).length < 2) continue;
    const maxAttempts = typeof retrier.MaxAttempts === "number" ? Math.min(retrier.MaxAttempts, retried + 1) : retrier.MaxAttempts;
    const { result } = await run({
      retry: [{ ...retrier, ...(maxAttempts !== undefined ? { MaxAttempts: maxAttempts } : {}) }],
      keepCatch: false,
    });
    const starts = attemptStarts(result.events);
    const next = starts[retried + 1];
    if (next === undefined) return undefined;
    const pauseMs = Date.parse(result.events[next]!.timestamp) - Date.parse(result.events[next - 1]!.timestamp);
    return { retryIndex: index, retryBackoffIntervalSeconds: Math.round(pauseMs / 1000) };
  }
  return undefined;
}

/** DEBUG/TRACE: what the history shows of the state's data flow (the state's input, the task's input and result). */
function inspectionOf(events: HistoryEvent[], subject: StateUnderTest): JsonObject {
  const entered = events.find((e) => e.stateEnteredEventDetails?.name === subject.name)?.stateEnteredEventDetails;
  // A Lambda function ARN records LambdaFunction* events, with the same input and result.
  const scheduled = events.find((e) => e.taskScheduledEventDetails ?? e.lambdaFunctionScheduledEventDetails);
  const parameters = scheduled?.taskScheduledEventDetails?.parameters ?? scheduled?.lambdaFunctionScheduledEventDetails?.input;
  const succeeded = events.find((e) => e.taskSucceededEventDetails ?? e.lambdaFunctionSucceededEventDetails);
  const result = succeeded?.taskSucceededEventDetails?.output ?? succeeded?.lambdaFunctionSucceededEventDetails?.output;
  const jsonata = (subject.state.QueryLanguage ?? subject.queryLanguage) === "JSONata";
  return present({
    input: entered?.input,
    ...(parameters !== undefined ? { [jsonata ? "afterArguments" : "afterParameters"]: parameters } : {}),
    result,
  }) as JsonObject;
}

function nonEmpty(inspection: JsonObject): { inspectionData?: JsonObject } {
  return Object.keys(inspection).length > 0 ? { inspectionData: inspection } : {};
}

function executionInfo(context: ActionContext) {
  const { STEPWISE_REGION: region, STEPWISE_ACCOUNT_ID: account } = context.runtime.config;
  const name = randomUUID();
  return {
    executionArn: `arn:aws:states:${region}:${account}:execution:TestState:${name}`,
    executionName: name,
    stateMachineArn: `arn:aws:states:${region}:${account}:stateMachine:TestState`,
    stateMachineName: "TestState",
  };
}

export const testStateActions: Record<string, Action> = { TestState: testState };
