import { readFileSync } from "node:fs";
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

/** The example charter (7 members), as a project starts with. */
const EXAMPLE = readFileSync(new URL("../config/charter.example.yml", import.meta.url), "utf8");

/** Loading 1,000 members must stay well inside a webhook's budget (issue 21: ≤ 100 ms). */
const TARGET_MS = 100;

export const charterBenchmark: Benchmark = {
  name: "charter",
  async run() {
    const cases = [
      { name: "the example charter", size: "7 members", text: EXAMPLE, target: undefined },
      { name: "a generated charter", size: "1,000 members", text: generatedCharter(1000), target: TARGET_MS },
    ];
    const now = new Date("2026-11-22T00:00:00Z");
    const bench = new Bench({ time: 2000, warmupTime: 500 });
    for (const c of cases) {
      bench.add(c.name, () => {
        const result = loadCharter(c.text, { file: "charter.yml", now });
        if (!result.ok) throw new Error(`${c.name} is invalid`);
      });
    }
    await bench.run();
    const rows = cases.map((c, i) => {
      const task = bench.tasks[i];
      const latency = task?.result && "latency" in task.result ? task.result.latency : undefined;
      const mean = latency?.mean ?? Number.NaN;
      const p99 = latency?.p99 ?? Number.NaN;
      const target = c.target === undefined ? "—" : `≤ ${c.target} ms ${mean <= c.target ? "✅" : "❌"}`;
      return `| parse + validate ${c.name} (\`yaml\`, zod, cross-field rules) | ${c.size}, ${(c.text.length / 1024).toFixed(c.text.length < 10240 ? 1 : 0)} KiB | ${mean.toFixed(2)} ms | ${p99.toFixed(2)} ms | ${latency?.samplesCount ?? "?"} | ${target} |`;
    });
    return {
      title: "Charter validation",
      command: "npm run bench -- charter",
      markdown: [
        `| case | size | mean | p99 | samples | target |`,
        `| --- | --- | --- | --- | --- | --- |`,
        ...rows,
      ].join("\n"),
    };
  },
};
