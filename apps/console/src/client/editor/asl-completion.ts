/**
 * Completion for a definition as it is typed (often not yet JSON): field names for the state type at the
 * cursor, state names for `Next`, `Default` and `StartAt`, and state types for `Type`, all from the ASL
 * core's own table (packages/asl validate/allowed-fields.ts). Reads CodeMirror's JSON syntax tree, which
 * survives broken text.
 */
import {
  type Completion,
  type CompletionContext,
  type CompletionResult,
  insertCompletionText,
  pickedCompletion,
} from "@codemirror/autocomplete";
import { json } from "@codemirror/lang-json";
import { ensureSyntaxTree, syntaxTree } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import type { SyntaxNode, Tree } from "@lezer/common";
import type { StateType } from "../../../../../packages/asl/src/definition.ts";
import { STATE_FIELDS } from "../../../../../packages/asl/src/validate/allowed-fields.ts";

const STATE_TYPES = Object.keys(STATE_FIELDS) as StateType[];
const STATE_NAME_FIELDS = new Set(["Next", "Default", "StartAt"]);

function unquote(state: EditorState, node: SyntaxNode): string {
  const raw = state.sliceDoc(node.from, node.to);
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.replace(/^"|"$/g, "");
  }
}

/** The members of an Object node, name → value node (undefined when the value is missing). */
function members(state: EditorState, object: SyntaxNode): Map<string, SyntaxNode | undefined> {
  const result = new Map<string, SyntaxNode | undefined>();
  for (const property of object.getChildren("Property")) {
    const name = property.getChild("PropertyName");
    if (!name) continue;
    result.set(unquote(state, name), name.nextSibling?.nextSibling ?? undefined);
  }
  return result;
}

/** The name of the member whose value `object` is, if it is one. */
function memberName(state: EditorState, object: SyntaxNode): string | undefined {
  const property = object.parent;
  if (property?.name !== "Property") return undefined;
  const name = property.getChild("PropertyName");
  return name ? unquote(state, name) : undefined;
}

function enclosingObject(node: SyntaxNode | null): SyntaxNode | undefined {
  for (let n = node; n; n = n.parent) if (n.name === "Object") return n;
  return undefined;
}

/** A state's object: a member of an object that is the value of `States`. */
function isStateObject(state: EditorState, object: SyntaxNode): boolean {
  const statesMap = object.parent?.parent;
  return statesMap?.name === "Object" && memberName(state, statesMap) === "States";
}

function stringValue(state: EditorState, node: SyntaxNode | undefined): string | undefined {
  return node?.name === "String" ? unquote(state, node) : undefined;
}

function queryLanguage(state: EditorState, tree: Tree, stateObject: SyntaxNode): "JSONPath" | "JSONata" {
  const own = stringValue(state, members(state, stateObject).get("QueryLanguage"));
  if (own === "JSONata" || own === "JSONPath") return own;
  const top = tree.topNode.getChild("Object");
  return top && stringValue(state, members(state, top).get("QueryLanguage")) === "JSONata" ? "JSONata" : "JSONPath";
}

function fieldOptions(state: EditorState, tree: Tree, stateObject: SyntaxNode): Completion[] {
  const present = members(state, stateObject);
  const type = stringValue(state, present.get("Type")) as StateType | undefined;
  if (type === undefined || !(type in STATE_FIELDS)) return [{ label: "Type", type: "property", detail: "state type" }];
  const fields = STATE_FIELDS[type];
  const names = ["Type", "Comment", "QueryLanguage", ...fields.any, ...fields[queryLanguage(state, tree, stateObject)]];
  return [...new Set(names)]
    .filter((name) => !present.has(name))
    .map((name) => ({ label: name, type: "property", detail: `${type} field` }));
}

/** State names of the States map that `node` is in (for Next, Default) or beside (for StartAt). */
function stateNames(state: EditorState, tree: Tree, node: SyntaxNode, field: string): Completion[] {
  let statesMap: SyntaxNode | undefined;
  if (field === "StartAt") {
    const holder = enclosingObject(node);
    const value = holder ? members(state, holder).get("States") : undefined;
    if (value?.name === "Object") statesMap = value;
  } else {
    for (let n: SyntaxNode | null = node; n; n = n.parent) {
      if (n.name === "Object" && memberName(state, n) === "States") {
        statesMap = n;
        break;
      }
    }
  }
  // Text broken around the cursor can hide which States map it is in: then offer every state's name.
  const maps: SyntaxNode[] = statesMap ? [statesMap] : [];
  if (!statesMap) {
    tree.iterate({
      enter: (ref) => {
        if (ref.name === "Object" && memberName(state, ref.node) === "States") maps.push(ref.node);
      },
    });
  }
  const names = new Set(maps.flatMap((map) => [...members(state, map).keys()]));
  return [...names].map((name) => ({ label: name, type: "variable", detail: "state" }));
}

function structureWithout(typed: EditorState, from: number, to: number): { state: EditorState; tree: Tree } {
  if (from === to) return { state: typed, tree: syntaxTree(typed) };
  const state = EditorState.create({ doc: typed.sliceDoc(0, from) + typed.sliceDoc(to), extensions: [json()] });
  return { state, tree: ensureSyntaxTree(state, state.doc.length, 200) ?? syntaxTree(state) };
}

/**
 * Writes `text` over what was typed; inside a string, over its closing quote too (closeBrackets put one
 * there when the opening quote was typed), since `text` closes it.
 */
function applying(text: string, inString: boolean): (view: EditorView, completion: Completion, from: number, to: number) => void {
  return (view, completion, from, to) => {
    const end = inString && view.state.sliceDoc(to, to + 1) === '"' ? to + 1 : to;
    view.dispatch({ ...insertCompletionText(view.state, text, from, end), annotations: pickedCompletion.of(completion) });
  };
}

export function aslCompletion(context: CompletionContext): CompletionResult | null {
  const { pos } = context;
  const typed = context.state;
  // The string the cursor is in, found in the line's text (the tree of broken text may not have it).
  const line = typed.doc.lineAt(pos);
  const head = typed.sliceDoc(line.from, pos);
  const quotes = [...head.matchAll(/(?<!\\)"/g)];
  const openQuote = quotes.length % 2 === 1 ? line.from + quotes.at(-1)!.index! : undefined;
  const tokenStart = openQuote ?? pos;
  // What comes before the token: `{` or `,` means a member's name, `:` a member's value.
  const before = typed.sliceDoc(Math.max(0, tokenStart - 200), tokenStart).trimEnd();
  const last = before.at(-1);
  if (openQuote === undefined && !context.explicit) return null;
  // Inside a string, complete its text (so what is typed filters the options) and close it; else write it whole.
  const word = /^[\w-]*/.exec(typed.sliceDoc(pos, line.to))![0];
  const closed = openQuote !== undefined && typed.sliceDoc(pos + word.length, pos + word.length + 1) === '"';
  const from = openQuote === undefined ? pos : openQuote + 1;
  // CodeMirror filters the options by the text from `from` to `to`: the closing quote must stay out of it.
  const to = pos + (openQuote === undefined ? 0 : word.length);
  const quoted = (label: string) => (openQuote === undefined ? JSON.stringify(label) : `${label}"`);
  // Read the structure from the text without the half-typed string, which is then often JSON again.
  const { state, tree } = structureWithout(typed, openQuote ?? pos, to + (closed ? 1 : 0));
  const node = tree.resolveInner(tokenStart, -1);
  if (last === ":") {
    const key = /"((?:[^"\\]|\\.)*)"\s*$/.exec(before.slice(0, -1))?.[1];
    if (key === undefined) return null;
    let options: Completion[] = [];
    if (STATE_NAME_FIELDS.has(key)) options = stateNames(state, tree, node, key);
    else if (key === "Type") options = STATE_TYPES.map((t) => ({ label: t, type: "enum", detail: "state type" }));
    if (options.length === 0) return null;
    return {
      from,
      to,
      options: options.map((o) => ({ ...o, apply: applying(quoted(o.label), openQuote !== undefined) })),
      validFor: /^[\w-]*$/,
    };
  }
  if (last === "{" || last === ",") {
    const object = enclosingObject(node.name === "Object" ? node : node.parent);
    if (!object || !isStateObject(state, object)) return null;
    const options = fieldOptions(state, tree, object).map((o) => ({
      ...o,
      apply: applying(`${quoted(o.label)}: `, openQuote !== undefined),
    }));
    return { from, to, options, validFor: /^\w*$/ };
  }
  return null;
}
