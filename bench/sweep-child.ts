import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { ProbotOctokit } from "probot";
import { createRuntime } from "../src/context.js";
import { sweepReports, sweepSteps } from "../src/sweep/sweep.js";

/**
 * Child process of the sweep benchmark (`node bench/sweep-child.js SIZE`, compiled, run with
 * --expose-gc): the stale stages of a sweep over SIZE open reports, read and written over HTTP, as in
 * production, from a fake GitHub in a process of its own (`sweep-github.ts`), so that every figure
 * here is the app's. Prints one JSON `SweepMeasurement`. Advisory polling and the team reconcile are
 * left out: they are other capabilities with their own costs.
 */

const NOW = new Date("2026-11-22T12:00:00Z");

/** Starts the fake GitHub; it ends when this process does (its stdin closes). */
async function startFakeGitHub(total: number) {
  const fake = spawn(
    process.execPath,
    [fileURLToPath(new URL("./sweep-github.js", import.meta.url)), String(total), NOW.toISOString()],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = once(fake, "exit").then(() => {
    throw new Error("the fake GitHub exited before it listened");
  });
  const [url] = (await Promise.race([once(createInterface({ input: fake.stdout }), "line"), exited])) as [
    string,
  ];
  return {
    url,
    counts: async () => (await (await fetch(`${url}/_counts`)).json()) as { reads: number; writes: number },
  };
}

export interface SweepMeasurement {
  total: number;
  reads: number;
  writes: number;
  /** Reports whose comment is due (each crosses one or more stages), and escalations (the `stale` label). */
  crossed: number;
  escalated: number;
  stagesCrossed: number;
  ms: number;
  /** Peak RSS of this process (the kernel's high-water mark), and RSS once everything was loaded. */
  peakMb: number;
  loadedMb: number;
  /** The heap's largest reservation and largest used size (live or not yet collected) between pages, and what stays after a GC. */
  peakHeapTotalMb: number;
  peakHeapUsedMb: number;
  retainedHeapMb: number;
}

const MB = 2 ** 20;

/**
 * The kernel's high-water mark of this process's RSS. Not `resourceUsage().maxRSS`: on Linux that
 * also counts the parent's pages at the fork that started this process (the bench runner's ≈ 140 MB).
 */
function peakRssMb(): number {
  const status = "/proc/self/status";
  const hwm = existsSync(status) ? /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(status, "utf8"))?.[1] : undefined;
  return (hwm ? Number(hwm) : process.resourceUsage().maxRSS) / 1024;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** A reminder's reason names its stages: "stale report: acknowledge, owner, escalate reminder". */
function stagesIn(why: string): number {
  const stages = /^stale report: (.+) reminder$/.exec(why)?.[1];
  if (!stages) throw new Error(`not a reminder: ${why}`);
  return stages.split(", ").length;
}

async function measure(total: number): Promise<SweepMeasurement> {
  const heap = { total: 0, used: 0 };
  const github = await startFakeGitHub(total);
  const octokit = new ProbotOctokit({
    auth: "bench",
    baseUrl: github.url,
    retry: { enabled: false },
    throttle: { enabled: false },
  } as never) as InstanceType<typeof ProbotOctokit>;
  // Before each page is asked for: the moment the previous page has been processed.
  octokit.hook.before("request", (options) => {
    if (options.url !== "/graphql") return;
    const m = process.memoryUsage();
    heap.total = Math.max(heap.total, m.heapTotal);
    heap.used = Math.max(heap.used, m.heapUsed);
  });
  const rt = createRuntime({
    octokit,
    log: pino({ level: "silent" }),
    org: "django",
    env: { SECURITY_TEAM_NOW: NOW.toISOString() },
    self: async () => ({ appId: 1, login: "security-team[bot]" }),
    dryRun: false,
  });
  gc();
  const loadedMb = process.memoryUsage().rss / MB;
  const heapAtStart = process.memoryUsage().heapUsed;
  const started = performance.now();
  const read = await rt.charter();
  if (!read.ok) throw new Error("example charter is invalid");
  const outcome = await sweepReports(rt, read.charter, sweepSteps.mirrorAdvisoryComments);
  const ms = performance.now() - started;
  if (outcome.open !== total) throw new Error(`saw ${outcome.open} of ${total} reports`);
  const comments = outcome.actions.filter((a) => a.target.startsWith("comment"));
  const peakMb = peakRssMb();
  const { reads, writes } = await github.counts();
  gc();
  return {
    total,
    reads,
    writes,
    crossed: comments.length,
    escalated: outcome.actions.filter((a) => a.target.startsWith("label")).length,
    stagesCrossed: comments.reduce((n, a) => n + stagesIn(a.why), 0),
    ms,
    peakMb,
    loadedMb,
    peakHeapTotalMb: heap.total / MB,
    peakHeapUsedMb: heap.used / MB,
    retainedHeapMb: (process.memoryUsage().heapUsed - heapAtStart) / MB,
  };
}

process.stdout.write(JSON.stringify(await measure(Number(process.argv[2]))));
process.exit(0); // the fake GitHub's pipe and the HTTP client's kept-alive socket would keep it up
