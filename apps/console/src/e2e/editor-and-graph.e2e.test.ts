/**
 * The console's code editor and graph in a real browser (Debian's Chromium): typing JSON that is coloured,
 * Tab that indents, completion in its popup, a diagnostic underlined on
 * its line, the preview saying it is out of date while the JSON is broken, and a 200-state graph panned,
 * zoomed and navigated with the minimap. A screenshot of each step goes to test-results/; any CSP
 * violation fails the test.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser, replaceEditorText, type TestBrowser } from "./browser.ts";
import { type ConsoleStack, lambda, startConsoleStack } from "./live-stack.ts";

const TIMEOUT = 120_000;
const WAIT = { timeout: 20_000 };

const work = `{
  "StartAt": "Work",
  "States": {
    "Work": {
      "Type": "Task",
      "Resource": "${lambda("work")}",
      "End": true
    },
    "Done": { "Type": "Succeed" }
  }
}`;

/** 200 states: a chain of Pass, Task and Wait states, a Choice every 20th going back or on. */
function largeDefinition(): string {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < 200; i++) {
    const next = i === 199 ? { End: true } : { Next: `S${i + 1}` };
    if (i % 20 === 19 && i < 199) {
      states[`S${i}`] = {
        Type: "Choice",
        Choices: [{ Variable: "$.again", BooleanEquals: true, Next: `S${i - 5}` }],
        Default: `S${i + 1}`,
      };
    } else if (i % 3 === 1) states[`S${i}`] = { Type: "Task", Resource: lambda(`step${i}`), ...next };
    else if (i % 7 === 3) states[`S${i}`] = { Type: "Wait", Seconds: 1, ...next };
    else states[`S${i}`] = { Type: "Pass", ...next };
  }
  return JSON.stringify({ StartAt: "S0", States: states }, null, 2);
}

const viewBox = async (page: Page) =>
  (await page.locator(".preview svg.graph").getAttribute("viewBox"))!.split(" ").map(Number) as [number, number, number, number];
const scaleOf = async (page: Page) => Number(await page.locator(".preview svg.graph").getAttribute("data-scale"));

describe.skipIf(!hasChromium)("the console's code editor and graph", () => {
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
    "colours JSON, indents on Tab, underlines a diagnostic at its line and flags a stale preview",
    async () => {
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/new`);
      const editor = page.getByRole("textbox", { name: "State machine definition (JSON)" });
      await editor.waitFor(WAIT);
      await replaceEditorText(page, editor, work);
      await page.getByText("✓ Valid definition").waitFor(WAIT);
      await page.locator('.preview svg.graph [data-state="Work"]').waitFor(WAIT);

      // Colouring: a property name and a string value are drawn in different colours.
      const colour = (text: string) =>
        page
          .locator(".cm-line span", { hasText: text })
          .first()
          .evaluate((el) => getComputedStyle(el).color);
      const keyColour = await colour('"StartAt"');
      const stringColour = await colour('"Work"');
      expect(keyColour).not.toBe(stringColour);
      expect(keyColour).not.toBe(await editor.evaluate((el) => getComputedStyle(el).color));
      await browser.screenshot(page, "editor-1-colouring");

      // Tab indents inside the editor and keeps the focus there; Esc then Tab leaves it.
      await page.locator(".cm-line", { hasText: '"Type": "Task"' }).click();
      await page.keyboard.press("Home");
      await page.keyboard.press("Tab");
      await expect(page.locator(".cm-line", { hasText: '"Type": "Task"' }).textContent()).resolves.toBe('        "Type": "Task",');
      expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(true);
      await page.keyboard.press("Shift+Tab");
      await expect(page.locator(".cm-line", { hasText: '"Type": "Task"' }).textContent()).resolves.toBe('      "Type": "Task",');
      await page.keyboard.press("Escape");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(false);

      // Next and End together (Next typed in, closing quote and all from the editor).
      await page.locator(".cm-line", { hasText: '"Type": "Task"' }).click();
      await page.keyboard.press("End");
      await page.keyboard.press("Enter");
      await page.keyboard.type('"Next": "Done",');
      const nextLine = page.locator(".cm-line", { hasText: '"Next"' });
      await expect(nextLine.textContent()).resolves.toBe('      "Next": "Done",');
      await page.waitForTimeout(400);

      // The diagnostic is listed at the state's line and underlined there.
      const text = await editor.evaluate((el) => [...el.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
      const diagnostic = page.locator(".diagnostic.error").first();
      await diagnostic.waitFor(WAIT);
      const listedLine = Number((await diagnostic.getByRole("button").textContent())!.replace("Line ", ""));
      const underlined = page.locator(".cm-lintRange-error").first();
      await underlined.waitFor(WAIT);
      const underlinedLine = await underlined.evaluate((el) => {
        const line = el.closest(".cm-line")!;
        return [...line.parentElement!.children].indexOf(line) + 1;
      });
      expect(underlinedLine).toBe(listedLine);
      expect(text.split("\n")[listedLine - 1]).toContain((await underlined.textContent())!);
      await browser.screenshot(page, "editor-4-diagnostic-underlined");

      // Broken JSON: the old graph stays, greyed, and says it is out of date; fixed, the notice goes.
      await page.keyboard.press("Control+End");
      await page.keyboard.type(" oops");
      const stale = page.getByText("Out of date: the text is not valid JSON");
      await stale.waitFor(WAIT);
      await page.locator(".preview.stale svg.graph").waitFor(WAIT);
      await browser.screenshot(page, "editor-5-stale-preview");
      for (let i = 0; i < 5; i++) await page.keyboard.press("Backspace");
      await stale.waitFor({ state: "detached", ...WAIT });
      await page.locator('.preview svg.graph [data-state="Done"]').waitFor(WAIT);
      expect(await page.locator(".preview.stale").count()).toBe(0);

      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "completes a state's field names and the state names in a popup, while typing and on Ctrl-Space",
    async () => {
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/new`);
      const editor = page.getByRole("textbox", { name: "State machine definition (JSON)" });
      await editor.waitFor(WAIT);
      await replaceEditorText(page, editor, work);
      await page.getByText("✓ Valid definition").waitFor(WAIT);
      const popup = page.locator(".cm-tooltip-autocomplete");
      const offered = () => popup.locator("li .cm-completionLabel").allTextContents();
      const lineWith = (text: string) => page.locator(".cm-line", { hasText: text });
      /**
       * CodeMirror ignores Enter for 75 ms after its popup (re)opens (`interactionDelay`, against picking
       * by accident), and a query started by typing can reopen it after the popup first shows: a person
       * reads the list first, and so does the test.
       */
      const pick = async () => {
        await page.waitForTimeout(300);
        await page.keyboard.press("Enter");
      };

      // A field name half typed (the editor closes the quote at once): the Task's fields that match.
      await lineWith('"Type": "Task"').click();
      await page.keyboard.press("End");
      await page.keyboard.press("Enter");
      await page.keyboard.type('"Timeo');
      await popup.waitFor(WAIT);
      expect(await offered()).toContain("TimeoutSeconds");
      expect(await offered()).not.toContain("Type");
      await browser.screenshot(page, "editor-2-completion-field");
      await pick();
      await popup.waitFor({ state: "detached", ...WAIT });
      await expect.poll(() => lineWith('"TimeoutSeconds"').textContent(), WAIT).toBe('      "TimeoutSeconds": ');
      await page.keyboard.type("30,");

      // A state name for Next: offered as the value is opened, closed with Esc, asked for again with
      // Ctrl-Space, chosen with the arrow keys.
      await page.keyboard.press("Enter");
      await page.keyboard.type('"Next": "');
      await popup.waitFor(WAIT);
      await page.waitForTimeout(300);
      await page.keyboard.press("Escape");
      await popup.waitFor({ state: "detached", ...WAIT });
      await page.keyboard.press("Control+Space");
      await popup.waitFor(WAIT);
      expect(await offered()).toEqual(["Done", "Work"]);
      await page.waitForTimeout(300);
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowUp");
      await popup.locator('li[aria-selected="true"]', { hasText: "Done" }).waitFor(WAIT);
      await pick();
      await expect.poll(() => lineWith('"Next"').textContent(), WAIT).toBe('      "Next": "Done"');
      await browser.screenshot(page, "editor-3-completion-state");
      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "pans, zooms, fits and navigates a 200-state graph with the minimap",
    async () => {
      const { page, problems } = await browser.page();
      await page.goto(`${stack.endpoint}/console/#/new`);
      const editor = page.getByRole("textbox", { name: "State machine definition (JSON)" });
      await editor.waitFor(WAIT);
      await replaceEditorText(page, editor, largeDefinition());
      await page.locator('.preview svg.graph [data-state="S199"]').waitFor({ state: "attached", ...WAIT });
      await page.locator(".preview svg.minimap .minimap-frame").waitFor(WAIT);
      await page.waitForFunction(() => document.querySelector(".preview svg.graph")?.getAttribute("data-scale") !== null, WAIT);
      await browser.screenshot(page, "graph-1-large-start");
      // Too large to read whole: it opens at its start, readable, with S0 in view and the icon of each type drawn.
      const [, startY] = await viewBox(page);
      expect(startY).toBe(0);
      expect(await page.locator('.preview svg.graph [data-state="S1"] .icon-task').count()).toBe(1);
      expect(await page.locator('.preview svg.graph [data-state="S19"] .icon-choice').count()).toBe(1);

      const viewport = page.locator(".preview .graph-viewport");
      const box = (await viewport.boundingBox())!;
      const scale = await scaleOf(page);

      // Drag up by 300 pixels: the graph follows the pointer.
      await page.mouse.move(box.x + box.width / 3, box.y + box.height - 40);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 3, box.y + box.height - 190, { steps: 5 });
      await page.mouse.move(box.x + box.width / 3, box.y + box.height - 340, { steps: 5 });
      await page.mouse.up();
      const [, pannedY] = await viewBox(page);
      expect(pannedY).toBeCloseTo(300 / scale, 0);
      await browser.screenshot(page, "graph-2-panned");

      // Wheel up zooms in around the pointer.
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -400);
      await page.waitForFunction(
        (before) => Number(document.querySelector(".preview svg.graph")?.getAttribute("data-scale")) > before,
        scale,
        WAIT,
      );
      await browser.screenshot(page, "graph-3-zoomed-in");

      // Fit: the whole graph, however tall, in the box.
      await page.locator(".preview").getByRole("button", { name: "Fit", exact: true }).click();
      const [fx, fy, fw, fh] = await viewBox(page);
      const graphSize = await page.evaluate(() => {
        const frame = document.querySelector(".preview svg.minimap")!.getAttribute("viewBox")!.split(" ").map(Number);
        return { width: frame[2]!, height: frame[3]! };
      });
      expect(fx).toBeLessThanOrEqual(0);
      expect(fy).toBeLessThanOrEqual(0);
      expect(fx + fw).toBeGreaterThanOrEqual(graphSize.width);
      expect(fy + fh).toBeGreaterThanOrEqual(graphSize.height);
      await browser.screenshot(page, "graph-4-fit");

      // Zoom back in, then a click near the bottom of the minimap brings the end of the machine into view.
      await page.locator(".preview").getByRole("button", { name: "Zoom in" }).click();
      for (let i = 0; i < 12; i++) await page.locator(".preview").getByRole("button", { name: "Zoom in" }).click();
      const end = await page.evaluate(() => {
        const rect = document.querySelector<SVGRectElement>('.preview svg.graph [data-state="S199"] rect')!;
        const map = document.querySelector<SVGSVGElement>(".preview svg.minimap")!;
        const point = new DOMPoint(rect.x.baseVal.value + rect.width.baseVal.value / 2, rect.y.baseVal.value).matrixTransform(
          map.getScreenCTM()!,
        );
        return { x: point.x, y: point.y };
      });
      await page.mouse.click(end.x, end.y);
      const [vx, vy, vw, vh] = await viewBox(page);
      const last = await page.locator('.preview svg.graph [data-state="S199"] rect').evaluate((el) => {
        const rect = el as SVGRectElement;
        return { x: rect.x.baseVal.value, y: rect.y.baseVal.value };
      });
      expect(last.y).toBeGreaterThanOrEqual(vy);
      expect(last.y).toBeLessThanOrEqual(vy + vh);
      expect(last.x).toBeGreaterThanOrEqual(vx - 150);
      expect(last.x).toBeLessThanOrEqual(vx + vw);
      await browser.screenshot(page, "graph-5-minimap-to-end");

      expect(problems).toEqual([]);
      await page.close();
    },
    TIMEOUT,
  );
});
