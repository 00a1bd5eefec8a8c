import { describe, expect, it } from "vitest";
import { expectInvalidArguments, run } from "./intrinsic-test-support.ts";

describe("States.Base64Encode", () => {
  it("encodes the UTF-8 bytes", () => {
    expect(run("States.Base64Encode('hello')")).toBe("aGVsbG8=");
    expect(run("States.Base64Encode('')")).toBe("");
    expect(run("States.Base64Encode($.s)", { s: "こんにちは" })).toBe("44GT44KT44Gr44Gh44Gv");
    expect(run("States.Base64Encode($.s)", { s: "abc\u0000def" })).toBe("YWJjAGRlZg==");
    expect(run("States.Base64Encode('🚀')")).toBe("8J+agA==");
  });

  it("accepts 10,000 characters and rejects more", () => {
    expect(Buffer.from(run("States.Base64Encode($.s)", { s: "a".repeat(10_000) }) as string, "base64").length).toBe(10_000);
    expectInvalidArguments("States.Base64Encode($.s)", { s: "a".repeat(10_001) });
  });

  it("rejects non-strings and wrong argument counts", () => {
    expectInvalidArguments("States.Base64Encode(123)");
    expectInvalidArguments("States.Base64Encode($.a)", { a: ["x"] });
    expectInvalidArguments("States.Base64Encode()");
    expectInvalidArguments("States.Base64Encode('a', 'b')");
  });
});

describe("States.Base64Decode", () => {
  it("decodes to UTF-8 text", () => {
    expect(run("States.Base64Decode('aGVsbG8=')")).toBe("hello");
    expect(run("States.Base64Decode('')")).toBe("");
    expect(run("States.Base64Decode('4pyT')")).toBe("✓");
    expect(run("States.Base64Decode($.s)", { s: "YWJjAGRlZg==" })).toBe("abc\u0000def");
    expect(run("States.Base64Decode(States.Base64Encode($.s))", { s: "round trip ✓" })).toBe("round trip ✓");
  });

  it("is lenient about padding and surrounding spaces, as AWS is", () => {
    expect(run("States.Base64Decode(' YWJjZA== ')")).toBe("abcd");
    expect(run("States.Base64Decode('YWJjZA')")).toBe("abcd");
  });

  it("accepts 10,000 characters and rejects more", () => {
    expect(typeof run("States.Base64Decode($.s)", { s: "A".repeat(10_000) })).toBe("string");
    expectInvalidArguments("States.Base64Decode($.s)", { s: "A".repeat(10_001) });
  });

  it("rejects non-strings and wrong argument counts", () => {
    expectInvalidArguments("States.Base64Decode(123)");
    expectInvalidArguments("States.Base64Decode($.o)", { o: {} });
    expectInvalidArguments("States.Base64Decode()");
  });
});

describe("States.Hash", () => {
  it.each([
    ["MD5", "5d41402abc4b2a76b9719d911017c592"],
    ["SHA-1", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"],
    ["SHA-256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"],
    ["SHA-384", "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f"],
    [
      "SHA-512",
      "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
    ],
  ])("hashes with %s", (algorithm, digest) => {
    expect(run("States.Hash('hello', $.algorithm)", { algorithm })).toBe(digest);
  });

  it("hashes the UTF-8 bytes", () => {
    expect(run("States.Hash($.s, 'SHA-256')", { s: "✓" })).toBe("1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604");
    expect(run("States.Hash('', 'SHA-256')")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("hashes the Java text of a non-string value", () => {
    expect(run("States.Hash(123, 'MD5')")).toBe(run("States.Hash('123', 'MD5')"));
    expect(run("States.Hash($.o, 'MD5')", { o: { a: [1, "x"] } })).toBe(run("States.Hash('\\{a=[1, x]\\}', 'MD5')"));
  });

  it("accepts 10,000 characters and rejects more", () => {
    expect(run("States.Hash($.s, 'SHA-256')", { s: "a".repeat(10_000) })).toMatch(/^[0-9a-f]{64}$/);
    expectInvalidArguments("States.Hash($.s, 'SHA-256')", { s: "a".repeat(10_001) });
  });

  it.each(["UNSUPPORTED", "sha-256", "SHA256", "", "MD-5", "constructor"])("rejects the algorithm %j", (algorithm) => {
    expectInvalidArguments("States.Hash('data', $.algorithm)", { algorithm });
  });

  it("rejects a non-string algorithm and wrong argument counts", () => {
    expectInvalidArguments("States.Hash('hello', 123)");
    expectInvalidArguments("States.Hash()");
    expectInvalidArguments("States.Hash('hello')");
    expectInvalidArguments("States.Hash('hello', 'SHA-256', 'extra')");
  });
});
