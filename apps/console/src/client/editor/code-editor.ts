/** A plain textarea for JSON with line numbers beside it, lines flagged by diagnostics, and jumping to a line. */
import { h } from "../dom.ts";

export interface CodeEditor {
  element: HTMLElement;
  textarea: HTMLTextAreaElement;
  /** Flags lines (1-based) with a severity and the messages about them. */
  markLines(marks: ReadonlyMap<number, { severity: "ERROR" | "WARNING"; messages: string[] }>): void;
  goToLine(line: number): void;
}

/** Must match `.code-editor` line-height in styles.css. */
const LINE_HEIGHT = 20;

export function codeEditor(text: string, label: string): CodeEditor {
  const gutter = h("div", { class: "gutter", "aria-hidden": "true" });
  const textarea = h("textarea", {
    wrap: "off",
    spellcheck: "false",
    autocapitalize: "off",
    autocomplete: "off",
    "aria-label": label,
    class: "code",
  });
  textarea.value = text;
  const element = h("div", { class: "code-editor" }, gutter, textarea);
  let marks: ReadonlyMap<number, { severity: "ERROR" | "WARNING"; messages: string[] }> = new Map();

  const renderGutter = () => {
    const count = textarea.value.split("\n").length;
    const rows: HTMLElement[] = [];
    for (let line = 1; line <= count; line++) {
      const mark = marks.get(line);
      rows.push(
        h(
          "div",
          { class: mark ? `line-${mark.severity.toLowerCase()}` : undefined, title: mark?.messages.join("\n"), "data-line": line },
          String(line),
        ),
      );
    }
    // Room below the last line, so the gutter scrolls as far as the text does.
    rows.push(h("div", { class: "gutter-end" }));
    gutter.replaceChildren(...rows);
    gutter.scrollTop = textarea.scrollTop;
  };
  textarea.addEventListener("input", renderGutter);
  textarea.addEventListener("scroll", () => {
    gutter.scrollTop = textarea.scrollTop;
  });
  renderGutter();

  return {
    element,
    textarea,
    markLines: (next) => {
      marks = next;
      renderGutter();
    },
    goToLine: (line) => {
      const lines = textarea.value.split("\n");
      const start = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
      textarea.focus();
      textarea.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
      textarea.scrollTop = Math.max(0, (line - 1) * LINE_HEIGHT - textarea.clientHeight / 3);
      gutter.scrollTop = textarea.scrollTop;
    },
  };
}
