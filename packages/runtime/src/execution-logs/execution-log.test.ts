/**
 * The execution log's sinks on their own: the process log's record lines, and a file that cannot keep
 * up, whose overflow is dropped and counted (the metric) instead of holding the engine. The whole
 * path, from LoggingConfiguration to records, is proven in apps/api/src/aws/execution-logs.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HistoryEvent } from "@stepwise/asl";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { executionLogMetrics } from "../metrics/execution-log-metrics.ts";
import { ExecutionLog } from "./execution-log.ts";

const ARN = "arn:aws:states:us-east-1:123456789012:execution:orders:first";
const failed: HistoryEvent = {
  id: 4,
  previousEventId: 3,
  timestamp: "2026-12-07T20:00:00.123Z",
  type: "ExecutionFailed",
  executionFailedEventDetails: { error: "Payment.Declined", cause: "card expired" },
};
const started: HistoryEvent = {
  id: 1,
  previousEventId: 0,
  timestamp: "2026-12-07T20:00:00.000Z",
  type: "ExecutionStarted",
  executionStartedEventDetails: { input: "{}", inputDetails: { truncated: false }, roleArn: "arn:aws:iam::123456789012:role/r" },
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("execution log sinks", () => {
  it("writes each record to the process log through its own child logger, even when LOG_LEVEL is above info", () => {
    const lines: string[] = [];
    const logger = createLogger("error", "worker", { write: (line: string) => lines.push(line) });
    const log = new ExecutionLog(logger);
    log.write({ executionArn: ARN, redriveCount: 1, settings: { level: "FATAL", includeExecutionData: false }, events: [started, failed] });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        log: "execution",
        level: 30,
        id: "4",
        type: "ExecutionFailed",
        details: { error: "Payment.Declined", cause: "card expired" },
        previous_event_id: "3",
        event_timestamp: String(Date.parse("2026-12-07T20:00:00.123Z")),
        execution_arn: ARN,
        redrive_count: "1",
      }),
    ]);
  });

  it("drops and counts what a file cannot take while it is behind, and keeps what it took", async () => {
    dir = mkdtempSync(join(tmpdir(), "stepwise-execution-log-"));
    const file = join(dir, "executions.log");
    const log = new ExecutionLog(createLogger("silent", "worker"), { file, fileBuffer: 2 });
    const registry = new Registry();
    executionLogMetrics(registry, log);
    const settings = { level: "ALL" as const, includeExecutionData: true };
    // One synchronous burst: the first record is being written, two wait, the other seven are dropped.
    for (let i = 0; i < 10; i++) log.write({ executionArn: `${ARN}-${i}`, redriveCount: 0, settings, events: [started] });
    expect(log.dropped).toBe(7);
    expect(await registry.getSingleMetricAsString("stepwise_execution_log_records_dropped_total")).toMatch(
      /stepwise_execution_log_records_dropped_total 7$/m,
    );
    await log.close();
    const written = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).execution_arn);
    expect(written).toEqual([`${ARN}-0`, `${ARN}-1`, `${ARN}-2`]);
  });

  it("a file that cannot be opened drops its records and says so once, without throwing at the engine", async () => {
    const lines: Array<{ msg?: string; log?: string }> = [];
    const logger = createLogger("error", "worker", { write: (line: string) => lines.push(JSON.parse(line)) });
    const log = new ExecutionLog(logger, { file: "/nonexistent-dir/executions.log" });
    // The open fails asynchronously: wait (bounded) for the error it reports.
    for (let waited = 0; !lines.some((line) => line.msg) && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    const settings = { level: "ALL" as const, includeExecutionData: true };
    log.write({ executionArn: ARN, redriveCount: 0, settings, events: [started, failed] });
    expect(log.dropped).toBe(2);
    expect(lines.filter((line) => line.msg).map((line) => line.msg)).toEqual(["the execution log file failed; its records are dropped"]);
    // The process log still has them.
    expect(lines.filter((line) => line.log === "execution")).toHaveLength(2);
    await log.close();
  });
});
