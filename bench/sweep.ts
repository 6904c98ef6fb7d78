import { runCompiled, START_FLAGS } from "./compiled.js";
import type { SweepMeasurement } from "./sweep-child.js";
import type { Benchmark } from "./types.js";

/**
 * The stale stages of a sweep over 100, 1,000 and 10,000 open reports, each in a fresh process on
 * the compiled app with `npm start`'s flags. Measured once per run and shared by the API economy,
 * the memory section and this one.
 */

export const SWEEP_SIZES = [100, 1_000, 10_000] as const;
let measured: SweepMeasurement[] | undefined;

export function sweepMeasurements(): SweepMeasurement[] {
  measured ??= SWEEP_SIZES.map((size) =>
    runCompiled<SweepMeasurement>("sweep-child", [String(size)], ["--expose-gc", ...START_FLAGS]),
  );
  return measured;
}

const fmt = (n: number) => n.toLocaleString("en-US");

export const sweepBenchmark: Benchmark = {
  name: "sweep",
  async run() {
    const rows = sweepMeasurements().map(
      (r) =>
        `| ${fmt(r.total)} | ${fmt(Math.round(r.ms))} ms | ${r.peakMb.toFixed(0)} MB | ${r.loadedMb.toFixed(0)} MB | ${r.peakHeapUsedMb.toFixed(0)} / ${r.peakHeapTotalMb.toFixed(0)} MB | ${r.retainedHeapMb.toFixed(1)} MB |`,
    );
    return {
      title: "Sweep: time and memory",
      command: "npm run bench -- sweep",
      markdown: [
        "The stale stages of every open report, read and written over HTTP against a fake GitHub on 127.0.0.1 in a",
        "process of its own that generates each GraphQL page on demand; one fresh process per size, on the compiled",
        `app with \`npm start\`'s flags (\`${START_FLAGS.join(" ")}\`). Each report carries 12 comments of a few hundred`,
        "bytes; one in 20 crosses a stage. Advisory polling and the team reconcile are not included. The requests",
        "are in the API economy table, the 10,000-report peak in the memory section. Wall time includes the",
        "round trips to the fake.",
        "",
        "| open reports | wall time | peak RSS | RSS before | heap used / reserved (max between pages) | heap kept after GC |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows,
      ].join("\n"),
    };
  },
};
