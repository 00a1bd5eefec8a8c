import { type Completion, CompletionContext } from "@codemirror/autocomplete";
import { json } from "@codemirror/lang-json";
import { EditorState, type TransactionSpec } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import { describe, expect, it } from "vitest";
import { aslCompletion } from "./asl-completion.ts";

/**
 * The completion offered with the cursor at `|` in `text`, as typing would ask for it: its options,
 * the text CodeMirror filters them by (from `from` to `to`), and the text once `pick` is chosen.
 */
function complete(text: string, pick?: string) {
  const pos = text.indexOf("|");
  const state = EditorState.create({ doc: text.replace("|", ""), extensions: [json()] });
  const result = aslCompletion(new CompletionContext(state, pos, false));
  if (!result) return null;
  const filteredBy = state.sliceDoc(result.from, result.to ?? pos);
  let picked: string | undefined;
  const option = result.options.find((o) => o.label === pick);
  if (option && typeof option.apply === "function") {
    // The apply function needs only the view's state and dispatch.
    const view = {
      state,
      dispatch: (spec: TransactionSpec) => {
        picked = state.update(spec).state.doc.toString();
      },
    } as unknown as EditorView;
    option.apply(view, option as Completion, result.from, result.to ?? pos);
  }
  return { labels: result.options.map((o) => o.label), filteredBy, picked };
}

const machine = (work: string) => `{
  "StartAt": "Work",
  "States": {
    "Work": {
      "Type": "Task",
      ${work}
      "End": true
    },
    "Done": { "Type": "Succeed" }
  }
}`;

describe("completion from the ASL core", () => {
  it("offers the fields a Task accepts (and not those it has) while a name is half typed", () => {
    const offered = complete(machine('"Timeo|"'))!;
    expect(offered.labels).toContain("TimeoutSeconds");
    expect(offered.labels).toContain("Retry");
    expect(offered.labels).not.toContain("Type");
    expect(offered.labels).not.toContain("Choices");
  });

  it("is filtered by what is typed only, not by the quote the editor closed it with", () => {
    // CodeMirror drops every option the text from `from` to `to` does not match: a `"` there hid them all.
    expect(complete(machine('"Timeo|"'))!.filteredBy).toBe("Timeo");
    expect(complete(machine('"Timeo|'))!.filteredBy).toBe("Timeo");
    expect(complete(machine('"Next": "D|"'))!.filteredBy).toBe("D");
  });

  it("writes the chosen name once, closing the string whether the editor had closed it or not", () => {
    expect(complete(machine('"Timeo|"'), "TimeoutSeconds")!.picked).toBe(machine('"TimeoutSeconds": '));
    expect(complete(machine('"Timeo|'), "TimeoutSeconds")!.picked).toBe(machine('"TimeoutSeconds": '));
    expect(complete(machine('"Next": "D|",'), "Done")!.picked).toBe(machine('"Next": "Done",'));
  });

  it("offers the state names for Next", () => {
    expect(complete(machine('"Next": "D|"'))!.labels).toEqual(["Work", "Done"]);
  });

  it("offers nothing outside a string or a state", () => {
    expect(complete(machine("|"))).toBeNull();
    expect(complete('{ "Comm|" }')).toBeNull();
  });
});
