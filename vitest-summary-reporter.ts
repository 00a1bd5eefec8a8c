/**
 * Ends every run with one plain line, `N passed, N failed, N skipped`, that any CI can read whatever
 * the test runner.
 */
import { writeSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failedHere += 1;
        else skipped += 1;
      }
      // A file can fail outside its tests (an import error, a hook that timed out): count it once.
      failed += failedHere === 0 && module.state() === "failed" ? 1 : failedHere;
    }
    // At exit, so it stands after the default reporter's own summary as the run's last line.
    process.once("exit", () => writeSync(1, `\n${passed} passed, ${failed} failed, ${skipped} skipped\n`));
  }
}
