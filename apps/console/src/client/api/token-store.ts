/** The API token the console sends as `Authorization: Bearer`, kept in this browser's localStorage. */

const KEY = "stepwise.apiToken";

export function readToken(): string {
  try {
    return localStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

export function saveToken(token: string): void {
  if (token.trim() === "") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, token.trim());
}
