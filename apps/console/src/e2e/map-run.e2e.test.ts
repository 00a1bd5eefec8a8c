/**
 * A distributed Map's Map Run in the console, in a real browser against a live Stepwise: from the
 * execution to its Map Run, the counts moving while the children run, the children listed in pages and
 * by status, a failed child's own execution page with its history, and the links back. Each step
 * leaves a screenshot in test-results/ (`map-run-*.png`).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser, type TestBrowser } from "./browser.ts";
import { type ConsoleStack, lambda, startConsoleStack } from "./live-stack.ts";

const TIMEOUT = 120_000;
const WAIT = { timeout: 20_000 };

/** Each parcel is weighed by its own child execution, four at a time; one heavy parcel may fail. */
const parcels = {
  StartAt: "Weigh",
  States: {
    Weigh: {
      Type: "Map",
      Label: "Parcels",
      MaxConcurrency: 4,
      ToleratedFailureCount: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: "Scale",
        States: { Scale: { Type: "Task", Resource: lambda("weigh"), End: true } },
      },
      End: true,
    },
  },
};
const load = Array.from({ length: 12 }, (_, i) => ({ parcel: `p-${i + 1}`, kg: i === 6 ? 40 : 2 + i }));

interface Counts {
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  running: number;
  pending: number;
  total: number;
}

/** The numbers the page shows, by count (`running`, `succeeded`, …). */
function shownCounts(page: Page): Promise<Counts> {
  return page
    .locator(".map-run-counts dd[data-count]")
    .evaluateAll(
      (dds) => Object.fromEntries(dds.map((dd) => [dd.getAttribute("data-count"), Number(dd.textContent)])) as unknown as Counts,
    );
}

const childRows = (page: Page) => page.locator("table.executions tbody tr");

describe.skipIf(!hasChromium)("a Map Run in the console", () => {
  let stack: ConsoleStack;
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await startConsoleStack();
  });
  afterAll(async () => {
    stack?.scale.admit(1000);
    await browser?.close();
    await stack?.close();
  });

  it(
    "follows the counts live while the children run, filters the failed child and opens its execution, and links back",
    async () => {
      await stack.call("POST", "/state-machines", { name: "parcels", definition: parcels });
      const started = await stack.call("POST", "/state-machines/parcels/executions", { name: "monday", input: load });
      const executionArn = started.body.executionArn as string;

      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/executions/${encodeURIComponent(executionArn)}`);
      await page.locator(".page-header .badge.status-running").waitFor(WAIT);
      const runLink = page.locator(".map-runs").getByRole("link", { name: "Parcels" });
      await runLink.waitFor(WAIT);
      await browser.screenshot(page, "map-run-1-execution");

      await runLink.click();
      await page.waitForURL(/#\/map-runs\/.*Parcels/, WAIT);
      await page.getByRole("heading", { name: /Map Run Parcels/ }).waitFor(WAIT);
      const facts = page.locator(".map-run-summary .facts");
      await expect(facts.textContent()).resolves.toContain("Max concurrency4");
      await expect(facts.textContent()).resolves.toContain("Tolerated failures1 (count) · 0% (percentage)");

      // Four children hold the scale, eight wait their turn.
      await expect
        .poll(() => shownCounts(page), WAIT)
        .toEqual({ succeeded: 0, failed: 0, timedOut: 0, aborted: 0, running: 4, pending: 8, total: 12 });
      await expect.poll(() => childRows(page).count(), WAIT).toBe(4);
      for (const row of await childRows(page).allTextContents()) expect(row).toContain("RUNNING");
      await browser.screenshot(page, "map-run-2-running");

      // Four weighed: the page moves on by itself, nothing clicked.
      const url = page.url();
      stack.scale.admit(4);
      await expect
        .poll(async () => {
          const c = await shownCounts(page);
          return { done: c.succeeded + c.failed, running: c.running, pending: c.pending };
        }, WAIT)
        .toEqual({ done: 4, running: 4, pending: 4 });
      await expect.poll(() => childRows(page).count(), WAIT).toBe(8);
      await expect(page.locator(".map-run-counts").textContent()).resolves.toContain("4 of 12 done");
      expect(page.url()).toBe(url);
      await browser.screenshot(page, "map-run-3-progress");

      stack.scale.admit(8);
      await page.locator(".page-header .badge.status-succeeded").waitFor(WAIT);
      await expect
        .poll(() => shownCounts(page), WAIT)
        .toEqual({ succeeded: 11, failed: 1, timedOut: 0, aborted: 0, running: 0, pending: 0, total: 12 });
      await expect(facts.textContent()).resolves.not.toContain("Stopped–");
      await browser.screenshot(page, "map-run-4-done");

      // Ten children a page; the rest on asking.
      await expect.poll(() => childRows(page).count(), WAIT).toBe(10);
      await page.getByRole("button", { name: "Load more" }).click();
      await expect.poll(() => childRows(page).count(), WAIT).toBe(12);

      await page.getByRole("combobox", { name: "Filter children by status" }).selectOption("FAILED");
      await page.waitForURL(/status=FAILED/, WAIT);
      await expect.poll(() => childRows(page).count(), WAIT).toBe(1);
      await expect(childRows(page).first().textContent()).resolves.toContain("FAILED");
      await browser.screenshot(page, "map-run-5-failed-filter");

      await childRows(page).first().getByRole("link").click();
      await page.waitForURL(/#\/executions\/.*parcels%2FParcels/, WAIT);
      await page.locator(".page-header .badge.status-failed").waitFor(WAIT);
      await page.locator('.history-table tr[data-event-type="LambdaFunctionFailed"]').waitFor(WAIT);
      await page.locator('svg.graph [data-state="Scale"][data-outcome="failed"]').waitFor(WAIT);
      const summary = page.locator(".execution-summary");
      await expect(summary.locator(".payload.error").first().textContent()).resolves.toContain("Parcel.TooHeavy");
      await expect(summary.locator(".payload", { hasText: "Input" }).textContent()).resolves.toContain('"kg": 40');
      await expect(summary.locator(".facts").textContent()).resolves.toContain("parcels / Parcels");
      // A child runs again with its parent's redrive, as in AWS: it has no Redrive of its own.
      await expect(summary.locator(".facts").textContent()).resolves.toContain("runs again when its parent execution is redriven");
      expect(await page.getByRole("button", { name: "Redrive" }).count()).toBe(0);
      await browser.screenshot(page, "map-run-6-child");

      await summary.getByRole("link", { name: "Parcels", exact: true }).click();
      await page.getByRole("heading", { name: /Map Run Parcels/ }).waitFor(WAIT);
      await page.locator(".map-run-summary").getByRole("link", { name: "monday" }).click();
      await page.locator(".page-header .badge.status-succeeded").waitFor(WAIT);
      await page.locator(".map-runs tr[data-map-run='Parcels'] .badge.status-succeeded").waitFor(WAIT);
      await browser.screenshot(page, "map-run-7-parent");
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );
});
