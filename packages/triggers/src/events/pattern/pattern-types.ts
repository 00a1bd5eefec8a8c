/**
 * An EventBridge event pattern, compiled: what each field must hold. A pattern is checked once (when a
 * rule is put, or TestEventPattern is called) and matched against many events.
 */

/** One value a field may match: a leaf of a pattern's value array. */
export type Matcher =
  | { kind: "exact"; value: string | number | boolean | null }
  | { kind: "prefix" | "suffix"; value: string; ignoreCase: boolean }
  | { kind: "equals-ignore-case"; value: string }
  | { kind: "wildcard"; regex: RegExp }
  | { kind: "numeric"; lower?: Bound; upper?: Bound }
  | { kind: "exists"; value: boolean }
  | { kind: "cidr"; range: IpRange }
  | { kind: "anything-but"; but: AnythingBut };

/** What `anything-but` excludes: values, or strings of a prefix, suffix, case-insensitive value or wildcard. */
export type AnythingBut =
  | { kind: "values"; values: ReadonlyArray<string | number> }
  | { kind: "prefix" | "suffix"; value: string }
  | { kind: "equals-ignore-case"; values: readonly string[] }
  | { kind: "wildcard"; regexes: readonly RegExp[] };

export interface Bound {
  value: number;
  inclusive: boolean;
}

export interface IpRange {
  version: 4 | 6;
  /** The first and last address of the range, as numbers. */
  first: bigint;
  last: bigint;
}

/** An object of a pattern: every field must match (AND), and each `$or` group needs one alternative. */
export interface ObjectPattern {
  fields: ReadonlyArray<{ name: string; pattern: ObjectPattern | readonly Matcher[] }>;
  or: ReadonlyArray<readonly ObjectPattern[]>;
}

/** A pattern AWS would refuse: PutRule and TestEventPattern answer InvalidEventPatternException. */
export class InvalidEventPattern extends Error {
  override readonly name = "InvalidEventPatternException";

  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
  }
}
