/**
 * The definition's code editor: CodeMirror 6 with JSON colouring, bracket matching and closing,
 * auto-indent, folding, search, undo, completion from the ASL core (asl-completion.ts) and diagnostics
 * underlined where they point. Tab indents; Esc then Tab leaves the editor (CodeMirror's documented
 * escape, https://codemirror.net/examples/tab/). CodeMirror writes its styles into a `<style>` element,
 * allowed by the page's CSP nonce (security-headers.ts), read here from `<meta name="csp-nonce">`.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { type Diagnostic as LintDiagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorSelection, EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { h } from "../dom.ts";
import { aslCompletion } from "./asl-completion.ts";
import type { LocatedDiagnostic } from "./diagnose.ts";

export interface CodeEditor {
  element: HTMLElement;
  text(): string;
  /** Called after every change of the text. */
  onChange(listener: () => void): void;
  /** Underlines each diagnostic's span (or its line) with its message. */
  showDiagnostics(diagnostics: readonly LocatedDiagnostic[]): void;
  goToLine(line: number): void;
}

/** JSON's parts in the console's colours: names, strings, numbers, literals and brackets told apart. */
const jsonColours = HighlightStyle.define([
  // Colour only: a bold span replaced by typing makes Chromium write an inline style, which the CSP refuses.
  { tag: tags.propertyName, color: "#1b3f99" },
  { tag: tags.string, color: "#0a7a3d" },
  { tag: tags.number, color: "#a35a00" },
  { tag: [tags.bool, tags.null], color: "#8a2bb5" },
  { tag: [tags.brace, tags.squareBracket], color: "#5b6b82" },
]);

function styleNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "";
}

export function codeEditor(text: string, label: string): CodeEditor {
  const listeners: (() => void)[] = [];
  const element = h("div", { class: "code-editor" });
  const view = new EditorView({
    parent: element,
    state: EditorState.create({
      doc: text,
      extensions: [
        EditorView.cspNonce.of(styleNonce()),
        lineNumbers(),
        foldGutter(),
        lintGutter(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightSelectionMatches(),
        syntaxHighlighting(jsonColours),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        json(),
        autocompletion({ override: [aslCompletion], activateOnTyping: true }),
        keymap.of([
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          ...foldKeymap,
          ...completionKeymap,
          indentWithTab,
        ]),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) for (const listener of listeners) listener();
        }),
      ],
    }),
  });

  return {
    element,
    text: () => view.state.doc.toString(),
    onChange: (listener) => {
      listeners.push(listener);
    },
    showDiagnostics: (diagnostics) => {
      const length = view.state.doc.length;
      const marks: LintDiagnostic[] = [];
      for (const d of diagnostics) {
        if (d.line === undefined || d.line > view.state.doc.lines) continue;
        const line = view.state.doc.line(d.line);
        const from = Math.min(d.span?.from ?? line.from, length);
        // An array element can span many lines: underline its first line only.
        const to = Math.max(from, Math.min(d.span?.to ?? line.to, view.state.doc.lineAt(from).to, length));
        marks.push({ from, to, severity: d.severity === "ERROR" ? "error" : "warning", message: `${d.code}: ${d.message}` });
      }
      view.dispatch(setDiagnostics(view.state, marks));
    },
    goToLine: (line) => {
      const target = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
      view.dispatch({ selection: EditorSelection.range(target.from, target.to), scrollIntoView: true });
      view.focus();
    },
  };
}
