/**
 * Bounds on the work JSONPath evaluation may do, so that one path over hostile data fails its state
 * instead of freezing the process. `$..*..*` over 1,200 nested arrays visits about 700,000 nodes and
 * selects ~10^9 bytes of JSON (each match is a deep array): by reference the walk is cheap, but serialising
 * its result blocked the event loop for over a minute before failing with "Invalid string length".
 *
 * A budget counts nodes visited (a step into a node, a node scanned by `..`, a filter tested, the nodes a
 * filter's `==` compares), the bytes of JSON the selected nodes would serialise to, and wall time (a
 * backstop for regex filters). One budget can be shared by every path of one evaluation phase of a state
 * (all the paths of a Parameters template), so that many paths cannot multiply the bound.
 *
 * AWS evaluates JSONPath with Jayway, which bounds nothing; it fails a path it cannot evaluate with
 * States.Runtime ("Invalid path '<path>' : <reason>"), and so do these bounds.
 */
import { isJsonObject, type Json } from "../json.ts";
import type { DeadlineCheck } from "../regex/linear-regex.ts";
import { PathEvaluationError } from "./path-errors.ts";

export interface PathLimits {
  /** Nodes one budget may visit. */
  maxWork: number;
  /**
   * Bytes of JSON the selected nodes may add up to (each match counted in full, shared or not), each node
   * counting once more for every level it sits below the match: serialising nested data costs V8 time in
   * proportion to depth, and 3,000 matches of `$..[0]` over 3,000 nested arrays (9 MB) took 11 s to write.
   */
  maxResultBytes: number;
  /** Wall time, checked every few thousand nodes and inside regex matching. */
  timeoutMs: number;
}

/**
 * A million visits take ~50-150 ms; a scan of the largest input (256 KB holds at most ~130,000 nodes)
 * needs well under a million, even with a filter. 16 MiB of matches is 64 times the largest payload a
 * state may pass on, room for a result an intrinsic reduces (`States.ArrayLength($..*)`).
 */
export const DEFAULT_PATH_LIMITS: Readonly<PathLimits> = Object.freeze({
  maxWork: 1_000_000,
  maxResultBytes: 16 * 1024 * 1024,
  timeoutMs: 500,
});

/** A path evaluation stopped by its budget. */
export class PathBudgetExceeded extends PathEvaluationError {}

/**
 * A value's size: `bytes` of JSON text (exact for ASCII, escapes not counted), `nodes`, and `depths`, the
 * sum over its nodes of their depth below it.
 */
interface Measure {
  bytes: number;
  nodes: number;
  depths: number;
}

const SCALAR_DEPTHS = 0;

const CLOCK_EVERY = 4096;

export class PathBudget {
  private work = 0;
  private resultBytes = 0;
  private sinceClock = 0;
  private readonly startedAt = performance.now();
  private readonly measures = new WeakMap<object, Measure>();
  /** For regex filters: throws once the budget's time is up. */
  readonly deadline: DeadlineCheck = () => this.checkClock();

  constructor(private readonly limits: Readonly<PathLimits> = DEFAULT_PATH_LIMITS) {}

  /** Records `units` nodes of work. */
  spend(units = 1): void {
    this.work += units;
    if (this.work > this.limits.maxWork) {
      throw new PathBudgetExceeded(`Path evaluation exceeded its budget: it visits more than ${this.limits.maxWork} nodes`);
    }
    this.sinceClock += units;
    if (this.sinceClock >= CLOCK_EVERY) {
      this.sinceClock = 0;
      this.checkClock();
    }
  }

  /** Records a selected node. */
  selected(node: Json): void {
    const measure = this.measure(node);
    this.resultBytes += measure.bytes + measure.depths;
    if (this.resultBytes > this.limits.maxResultBytes) {
      throw new PathBudgetExceeded(`Path evaluation exceeded its budget: it selects more than ${this.limits.maxResultBytes} bytes`);
    }
  }

  /** Records comparing two values for equality, which walks the smaller of them. */
  compared(left: Json, right: Json): void {
    this.spend(Math.min(this.measure(left).nodes, this.measure(right).nodes));
  }

  /**
   * Measures a value, each container once per budget (matches of `..` share their subtrees). Measuring is
   * work too. Iterative: data may be nested deeper than the stack.
   */
  private measure(node: Json): Measure {
    if (node === null || typeof node !== "object") return { bytes: scalarBytes(node), nodes: 1, depths: SCALAR_DEPTHS };
    const known = this.measures.get(node);
    if (known) return known;
    // Post-order over the containers not measured yet.
    const pending: Array<{ node: object; expanded: boolean }> = [{ node, expanded: false }];
    while (pending.length > 0) {
      const top = pending[pending.length - 1] as { node: object; expanded: boolean };
      const children = childrenOf(top.node as Json);
      if (!top.expanded) {
        top.expanded = true;
        for (const child of children) {
          if (child !== null && typeof child === "object" && !this.measures.has(child)) pending.push({ node: child, expanded: false });
        }
        continue;
      }
      pending.pop();
      if (this.measures.has(top.node)) continue;
      this.spend(1);
      let bytes = 2 + Math.max(0, children.length - 1);
      let nodes = 1;
      let depths = 0;
      const keys = Array.isArray(top.node) ? null : Object.keys(top.node);
      if (keys) for (const key of keys) bytes += key.length + 3;
      for (const child of children) {
        const m =
          child !== null && typeof child === "object"
            ? (this.measures.get(child) as Measure)
            : { bytes: scalarBytes(child), nodes: 1, depths: SCALAR_DEPTHS };
        bytes += m.bytes;
        nodes += m.nodes;
        // Every node of the child's subtree is one level deeper below this node.
        depths += m.depths + m.nodes;
      }
      this.measures.set(top.node, { bytes, nodes, depths });
    }
    return this.measures.get(node) as Measure;
  }

  private checkClock(): void {
    if (performance.now() - this.startedAt > this.limits.timeoutMs) {
      throw new PathBudgetExceeded(`Path evaluation exceeded its budget: it runs longer than ${this.limits.timeoutMs} ms`);
    }
  }
}

function childrenOf(node: Json): Json[] {
  if (Array.isArray(node)) return node;
  return isJsonObject(node) ? Object.values(node) : [];
}

function scalarBytes(value: Json): number {
  if (typeof value === "string") return value.length + 2;
  if (typeof value === "number") return String(value).length;
  return value === null ? 4 : value ? 4 : 5;
}
