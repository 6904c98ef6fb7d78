import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    // Tests never touch the network: nock blocks it in setup.ts.
    testTimeout: 20_000,
    pool: "forks",
  },
});
