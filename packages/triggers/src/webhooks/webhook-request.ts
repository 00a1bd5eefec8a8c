/** A webhook as CreateWebhook takes it: its name, its target and its secret, checked field by field. */
import { machineTarget } from "@stepwise/runtime";
import type { EventsArnContext } from "../events/event-names.ts";
import { ValidationException } from "../validation.ts";
import { newWebhookSecret } from "./webhook-signature.ts";

const WEBHOOK_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** Long enough that it cannot be guessed; GitHub and Stripe secrets fit. */
const MIN_SECRET = 16;
const MAX_SECRET = 256;

export interface WebhookRequest {
  name: string;
  stateMachineArn: string;
  secret: string;
  description?: string;
}

export const webhookArn = (c: EventsArnContext, name: string) => `arn:aws:states:${c.region}:${c.accountId}:webhook:${name}`;

export function checkWebhookName(value: unknown, field = "name"): string {
  if (typeof value !== "string" || !WEBHOOK_NAME.test(value)) {
    throw new ValidationException(field, "must be 1 to 64 characters of letters, digits, '.', '-' and '_'");
  }
  return value;
}

export function webhookFromRequest(body: Record<string, unknown>): WebhookRequest {
  const name = checkWebhookName(body.name);
  const { stateMachineArn, secret, description } = body;
  if (typeof stateMachineArn !== "string" || machineTarget(stateMachineArn) === null) {
    throw new ValidationException("stateMachineArn", "must be a state machine, version or alias ARN");
  }
  if (secret !== undefined && (typeof secret !== "string" || secret.length < MIN_SECRET || secret.length > MAX_SECRET)) {
    throw new ValidationException("secret", `must be text of ${MIN_SECRET} to ${MAX_SECRET} characters (leave it out to have one made)`);
  }
  if (description !== undefined && (typeof description !== "string" || description.length > 512)) {
    throw new ValidationException("description", "must be text of at most 512 characters");
  }
  return { name, stateMachineArn, secret: (secret as string | undefined) ?? newWebhookSecret(), description };
}
