import type { TaskState } from "../../definition.ts";
import { runtimeError } from "../../errors.ts";
import type { Json } from "../../json.ts";
import { jsonata, readPath, selectPath } from "../expressions.ts";
import { guard, leaveState, nextOf, raise } from "../outcomes.ts";
import { checkPayload, effectiveInput, resultOutput } from "../state-data.ts";
import type { StepContext } from "../step-context.ts";
import { describeResource } from "./task-resource.ts";

export async function startTask(ctx: StepContext, state: TaskState): Promise<void> {
  await guard(ctx, async () => {
    const resource = describeResource(state.Resource);
    const taskId = ctx.newId();
    const taskToken = resource.waitForTaskToken ? taskId : undefined;
    // A job task (`.sync`) has a token too: SendTaskSuccess/Failure with it completes the task before the job does.
    const contextToken = resource.waitForTaskToken || resource.sync ? taskId : undefined;
    const input = await effectiveInput(ctx, contextToken ? { taskToken: contextToken } : undefined);
    checkPayload(ctx, input, "input");
    const timeoutSeconds = await seconds(ctx, state.TimeoutSeconds, state.TimeoutSecondsPath, "TimeoutSeconds");
    const heartbeatSeconds = await seconds(ctx, state.HeartbeatSeconds, state.HeartbeatSecondsPath, "HeartbeatSeconds");
    if (resource.lambdaFunction) {
      ctx.emit("LambdaFunctionScheduled", {
        lambdaFunctionScheduledEventDetails: {
          resource: resource.resourceName,
          input: ctx.jsonText(input),
          inputDetails: { truncated: false },
          ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
        },
      });
    } else {
      ctx.emit("TaskScheduled", {
        taskScheduledEventDetails: {
          resourceType: resource.resourceType,
          resource: resource.resourceName,
          region: regionOf(ctx.execution.executionArn),
          parameters: ctx.jsonText(input),
          ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
          ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
        },
      });
    }
    ctx.update({
      phase: "awaitTask",
      task: {
        id: taskId,
        resource: state.Resource,
        resourceType: resource.resourceType,
        resourceName: resource.resourceName,
        started: false,
        ...(resource.lambdaFunction ? { lambdaFunction: true } : {}),
      },
    });
    ctx.effect({
      type: "runTask",
      task: {
        taskId,
        stateName: ctx.position.stateName,
        resource: state.Resource,
        resourceType: resource.resourceType,
        resourceName: resource.resourceName,
        input,
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
        ...(state.Credentials !== undefined ? { credentials: state.Credentials } : {}),
        ...(taskToken ? { taskToken } : {}),
      },
    });
  });
}

export function markTaskStarted(ctx: StepContext): void {
  const task = ctx.position.task;
  if (!task || task.started) return;
  if (task.lambdaFunction) ctx.emit("LambdaFunctionStarted", {});
  else ctx.emit("TaskStarted", { taskStartedEventDetails: { resourceType: task.resourceType, resource: task.resourceName } });
  ctx.update({ task: { ...task, started: true } });
}

/**
 * The service took the request of a callback or job task (`output`: its answer, e.g. SendMessage's); the
 * task now waits for SendTaskSuccess/Failure or the job's end. Recorded once per attempt.
 */
export function markTaskSubmitted(ctx: StepContext, output: Json | undefined): void {
  markTaskStarted(ctx);
  const task = ctx.position.task;
  // A Lambda function ARN has no callback or job pattern on AWS, so no TaskSubmitted: a Stepwise handler
  // that defers such a task keeps the LambdaFunction* events.
  if (!task || task.submitted || task.lambdaFunction) return;
  ctx.emit("TaskSubmitted", {
    taskSubmittedEventDetails: {
      resourceType: task.resourceType,
      resource: task.resourceName,
      ...(output !== undefined ? { output: ctx.jsonText(output), outputDetails: { truncated: false } } : {}),
    },
  });
  ctx.update({ task: { ...task, submitted: true } });
}

export async function taskSucceeded(ctx: StepContext, state: TaskState, output: Json): Promise<void> {
  markTaskStarted(ctx);
  const task = ctx.position.task;
  if (!task) return;
  const outputText = ctx.jsonText(output);
  if (task.lambdaFunction) {
    ctx.emit("LambdaFunctionSucceeded", {
      lambdaFunctionSucceededEventDetails: { output: outputText, outputDetails: { truncated: false } },
    });
  } else {
    ctx.emit("TaskSucceeded", {
      taskSucceededEventDetails: {
        resourceType: task.resourceType,
        resource: task.resourceName,
        output: outputText,
        outputDetails: { truncated: false },
      },
    });
  }
  await guard(ctx, async () => {
    checkPayload(ctx, output, "result");
    leaveState(ctx, await resultOutput(ctx, output), nextOf(state));
  });
}

export async function taskFailed(ctx: StepContext, error: string | null, cause: string | null, timedOut = false): Promise<void> {
  markTaskStarted(ctx);
  const task = ctx.position.task;
  if (!task) return;
  const errorDetails = { ...(error !== null ? { error } : {}), ...(cause !== null ? { cause } : {}) };
  if (task.lambdaFunction) {
    if (timedOut) ctx.emit("LambdaFunctionTimedOut", { lambdaFunctionTimedOutEventDetails: errorDetails });
    else ctx.emit("LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: errorDetails });
  } else {
    const details = { resourceType: task.resourceType, resource: task.resourceName, ...errorDetails };
    if (timedOut) ctx.emit("TaskTimedOut", { taskTimedOutEventDetails: details });
    else ctx.emit("TaskFailed", { taskFailedEventDetails: details });
  }
  await raise(ctx, error, cause, { origin: "task" });
}

async function seconds(
  ctx: StepContext,
  value: number | string | undefined,
  path: string | undefined,
  field: string,
): Promise<number | undefined> {
  const scope = ctx.scope();
  let resolved: Json | undefined = value;
  if (typeof value === "string") {
    resolved = await jsonata(value, { input: ctx.position.stateInput, context: scope.context }, scope, ctx.now, field);
  } else if (path !== undefined) {
    resolved = readPath(path, selectPath((ctx.state as TaskState).InputPath, ctx.position.stateInput, scope), scope);
  }
  if (resolved === undefined) return undefined;
  if (typeof resolved !== "number" || !Number.isInteger(resolved) || resolved < 1) {
    throw runtimeError(`The ${field} value must be a positive integer, but was: ${JSON.stringify(resolved)}`);
  }
  return resolved;
}

function regionOf(arn: string): string {
  return arn.split(":")[3] || "us-east-1";
}
