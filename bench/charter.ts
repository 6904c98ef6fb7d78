import { Bench } from "tinybench";
import { stringify } from "yaml";
import { loadCharter } from "../src/charter/loader.js";
import type { Benchmark } from "./types.js";

/** A valid charter with `n` members, as YAML text. */
export function generatedCharter(n: number): string {
  const members = Array.from({ length: n }, (_, i) => ({
    login: `member-${i}`,
    name: `Member ${i}`,
    affiliation: `Org ${i % 17}`,
    roles: i === 0 ? ["chair"] : i % 10 === 0 ? ["triager"] : [],
    joined: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 9}`,
  }));
  return stringify({ version: 1, org: "example", team: "security", tracker: "example/reports", members });
}

export const charterBenchmark: Benchmark = {
  name: "charter",
  async run() {
    const text = generatedCharter(1000);
    const now = new Date("2026-11-22T00:00:00Z");
    const bench = new Bench({ time: 2000, warmupTime: 500 });
    bench.add("validate 1,000 members", () => {
      const result = loadCharter(text, { file: "charter.yml", now });
      if (!result.ok) throw new Error("generated charter is invalid");
    });
    await bench.run();
    const task = bench.tasks[0];
    const latency = task?.result && "latency" in task.result ? task.result.latency : undefined;
    const mean = latency?.mean ?? Number.NaN;
    const p99 = latency?.p99 ?? Number.NaN;
    return {
      title: "Charter validation",
      command: "npm run bench -- charter",
      markdown: [
        `| case | size | mean | p99 | samples | target |`,
        `| --- | --- | --- | --- | --- | --- |`,
        `| parse + validate a valid charter (fast path, zod, cross-field rules) | 1,000 members, ${(text.length / 1024).toFixed(0)} KiB | ${mean.toFixed(1)} ms | ${p99.toFixed(1)} ms | ${latency?.samplesCount ?? "?"} | ≤ 50 ms ${mean <= 50 ? "✅" : "❌"} |`,
      ].join("\n"),
    };
  },
};
