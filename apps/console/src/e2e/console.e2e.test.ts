/**
 * The console in a real browser against a live Stepwise (Postgres, Redis, worker, scheduler): writing a
 * machine in the editor, running it and watching it live, reading a failure, redriving a failed
 * execution, stopping an execution, a narrow screen, and a token-protected API. Each test leaves a
 * screenshot in test-results/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser, replaceEditorText, type TestBrowser } from "./browser.ts";
import { type ConsoleStack, lambda, startConsoleStack } from "./live-stack.ts";

const TIMEOUT = 90_000;
const WAIT = { timeout: 20_000 };

const ordersDefinition = `{
  "Comment": "Orders, written in the console",
  "StartAt": "Check",
  "States": {
    "Check": {
      "Type": "Choice",
      "Choices": [
        { "Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Approve" }
      ],
      "Default": "Charge"
    },
    "Approve": {
      "Type": "Task",
      "Resource": "${lambda("approve")}",
      "ResultPath": "$.approval",
      "Next": "Charge"
    },
    "Charge": {
      "Type": "Task",
      "Resource": "${lambda("charge")}",
      "Retry": [{ "ErrorEquals": ["States.Timeout"], "MaxAttempts": 2 }],
      "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Failed" }],
      "ResultPath": "$.receipt",
      "Next": "Fulfil"
    },
    "Failed": { "Type": "Fail", "Error": "Order.Failed" },
    "Fulfil": {
      "Type": "Parallel",
      "Branches": [
        { "StartAt": "Email", "States": { "Email": { "Type": "Pass", "End": true } } },
        {
          "StartAt": "Items",
          "States": {
            "Items": {
              "Type": "Map",
              "ItemsPath": "$.items",
              "ItemProcessor": { "StartAt": "Ship", "States": { "Ship": { "Type": "Pass", "End": true } } },
              "End": true
            }
          }
        }
      ],
      "Next": "Done"
    },
    "Done": { "Type": "Succeed" }
  }
}
`;

const outcomeOf = (page: Page, state: string) => page.locator(`svg.graph [data-state="${state}"]`).getAttribute("data-outcome");

async function waitForOutcome(page: Page, state: string, outcome: string): Promise<void> {
  await page.waitForSelector(`svg.graph [data-state="${state}"][data-outcome="${outcome}"]`, WAIT);
}

describe.skipIf(!hasChromium)("the console on a live Stepwise", () => {
  let stack: ConsoleStack;
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await startConsoleStack();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it(
    "is served at /console/, where GET / leads, while POST / still speaks the AWS protocol",
    async () => {
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/`);
      expect(page.url()).toBe(`${stack.endpoint}/console/`);
      await page.getByRole("heading", { name: "State machines" }).waitFor(WAIT);
      await page.getByText("No state machine matches.").waitFor(WAIT);
      await browser.screenshot(page, "console-empty-list");

      const aws = await fetch(`${stack.endpoint}/`, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.ListStateMachines" },
        body: "{}",
        redirect: "manual",
      });
      expect(aws.status).not.toBe(302);
      expect(aws.headers.get("content-type")).toMatch(/application\/x-amz-json-1\.0/);
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "writes a machine in the editor, starts it with JSON input and watches it run to SUCCEEDED",
    async () => {
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/`);
      await page.getByRole("link", { name: "New state machine" }).click();
      const editor = page.getByRole("textbox", { name: "State machine definition (JSON)" });
      await editor.waitFor(WAIT);

      // A transition to a state that does not exist: the diagnostic points at its line.
      const broken = ordersDefinition.replace('"Default": "Charge"', '"Default": "Nowhere"');
      const brokenLine = broken.split("\n").findIndex((line) => line.includes('"Nowhere"')) + 1;
      await replaceEditorText(page, editor, broken);
      const diagnostic = page.locator(".diagnostic.error", { hasText: "MISSING_TRANSITION_TARGET" });
      await diagnostic.waitFor(WAIT);
      await expect(diagnostic.getByRole("button").textContent()).resolves.toBe(`Line ${brokenLine}`);
      await expect(page.locator(".cm-lintRange-error").first().textContent()).resolves.toBe('"Default"');
      await diagnostic.getByRole("button").click();
      await expect(page.locator(".cm-activeLine").textContent()).resolves.toContain('"Nowhere"');
      await browser.screenshot(page, "console-editor-diagnostics");

      await replaceEditorText(page, editor, "{ not json");
      await page.locator(".diagnostic.error", { hasText: "INVALID_JSON_DESCRIPTION" }).waitFor(WAIT);

      await replaceEditorText(page, editor, ordersDefinition);
      await page.getByText("✓ Valid definition").waitFor(WAIT);
      // The preview follows the text: the Default edge the broken version lacked is drawn again.
      await page.locator(".preview svg.graph .edge-default").waitFor(WAIT);
      await page.locator('.preview svg.graph [data-state="Ship"]').waitFor(WAIT);
      await expect(page.locator(".preview svg.graph .edge-choice .edge-label text").textContent()).resolves.toBe("$.amount > 100");
      await expect(page.locator(".preview svg.graph .edge-catch .edge-label text").textContent()).resolves.toBe("catch States.ALL");
      await expect(page.locator(".preview svg.graph .state-task .retry").first().textContent()).resolves.toBe("↻ States.Timeout ×2");
      await browser.screenshot(page, "console-editor");

      await page.getByRole("textbox", { name: "State machine name" }).fill("orders");
      await page.getByRole("button", { name: "Save as new machine" }).click();
      await page.waitForURL(/#\/machines\/orders$/, WAIT);
      await page.locator('svg.graph [data-state="Approve"]').waitFor(WAIT);

      await page.getByRole("button", { name: "Start execution" }).click();
      const input = page.getByRole("textbox", { name: "Execution input (JSON)" });
      await input.fill('{ "amount": ');
      await page.locator(".field-message.invalid").waitFor(WAIT);
      expect(await page.getByRole("button", { name: "Start", exact: true }).isDisabled()).toBe(true);
      await input.fill('{ "amount": 250, "items": [1, 2, 3] }');
      await page.getByRole("textbox", { name: "Execution name" }).fill("big-order");
      await page.getByRole("button", { name: "Start", exact: true }).click();
      await page.waitForURL(/#\/executions\/.*big-order$/, WAIT);

      // Approve waits for the test: the page shows it running, then follows the stream once it may finish.
      await waitForOutcome(page, "Approve", "running");
      await page.locator(".badge.status-running").first().waitFor(WAIT);
      stack.gate.open();
      await page.locator(".page-header .badge.status-succeeded").waitFor(WAIT);
      for (const state of ["Check", "Approve", "Charge", "Fulfil", "Email", "Items", "Ship", "Done"]) {
        await waitForOutcome(page, state, "succeeded");
      }
      expect(await outcomeOf(page, "Failed")).toBe("notReached");

      await page.locator('svg.graph [data-state="Charge"]').click();
      const details = page.locator(".state-details");
      await details.getByRole("heading", { name: "Charge" }).waitFor(WAIT);
      await expect(details.locator(".payload", { hasText: "Output" }).textContent()).resolves.toContain('"receipt": "r-1"');
      await page.locator('.history-table tr[data-event-type="ExecutionSucceeded"]').waitFor(WAIT);
      await browser.screenshot(page, "console-execution-succeeded");
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "shows which state failed an execution, with its error and cause, and which failure was caught",
    async () => {
      await stack.call("POST", "/state-machines", {
        name: "payments",
        definition: {
          StartAt: "Validate",
          States: {
            Validate: {
              Type: "Task",
              Resource: lambda("decline"),
              Catch: [{ ErrorEquals: ["Payment.Declined"], ResultPath: "$.error", Next: "Notify" }],
              Next: "Ship",
            },
            Notify: { Type: "Pass", Next: "Charge" },
            Charge: { Type: "Task", Resource: lambda("decline"), Next: "Ship" },
            Ship: { Type: "Succeed" },
          },
        },
      });
      const started = await stack.call("POST", "/state-machines/payments/executions", { name: "declined-card", input: { card: "4111" } });
      await stack.t.waitFor(started.body.executionArn);

      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/executions?status=FAILED`);
      await page.getByRole("link", { name: "declined-card" }).click();
      await page.locator(".page-header .badge.status-failed").waitFor(WAIT);
      await waitForOutcome(page, "Charge", "failed");
      expect(await outcomeOf(page, "Validate")).toBe("caught");
      expect(await outcomeOf(page, "Notify")).toBe("succeeded");
      expect(await outcomeOf(page, "Ship")).toBe("notReached");

      await page.locator('svg.graph [data-state="Charge"]').click();
      const details = page.locator(".state-details");
      await details.locator(".badge.outcome-failed").waitFor(WAIT);
      await expect(details.locator(".payload.error", { hasText: "Error" }).textContent()).resolves.toContain("Payment.Declined");
      await expect(details.locator(".payload.error", { hasText: "Cause" }).textContent()).resolves.toContain(
        "The card was declined: insufficient funds",
      );
      await expect(page.locator(".execution-summary .payload.error").first().textContent()).resolves.toContain("Payment.Declined");
      await expect(page.locator('.history-table tr[data-event-type="LambdaFunctionFailed"]').count()).resolves.toBe(2);
      await browser.screenshot(page, "console-execution-failed");
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "redrives a failed execution once its task works again, and follows it live to SUCCEEDED",
    async () => {
      await stack.call("POST", "/state-machines", {
        name: "shipping",
        definition: {
          StartAt: "Label",
          States: {
            Label: { Type: "Pass", Next: "Book" },
            Book: { Type: "Task", Resource: lambda("book"), Next: "Done" },
            Done: { Type: "Succeed" },
          },
        },
      });
      const startFailing = async (name: string): Promise<string> => {
        const started = await stack.call("POST", "/state-machines/shipping/executions", { name, input: { parcel: "p-1" } });
        expect((await stack.t.waitFor(started.body.executionArn)).execution.status).toBe("FAILED");
        return started.body.executionArn;
      };
      const raced = await startFailing("shipping-raced");
      const stalled = await startFailing("shipping-stalled");
      stack.outage.repair();

      // Redriven behind the page's back: the page's own redrive is refused, and it says why.
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/executions/${encodeURIComponent(raced)}`);
      await page.locator(".page-header .badge.status-failed").waitFor(WAIT);
      expect((await stack.call("POST", `/executions/${encodeURIComponent(raced)}/redrive`)).status).toBe(200);
      expect((await stack.t.waitFor(raced)).execution.status).toBe("SUCCEEDED");
      await page.getByRole("button", { name: "Redrive" }).click();
      await page
        .getByRole("alert")
        .getByText(/Could not redrive: ExecutionNotRedrivable \(409\): Execution is SUCCEEDED; only FAILED, TIMED_OUT or ABORTED/)
        .waitFor(WAIT);
      await browser.screenshot(page, "console-execution-redrive-refused");

      await page.goto(`${stack.endpoint}/console/#/executions/${encodeURIComponent(stalled)}`);
      await page.locator(".page-header .badge.status-failed").waitFor(WAIT);
      await waitForOutcome(page, "Book", "failed");
      expect(await outcomeOf(page, "Done")).toBe("notReached");
      await page.locator('.history-table tr[data-event-type="ExecutionFailed"]').waitFor(WAIT);

      await page.getByRole("button", { name: "Redrive" }).click();
      await page.locator(".page-header .badge.status-succeeded").waitFor(WAIT);
      for (const state of ["Label", "Book", "Done"]) await waitForOutcome(page, state, "succeeded");
      await page.locator('.history-table tr[data-event-type="ExecutionSucceeded"]').waitFor(WAIT);
      expect(await page.getByRole("button", { name: "Redrive" }).count()).toBe(0);
      await expect(page.locator(".execution-summary .facts").textContent()).resolves.toContain("Redrives1");

      // Followed from the last event the page had: every event once, the redrive in between.
      const history = (await stack.call("GET", `/executions/${encodeURIComponent(stalled)}/history`)).body.events as Array<{
        type: string;
      }>;
      const rows = await page
        .locator(".history-table tr[data-event-type]")
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-event-type")));
      expect(rows).toEqual(history.map((event) => event.type));
      expect(rows.filter((type) => type === "ExecutionRedriven")).toHaveLength(1);

      await page.locator('svg.graph [data-state="Book"]').click();
      const runs = page.locator(".state-details .run");
      await expect(runs.count()).resolves.toBe(2);
      await expect(runs.nth(0).getAttribute("data-outcome")).resolves.toBe("failed");
      await expect(runs.nth(0).textContent()).resolves.toContain("Carrier.Unavailable");
      await expect(runs.nth(1).getAttribute("data-outcome")).resolves.toBe("succeeded");
      await expect(runs.nth(1).textContent()).resolves.toContain("after redrive 1");
      await browser.screenshot(page, "console-execution-redriven");
      // The browser reports the refused redrive itself; nothing else may appear.
      expect(problems.filter((p) => !p.includes("status of 409"))).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "stops a running execution and follows it to ABORTED",
    async () => {
      await stack.call("POST", "/state-machines", {
        name: "slow",
        definition: { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 600, Next: "Done" }, Done: { Type: "Succeed" } } },
      });
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/machines/slow`);
      await page.getByRole("button", { name: "Start execution" }).click();
      await page.getByRole("button", { name: "Start", exact: true }).click();
      await waitForOutcome(page, "Hold", "running");

      await page.getByRole("button", { name: "Stop execution" }).click();
      await page.getByRole("button", { name: "Confirm stop" }).click();
      await page.locator(".page-header .badge.status-aborted").waitFor(WAIT);
      await waitForOutcome(page, "Hold", "aborted");
      expect(await outcomeOf(page, "Done")).toBe("notReached");
      expect(await page.getByRole("button", { name: "Stop execution" }).count()).toBe(0);
      await page.locator('.history-table tr[data-event-type="ExecutionAborted"]').waitFor(WAIT);
      await browser.screenshot(page, "console-execution-stopped");

      await page.getByRole("link", { name: "Executions" }).click();
      await page.getByRole("combobox", { name: "Filter by status" }).selectOption("ABORTED");
      await page.waitForURL(/status=ABORTED/, WAIT);
      await page.locator("table.executions tbody tr").first().waitFor(WAIT);
      const rows = await page.locator("table.executions tbody tr").allTextContents();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toContain("ABORTED");
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "fits a narrow screen: lists as cards, graph and history without sideways scrolling of the page",
    async () => {
      const { page, problems } = await browser.page({ width: 390, height: 844 });
      await page.goto(`${stack.endpoint}/console/#/executions?status=FAILED`);
      await page.getByRole("link", { name: "declined-card" }).click();
      await waitForOutcome(page, "Charge", "failed");
      await page.locator('.history-table tr[data-event-type="ExecutionFailed"]').waitFor(WAIT);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await browser.screenshot(page, "console-narrow-execution");

      await page.goto(`${stack.endpoint}/console/#/machines`);
      await page.getByRole("link", { name: "payments" }).waitFor(WAIT);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await browser.screenshot(page, "console-narrow-machines");
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );
});

describe.skipIf(!hasChromium)("the console against an API that wants a token", () => {
  let stack: ConsoleStack;
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await startConsoleStack({ STEPWISE_AUTH: "on", STEPWISE_API_TOKENS: "console-secret" });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it(
    "says why a 401 happened, and works once the right token is saved",
    async () => {
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/`);
      const alert = page.getByRole("alert");
      await alert.getByText(/Not authorised \(401\): Missing bearer token/).waitFor(WAIT);

      await alert.getByRole("button", { name: "Set API token" }).click();
      await page.getByRole("textbox", { name: "API token" }).fill("wrong-token");
      await page.getByRole("button", { name: "Save" }).click();
      await page
        .getByRole("alert")
        .getByText(/Not authorised \(401\): The bearer token is not valid/)
        .waitFor(WAIT);
      await browser.screenshot(page, "console-unauthorised");

      await page.getByRole("button", { name: /^API token/ }).click();
      await page.getByRole("textbox", { name: "API token" }).fill("console-secret");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("No state machine matches.").waitFor(WAIT);
      // Kept for this tab only, never in localStorage where it would outlive the session.
      expect(await page.evaluate(() => sessionStorage.getItem("stepwise.apiToken"))).toBe("console-secret");
      expect(await page.evaluate(() => localStorage.getItem("stepwise.apiToken"))).toBeNull();
      await expect(page.getByRole("button", { name: /^API token/ }).textContent()).resolves.toBe("API token ✓");
      // The browser reports each refused request itself; nothing else may appear.
      expect(problems.filter((p) => !p.includes("status of 401"))).toEqual([]);
      expect(problems.length).toBeGreaterThan(0);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "moves a token an older console left in localStorage into this tab's session, once",
    async () => {
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/`);
      await page
        .getByRole("alert")
        .getByText(/Not authorised \(401\)/)
        .waitFor(WAIT);
      await page.evaluate(() => localStorage.setItem("stepwise.apiToken", "console-secret"));
      await page.reload();
      await page.getByText("No state machine matches.").waitFor(WAIT);
      expect(await page.evaluate(() => localStorage.getItem("stepwise.apiToken"))).toBeNull();
      expect(await page.evaluate(() => sessionStorage.getItem("stepwise.apiToken"))).toBe("console-secret");
      expect(problems.filter((p) => !p.includes("status of 401"))).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );
});
