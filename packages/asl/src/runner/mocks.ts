/**
 * Task results for the local runner, in the conformance-case format: per Task state name, the responses
 * of successive invocations; the last one repeats. A distributed Map's name may instead give the dataset
 * its ItemReader reads (`{"ItemReader": {"Return": [items]}}`) and how its ResultWriter's export ends
 * (`{"ResultWriter": {"Throw": …}}`), so it runs with no object store.
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

const failure = z.object({ Throw: z.object({ Error: z.string(), Cause: z.string().optional() }).strict() }).strict();

const datasetMock = z
  .object({
    ItemReader: z.union([z.object({ Return: z.array(jsonValue) }).strict(), failure]).optional(),
    ResultWriter: failure.optional(),
  })
  .strict();

const taskMock = z.array(mockResponse).min(1);

/** A Task's responses (an array) or a distributed Map's dataset (an object): the shape says which is meant. */
export const mocksSchema = z.record(
  z.string(),
  z.custom<z.infer<typeof taskMock> | z.infer<typeof datasetMock>>().superRefine((value, refine) => {
    const parsed = (Array.isArray(value) ? taskMock : datasetMock).safeParse(value);
    for (const issue of parsed.error?.issues ?? []) refine.addIssue({ ...issue, code: "custom", message: issue.message, path: issue.path });
  }),
);
export type Mocks = z.infer<typeof mocksSchema>;
export type MockResponse = z.infer<typeof mockResponse>;
export type DatasetMock = z.infer<typeof datasetMock>;

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

  next(stateName: string): MockResponse | undefined {
    const responses = ownValue(this.mocks, stateName);
    if (!Array.isArray(responses)) return undefined;
    const call = this.calls.get(stateName) ?? 0;
    this.calls.set(stateName, call + 1);
    return responses[Math.min(call, responses.length - 1)];
  }

  /** A distributed Map's dataset and writer outcome, by the Map state's name. */
  dataset(stateName: string): DatasetMock | undefined {
    const mock = ownValue(this.mocks, stateName);
    return mock === undefined || Array.isArray(mock) ? undefined : mock;
  }
}
