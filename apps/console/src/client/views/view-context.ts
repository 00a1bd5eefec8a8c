/** What every page gets: the API, the element to draw into, and a signal that fires when the user leaves. */
import type { ApiClient } from "../api/api-client.ts";
import type { Route } from "../router.ts";

export interface ViewContext {
  api: ApiClient;
  root: HTMLElement;
  /** Aborted when the page is left: streams close and timers stop. */
  signal: AbortSignal;
  navigate(route: Route): void;
  /** Opens the API token form (offered next to 401 errors). */
  askForToken(): void;
}
