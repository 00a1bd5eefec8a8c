/**
 * A streaming parser for delimited text with the rules AWS documents for a distributed Map's CSV
 * ItemReader ("How Step Functions parses input CSV files"): records end at a newline; fields may be
 * enclosed in double quotes, which may then hold delimiters and newlines; `""` inside quotes is one
 * quote; a backslash escapes a backslash, a quote or the delimiter, and before any other character it
 * is dropped; in an unquoted field `""` is one quote too (AWS's own example). Other quoting (a lone quote
 * in an unquoted field, text after a closing quote, a quote left open) is an error that names the line.
 * Empty lines hold no record.
 */
import { DatasetFormatError, OversizedItem } from "./format-error.ts";

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

type State = "field-start" | "unquoted" | "quote-in-unquoted" | "quoted" | "quote-in-quoted" | "after-quoted";

const QUOTE = 34;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;

export class CsvParser {
  private state: State = "field-start";
  private field = "";
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private backslash = false;
  private pendingCr = false;
  private recordHasContent = false;
  private readonly delimiterCode: number;

  constructor(
    private readonly delimiter: string,
    /** A record (field text included) longer than this is refused before it is held whole. */
    private readonly maxRecordChars: number,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let recordChars = 0;
    for (const field of this.fields) recordChars += field.length;
    recordChars += this.field.length;
    for (let i = 0; i < chunk.length; i++) {
      if (!this.pendingCr && !this.backslash) {
        // Fast path: a run of ordinary characters joins the field in one slice.
        const run = this.ordinaryRun(chunk, i);
        if (run > i) {
          recordChars += run - i;
          if (recordChars > this.maxRecordChars) throw new OversizedItem(`line ${this.recordLine}`);
          if (this.state === "field-start") this.state = "unquoted";
          this.field += chunk.slice(i, run);
          this.recordHasContent = true;
          i = run - 1;
          continue;
        }
      }
      const c = chunk[i] as string;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === "\n") continue; // CRLF: the CR already ended the record
      }
      if (++recordChars > this.maxRecordChars) throw new OversizedItem(`line ${this.recordLine}`);
      if (this.backslash) {
        this.backslash = false;
        if (c === "\\" || c === '"' || c === this.delimiter) {
          this.field += c;
          this.recordHasContent = true;
          continue;
        }
        // AWS: a backslash before any other character is silently removed; the character stays.
      } else if (c === "\\" && (this.state === "field-start" || this.state === "unquoted" || this.state === "quoted")) {
        this.backslash = true;
        if (this.state === "field-start") this.state = "unquoted";
        continue;
      }
      if (this.consume(c, out)) recordChars = 0;
    }
    return out;
  }

  /** Flushes the last record (a file need not end with a newline) and checks quoting is closed. */
  end(): CsvRecord[] {
    if (this.state === "quoted") {
      throw new DatasetFormatError(`line ${this.recordLine}: a quoted field is not closed before the end of the file`);
    }
    if (this.state === "quote-in-unquoted") {
      throw new DatasetFormatError(`line ${this.line}: a lone quotation mark inside an unquoted field`);
    }
    const out: CsvRecord[] = [];
    if (this.recordHasContent || this.fields.length > 0) this.endRecord(out);
    return out;
  }

  /** Where the run of characters from `start` that need no state change ends (`start` when none). */
  private ordinaryRun(chunk: string, start: number): number {
    const quoted = this.state === "quoted";
    if (!quoted && this.state !== "unquoted" && this.state !== "field-start") return start;
    let i = start;
    for (; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (code === QUOTE || code === BACKSLASH || code === LF) break;
      if (!quoted && (code === CR || code === this.delimiterCode)) break;
    }
    return i;
  }

  /** Handles one character; returns whether it ended a record. */
  private consume(c: string, out: CsvRecord[]): boolean {
    const newline = c === "\n" || c === "\r";
    switch (this.state) {
      case "quoted":
        if (c === '"') this.state = "quote-in-quoted";
        else {
          this.field += c;
          if (c === "\n") this.line++;
        }
        return false;
      case "quote-in-quoted":
        if (c === '"') {
          this.field += '"';
          this.state = "quoted";
          return false;
        }
        this.state = "after-quoted";
        return this.consume(c, out);
      case "after-quoted":
        if (c === this.delimiter) {
          this.endField();
          return false;
        }
        if (newline) return this.newline(c, out);
        throw new DatasetFormatError(`line ${this.line}: unexpected character after the closing quotation mark of a field`);
      case "quote-in-unquoted":
        // AWS keeps a doubled quote in an unquoted field (its own example: {""MyKey"":""MyValue""}).
        if (c !== '"') throw new DatasetFormatError(`line ${this.line}: a lone quotation mark inside an unquoted field`);
        this.field += '"';
        this.state = "unquoted";
        return false;
      case "field-start":
        if (c === '"') {
          this.state = "quoted";
          this.recordHasContent = true;
          return false;
        }
        this.state = "unquoted";
        return this.consume(c, out);
      case "unquoted":
        if (c === this.delimiter) {
          this.recordHasContent = true;
          this.endField();
          return false;
        }
        if (newline) return this.newline(c, out);
        if (c === '"') {
          this.state = "quote-in-unquoted";
          return false;
        }
        this.field += c;
        this.recordHasContent = true;
        return false;
    }
  }

  private newline(c: string, out: CsvRecord[]): boolean {
    this.line++;
    if (c === "\r") this.pendingCr = true;
    if (!this.recordHasContent && this.fields.length === 0) {
      // An empty line: no record.
      this.state = "field-start";
      this.field = "";
      this.recordLine = this.line;
      return true;
    }
    this.endRecord(out);
    this.recordLine = this.line;
    return true;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = "";
    this.state = "field-start";
  }

  private endRecord(out: CsvRecord[]): void {
    this.fields.push(this.field);
    out.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.field = "";
    this.state = "field-start";
    this.recordHasContent = false;
  }
}
