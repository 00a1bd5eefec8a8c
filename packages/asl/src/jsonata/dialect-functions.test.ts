import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bindings, causeOf, evaluate, NOW, sequence } from "./test-support.ts";

const signature = (argument: number, fn: string) =>
  `threw an error during evaluation. T0410: Argument ${argument} of function "${fn}" does not match function signature`;
const NOTHING = "returned nothing (undefined).";

describe("$now and $millis", () => {
  it("report the instant handed in, not the clock", async () => {
    expect(await evaluate("$now()")).toBe("2024-05-01T10:00:00.123Z");
    expect(await evaluate("$millis()")).toBe(NOW.getTime());
    expect(await evaluate("[$now(), $now()]")).toEqual(["2024-05-01T10:00:00.123Z", "2024-05-01T10:00:00.123Z"]);
  });

  it("format with JSONata's picture and timezone", async () => {
    expect(await evaluate("$now('[Y0001]-[M01]-[D01] [H01]:[m01]')")).toBe("2024-05-01 10:00");
    expect(await evaluate("$now('[H01]:[m01]', '+0230')")).toBe("12:30");
    expect(await evaluate("$fromMillis($millis())")).toBe("2024-05-01T10:00:00.123Z");
  });

  it("check their arguments", async () => {
    expect(await causeOf("$now(1)")).toBe(signature(1, "now"));
    expect(await causeOf("$millis(1)")).toBe(signature(1, "millis"));
  });
});

describe("$random", () => {
  it("draws from the random source handed in, in document order", async () => {
    const random = sequence(0.25, 0.75);
    expect(await evaluate("[$random(), $random()]", bindings({ random }))).toEqual([0.25, 0.75]);
  });

  it("with a seed, returns what AWS's java.util.Random returns, without drawing", async () => {
    expect(await evaluate("$random(42)")).toBe(0.7275636800328681);
    expect(await evaluate("$random(42.8) = $random(42)")).toBe(true);
    expect(await evaluate("$random(7) = $random(8)")).toBe(false);
  });

  it("checks its arguments", async () => {
    expect(await causeOf("$random('42')")).toBe(signature(1, "random"));
    expect(await causeOf("$random(1, 2)")).toBe(signature(2, "random"));
  });
});

describe("$uuid", () => {
  it("builds a version 4 UUID from the random source", async () => {
    expect(await evaluate("$uuid()", bindings({ random: () => 0 }))).toBe("00000000-0000-4000-8000-000000000000");
    expect(await evaluate("$uuid()", bindings({ random: () => 0.999999 }))).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    let draw = 0;
    const random = () => (draw++ % 16) / 16;
    expect(await evaluate("$uuid()", bindings({ random }))).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("takes no argument", async () => {
    expect(await causeOf("$uuid('x')")).toBe(signature(1, "uuid"));
  });
});

describe("$parse", () => {
  const input = { json: '{"order": {"id": 7, "lines": [{"sku": "a"}, {"sku": "b"}]}}' };

  it("parses a JSON string into a value the expression can navigate", async () => {
    const states = { input, context: {} };
    expect(await evaluate("$parse($states.input.json)", bindings({ states }))).toEqual(JSON.parse(input.json));
    expect(await evaluate("$parse($states.input.json).order.lines.sku", bindings({ states }))).toEqual(["a", "b"]);
    expect(await evaluate(`$parse('"text"')`)).toBe("text");
    expect(await evaluate("$parse('null')")).toBeNull();
  });

  it("refuses what is not JSON", async () => {
    for (const text of ["'{'", "''", `'{"a": 1, "a": 2}'`, "'1e400'"]) {
      expect(await causeOf(`$parse(${text})`)).toBe("threw an error during evaluation. D3137: Invalid JSON");
    }
  });

  it("checks its arguments and returns nothing for nothing", async () => {
    expect(await causeOf("$parse(1)")).toBe(signature(1, "parse"));
    expect(await causeOf("$parse('1', 2)")).toBe(signature(2, "parse"));
    expect(await causeOf("$parse($states.input.missing)")).toBe(NOTHING);
  });
});

describe("$hash", () => {
  it.each([
    ["MD5", "900150983cd24fb0d6963f7d28e17f72"],
    ["SHA-1", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["SHA-256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["SHA-384", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"],
    [
      "SHA-512",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    ],
  ])("hashes with %s", async (algorithm, digest) => {
    expect(await evaluate(`$hash('abc', '${algorithm}')`)).toBe(digest);
  });

  it("hashes the UTF-8 text, as AWS does", async () => {
    expect(await evaluate("$hash('input', 'SHA-1')")).toBe("140f86aae51ab9e1cda9b4254fe98a74eb54c1a1");
    const utf8Bytes = Buffer.from([0xc3, 0xa9]);
    expect(await evaluate("$hash('é', 'MD5')")).toBe(createHash("md5").update(utf8Bytes).digest("hex"));
  });

  it("takes only the five algorithm names, case-sensitively", async () => {
    expect(await causeOf("$hash('abc', 'sha-256')")).toBe(
      "threw an error during evaluation. D3137: Hash algorithm 'sha-256' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5",
    );
    expect(await causeOf("$hash('abc', 'SHA-3')")).toMatch(/D3137: Hash algorithm 'SHA-3'/);
  });

  it("checks its arguments and returns nothing without an algorithm", async () => {
    expect(await causeOf("$hash(1, 'MD5')")).toBe(signature(1, "hash"));
    expect(await causeOf("$hash('abc', 5)")).toBe(signature(2, "hash"));
    expect(await causeOf("$hash('abc')")).toBe(NOTHING);
  });
});

describe("$partition", () => {
  it("splits an array into chunks, the last one holding the rest", async () => {
    expect(await evaluate("$partition([1,2,3,4,5,6,7,8,9], 3)")).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(await evaluate("$partition([1,2,3,4,5], 2)")).toEqual([[1, 2], [3, 4], [5]]);
    expect(await evaluate("$partition(['a','b'], 5)")).toEqual([["a", "b"]]);
    expect(await evaluate("$partition([1,2,3,4,5], 2.9)")).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("returns the whole array as one chunk without a size", async () => {
    expect(await evaluate("$partition([1,2,3])")).toEqual([[1, 2, 3]]);
  });

  it("returns nothing for an empty array or a size that truncates to zero", async () => {
    expect(await causeOf("$partition([], 2)")).toBe(NOTHING);
    expect(await causeOf("$partition([1,2], 0)")).toBe(NOTHING);
    expect(await causeOf("$partition([1,2], -0.5)")).toBe(NOTHING);
  });

  it("refuses a negative size, a non-array and a wrong argument", async () => {
    expect(await causeOf("$partition([1,2], -2)")).toBe("threw an error during evaluation. D3137: Second argument must be zero or greater");
    expect(await causeOf("$partition('abc', 2)")).toBe(
      'threw an error during evaluation. T0412: Argument 1 of function "partition" must be an array of undefined',
    );
    expect(await causeOf("$partition([1,2], 'x')")).toBe(signature(2, "partition"));
    expect(await causeOf("$partition([1,2], 1, 1)")).toBe(signature(3, "partition"));
  });
});

describe("$range", () => {
  it("counts from start towards end, end included when a step lands on it", async () => {
    expect(await evaluate("$range(0, 10, 2)")).toEqual([0, 2, 4, 6, 8, 10]);
    expect(await evaluate("$range(0, 9, 2)")).toEqual([0, 2, 4, 6, 8]);
    expect(await evaluate("$range(10, 0, -3)")).toEqual([10, 7, 4, 1]);
    expect(await evaluate("$range(0.9, 9.9, 2.5)")).toEqual([0, 2, 4, 6, 8]);
  });

  it("returns a single value bare", async () => {
    expect(await evaluate("$range(3, 3, 1)")).toBe(3);
    expect(await evaluate("$range(0, 1, 5)")).toBe(0);
  });

  it("returns nothing without a usable step", async () => {
    expect(await causeOf("$range(1, 5)")).toBe(NOTHING);
    expect(await causeOf("$range(1, 5, 0)")).toBe(NOTHING);
    expect(await causeOf("$range(5, 1, 1)")).toBe(NOTHING);
    expect(await causeOf("$range(1, 5, -1)")).toBe(NOTHING);
  });

  it("checks its arguments", async () => {
    expect(await causeOf("$range(1)")).toBe(signature(2, "range"));
    expect(await causeOf("$range('a', 2, 1)")).toBe(signature(1, "range"));
    expect(await causeOf("$range(1, 2, 1, 1)")).toBe(signature(4, "range"));
  });

  it("refuses a range larger than the memory bound before building it", async () => {
    expect(await causeOf("$range(0, 1e12, 1)")).toBe(
      "threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage",
    );
  });
});

describe("$eval", () => {
  it("is disabled, as on AWS", async () => {
    expect(await causeOf("$eval('1 + 1')")).toBe("threw an error during evaluation. T1006: Attempted to invoke a non-function");
  });
});
