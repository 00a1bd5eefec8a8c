import { describe, expect, it } from "vitest";
import { formatExecutionTrace, parseExecutionTrace, parseTraceparent, parseXRayHeader } from "./trace-context.ts";

describe("trace context formats", () => {
  it("reads a W3C traceparent and ignores invalid ones", () => {
    expect(parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toEqual({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      sampled: true,
    });
    expect(parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")?.sampled).toBe(false);
    for (const bad of [
      "",
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
      `00-${"0".repeat(32)}-b7ad6b7169203331-01`,
      `ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01`,
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it("reads an AWS X-Ray trace header with a parent, as StartExecution's traceHeader carries it", () => {
    expect(parseXRayHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")).toEqual({
      traceId: "5759e988bd862e3fe1be46a994272793",
      spanId: "53995c3f42cd8ad8",
      sampled: true,
    });
    expect(parseXRayHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")).toBeUndefined();
    expect(parseXRayHeader("anything the caller liked")).toBeUndefined();
  });

  it("stores an execution's trace and reads it back", () => {
    const trace = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", parentSpanId: "53995c3f42cd8ad8" };
    expect(formatExecutionTrace(trace)).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01;53995c3f42cd8ad8");
    expect(parseExecutionTrace(formatExecutionTrace(trace))).toEqual(trace);
    expect(parseExecutionTrace(null)).toBeUndefined();
  });
});
