/**
 * Request validation: each action declares its request with zod, and a request that does not fit is
 * answered as AWS answers it: `ValidationException`, "N validation errors detected: Value … at 'field'
 * failed to satisfy constraint: …", naming the member as AWS does (`tags.1.member.key`).
 */
import { z } from "zod";
import { validationError } from "./aws-error.ts";

const MAX_REPORTED = 5;

export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, MAX_REPORTED).map(describeIssue);
  const count = parsed.error.issues.length;
  throw validationError(`${count} validation error${count === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
}

function memberPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === "number" ? `${part + 1}.member` : String(part))).join(".");
}

function shownValue(input: unknown): string {
  if (input === undefined || input === null) return "null";
  if (typeof input === "string") return `'${input.length > 64 ? `${input.slice(0, 64)}…` : input}'`;
  if (typeof input === "number" || typeof input === "boolean") return `'${String(input)}'`;
  return "";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = "input" in issue ? issue.input : undefined;
  const value = shownValue(input);
  const at = `${value ? `Value ${value} ` : ""}at '${memberPath(issue.path) || "(request)"}' failed to satisfy constraint: `;
  return at + constraintOf(issue, input);
}

function constraintOf(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return input === undefined || input === null ? "Member must not be null" : `Member must be of type ${issue.expected}`;
    case "too_big":
      return issue.origin === "string" || issue.origin === "array"
        ? `Member must have length less than or equal to ${issue.maximum}`
        : `Member must have value less than or equal to ${issue.maximum}`;
    case "too_small":
      return issue.origin === "string" || issue.origin === "array"
        ? `Member must have length greater than or equal to ${issue.minimum}`
        : `Member must have value greater than or equal to ${issue.minimum}`;
    case "invalid_value":
      return `Member must satisfy enum value set: [${issue.values.map(String).join(", ")}]`;
    default:
      return `Member ${issue.message}`;
  }
}

// Pieces shared by several actions, with AWS's length limits.
export const arnField = z.string().min(1).max(256);
export const longArnField = z.string().min(1).max(2000);
export const nameField = z.string().min(1).max(80);
export const maxResultsField = z.number().int().min(0).max(1000).optional();
export const nextTokenField = z.string().min(1).max(1024).optional();
export const sensitiveData = z.string().max(262_144);
export const errorField = z.string().max(256);
export const causeField = z.string().max(32_768);
export const tagSchema = z.object({ key: z.string().min(1).max(128), value: z.string().max(256) });
export const tagListField = z.array(tagSchema).optional();
