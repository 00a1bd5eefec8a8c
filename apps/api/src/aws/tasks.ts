/** SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: the callbacks of `.waitForTaskToken` and activity tasks. */
import type { Json } from "@stepwise/asl";
import { InvalidToken } from "@stepwise/storage";
import { z } from "zod";
import { type Action, action } from "./action.ts";
import { AwsError } from "./aws-error.ts";
import { causeField, errorField, sensitiveData } from "./request-shape.ts";

const tokenField = z.string().min(1).max(2048);

// Task tokens are UUIDs; anything else cannot have been issued, which AWS answers InvalidToken (a
// well-formed token nobody issued, or one of an execution gone, is a TaskDoesNotExist).
const TOKEN_FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireTokenForm(token: string): string {
  if (!TOKEN_FORM.test(token)) throw new InvalidToken("Invalid token");
  return token;
}

function parseOutput(output: string): Json {
  try {
    return JSON.parse(output) as Json;
  } catch (error) {
    throw new AwsError("InvalidOutput", `Invalid Output: '${(error as Error).message}'`);
  }
}

const byToken = (request: { taskToken: string }) => [{ taskToken: request.taskToken }];

const sendTaskSuccess: Action = action(
  z.object({ taskToken: tokenField, output: sensitiveData }),
  byToken,
  async ({ runtime }, request) => {
    const token = requireTokenForm(request.taskToken);
    await runtime.engine.completeTask(token, { output: parseOutput(request.output) });
    return {};
  },
);

const failureRequest = z.object({ taskToken: tokenField, error: errorField.optional(), cause: causeField.optional() });

const sendTaskFailure: Action = action(failureRequest, byToken, async ({ runtime }, request) => {
  const token = requireTokenForm(request.taskToken);
  await runtime.engine.completeTask(token, { error: request.error ?? null, cause: request.cause ?? null });
  return {};
});

const sendTaskHeartbeat: Action = action(z.object({ taskToken: tokenField }), byToken, async ({ runtime }, request) => {
  await runtime.engine.heartbeatTask(requireTokenForm(request.taskToken));
  return {};
});

export const taskActions: Record<string, Action> = {
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
};
