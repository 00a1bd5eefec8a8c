/**
 * GetActivityTask: a long poll. It claims the oldest waiting task of the activity, trying again every
 * `activityPollIntervalMs` for up to `activityPollMs` (AWS: 60 s), and answers `{}` when none came. A client
 * that hangs up stops the polling, so no task is claimed for a worker that is no longer there.
 */
import { getActivity } from "@stepwise/storage";
import { z } from "zod";
import { type Action, type ActionContext, action } from "./action.ts";
import { requireArn } from "./arn-checks.ts";
import { AwsError } from "./aws-error.ts";
import { arnField, nameField } from "./request-shape.ts";

const getActivityTaskRequest = z.object({ activityArn: arnField, workerName: nameField.optional() });

const getActivityTask: Action = action(
  getActivityTaskRequest,
  (request) => [{ arn: request.activityArn }],
  async (context, request) => {
    const arn = requireArn(request.activityArn, "activity");
    await getActivity(context.runtime.db, arn);
    const polling = context.pollers.get(arn) ?? 0;
    if (polling >= context.options.maxActivityPollers) {
      throw new AwsError(
        "ActivityWorkerLimitExceeded",
        "The maximum number of workers concurrently polling for activity tasks has been reached.",
      );
    }
    context.pollers.set(arn, polling + 1);
    try {
      return (await poll(context, arn, request.workerName ?? null)) ?? {};
    } finally {
      const left = (context.pollers.get(arn) ?? 1) - 1;
      if (left > 0) context.pollers.set(arn, left);
      else context.pollers.delete(arn);
    }
  },
);

async function poll(context: ActionContext, arn: string, workerName: string | null) {
  const { runtime, options, signal } = context;
  const deadline = Date.now() + options.activityPollMs;
  while (!signal.aborted) {
    const task = await runtime.engine.claimActivityTask(arn, workerName);
    if (task) return task;
    const wait = Math.min(options.activityPollIntervalMs, deadline - Date.now());
    if (wait <= 0) return undefined;
    await sleep(wait, signal);
  }
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

export const activityTaskActions: Record<string, Action> = { GetActivityTask: getActivityTask };
