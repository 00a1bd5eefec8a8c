/**
 * The compiled form of a JSONPath. AWS Step Functions evaluates JSONPath with Jayway JsonPath (its error
 * causes are Jayway's, e.g. "No results for path: $['a']"), so the shapes here follow Jayway's tokens.
 */
import type { Json } from "../json.ts";
import type { LinearRegex } from "../regex/linear-regex.ts";

/** What `$…` reads: the state data (`$`), the context object (`$$`) or a variable (`$name`). */
export type PathRoot = { kind: "input" } | { kind: "context" } | { kind: "variable"; name: string };

export type PathSegment =
  /** `.a`, `['a']`, `['a','b']`. Several names at the leaf merge into one object (Jayway: still definite). */
  | { kind: "property"; names: readonly string[]; quote: "'" | '"' }
  /** `[0]`, `[-1]`, `[0,2]`. */
  | { kind: "index"; indexes: readonly number[] }
  /** `[a:b]`, `[a:]`, `[:b]` (Jayway reads no step). */
  | { kind: "slice"; from: number | null; to: number | null }
  | { kind: "wildcard" }
  /** `..`: applies the next segment at every level below (and at) the current node. */
  | { kind: "scan" }
  | { kind: "filter"; expression: FilterExpression };

/** A sequence of segments with what evaluation needs precomputed once. */
export interface CompiledSegments {
  readonly segments: readonly PathSegment[];
  /** `upstreamDefinite[i]`: every segment before `i` selects at most one node. Jayway only raises errors then. */
  readonly upstreamDefinite: readonly boolean[];
  /**
   * `prefixes[i]`: the path Jayway has walked when it reaches segment `i` (`$['a'][0]`), as its error causes
   * print it; only meaningful while `upstreamDefinite[i]`.
   */
  readonly prefixes: readonly string[];
  /** Jayway's rendering of the whole path (`$['a']['b']`), as "No results for path: …" prints it. */
  readonly rendered: string;
  readonly definite: boolean;
}

export interface CompiledPath extends CompiledSegments {
  readonly text: string;
  readonly root: PathRoot;
  /** Only single names and single indices: what Reference Paths (ResultPath, Choice `Variable`) allow. */
  readonly reference: boolean;
}

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~";

export type FilterExpression =
  | { kind: "or"; left: FilterExpression; right: FilterExpression }
  | { kind: "and"; left: FilterExpression; right: FilterExpression }
  | { kind: "not"; operand: FilterExpression }
  /** A bare `@.x`: true when the path selects something. */
  | { kind: "exists"; path: FilterPath }
  | { kind: "compare"; operator: ComparisonOperator; left: FilterOperand; right: FilterOperand };

/** `@…` reads the item under test, `$…` the document the whole path is evaluated against. */
export interface FilterPath extends CompiledSegments {
  readonly origin: "current" | "document";
}

export type FilterOperand = { kind: "literal"; value: Json } | { kind: "regex"; regex: LinearRegex } | { kind: "path"; path: FilterPath };
