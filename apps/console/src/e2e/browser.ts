/**
 * Chromium for the console's end-to-end tests: Debian's package driven by playwright-core (no browser
 * download), a fresh profile per launch, and every console error and page error collected so tests can
 * insist there were none.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
/**
 * On a machine without Debian's chromium the browser suites skip with a notice naming the install
 * command, so `npm test` passes on a fresh machine; `.ci/run` installs it and fails on any skip.
 */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stdout.write(
    `\n[console e2e] chromium not found at ${CHROMIUM}: the console's browser tests are skipped (apt-get install -y chromium; .ci/run does)\n`,
  );
}
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** The repository's test-results/ (gitignored), where each test leaves a screenshot. */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "test-results");

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab whose console errors and uncaught exceptions are recorded in `problems`. */
  page(viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing (${CHROMIUM}): the console's end-to-end tests need it. Install it with \`apt-get install -y chromium\`.`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "stepwise-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  await mkdir(RESULTS_DIR, { recursive: true });
  return {
    context,
    page: async (viewport) => {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      // Anything the Content-Security-Policy blocks is a problem too, whether or not Chromium logs it.
      await page.exposeFunction("reportCspViolation", (text: string) => problems.push(`CSP violation: ${text}`));
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          const report = (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation;
          report(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
        });
      });
      return { page, problems };
    },
    screenshot: async (page, name) => {
      const path = join(RESULTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Replaces the code editor's text as a person would: select all, delete, then type (paste-like) into the
 * empty editor. Playwright's fill() over coloured text makes Chromium's own editing try to keep the
 * colour with an inline style attribute, which the console's CSP refuses (CodeMirror then redraws the
 * line, so nothing shows; the refusal would still fail the tests' no-CSP-violation check).
 */
export async function replaceEditorText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}
