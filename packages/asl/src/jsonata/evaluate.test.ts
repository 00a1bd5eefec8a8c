import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.ts";
import { bindings, causeOf, evaluate, failureOf, sequence } from "./test-support.ts";

const context: JsonObject = {
  Execution: { Id: "arn:aws:states:us-east-1:123456789012:execution:m:e", Input: { a: 1 } },
  State: { Name: "Transform", EnteredTime: "2024-05-01T10:00:00.000Z" },
};

describe("what an expression sees", () => {
  it("reads $states.input, $states.context, $states.result and $states.errorOutput", async () => {
    const states = { input: { n: 2 }, context, result: { total: 5 }, errorOutput: { Error: "E", Cause: "c" } };
    const b = bindings({ states });
    expect(await evaluate("$states.input.n * $states.result.total", b)).toBe(10);
    expect(await evaluate("$states.context.State.Name", b)).toBe("Transform");
    expect(await evaluate("$states.context.Execution.Input.a", b)).toBe(1);
    expect(await evaluate("$states.errorOutput.Error", b)).toBe("E");
  });

  it("has no result or errorOutput where the state provides none", async () => {
    const b = bindings({ states: { input: {}, context, result: undefined } });
    expect(await evaluate("$keys($states)", b)).toEqual(["input", "context"]);
  });

  it("sees each variable as $name", async () => {
    const b = bindings({ variables: { rate: 3, customer: { name: "María" } } });
    expect(await evaluate("$rate * 2", b)).toBe(6);
    expect(await evaluate("'Hello ' & $customer.name", b)).toBe("Hello María");
  });

  it("keeps $states reserved even against a variable of that name", async () => {
    const b = bindings({ states: { input: { from: "states" }, context: {} }, variables: { states: { input: { from: "variable" } } } });
    expect(await evaluate("$states.input.from", b)).toBe("states");
  });

  it("evaluates with no context item: a bare field name finds nothing", async () => {
    expect(await causeOf("field", bindings({ states: { input: { field: 1 }, context: {} } }))).toBe("returned nothing (undefined).");
  });

  it("keeps JSONata's singleton and grouping semantics", async () => {
    const states = {
      input: {
        items: [{ id: "a", n: 1 }],
        many: [
          { id: "a", n: 1 },
          { id: "b", n: 2 },
          { id: "a", n: 3 },
        ],
      },
      context: {},
    };
    const b = bindings({ states });
    expect(await evaluate("$states.input.items.id", b)).toBe("a");
    expect(await evaluate("[$states.input.items.id]", b)).toEqual(["a"]);
    expect(await evaluate("$states.input.many{id: $sum(n)}", b)).toEqual({ a: 4, b: 2 });
  });
});

describe("results", () => {
  it("are JSON, with non-finite numbers written as AWS writes them", async () => {
    expect(await evaluate("1/0")).toBe("Infinity");
    expect(await evaluate("{'a': [1, null, 'x', true]}")).toEqual({ a: [1, null, "x", true] });
  });

  it("share nothing with the bindings", async () => {
    const input = { order: { lines: [1, 2] } };
    const result = (await evaluate("$states.input.order", bindings({ states: { input, context: {} } }))) as { lines: number[] };
    result.lines.push(3);
    expect(input.order.lines).toEqual([1, 2]);
  });

  it("cannot be functions", async () => {
    for (const body of ["function($x){ $x }", "$sum", "/ab+c/", "{'f': function(){ 1 }}", "[1, $uppercase]"]) {
      expect(await causeOf(body)).toBe("returned an unsupported result type.");
    }
  });
});

describe("failures", () => {
  it("name the expression and the field when nothing comes back", async () => {
    const failure = await failureOf(evaluate("$doesNotExist"));
    expect(failure.error).toBe("States.QueryEvaluationError");
    expect(failure.causeText).toBe("The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).");
  });

  it("carry JSONata's code and message after a full stop", async () => {
    expect(await causeOf("'a' + 1")).toBe(
      'threw an error during evaluation. T2001: The left side of the "+" operator must evaluate to a number',
    );
    expect(await causeOf("$notAFunction(1)")).toBe("threw an error during evaluation. T1006: Attempted to invoke a non-function");
    expect(await causeOf("$sum(['a'])")).toBe(
      'threw an error during evaluation. T0412: Argument 1 of function "sum" must be an array of "numbers"',
    );
    expect(await causeOf("$number('x')")).toBe('threw an error during evaluation. D3030: Unable to cast value to a number: "x"');
    expect(await causeOf("a[1,2)")).toBe('threw an error during evaluation. S0202: Expected "]", got ","');
  });

  it("leave the caller's data untouched when JSONata marks what it was made to call", async () => {
    const input = { a: { b: 1 } };
    const variables = { v: { c: 2 } };
    const b = bindings({ states: { input, context: {} }, variables });
    await failureOf(evaluate("$states.input.a()", b));
    await failureOf(evaluate("$v()", b));
    expect(input).toEqual({ a: { b: 1 } });
    expect(variables).toEqual({ v: { c: 2 } });
  });

  it("are StatesErrors a Catch can match", async () => {
    const failure = await failureOf(evaluate("$error('boom')"));
    expect(failure.error).toBe("States.QueryEvaluationError");
    expect(failure.causeText).toBe(
      "The JSONata expression '$error('boom')' specified for the field 'Output' threw an error during evaluation. D3137: boom",
    );
  });
});

describe("runaway expressions", () => {
  const STACK =
    "threw an error during evaluation: Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.";
  const TIMEOUT = "threw an error during evaluation: Expression evaluation timeout: Check for infinite loop";
  const MEMORY = "threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage";

  it("stop a recursion that never returns", async () => {
    const started = performance.now();
    expect(await causeOf("($f := function($n){ 1 + $f($n+1) }; $f(0))", bindings({ limits: { maxCallDepth: 200 } }))).toBe(STACK);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("stop the default depth well before the process suffers", async () => {
    // Given time, the depth bound trips on its own (by default the clock trips first).
    expect(await causeOf("($f := function($n){ [$n, $f($n+1)] }; $f(0))", bindings({ limits: { timeoutMs: 60_000 } }))).toBe(STACK);
  });

  it("stop a tail-recursive loop on time", async () => {
    const started = performance.now();
    expect(await causeOf("($f := function($n){ $f($n+1) }; $f(0))", bindings({ limits: { timeoutMs: 50 } }))).toBe(TIMEOUT);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("stop an enormous loop on time", async () => {
    const body = "$reduce([1..800000], function($a, $v){ $a + $v })";
    expect(await causeOf(body, bindings({ limits: { timeoutMs: 50 } }))).toBe(TIMEOUT);
  });

  it("stop concurrent branches too", async () => {
    const body = "($f := function($n){ 1 + $f($n+1) }; [$f(0), $f(1), {'a': $f(2), 'b': $f(3)}])";
    expect(await causeOf(body, bindings({ limits: { maxCallDepth: 100 } }))).toBe(STACK);
  });

  it("refuse what AWS refuses on memory", async () => {
    expect(await causeOf("[1..900000] ~> $count()")).toBe(MEMORY);
    expect(await causeOf("$pad('', 8388608, 'x')")).toBe(MEMORY);
  });

  it("allow deep but finite recursion and wide concurrent work", async () => {
    // About the depth bound, not the clock: these take 250-600 ms on a loaded machine, close to the default.
    const patient = { timeoutMs: 10_000 };
    expect(await evaluate("($f := function($n){ $n = 0 ? 0 : 1 + $f($n-1) }; $f(2000))", bindings({ limits: patient }))).toBe(2000);
    const items = Array.from({ length: 3000 }, (_, i) => ({ id: `k${i}`, n: i }));
    const b = bindings({ states: { input: { items }, context: {} }, limits: patient });
    const grouped = (await evaluate("($double := function($x){ $x * 2 }; $states.input.items{id: $double(n)})", b)) as Record<
      string,
      number
    >;
    expect(Object.keys(grouped)).toHaveLength(3000);
    expect(grouped.k2999).toBe(5998);
    expect(await evaluate("$count([1..873782])")).toBe(873782);
  });
});

describe("one evaluation holds the process briefly", () => {
  const TIMEOUT = "threw an error during evaluation: Expression evaluation timeout: Check for infinite loop";

  it("matches regular expressions without backtracking ($contains over 30 a's and a '!' took 5.5 s)", async () => {
    const started = performance.now();
    expect(await evaluate(`$contains("${"a".repeat(30)}!", /^(a+)+$/)`)).toBe(false);
    expect(await evaluate(`$contains("${"a".repeat(5_000)}!", /^(a+)+$/)`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("keeps JSONata's regex functions working on the linear engine", async () => {
    expect(await evaluate(`$match("ab12cd345", /[0-9]+/).match`)).toEqual(["12", "345"]);
    expect(await evaluate(`$match("2024-12", /(\\d+)-(\\d+)/).groups`)).toEqual(["2024", "12"]);
    expect(await evaluate(`$replace("hello world", /o/, "0")`)).toBe("hell0 w0rld");
    expect(await evaluate(`$split("a1b22c", /[0-9]+/)`)).toEqual(["a", "b", "c"]);
    expect(await evaluate(`$contains("Hello", /^h/i)`)).toBe(true);
    expect(await causeOf(`$match("abc", /x*/)`)).toMatch(/D1004/);
  });

  it("stops a long regex search inside one step on time", async () => {
    const started = performance.now();
    const body = `$match($pad("", 250000, "a"), /(?:.{100}){10}[^a]/)`;
    expect(await causeOf(body)).toBe(TIMEOUT);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("refuses a result that names a large input a hundred times before copying it", async () => {
    const b = bindings({ states: { input: { s: "x".repeat(200_000), items: [1, 2, 3] }, context: {} } });
    const started = performance.now();
    expect(await causeOf("[1..100].($states.input)", b)).toBe(
      "threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage",
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await evaluate("[1..3].($states.input.items)", b)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it("stops runaway recursions within the default budget, concurrent ones included (four held a server for 20 s)", async () => {
    const started = performance.now();
    const runaway = "($f := function($n){ $f($n+1) }; $f(0))";
    const causes = await Promise.all([1, 2, 3, 4].map(() => causeOf(runaway)));
    expect(causes).toEqual([TIMEOUT, TIMEOUT, TIMEOUT, TIMEOUT]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("concurrent evaluations", () => {
  it("each use their own randomness and bounds", async () => {
    const body = "$random()";
    const [a, b, c] = await Promise.all([
      evaluate(body, bindings({ random: sequence(0.1) })),
      evaluate(body, bindings({ random: sequence(0.2) })),
      causeOf("($f := function($n){ 1 + $f($n+1) }; $f(0))", bindings({ limits: { maxCallDepth: 10 } })),
    ]);
    expect([a, b]).toEqual([0.1, 0.2]);
    expect(c).toMatch(/Stack overflow/);
    expect(await evaluate("($f := function($n){ $n = 0 ? 0 : 1 + $f($n-1) }; $f(50))")).toBe(50);
  });
});
