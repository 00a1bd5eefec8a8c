/** The header's "API token" control: a small form that keeps the bearer token in this tab's sessionStorage. */
import { readToken, saveToken } from "./api/token-store.ts";
import { h } from "./dom.ts";

export interface TokenForm {
  button: HTMLButtonElement;
  panel: HTMLElement;
  open(): void;
}

export function tokenForm(onSaved: () => void): TokenForm {
  const input = h("input", {
    type: "password",
    name: "api-token",
    autocomplete: "off",
    "aria-label": "API token",
    placeholder: "Bearer token",
  });
  const state = h("span", { class: "muted" });
  const button = h("button", { type: "button", class: "token-button", "aria-expanded": "false" });
  const describe = () => {
    const set = readToken() !== "";
    button.textContent = set ? "API token ✓" : "API token";
    state.textContent = set ? "A token is saved in this tab until it closes." : "No token saved: requests go without one.";
  };
  const panel = h(
    "form",
    { class: "token-panel", hidden: true, "aria-label": "API token" },
    h("label", {}, "API token (sent as Authorization: Bearer)", input),
    state,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "Save"),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            saveToken("");
            input.value = "";
            describe();
            onSaved();
          },
        },
        "Clear",
      ),
    ),
  );
  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      input.value = readToken();
      input.focus();
    }
  };
  button.addEventListener("click", () => setOpen(panel.hidden));
  panel.addEventListener("submit", (event) => {
    event.preventDefault();
    saveToken(input.value);
    describe();
    setOpen(false);
    onSaved();
  });
  describe();
  return { button, panel, open: () => setOpen(true) };
}
