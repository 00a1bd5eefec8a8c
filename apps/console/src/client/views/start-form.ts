/** Starting an execution: an optional name and the input as JSON, checked as it is typed. */
import type { Json } from "../../../../../packages/asl/src/json.ts";
import { describeError } from "../api/api-client.ts";
import { h } from "../dom.ts";
import { jsonLocations } from "../editor/json-locations.ts";
import type { ViewContext } from "./view-context.ts";

/** The input as JSON, or why it is not JSON (with the line). */
export function parseInput(text: string): { value: Json } | { problem: string } {
  const { syntaxError } = jsonLocations(text);
  if (syntaxError) return { problem: `Line ${syntaxError.line}: ${syntaxError.message}` };
  return { value: JSON.parse(text) as Json };
}

export function startForm(ctx: ViewContext, machine: string, onCancel: () => void): HTMLElement {
  const name = h("input", {
    type: "text",
    name: "execution-name",
    placeholder: "Generated when empty",
    "aria-label": "Execution name",
    autocomplete: "off",
  });
  const input = h(
    "textarea",
    { name: "execution-input", rows: 8, spellcheck: "false", "aria-label": "Execution input (JSON)", class: "code" },
    "{}",
  );
  const message = h("p", { class: "field-message", role: "status" });
  const start = h("button", { type: "submit", class: "primary" }, "Start");
  const check = () => {
    const parsed = parseInput(input.value);
    const problem = "problem" in parsed ? parsed.problem : "";
    message.textContent = problem || "Valid JSON";
    message.classList.toggle("invalid", problem !== "");
    input.setAttribute("aria-invalid", String(problem !== ""));
    start.disabled = problem !== "";
    return parsed;
  };
  input.addEventListener("input", check);
  const form = h(
    "form",
    { class: "panel start-form", "aria-label": "Start an execution" },
    h("h2", {}, "Start an execution"),
    h("label", {}, "Name", name),
    h("label", {}, "Input (JSON)", input),
    message,
    h("div", { class: "actions" }, start, h("button", { type: "button", onclick: onCancel }, "Cancel")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const parsed = check();
    if (!("value" in parsed)) return;
    start.disabled = true;
    try {
      const started = await ctx.api.startExecution(machine, parsed.value, name.value.trim() || undefined);
      ctx.navigate({ page: "execution", arn: started.executionArn });
    } catch (error) {
      message.textContent = describeError(error);
      message.classList.add("invalid");
      start.disabled = false;
    }
  });
  check();
  return form;
}
