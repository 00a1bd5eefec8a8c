/**
 * `#/new` and `#/machines/:name/edit`: a definition in a JSON editor, validated as it is typed (each
 * diagnostic pointing at its line), drawn as a graph beside it, saved as a new machine (of either type,
 * with a description) or over the machine it came from.
 */
import { ApiError, describeError } from "../api/api-client.ts";
import { debounce } from "../debounce.ts";
import { h, replaceChildren } from "../dom.ts";
import { codeEditor } from "../editor/code-editor.ts";
import { diagnose, type LocatedDiagnostic, locateAll } from "../editor/diagnose.ts";
import { STARTER_DEFINITION } from "../editor/starter-definition.ts";
import { errorBox, loading, pageHeader } from "./components.ts";
import { graphPanel } from "./graph-panel.ts";
import type { ViewContext } from "./view-context.ts";

function diagnosticList(diagnostics: LocatedDiagnostic[], goToLine: (line: number) => void): HTMLElement {
  const errors = diagnostics.filter((d) => d.severity === "ERROR").length;
  const warnings = diagnostics.length - errors;
  const summary =
    diagnostics.length === 0
      ? h("p", { class: "valid" }, "✓ Valid definition")
      : h(
          "p",
          { class: errors > 0 ? "invalid" : "warning" },
          `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`,
        );
  return h(
    "div",
    { class: "diagnostics", role: "status" },
    summary,
    h(
      "ul",
      {},
      ...diagnostics.map((d) =>
        h(
          "li",
          { class: `diagnostic ${d.severity.toLowerCase()}` },
          d.line === undefined
            ? h("span", { class: "where" }, d.location)
            : h("button", { type: "button", class: "link-button where", onclick: () => goToLine(d.line!) }, `Line ${d.line}`),
          h("span", { class: "code-name" }, d.code),
          h("span", { class: "message" }, d.message),
        ),
      ),
    ),
  );
}

async function initialText(ctx: ViewContext, name: string | undefined): Promise<string> {
  if (name === undefined) return STARTER_DEFINITION;
  const machine = await ctx.api.getStateMachine(name);
  return `${JSON.stringify(machine.definition, null, 2)}\n`;
}

export async function editorView(ctx: ViewContext, existing: string | undefined): Promise<void> {
  replaceChildren(ctx.root, loading("the definition"));
  let text: string;
  try {
    text = await initialText(ctx, existing);
  } catch (error) {
    replaceChildren(ctx.root, pageHeader(existing ?? "New state machine"), errorBox(ctx, error));
    return;
  }
  const editor = codeEditor(text, "State machine definition (JSON)");
  const diagnosticsSlot = h("div");
  const staleSlot = h("div", { role: "status" });
  const previewSlot = h("div", { class: "preview" }, h("p", { class: "muted" }, "The graph appears here while the text is JSON."));
  const saveMessage = h("div", { class: "save-message", role: "status" });
  const nameInput = h("input", {
    type: "text",
    name: "machine-name",
    "aria-label": "State machine name",
    placeholder: "Name of a new state machine",
    value: existing ? `${existing}-copy` : "",
    autocomplete: "off",
  });

  const typeSelect = h(
    "select",
    { "aria-label": "State machine type" },
    h("option", { value: "STANDARD", selected: true }, "Standard"),
    h("option", { value: "EXPRESS" }, "Express"),
  );
  const descriptionInput = h("input", {
    type: "text",
    "aria-label": "Description",
    placeholder: "Optional",
    maxlength: 256,
    autocomplete: "off",
  });

  let lastPreviewed: string | undefined;
  const check = () => {
    const result = diagnose(editor.text());
    showDiagnostics(result.diagnostics);
    if (result.parsed !== undefined) preview(result.parsed);
    else staleNotice(lastPreviewed !== undefined);
    return result;
  };
  const showDiagnostics = (diagnostics: LocatedDiagnostic[]) => {
    editor.showDiagnostics(diagnostics);
    replaceChildren(diagnosticsSlot, diagnosticList(diagnostics, editor.goToLine));
  };
  /** While the text is not JSON, the graph drawn last is of an older text: say so on it. */
  const staleNotice = (stale: boolean) => {
    previewSlot.classList.toggle("stale", stale);
    replaceChildren(
      staleSlot,
      stale
        ? h(
            "p",
            { class: "notice notice-warning stale-notice" },
            "Out of date: the text is not valid JSON, so this is the graph of an earlier version.",
          )
        : null,
    );
  };
  const preview = debounce(400, (parsed: unknown) => {
    if (ctx.signal.aborted) return;
    // The text may have broken again while waiting.
    if (diagnose(editor.text()).parsed === undefined) return;
    staleNotice(false);
    const key = JSON.stringify(parsed);
    if (key === lastPreviewed) return;
    lastPreviewed = key;
    replaceChildren(previewSlot, graphPanel(parsed).element);
  });
  editor.onChange(debounce(200, check));

  /** True when saved; otherwise the reason is on the page. */
  const save = async (button: HTMLButtonElement, action: () => Promise<unknown>, done: string): Promise<boolean> => {
    const result = check();
    if (result.diagnostics.some((d) => d.severity === "ERROR")) {
      replaceChildren(saveMessage, h("p", { class: "notice notice-error" }, "Fix the errors first: the definition is not valid."));
      return false;
    }
    button.disabled = true;
    try {
      await action();
      replaceChildren(saveMessage, h("p", { class: "notice notice-ok" }, done));
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.body?.diagnostics) showDiagnostics(locateAll(editor.text(), error.body.diagnostics));
      replaceChildren(saveMessage, h("div", { class: "notice notice-error", role: "alert" }, describeError(error)));
      return false;
    } finally {
      button.disabled = false;
    }
  };
  const createButton = h("button", { type: "button", class: existing ? "" : "primary" }, "Save as new machine");
  createButton.addEventListener("click", () => {
    const name = nameInput.value.trim();
    if (name === "") {
      replaceChildren(saveMessage, h("p", { class: "notice notice-error" }, "Give the new state machine a name."));
      nameInput.focus();
      return;
    }
    const settings = {
      type: typeSelect.value as "STANDARD" | "EXPRESS",
      ...(descriptionInput.value.trim() ? { description: descriptionInput.value.trim() } : {}),
    };
    void save(createButton, () => ctx.api.createStateMachine(name, editor.text(), settings), `Created ${name}.`).then((saved) => {
      if (saved) ctx.navigate({ page: "machine", name });
    });
  });
  const updateButton = existing ? h("button", { type: "button", class: "primary" }, `Update ${existing}`) : null;
  updateButton?.addEventListener(
    "click",
    () => void save(updateButton, () => ctx.api.updateStateMachine(existing!, editor.text()), `Saved ${existing}.`),
  );

  replaceChildren(
    ctx.root,
    pageHeader(existing ? `Edit ${existing}` : "New state machine", existing ? "Update it, or save the definition as a new machine" : null),
    h(
      "div",
      { class: "editor-layout" },
      h("section", { class: "editor-pane" }, editor.element, diagnosticsSlot),
      h("section", { class: "preview-pane" }, h("h2", {}, "Preview"), staleSlot, previewSlot),
    ),
    h(
      "div",
      { class: "save-bar" },
      updateButton,
      h("label", { class: "inline" }, "Name", nameInput),
      // A machine's type is fixed when it is created (as in AWS); Express machines run short, at-least-once.
      h("label", { class: "inline" }, "Type", typeSelect),
      h("label", { class: "inline" }, "Description", descriptionInput),
      createButton,
    ),
    saveMessage,
  );
  check();
}
