/** A read position in a JSONPath text, shared by the path and filter parsers. */
export class PathCursor {
  pos = 0;
  constructor(readonly text: string) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  skipWhitespace(): void {
    while (!this.atEnd && isWhitespace(this.peek())) this.pos++;
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected '${char}'`);
    this.pos++;
  }

  fail(reason: string): never {
    throw new JsonPathSyntaxError(`${reason} at position ${this.pos}`);
  }
}

export class JsonPathSyntaxError extends Error {
  override readonly name = "JsonPathSyntaxError";
}

export function isWhitespace(char: string): boolean {
  return char === " " || char === "\t" || char === "\n" || char === "\r";
}
