/**
 * Task results for the local runner, in the conformance-case format: per Task state name, the responses
 * of successive invocations; the last one repeats.
 */
import { z } from "zod";
import type { Json } from "../json.ts";
import { ownValue } from "../own-property.ts";

const jsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const mockResponse = z.union([
  z.object({ Return: jsonValue }).strict(),
  // AWS records a callback failed without an error name or cause as null ones.
  z.object({ Throw: z.object({ Error: z.string().nullable(), Cause: z.string().nullable().optional() }).strict() }).strict(),
]);

export const mocksSchema = z.record(z.string(), z.array(mockResponse).min(1));
export type Mocks = z.infer<typeof mocksSchema>;
export type MockResponse = z.infer<typeof mockResponse>;

/** Parse untrusted mocks, naming the first problem and where it is. */
export function parseMocks(value: unknown): Mocks {
  const parsed = mocksSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(root)";
    throw new Error(`Invalid mocks at ${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

export class MockBook {
  private readonly calls = new Map<string, number>();
  constructor(private readonly mocks: Mocks) {}

  has(stateName: string): boolean {
    return Object.hasOwn(this.mocks, stateName);
  }

  next(stateName: string): MockResponse | undefined {
    const responses = ownValue(this.mocks, stateName);
    if (!responses) return undefined;
    const call = this.calls.get(stateName) ?? 0;
    this.calls.set(stateName, call + 1);
    return responses[Math.min(call, responses.length - 1)];
  }
}
