import { describe, expect, it } from "vitest";
import { virtualClock } from "./clock.ts";

describe("virtualClock", () => {
  it("starts at 2024-01-01 unless told otherwise", () => {
    expect(virtualClock().now().toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(virtualClock(new Date("2030-05-06T07:08:09.000Z")).now().toISOString()).toBe("2030-05-06T07:08:09.000Z");
  });

  it("jumps forward when asked to sleep, never back", async () => {
    const clock = virtualClock();
    await clock.sleepUntil(new Date("2024-01-01T00:01:00.000Z"));
    await clock.sleepUntil(new Date("2023-12-31T00:00:00.000Z"));
    expect(clock.now().toISOString()).toBe("2024-01-01T00:01:00.000Z");
  });

  it("hands out a new Date each time, so a caller changing one changes nothing else", () => {
    const clock = virtualClock();
    clock.now().setTime(0);
    expect(clock.now().toISOString()).toBe("2024-01-01T00:00:00.000Z");
  });
});
