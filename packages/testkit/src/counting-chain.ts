import type { StateMachineDefinition } from "@stepwise/asl";
import type { TaskHandler } from "@stepwise/runtime";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A handler adding 1 to `n`, for countingChain. */
export const increment: TaskHandler = (input) => ({ n: (input as { n: number }).n + 1 });

/**
 * Three Tasks calling `handler` (an increment): by ARN, through `lambda:invoke`, then by ARN on the
 * invoke's Payload. From `{ n: 0 }` it ends with `{ n: 3 }`.
 */
export function countingChain(handler: string): StateMachineDefinition {
  return {
    StartAt: "A",
    States: {
      A: { Type: "Task", Resource: lambda(handler), Next: "B" },
      B: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: handler, "Payload.$": "$" }, Next: "C" },
      C: { Type: "Task", Resource: lambda(handler), InputPath: "$.Payload", End: true },
    },
  } as StateMachineDefinition;
}
