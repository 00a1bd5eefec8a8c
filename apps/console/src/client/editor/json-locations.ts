/**
 * Where things are in JSON text: the line of every value, addressed the way diagnostics address them
 * (`/States/Pick/Choices[0]/Next`), and the line of the first syntax error. A small scanner of its own,
 * since JSON.parse keeps no positions.
 */

export interface JsonLocations {
  /** Line (1-based) of each value: for an object member, the line of its key. `""` is the whole text. */
  lines: Map<string, number>;
  /** Where to underline each value: an object member's key, an array element's whole value. */
  spans: Map<string, Span>;
  syntaxError?: { line: number; offset: number; message: string };
}

/** Offsets into the text, `to` excluded. */
export interface Span {
  from: number;
  to: number;
}

class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

class Scanner {
  private offset = 0;
  readonly lines = new Map<string, number>();
  readonly spans = new Map<string, Span>();
  /** Offsets where each line starts, to turn an offset into a line number. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  lineAt(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  document(): void {
    this.skipSpace();
    this.value("", this.offset);
    this.skipSpace();
    if (this.offset < this.text.length) throw new SyntaxProblem(this.offset, "Unexpected text after the JSON value");
  }

  private skipSpace(): void {
    while (this.offset < this.text.length && " \t\r\n".includes(this.text[this.offset]!)) this.offset++;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.offset] !== char) throw new SyntaxProblem(this.offset, `Expected '${char}'`);
    this.offset++;
  }

  private value(path: string, lineOffset: number): void {
    this.skipSpace();
    if (!this.lines.has(path)) this.lines.set(path, this.lineAt(lineOffset));
    const char = this.text[this.offset];
    if (char === "{") this.object(path);
    else if (char === "[") this.array(path);
    else if (char === '"') this.string();
    else this.literal(char);
  }

  private literal(char: string | undefined): void {
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      this.text.slice(this.offset, this.offset + 400),
    );
    if (!literal) throw new SyntaxProblem(this.offset, char === undefined ? "Unexpected end of the text" : `Unexpected '${char}'`);
    this.offset += literal[0].length;
  }

  private object(path: string): void {
    this.offset++;
    this.skipSpace();
    if (this.text[this.offset] === "}") {
      this.offset++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.offset] !== '"') throw new SyntaxProblem(this.offset, "Expected a property name in double quotes");
      const keyOffset = this.offset;
      const key = this.string();
      if (!this.spans.has(`${path}/${key}`)) this.spans.set(`${path}/${key}`, { from: keyOffset, to: this.offset });
      this.expect(":");
      this.value(`${path}/${key}`, keyOffset);
      this.skipSpace();
      const next = this.text[this.offset];
      this.offset++;
      if (next === "}") return;
      if (next !== ",") throw new SyntaxProblem(this.offset - 1, "Expected ',' or '}' after a property");
    }
  }

  private array(path: string): void {
    this.offset++;
    this.skipSpace();
    if (this.text[this.offset] === "]") {
      this.offset++;
      return;
    }
    for (let index = 0; ; index++) {
      this.skipSpace();
      const from = this.offset;
      this.value(`${path}[${index}]`, from);
      this.spans.set(`${path}[${index}]`, { from, to: this.offset });
      this.skipSpace();
      const next = this.text[this.offset];
      this.offset++;
      if (next === "]") return;
      if (next !== ",") throw new SyntaxProblem(this.offset - 1, "Expected ',' or ']' after an array element");
    }
  }

  private string(): string {
    const start = this.offset;
    this.offset++;
    while (this.offset < this.text.length) {
      const char = this.text[this.offset]!;
      if (char === "\\") this.offset += 2;
      else if (char === '"') {
        this.offset++;
        try {
          return JSON.parse(this.text.slice(start, this.offset)) as string;
        } catch {
          throw new SyntaxProblem(start, "Invalid escape or control character in a string");
        }
      } else if (char === "\n") break;
      else this.offset++;
    }
    throw new SyntaxProblem(start, "Unterminated string");
  }
}

export function jsonLocations(text: string): JsonLocations {
  const scanner = new Scanner(text);
  try {
    scanner.document();
    return { lines: scanner.lines, spans: scanner.spans };
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    return {
      lines: scanner.lines,
      spans: scanner.spans,
      syntaxError: { line: scanner.lineAt(error.offset), offset: error.offset, message: error.message },
    };
  }
}

/**
 * The line a diagnostic's location points at; a location naming something absent (a missing `Next`)
 * falls back to the nearest enclosing value that is there.
 */
export function lineOfLocation(locations: JsonLocations, location: string): number | undefined {
  return placeOfLocation(locations, location)?.line;
}

/** The line and span a diagnostic's location points at, with the same fallback as lineOfLocation. */
export function placeOfLocation(locations: JsonLocations, location: string): { line: number; span?: Span } | undefined {
  let path = location === "/" ? "" : location;
  for (;;) {
    const line = locations.lines.get(path);
    if (line !== undefined) {
      const span = locations.spans.get(path);
      return span ? { line, span } : { line };
    }
    if (path === "") return undefined;
    path = path.replace(/(?:\/[^/]*|\[\d+\])$/, "");
  }
}
