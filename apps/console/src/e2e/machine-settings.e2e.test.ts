/**
 * A machine's settings and its end in the console, in a real browser against a live Stepwise: creating
 * an Express machine with a description from the editor, and deleting machines from their page, at once
 * or DELETING while an execution still runs. Each step leaves a screenshot in test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser, replaceEditorText, type TestBrowser } from "./browser.ts";
import { type ConsoleStack, startConsoleStack } from "./live-stack.ts";

const TIMEOUT = 90_000;
const WAIT = { timeout: 20_000 };

const quick = `{
  "StartAt": "Echo",
  "States": { "Echo": { "Type": "Pass", "End": true } }
}
`;

describe.skipIf(!hasChromium)("a machine's type, description and deletion in the console", () => {
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
    "creates an Express machine with a description, then deletes it and it leaves the list",
    async () => {
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/new`);
      const editor = page.getByRole("textbox", { name: "State machine definition (JSON)" });
      await editor.waitFor(WAIT);
      await replaceEditorText(page, editor, quick);
      await page.getByText("✓ Valid definition").waitFor(WAIT);
      await page.locator('.preview svg.graph [data-state="Echo"]').waitFor(WAIT);
      await page.getByRole("textbox", { name: "State machine name" }).fill("quick-echo");
      await page.getByRole("combobox", { name: "State machine type" }).selectOption("EXPRESS");
      await page.getByRole("textbox", { name: "Description" }).fill("Echoes its input, quickly");
      await browser.screenshot(page, "machine-1-new-express");
      await page.getByRole("button", { name: "Save as new machine" }).click();
      await page.waitForURL(/#\/machines\/quick-echo$/, WAIT);
      const facts = page.locator(".facts");
      await facts.waitFor(WAIT);
      await expect(facts.textContent()).resolves.toContain("TypeEXPRESS");
      await expect(facts.textContent()).resolves.toContain("DescriptionEchoes its input, quickly");
      const stored = await stack.call("GET", "/state-machines/quick-echo");
      expect(stored.body).toMatchObject({ type: "EXPRESS", description: "Echoes its input, quickly" });
      await browser.screenshot(page, "machine-2-express");

      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByText("Delete quick-echo?").waitFor(WAIT);
      await page.getByRole("button", { name: "Cancel" }).click();
      expect((await stack.call("GET", "/state-machines/quick-echo")).status).toBe(200);
      await page.getByRole("button", { name: "Delete" }).click();
      await browser.screenshot(page, "machine-3-confirm-delete");
      await page.getByRole("button", { name: "Confirm delete" }).click();
      await page.waitForURL(/#\/machines$/, WAIT);
      await page.getByRole("heading", { name: "State machines" }).waitFor(WAIT);
      await page.getByText("No state machine matches.").waitFor(WAIT);
      expect((await stack.call("GET", "/state-machines/quick-echo")).status).toBe(404);
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "deletes a machine whose execution still runs: DELETING, and the execution runs on",
    async () => {
      await stack.call("POST", "/state-machines", {
        name: "long-wait",
        definition: { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 600, End: true } } },
      });
      const started = await stack.call("POST", "/state-machines/long-wait/executions", { name: "still-here" });
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/machines/long-wait`);
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("button", { name: "Confirm delete" }).click();
      await page.getByText("DELETING: it goes once its running executions have ended.").waitFor(WAIT);
      await browser.screenshot(page, "machine-4-deleting");
      expect((await stack.call("GET", "/state-machines/long-wait")).body.status).toBe("DELETING");
      expect((await stack.call("GET", `/executions/${encodeURIComponent(started.body.executionArn)}`)).body.status).toBe("RUNNING");
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );
});
