import { defineConfig } from "vitest/config";

/** `npm run test:chaos`: the chaos suite only (private services it kills; minutes long). */
export default defineConfig({
  test: {
    include: ["packages/testkit/src/chaos/**/*.chaos.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
