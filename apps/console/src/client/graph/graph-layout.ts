/**
 * Places a graph model with elkjs (layered, top to bottom, compound nodes laid out with their parents)
 * and flattens the result into absolute coordinates, ready to draw. Runs in the browser and in Node
 * (the benchmark), so text is measured by a function the caller may replace.
 */
import elkModule from "elkjs/lib/elk.bundled.js";
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import type { EdgeKind, GraphEdge, GraphModel, GraphNode, NodeKind } from "./graph-model.ts";

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

export interface PlacedNode extends Box {
  id: string;
  kind: NodeKind;
  label: string;
  stateName?: string;
  stateType?: string;
  retry?: string;
  /** 0 at the top level; children are listed after their parents. */
  depth: number;
}

export interface PlacedEdge {
  id: string;
  kind: EdgeKind;
  /** The label as drawn (shortened when long) and in full. */
  label?: string;
  fullLabel?: string;
  labelBox?: Box;
  points: Point[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Width in pixels of `text` in the font of `kind` ("node" 13px, "small" 11px). */
export type MeasureText = (text: string, kind: "node" | "small") => number;

/** A fair guess for the console's sans-serif fonts, so Node and the browser agree without a canvas. */
export const estimateText: MeasureText = (text, kind) => text.length * (kind === "node" ? 7.4 : 6.3);

const MAX_EDGE_LABEL = 34;
const MAX_RETRY_LABEL = 30;
const NODE_HEIGHT = 40;
const RETRY_HEIGHT = 16;
const GROUP_PADDING = "[top=34,left=14,bottom=14,right=14]";

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const ROOT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.spacing.nodeNodeBetweenLayers": "40",
  "elk.layered.spacing.edgeNodeBetweenLayers": "18",
  "elk.spacing.nodeNode": "28",
  "elk.spacing.edgeNode": "16",
  "elk.spacing.edgeLabel": "4",
  "elk.padding": "[top=12,left=12,bottom=12,right=12]",
  // Everything comes back in root coordinates, so drawing needs no offsets.
  "elk.json.shapeCoords": "ROOT",
  "elk.json.edgeCoords": "ROOT",
};

interface ElkConstructor {
  new (): { layout(graph: ElkNode): Promise<ElkNode> };
}

let elk: InstanceType<ElkConstructor> | undefined;

function elkInstance(): InstanceType<ElkConstructor> {
  // elk.bundled.js is CommonJS whose export is the constructor, also reachable as its own `default`.
  const Elk = (elkModule as unknown as { default: ElkConstructor }).default;
  elk ??= new Elk();
  return elk;
}

function leafSize(node: GraphNode, measure: MeasureText): { width: number; height: number } {
  if (node.kind === "start" || node.kind === "end") return { width: 64, height: 28 };
  const retryWidth = node.retry === undefined ? 0 : measure(`↻ ${shorten(node.retry, MAX_RETRY_LABEL)}`, "small");
  // 32 of padding plus 20 for the state type's icon (state-icons.ts).
  const width = Math.max(120, measure(node.label, "node") + 52, retryWidth + 24);
  return { width: Math.ceil(width), height: NODE_HEIGHT + (node.retry === undefined ? 0 : RETRY_HEIGHT) };
}

function toElkEdge(edge: GraphEdge, measure: MeasureText): ElkExtendedEdge {
  const label = edge.label === undefined ? undefined : shorten(edge.label, MAX_EDGE_LABEL);
  return {
    id: edge.id,
    sources: [edge.source],
    targets: [edge.target],
    ...(label === undefined
      ? {}
      : { labels: [{ id: `${edge.id}/label`, text: label, width: Math.ceil(measure(label, "small")) + 8, height: 16 }] }),
  };
}

function toElkNode(node: GraphNode, measure: MeasureText): ElkNode {
  if (node.children.length === 0 && node.kind !== "parallel" && node.kind !== "map" && node.kind !== "branch") {
    return { id: node.id, ...leafSize(node, measure) };
  }
  // An empty group still needs room for its header.
  const headerWidth = Math.ceil(
    measure(node.label, "node") + (node.retry === undefined ? 0 : measure(`↻ ${shorten(node.retry, MAX_RETRY_LABEL)}`, "small") + 16) + 58,
  );
  return {
    id: node.id,
    layoutOptions: {
      "elk.padding": GROUP_PADDING,
      "elk.nodeSize.minimum": `(${headerWidth}, 60)`,
      "elk.nodeSize.constraints": "MINIMUM_SIZE",
    },
    children: node.children.map((child) => toElkNode(child, measure)),
    edges: node.edges.map((edge) => toElkEdge(edge, measure)),
  };
}

function collectEdges(nodes: GraphNode[], into: Map<string, GraphEdge>): void {
  for (const node of nodes) {
    for (const edge of node.edges) into.set(edge.id, edge);
    collectEdges(node.children, into);
  }
}

function collectNodes(nodes: GraphNode[], into: Map<string, GraphNode>): void {
  for (const node of nodes) {
    into.set(node.id, node);
    collectNodes(node.children, into);
  }
}

function flattenNodes(elkNodes: ElkNode[] | undefined, model: Map<string, GraphNode>, depth: number, into: PlacedNode[]): void {
  for (const placed of elkNodes ?? []) {
    const node = model.get(placed.id);
    if (!node) continue;
    into.push({
      id: node.id,
      kind: node.kind,
      label: node.label,
      ...(node.stateName === undefined ? {} : { stateName: node.stateName }),
      ...(node.stateType === undefined ? {} : { stateType: node.stateType }),
      ...(node.retry === undefined ? {} : { retry: node.retry }),
      x: placed.x ?? 0,
      y: placed.y ?? 0,
      width: placed.width ?? 0,
      height: placed.height ?? 0,
      depth,
    });
    flattenNodes(placed.children, model, depth + 1, into);
  }
}

function flattenEdges(elkNode: ElkNode, model: Map<string, GraphEdge>, into: PlacedEdge[]): void {
  for (const placed of elkNode.edges ?? []) {
    const edge = model.get(placed.id);
    if (!edge) continue;
    const points = (placed.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
    const label = placed.labels?.[0];
    into.push({
      id: edge.id,
      kind: edge.kind,
      points,
      ...(label?.text === undefined ? {} : { label: label.text, fullLabel: edge.label ?? label.text }),
      ...(label === undefined
        ? {}
        : { labelBox: { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } }),
    });
  }
  for (const child of elkNode.children ?? []) flattenEdges(child, model, into);
}

export async function layoutGraph(model: GraphModel, measure: MeasureText = estimateText): Promise<GraphLayout> {
  const graph: ElkNode = {
    id: "<root>",
    layoutOptions: ROOT_OPTIONS,
    children: model.root.children.map((node) => toElkNode(node, measure)),
    edges: model.root.edges.map((edge) => toElkEdge(edge, measure)),
  };
  const placed = await elkInstance().layout(graph);
  const nodes = new Map<string, GraphNode>();
  collectNodes(model.root.children, nodes);
  const edges = new Map<string, GraphEdge>(model.root.edges.map((e) => [e.id, e]));
  collectEdges(model.root.children, edges);
  const layout: GraphLayout = { width: placed.width ?? 0, height: placed.height ?? 0, nodes: [], edges: [] };
  flattenNodes(placed.children, nodes, 0, layout.nodes);
  flattenEdges(placed, edges, layout.edges);
  return layout;
}
