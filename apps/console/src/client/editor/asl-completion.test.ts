import { CompletionContext } from "@codemirror/autocomplete";
import { json } from "@codemirror/lang-json";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { aslCompletion } from "./asl-completion.ts";

/** The completion offered with the cursor at `|` in `text`, as typing would ask for it. */
function complete(text: string) {
  const pos = text.indexOf("|");
  const state = EditorState.create({ doc: text.replace("|", ""), extensions: [json()] });
  const result = aslCompletion(new CompletionContext(state, pos, false));
  return result && { labels: result.options.map((o) => o.label), typed: state.sliceDoc(result.from, pos), apply: result.options[0]?.apply };
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
    expect(offered.typed).toBe("Timeo");
    expect(offered.labels).toContain("TimeoutSeconds");
    expect(offered.labels).toContain("Retry");
    expect(offered.labels).not.toContain("Type");
    expect(offered.labels).not.toContain("Choices");
  });

  it("offers the state names for Next", () => {
    const offered = complete(machine('"Next": "D|"'))!;
    expect(offered.labels).toEqual(["Work", "Done"]);
    expect(offered.apply).toBe('Work"');
  });

  it("offers nothing outside a string or a state", () => {
    expect(complete(machine("|"))).toBeNull();
    expect(complete('{ "Comm|" }')).toBeNull();
  });
});
