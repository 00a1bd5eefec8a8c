import { describe, expect, it } from "vitest";
import { stateMachineLabel } from "./state-machine-label.ts";

describe("the state_machine label is the machine's name and nothing finer", () => {
  it("from state machine, version, alias, execution and express execution ARNs", () => {
    expect(stateMachineLabel("arn:aws:states:us-east-1:123456789012:stateMachine:orders")).toBe("orders");
    expect(stateMachineLabel("arn:aws:states:us-east-1:123456789012:stateMachine:orders:7")).toBe("orders");
    expect(stateMachineLabel("arn:aws:states:us-east-1:123456789012:stateMachine:orders:prod")).toBe("orders");
    expect(stateMachineLabel("arn:aws:states:us-east-1:123456789012:execution:orders:run-42")).toBe("orders");
    expect(stateMachineLabel("arn:aws:states:us-east-1:123456789012:express:orders:run-42:abc")).toBe("orders");
  });

  it("anything else is 'unknown', never the raw text", () => {
    expect(stateMachineLabel("arn:aws:states:us-east-1:123456789012:activity:approve")).toBe("unknown");
    expect(stateMachineLabel("not an arn")).toBe("unknown");
  });
});
