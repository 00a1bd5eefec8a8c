/**
 * A state machine definition as a graph to lay out: states as nodes, Parallel and Map states as
 * compound nodes holding their branches and item processors, transitions as edges of a few kinds.
 * Built from untrusted JSON, since the editor draws definitions that do not validate yet: whatever
 * cannot be drawn (a missing target, a malformed branch) is left out rather than thrown about.
 */
import { choiceRuleLabel } from "./choice-label.ts";

export type EdgeKind = "next" | "choice" | "default" | "catch" | "start" | "end";
export type NodeKind = "start" | "end" | "state" | "parallel" | "map" | "branch";

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label?: string;
}

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** The state's name, for states (also Parallel and Map); history events name states this way. */
  stateName?: string;
  stateType?: string;
  /** A short summary of the state's Retry, shown as a loop marker on the node. */
  retry?: string;
  children: GraphNode[];
  /** Edges between this node's children. */
  edges: GraphEdge[];
}

export interface GraphModel {
  /** The top level: Start, End and the machine's states, with the edges between them. */
  root: { children: GraphNode[]; edges: GraphEdge[] };
  /** Node ids by state name (a name may repeat in a definition that does not validate). */
  statesByName: Map<string, string[]>;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function retrySummary(retry: unknown): string | undefined {
  if (!Array.isArray(retry) || retry.length === 0) return undefined;
  return retry
    .filter(isObject)
    .map((r) => `${strings(r.ErrorEquals).join(", ") || "?"} ×${typeof r.MaxAttempts === "number" ? r.MaxAttempts : 3}`)
    .join("; ");
}

function isTerminal(state: Obj): boolean {
  return state.End === true || state.Type === "Succeed" || state.Type === "Fail";
}

class GraphBuilder {
  readonly statesByName = new Map<string, string[]>();
  private edgeCount = 0;

  edge(source: string, target: string, kind: EdgeKind, label?: string): GraphEdge {
    this.edgeCount += 1;
    return { id: `e${this.edgeCount}`, source, target, kind, ...(label === undefined ? {} : { label }) };
  }

  /** The nodes and edges of one StartAt/States block; `prefix` keeps ids unique across blocks. */
  block(block: unknown, prefix: string): { children: GraphNode[]; edges: GraphEdge[]; startId?: string; terminalIds: string[] } {
    const states = isObject(block) && isObject(block.States) ? block.States : {};
    // Encoded names cannot contain the "/" of the prefix nor the "<" of Start and End, so ids stay unique.
    const idOf = new Map(Object.keys(states).map((name) => [name, `${prefix}${encodeURIComponent(name)}`]));
    const children: GraphNode[] = [];
    const edges: GraphEdge[] = [];
    const terminalIds: string[] = [];
    const link = (source: string, target: unknown, kind: EdgeKind, label?: string) => {
      const targetId = typeof target === "string" ? idOf.get(target) : undefined;
      if (targetId !== undefined) edges.push(this.edge(source, targetId, kind, label));
    };
    for (const [name, raw] of Object.entries(states)) {
      const id = idOf.get(name)!;
      const state = isObject(raw) ? raw : {};
      children.push(this.stateNode(id, name, state));
      this.statesByName.set(name, [...(this.statesByName.get(name) ?? []), id]);
      if (isTerminal(state)) terminalIds.push(id);
      link(id, state.Next, "next");
      if (state.Type === "Choice") {
        for (const rule of Array.isArray(state.Choices) ? state.Choices : []) {
          if (isObject(rule)) link(id, rule.Next, "choice", choiceRuleLabel(rule));
        }
        link(id, state.Default, "default", "Default");
      }
      for (const catcher of Array.isArray(state.Catch) ? state.Catch : []) {
        if (isObject(catcher)) link(id, catcher.Next, "catch", `catch ${strings(catcher.ErrorEquals).join(", ")}`);
      }
    }
    const start = isObject(block) && typeof block.StartAt === "string" ? idOf.get(block.StartAt) : undefined;
    return { children, edges, terminalIds, ...(start === undefined ? {} : { startId: start }) };
  }

  private stateNode(id: string, name: string, state: Obj): GraphNode {
    const type = typeof state.Type === "string" ? state.Type : "?";
    const retry = retrySummary(state.Retry);
    const base = { id, label: name, stateName: name, stateType: type, ...(retry === undefined ? {} : { retry }) };
    if (type === "Parallel") {
      const branches = Array.isArray(state.Branches) ? state.Branches : [];
      const children = branches.map((branch, i): GraphNode => {
        const inner = this.block(branch, `${id}/${i}/`);
        return { id: `${id}/${i}`, kind: "branch", label: `Branch ${i + 1}`, children: inner.children, edges: inner.edges };
      });
      return { ...base, kind: "parallel", children, edges: [] };
    }
    if (type === "Map") {
      const inner = this.block(state.ItemProcessor ?? state.Iterator, `${id}/`);
      return { ...base, kind: "map", children: inner.children, edges: inner.edges };
    }
    return { ...base, kind: "state", children: [], edges: [] };
  }
}

export const START_ID = "<start>";
export const END_ID = "<end>";

export function buildGraph(definition: unknown): GraphModel {
  const builder = new GraphBuilder();
  const top = builder.block(definition, "");
  const children: GraphNode[] = [
    { id: START_ID, kind: "start", label: "Start", children: [], edges: [] },
    ...top.children,
    { id: END_ID, kind: "end", label: "End", children: [], edges: [] },
  ];
  const edges = [
    ...(top.startId === undefined ? [] : [builder.edge(START_ID, top.startId, "start")]),
    ...top.edges,
    ...top.terminalIds.map((id) => builder.edge(id, END_ID, "end")),
  ];
  return { root: { children, edges }, statesByName: builder.statesByName };
}
