/** Status and name filters for an executions listing. */
import { EXECUTION_STATUSES } from "../api/api-types.ts";
import { debounce } from "../debounce.ts";
import { h } from "../dom.ts";

export interface ExecutionFilterValues {
  status?: string;
  name?: string;
}

export function executionFilters(initial: ExecutionFilterValues, onChange: (values: ExecutionFilterValues) => void): HTMLElement {
  const status = h(
    "select",
    { "aria-label": "Filter by status" },
    h("option", { value: "" }, "Any status"),
    ...EXECUTION_STATUSES.map((s) => h("option", { value: s, selected: s === initial.status }, s.replace("_", " "))),
  );
  const name = h("input", { type: "search", placeholder: "Name contains", "aria-label": "Filter by name", value: initial.name ?? "" });
  const changed = () => {
    const values: ExecutionFilterValues = {};
    if (status.value) values.status = status.value;
    if (name.value.trim()) values.name = name.value.trim();
    onChange(values);
  };
  status.addEventListener("change", changed);
  name.addEventListener("input", debounce(250, changed));
  return h("div", { class: "filters" }, status, name);
}
