import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runCompiled, START_FLAGS } from "./compiled.js";
import { sweepMeasurements } from "./sweep.js";
import type { SweepMeasurement } from "./sweep-child.js";
import type { Benchmark } from "./types.js";

/** RSS of the real server at idle, next to a bare Probot server, and the peak of the largest sweep, with and without `npm start`'s flags. */

/** V8's smallest young generation and an old generation far below the default: only live data fits. */
const TIGHT_HEAP = ["--max-semi-space-size=1", "--max-old-space-size=24"];

/** RSS of an empty `node` process with `flags`, after a GC: what the tsx loader alone costs. */
function emptyProcessRss(flags: string[]): number {
  const child = spawnSync(
    process.execPath,
    [...flags, "--expose-gc", "-e", "gc(); process.stdout.write(String(process.memoryUsage().rss))"],
    { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) },
  );
  if (child.status !== 0) throw new Error(`node ${flags.join(" ")} failed: ${child.stderr}`);
  return Number(child.stdout) / 2 ** 20;
}

const idleRss = (which: "ours" | "bare") =>
  runCompiled<{ rssMb: number }>("idle-child", [which], ["--expose-gc", ...START_FLAGS]).rssMb;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export const memoryBenchmark: Benchmark = {
  name: "memory",
  async run() {
    // Alternating runs, median of each: a few MB of RSS vary from one start to the next.
    const runs = { bare: [] as number[], ours: [] as number[] };
    for (let i = 0; i < 3; i++) {
      runs.bare.push(idleRss("bare"));
      runs.ours.push(idleRss("ours"));
    }
    const bare = median(runs.bare);
    const ours = median(runs.ours);
    const sweep = sweepMeasurements().at(-1);
    if (!sweep) throw new Error("no sweep measured");
    const sweepWith = (flags: string[]) =>
      runCompiled<SweepMeasurement>("sweep-child", [String(sweep.total)], ["--expose-gc", ...flags]);
    const defaults = sweepWith([]);
    const tight = sweepWith(TIGHT_HEAP);
    const n = sweep.total.toLocaleString("en-US");
    const diff = ours - bare;
    const tsxMb = emptyProcessRss(["--import", "tsx"]) - emptyProcessRss([]);
    const s = (m: SweepMeasurement) => `${(m.ms / 1000).toFixed(1)} s`;
    return {
      title: "Memory",
      command: "npm run bench -- memory",
      markdown: [
        "Each figure in a fresh `node --expose-gc` process on the compiled app with `npm start`'s flags",
        `(\`${START_FLAGS.join(" ")}\`, see [deployment](docs/deployment.md#memory)), unless the row says otherwise.`,
        "A peak is the process's own high-water mark (`VmHWM`), not `maxRSS`, which on Linux also counts the parent's",
        "pages at the fork that started the process.",
        "",
        "| process | RSS | target |",
        "| --- | --- | --- |",
        `| bare Probot server (does nothing), idle after start and a GC (median of 3) | ${bare.toFixed(0)} MB | |`,
        `| security-team-app server, idle after start and a GC (median of 3) | ${ours.toFixed(0)} MB (${diff >= 0 ? "+" : "−"}${Math.abs(diff).toFixed(0)} MB) | |`,
        `| sweep over ${n} reports: before it starts | ${sweep.loadedMb.toFixed(0)} MB | |`,
        `| sweep over ${n} reports: peak | ${sweep.peakMb.toFixed(0)} MB (completes in ${s(sweep)}) | ≤ 150 MB ${sweep.peakMb <= 150 ? "✅" : "❌"} |`,
        `| the same sweep with Node's default heap sizing (no flags): peak | ${defaults.peakMb.toFixed(0)} MB (completes in ${s(defaults)}) | |`,
        `| the same sweep with the heap capped (\`${TIGHT_HEAP.join(" ")}\`): peak | ${tight.peakMb.toFixed(0)} MB (completes in ${s(tight)}) | |`,
        "",
        "The sweep reads and writes over HTTP through Node's `fetch`, as in production, against a fake GitHub in a process",
        `of its own (\`bench/sweep-github.ts\`): every figure is the app's. Only ${sweep.retainedHeapMb.toFixed(1)} MB of heap remain after a GC at the`,
        "end (the per-write outcome lines); the reader holds one page at a time and reduces comment bodies to markers at",
        `once. The peak is collector headroom: each of the ${(sweep.reads + sweep.writes).toLocaleString("en-US")} requests leaves \`fetch\`'s request clones and`,
        "body streams that die only in full GCs, so they are promoted to the old generation; with Node's defaults V8 lets",
        "that grow to several times what is live before it collects, and grows the young generation to 32 MB semi-spaces:",
        `up to ${defaults.peakHeapTotalMb.toFixed(0)} MB of heap reserved and ${defaults.peakHeapUsedMb.toFixed(0)} MB used between pages, against ${sweep.peakHeapTotalMb.toFixed(0)} and ${sweep.peakHeapUsedMb.toFixed(0)} MB with the flags.`,
        "The measurements behind this, and what the flags cost in time, are in [deployment](docs/deployment.md#memory).",
        "",
        `Under \`tsx\` (as \`npm run bench\` itself runs) every figure is about ${tsxMb.toFixed(0)} MB higher: the loader alone, measured in an empty process.`,
      ].join("\n"),
    };
  },
};
