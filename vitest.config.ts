import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    // Tests never touch the network: nock blocks it in setup.ts.
    testTimeout: 20_000,
    pool: "forks",
    // Vitest runs one file at a time on 2 cores (its default is one worker fewer than the cores), yet
    // the longest files mostly wait (replicas in other processes, HTTP round trips): two at once.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
