/** The state machines the runtime bench runs. Tasks call `noop`, which the bench worker maps to a handler returning its input. */
import type { Json, StateMachineDefinition } from "../../packages/asl/src/index.ts";

const NOOP = "arn:aws:lambda:us-east-1:123456789012:function:noop";

/** `length` Task states in a row, each calling the no-op handler. */
export function taskChain(length: number): StateMachineDefinition {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < length; i++) {
    states[`Task${i}`] = { Type: "Task", Resource: NOOP, ...(i === length - 1 ? { End: true } : { Next: `Task${i + 1}` }) };
  }
  return { Comment: `bench: ${length} no-op Tasks`, StartAt: "Task0", States: states } as StateMachineDefinition;
}

/** An inline Map over `$.items` whose item processor is one no-op Task, with no concurrency limit. */
export const taskMap: StateMachineDefinition = {
  Comment: "bench: inline Map, one no-op Task per item",
  StartAt: "Items",
  States: {
    Items: {
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Work",
        States: { Work: { Type: "Task", Resource: NOOP, End: true } },
      },
      End: true,
    },
  },
} as StateMachineDefinition;

export function mapInput(items: number, seed: number): Json {
  return { items: Array.from({ length: items }, (_, i) => ({ id: seed * items + i })) };
}

/**
 * `length` states and no Task: Pass states that each record a step, and every fourth a Choice on the
 * running count (both branches go on, so the route is the same for every input).
 */
export function passChoiceChain(length: number): StateMachineDefinition {
  const states: Record<string, unknown> = {};
  const next = (i: number) => (i === length - 1 ? { End: true } : { Next: `S${i + 1}` });
  for (let i = 0; i < length; i++) {
    const name = `S${i}`;
    states[name] =
      i % 4 === 3 && i < length - 1
        ? { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThanEquals: 0, Next: `S${i + 1}` }], Default: `S${i + 1}` }
        : { Type: "Pass", Result: i, ResultPath: "$.last", ...next(i) };
  }
  return { Comment: `bench: ${length} Pass and Choice states`, StartAt: "S0", States: states } as StateMachineDefinition;
}

/**
 * A distributed Map over a CSV in the object store (`FIRST_ROW` headers), one no-op Task per child:
 * each item, or each batch of `perBatch` items.
 */
export function csvMap(bucket: string, key: string, maxConcurrency: number, perBatch?: number): StateMachineDefinition {
  return {
    Comment: "bench: distributed Map over a CSV through ItemReader, one no-op Task per child",
    StartAt: "Rows",
    States: {
      Rows: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
          Parameters: { Bucket: bucket, Key: key },
        },
        ...(perBatch ? { ItemBatcher: { MaxItemsPerBatch: perBatch } } : {}),
        MaxConcurrency: maxConcurrency,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Work",
          States: { Work: { Type: "Task", Resource: NOOP, End: true } },
        },
        End: true,
      },
    },
  } as StateMachineDefinition;
}
