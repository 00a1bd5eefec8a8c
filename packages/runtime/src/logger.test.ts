import { Writable } from "node:stream";
import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

describe("the logs of a failed statement", () => {
  it("name the statement but not its parameters", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const error = new DrizzleQueryError("select * from executions where arn = $1", ["secret-input\nsecond line"], new Error("boom"));
    createLogger("info", "logger-test", sink).error({ err: error }, "request failed");
    const logged = JSON.parse(lines[0] as string);
    expect(logged.err.message).toBe("Failed query: select * from executions where arn = $1");
    expect(logged.err.stack).toContain("select * from executions");
    expect(lines[0]).not.toContain("secret-input");
    expect(lines[0]).not.toContain("second line");
  });
});
