import { readFileSync } from "node:fs";
import type { Json } from "@stepwise/asl";
import { CliError } from "./cli-error.ts";

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError("FileNotReadable", `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function parseJson(text: string, errorCode: string, what: string): Json {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (e) {
    throw new CliError(errorCode, `${what} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    // JSON the engine cannot serialise again (nested thousands of levels deep) is refused up front.
    JSON.stringify(value);
  } catch {
    throw new CliError(errorCode, `${what} is nested too deeply to be processed`);
  }
  return value;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
