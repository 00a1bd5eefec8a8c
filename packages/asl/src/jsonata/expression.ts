/**
 * JSONata expressions as they appear in a definition (`"{% … %}"` strings) and their compiled form.
 * Compiling parses the body once, installs the Step Functions dialect and the runaway guard, and
 * records what the expression references, so evaluation binds only the variables it can see.
 */
import jsonata from "jsonata";
import { installDialect } from "./dialect-functions.ts";
import { contextOf } from "./evaluation-context.ts";

const OPEN = "{%";
const CLOSE = "%}";

/** A string that Step Functions evaluates as JSONata: it starts with `{%` and ends with `%}`. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === "string" && value.length >= OPEN.length + CLOSE.length && value.startsWith(OPEN) && value.endsWith(CLOSE);
}

/** The expression between the delimiters of a `{% … %}` string, trimmed. */
export function expressionBody(expression: string): string {
  return expression.slice(OPEN.length, -CLOSE.length).trim();
}

export interface CompiledExpression {
  readonly body: string;
  readonly program: jsonata.Expression;
  /** Every name the expression references as `$name` (functions and its own locals included). */
  readonly references: ReadonlySet<string>;
}

/** An error as JSONata raises it: a code such as `T0410` and the message rendered from its template. */
export interface JsonataError {
  code: string;
  message: string;
  position?: number;
  token?: string;
}

export function isJsonataError(error: unknown): error is JsonataError {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string" && /^[A-Z]\d{4}$/.test(code) && typeof message === "string";
}

const ENTRY_CALLBACK = Symbol.for("jsonata.__evaluate_entry");
const EXIT_CALLBACK = Symbol.for("jsonata.__evaluate_exit");

/** Definitions hold a bounded number of distinct expressions; the bound keeps a long-lived worker's cache finite. */
const CACHE_LIMIT = 2_000;
const cache = new Map<string, CompiledExpression>();

/**
 * Compiles an expression body (without its `{% %}` delimiters), from cache when it was compiled
 * before. Throws JSONata's syntax error as JSONata raises it.
 */
export function compileExpression(body: string): CompiledExpression {
  const cached = cache.get(body);
  if (cached) {
    cache.delete(body);
    cache.set(body, cached);
    return cached;
  }
  const program = jsonata(body);
  const { references, lambdaBodies } = analyse(program.ast());
  installDialect(program);
  installGuard(program, lambdaBodies);
  const compiled: CompiledExpression = { body, program, references };
  cache.set(body, compiled);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return compiled;
}

export interface JsonataSyntaxError {
  /** JSONata's error code (`S0202`…), null when the parser failed otherwise (an expression nested too deeply). */
  code: string | null;
  message: string;
  /** Character offset in the trimmed expression body where parsing stopped, when JSONata reports one. */
  position: number | null;
}

/** Why a `{% … %}` string (or a bare expression body) does not parse, or null when it does. */
export function parseJsonataError(text: string): JsonataSyntaxError | null {
  const body = isJsonataExpression(text) ? expressionBody(text) : text;
  try {
    compileExpression(body);
    return null;
  } catch (error) {
    if (isJsonataError(error)) return { code: error.code, message: error.message, position: error.position ?? null };
    return { code: null, message: error instanceof Error ? error.message : String(error), position: null };
  }
}

/** The variable names an expression references, and the AST nodes that are lambda bodies. */
function analyse(root: jsonata.ExprNode): { references: Set<string>; lambdaBodies: Set<object> } {
  const references = new Set<string>();
  const lambdaBodies = new Set<object>();
  const seen = new Set<object>();
  const pending: object[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (seen.has(node)) continue;
    seen.add(node);
    const { type, value, body } = node as { type?: unknown; value?: unknown; body?: unknown };
    if (type === "variable" && typeof value === "string") references.add(value);
    if (type === "lambda" && typeof body === "object" && body !== null) lambdaBodies.add(body);
    for (const child of Object.values(node)) {
      if (typeof child === "object" && child !== null) pending.push(child);
    }
  }
  return { references, lambdaBodies };
}

/**
 * Every evaluation step reports to the guard of its own evaluation. A step that evaluates a lambda's
 * body is one level of call depth: tail calls are trampolined, so only non-tail recursion nests them.
 */
function installGuard(program: jsonata.Expression, lambdaBodies: ReadonlySet<object>): void {
  // jsonata-js looks its evaluation hooks up by these symbols; its typings only admit string names.
  program.assign(ENTRY_CALLBACK as unknown as string, (node: object, _input: unknown, environment: jsonata.Environment) => {
    const context = contextOf(environment);
    context.guard.enter(lambdaBodies.has(node));
    // jsonata-js builds a `/…/` literal's matcher right after this callback, with the engine of the
    // evaluation's base frame (set from its options when the evaluation starts). Swapping it here binds
    // the literal to this evaluation's deadline, while the compiled program stays shared.
    if ((node as { type?: unknown }).type === "regex") {
      (environment as unknown as { base: { RegexEngine: unknown } }).base.RegexEngine = context.regexEngine();
    }
  });
  program.assign(EXIT_CALLBACK as unknown as string, (node: object, _input: unknown, environment: jsonata.Environment, result: unknown) => {
    contextOf(environment).guard.exit(lambdaBodies.has(node), result);
  });
}
