/**
 * The API token the console sends as `Authorization: Bearer`, kept in this tab's sessionStorage: it goes
 * when the tab closes, and a token left in localStorage by an older console is moved here once and
 * erased there, so it does not outlive the session on a shared machine.
 */

const KEY = "stepwise.apiToken";

function migrateFromLocalStorage(): void {
  const legacy = localStorage.getItem(KEY);
  if (legacy === null) return;
  localStorage.removeItem(KEY);
  if (sessionStorage.getItem(KEY) === null && legacy.trim() !== "") sessionStorage.setItem(KEY, legacy.trim());
}

export function readToken(): string {
  try {
    migrateFromLocalStorage();
    return sessionStorage.getItem(KEY) ?? "";
  } catch {
    // Storage can be disabled (privacy settings): the console then asks for the token again.
    return "";
  }
}

export function saveToken(token: string): void {
  if (token.trim() === "") sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, token.trim());
}
