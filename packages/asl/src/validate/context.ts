import type { QueryLanguage, StateType } from "../definition.ts";
import type { JsonObject } from "../json.ts";
import type { DiagnosticList } from "./diagnostics.ts";

/** What a nested `StartAt` + `States` block is, which decides the fields it may carry. */
export type BlockKind = "branch" | "processor";

/** State shared by the whole walk over one definition. */
export interface MachineContext {
  readonly diagnostics: DiagnosticList;
  readonly machineLanguage: QueryLanguage;
  readonly maxStates: number;
  readonly maxNestingDepth: number;
  /** Every state name seen so far, in any block: AWS wants them unique machine-wide. */
  readonly stateNames: Set<string>;
  readonly labels: Set<string>;
  stateCount: number;
  /**
   * Validates a nested block (Parallel branch, Map processor). Handed in by the walker so that the
   * state modules do not import it back.
   */
  readonly validateBlock: (value: unknown, location: string, depth: number, kind: BlockKind) => void;
}

/** One state being validated. `depth` is the nesting depth of the block holding it (top level: 0). */
export interface StateContext {
  readonly machine: MachineContext;
  readonly name: string;
  readonly location: string;
  readonly state: JsonObject;
  readonly type: StateType;
  readonly language: QueryLanguage;
  readonly depth: number;
}
