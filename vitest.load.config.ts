import { defineConfig } from "vitest/config";

/** `npm run test:load`: the long soak only (minutes of sustained load on the local Postgres and Redis). */
export default defineConfig({
  test: {
    include: ["packages/testkit/src/load/**/*.load.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
