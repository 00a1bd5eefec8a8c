import { describe, expect, it } from "vitest";
import { CsvParser } from "../src/csv-parser.ts";
import { JsonArraySplitter } from "../src/json-array-splitter.ts";

/** Feeds text one character at a time: every state must survive a chunk boundary anywhere. */
function byCharacter<T>(text: string, push: (chunk: string) => T[], end: () => T[] | undefined): T[] {
  const out: T[] = [];
  for (const c of text) out.push(...push(c));
  out.push(...(end() ?? []));
  return out;
}

describe("the JSON array splitter", () => {
  it("splits elements whatever the chunk boundaries", () => {
    const items = [{ a: 'x,]}[{\\"' }, [1, [2]], "s", -1.5e3, null, false, {}];
    const text = ` [ ${items.map((item) => JSON.stringify(item, null, 1)).join(" ,\n")} ] `;
    const splitter = new JsonArraySplitter(1_000);
    const elements = byCharacter(
      text,
      (chunk) => splitter.push(chunk),
      () => {
        splitter.end();
        return [];
      },
    );
    expect(elements.map(([element]) => JSON.parse(element))).toEqual(items);
  });
});

describe("the CSV parser", () => {
  it("gives the same records whatever the chunk boundaries", () => {
    const text = 'a,b\r\n"x\r\ny","q""t"\r\n\r\nback\\,slash,\\"z\\"\rlast,"x"';
    const whole = new CsvParser(",", 1_000);
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected.map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["x\r\ny", 'q"t'],
      ["back,slash", '"z"'],
      ["last", "x"],
    ]);
    expect(expected.map((r) => r.line)).toEqual([1, 2, 5, 6]);
    const split = new CsvParser(",", 1_000);
    expect(
      byCharacter(
        text,
        (chunk) => split.push(chunk),
        () => split.end(),
      ),
    ).toEqual(expected);
  });
});
