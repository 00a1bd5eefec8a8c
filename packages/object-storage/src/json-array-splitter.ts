/**
 * Splits the text of a JSON array into the texts of its elements as the text arrives, tracking nesting
 * and strings, so a dataset of any size is read one element at a time. Each element text is then
 * parsed on its own with JSON.parse, which also validates it.
 */
import { DatasetFormatError, OversizedItem } from "./format-error.ts";

type Phase = "before-array" | "before-element" | "after-element" | "in-element" | "after-array";

const whitespace = new Set([" ", "\t", "\n", "\r"]);

export class JsonArraySplitter {
  private phase: Phase = "before-array";
  /** Characters read so far: error positions are 0-based offsets in the decoded text. */
  private offset = 0;
  private element = "";
  private elementStart = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private elements = 0;

  /** `maxElementChars`: an element longer than this is refused before it is held whole. */
  constructor(private readonly maxElementChars: number) {}

  /** Returns the elements completed by this chunk, as [text, position] pairs. */
  push(chunk: string): Array<[text: string, position: number]> {
    const out: Array<[string, number]> = [];
    let sliceStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as string;
      const position = this.offset + i;
      switch (this.phase) {
        case "before-array":
          if (whitespace.has(c)) continue;
          if (c !== "[") throw new DatasetFormatError("Attempting to map over non-iterable node.");
          this.phase = "before-element";
          continue;
        case "before-element":
        case "after-element":
          if (whitespace.has(c)) continue;
          if (c === "]" && (this.phase === "after-element" || this.elements === 0)) {
            this.phase = "after-array";
            continue;
          }
          if (c === "," && this.phase === "after-element") {
            this.phase = "before-element";
            continue;
          }
          if (this.phase === "after-element") throw new DatasetFormatError(`expected ',' or ']' at position ${position}`);
          if (c === "]" || c === ",") throw new DatasetFormatError(`unexpected '${c}' at position ${position}`);
          this.phase = "in-element";
          this.elementStart = position;
          this.element = "";
          sliceStart = i;
          this.depth = 0;
          this.scan(c, position);
          continue;
        case "in-element":
          if (!this.inString && this.depth === 0 && (c === "," || c === "]")) {
            this.element += chunk.slice(sliceStart, i);
            out.push([this.element, this.elementStart]);
            this.elements++;
            this.element = "";
            this.phase = c === "," ? "before-element" : "after-array";
            continue;
          }
          this.scan(c, position);
          if (this.element.length + (i - sliceStart) > this.maxElementChars) {
            throw new OversizedItem(undefined);
          }
          continue;
        case "after-array":
          if (whitespace.has(c)) continue;
          throw new DatasetFormatError(`unexpected '${c}' after the end of the array at position ${position}`);
      }
    }
    if (this.phase === "in-element") this.element += chunk.slice(sliceStart);
    this.offset += chunk.length;
    return out;
  }

  /** Checks that the text ended where a JSON array may end. */
  end(): void {
    if (this.phase === "before-array") throw new DatasetFormatError("Attempting to map over non-iterable node.");
    if (this.phase !== "after-array") throw new DatasetFormatError(`unexpected end of the document at position ${this.offset}`);
  }

  private scan(c: string, position: number): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === "\\") this.escaped = true;
      else if (c === '"') this.inString = false;
      return;
    }
    if (c === '"') this.inString = true;
    else if (c === "{" || c === "[") this.depth++;
    else if (c === "}" || c === "]") {
      this.depth--;
      if (this.depth < 0) throw new DatasetFormatError(`unexpected '${c}' at position ${position}`);
    }
  }
}
