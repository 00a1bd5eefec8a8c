/**
 * The grammar of an intrinsic function call (`States.Format('{}', $.a)`), parsed once into a tree.
 * Follows AWS's intrinsic grammar: single-quoted strings whose only escapes are `\'`, `\{`, `\}` and
 * `\\`; JSON numbers; `true` / `false` / `null`; paths (`$.a`, `$$.Execution.Id`, `$name.field`);
 * nested calls. Whitespace between tokens is ignored.
 */
import { runtimeError } from "../errors.ts";
import type { Json } from "../json.ts";

export const INTRINSIC_FUNCTION_NAMES = [
  "States.Format",
  "States.StringToJson",
  "States.JsonToString",
  "States.Array",
  "States.ArrayPartition",
  "States.ArrayContains",
  "States.ArrayRange",
  "States.ArrayGetItem",
  "States.ArrayLength",
  "States.ArrayUnique",
  "States.Base64Encode",
  "States.Base64Decode",
  "States.Hash",
  "States.JsonMerge",
  "States.MathRandom",
  "States.MathAdd",
  "States.StringSplit",
  "States.UUID",
] as const;

export type IntrinsicFunctionName = (typeof INTRINSIC_FUNCTION_NAMES)[number];

const KNOWN_NAMES: ReadonlySet<string> = new Set(INTRINSIC_FUNCTION_NAMES);

export interface IntrinsicCall {
  readonly kind: "call";
  readonly name: IntrinsicFunctionName;
  readonly args: readonly IntrinsicArgument[];
}

export interface IntrinsicLiteral {
  readonly kind: "literal";
  readonly value: Json;
  /**
   * For a string literal, its text between the quotes with the escapes left in: `States.Format`
   * needs it to tell an escaped `\{` from a placeholder brace.
   */
  readonly raw?: string;
}

export interface IntrinsicPath {
  readonly kind: "path";
  readonly path: string;
  /** `$...` reads the state's data, `$$...` the context object, `$name...` a variable. */
  readonly root: "input" | "context" | "variable";
}

export type IntrinsicArgument = IntrinsicCall | IntrinsicLiteral | IntrinsicPath;

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const STRING_ESCAPES = new Set(["'", "{", "}", "\\"]);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const FUNCTION_NAME = /[A-Za-z0-9_]+/y;
const VARIABLE_START = /[A-Za-z_]/;

/** Parses without caching; throws a `States.Runtime` StatesError describing the first syntax error. */
export function parseIntrinsicCall(expression: string): IntrinsicCall {
  return new Parser(expression).parseExpression();
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseExpression(): IntrinsicCall {
    this.skipWhitespace();
    const call = this.parseCall();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail(`unexpected '${this.text.slice(this.pos)}' after the call`);
    return call;
  }

  private parseCall(): IntrinsicCall {
    const start = this.pos;
    if (!this.text.startsWith("States.", this.pos)) this.fail("expected a function call starting with 'States.'");
    this.pos += "States.".length;
    FUNCTION_NAME.lastIndex = this.pos;
    const match = FUNCTION_NAME.exec(this.text);
    if (!match) this.fail("expected a function name after 'States.'");
    const name = `States.${match[0]}`;
    if (!KNOWN_NAMES.has(name)) {
      this.pos = start;
      this.fail(`unknown intrinsic function '${name}'`);
    }
    this.pos += match[0].length;
    this.skipWhitespace();
    this.expect("(");
    const args: IntrinsicArgument[] = [];
    this.skipWhitespace();
    if (this.peek() === ")") {
      this.pos++;
      return { kind: "call", name: name as IntrinsicFunctionName, args };
    }
    for (;;) {
      this.skipWhitespace();
      args.push(this.parseArgument());
      this.skipWhitespace();
      const next = this.peek();
      if (next === ",") {
        this.pos++;
        continue;
      }
      if (next === ")") {
        this.pos++;
        return { kind: "call", name: name as IntrinsicFunctionName, args };
      }
      this.fail(next === undefined ? "missing ')'" : "expected ',' or ')'");
    }
  }

  private parseArgument(): IntrinsicArgument {
    const c = this.peek();
    if (c === "'") return this.parseString();
    if (c === "$") return this.parsePath();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.parseNumber();
    if (this.text.startsWith("States.", this.pos)) return this.parseCall();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.pos) && this.atDelimiter(this.pos + word.length)) {
        this.pos += word.length;
        return { kind: "literal", value };
      }
    }
    return this.fail(c === undefined || c === ")" || c === "," ? "missing argument" : "invalid argument");
  }

  private parseString(): IntrinsicLiteral {
    const start = this.pos;
    this.pos++;
    let value = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        this.pos = start;
        this.fail("unterminated string literal");
      }
      if (c === "'") break;
      if (c === "\\") {
        const escaped = this.text[this.pos + 1];
        if (escaped === undefined || !STRING_ESCAPES.has(escaped)) {
          this.fail("invalid escape sequence (only \\', \\{, \\} and \\\\ are allowed)");
        }
        value += escaped;
        this.pos += 2;
        continue;
      }
      value += c;
      this.pos++;
    }
    const raw = this.text.slice(start + 1, this.pos);
    this.pos++;
    return { kind: "literal", value, raw };
  }

  private parseNumber(): IntrinsicLiteral {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match || !this.atDelimiter(this.pos + match[0].length)) this.fail("invalid number");
    const value = Number(match[0]);
    if (!Number.isFinite(value)) this.fail("number out of range");
    this.pos += match[0].length;
    return { kind: "literal", value: Object.is(value, -0) ? 0 : value };
  }

  /** A path runs to the next top-level `,`, `)` or whitespace; brackets may hold anything, quoted or not. */
  private parsePath(): IntrinsicPath {
    const start = this.pos;
    let depth = 0;
    let quote: string | null = null;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos] as string;
      if (quote !== null) {
        if (c === "\\") this.pos++;
        else if (c === quote) quote = null;
        continue;
      }
      if (depth > 0 && (c === "'" || c === '"')) quote = c;
      else if (c === "[") depth++;
      else if (c === "]") depth--;
      else if (depth === 0 && (c === "," || c === ")" || WHITESPACE.has(c))) break;
    }
    if (quote !== null || depth !== 0) {
      this.pos = start;
      this.fail("unbalanced brackets in path");
    }
    const path = this.text.slice(start, this.pos);
    if (path.startsWith("$$")) return { kind: "path", path, root: "context" };
    const second = path[1];
    if (second === undefined || second === "." || second === "[") return { kind: "path", path, root: "input" };
    if (!VARIABLE_START.test(second)) {
      this.pos = start;
      this.fail(`invalid path '${path}'`);
    }
    return { kind: "path", path, root: "variable" };
  }

  private atDelimiter(at: number): boolean {
    const c = this.text[at];
    return c === undefined || c === "," || c === ")" || WHITESPACE.has(c);
  }

  private expect(token: string): void {
    if (this.peek() !== token) this.fail(`expected '${token}'`);
    this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text[this.pos] as string)) this.pos++;
  }

  private fail(reason: string): never {
    throw runtimeError(`Invalid intrinsic function call '${this.text}': ${reason} at position ${this.pos + 1}.`);
  }
}
