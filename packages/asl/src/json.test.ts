import { describe, expect, it } from "vitest";
import { payloadSize, textFitsBytes } from "./json.ts";

describe("textFitsBytes", () => {
  it("counts UTF-8 bytes, not characters", () => {
    const text = JSON.stringify("é".repeat(10)); // 12 characters, 22 bytes
    expect(payloadSize("é".repeat(10))).toBe(22);
    expect(textFitsBytes(text, 22)).toBe(true);
    expect(textFitsBytes(text, 21)).toBe(false);
  });

  it("takes text short enough for any encoding, and refuses what is over", () => {
    expect(textFitsBytes("x".repeat(10), 30)).toBe(true);
    expect(textFitsBytes("x".repeat(10), 10)).toBe(true);
    expect(textFitsBytes("x".repeat(10), 9)).toBe(false);
    expect(textFitsBytes("😀", 4)).toBe(true);
    expect(textFitsBytes("😀", 3)).toBe(false);
  });
});
