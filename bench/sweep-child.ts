import { readFileSync } from "node:fs";
import pino from "pino";
import { ProbotOctokit } from "probot";
import { createRuntime } from "../src/context.js";
import { marker } from "../src/core/markers.js";
import { ISSUES_PER_PAGE } from "../src/sweep/read.js";
import { sweepReports, sweepSteps } from "../src/sweep/sweep.js";

/**
 * Child process of the sweep benchmark (`node bench/sweep-child.js SIZE`, compiled, run with
 * --expose-gc): the stale stages of a sweep over SIZE open reports against an in-process fake GitHub
 * (a `fetch` that generates each page on demand, so the fake holds nothing either). Prints one JSON
 * `SweepMeasurement`. Advisory polling and the team reconcile are left out: they are other
 * capabilities with their own costs.
 *
 * The generated reports cycle through: fresh, acknowledged and owned with a recent update, every
 * stage already reminded, and (one in 20) a report that crosses a stage now. Each carries 12
 * comments of a few hundred bytes, as threads do.
 */

const NOW = new Date("2026-11-22T12:00:00Z");
const DAY = 86_400_000;
const CHARTER = readFileSync(new URL("../config/charter.example.yml", import.meta.url), "utf8");
const FILLER =
  "Looked into the reproducer; the patch needs a regression test for the multi-byte case. ".repeat(4);

const iso = (ms: number) => new Date(ms).toISOString();
const bot = (createdAt: string, body: string) => ({
  author: { __typename: "Bot", login: "security-team" },
  createdAt,
  body,
});
const person = (login: string, createdAt: string) => ({
  author: { __typename: "User", login },
  createdAt,
  body: FILLER,
});

function issueNode(i: number) {
  const kind = i % 20 === 0 ? "crossing" : ((["fresh", "active", "reminded"] as const)[i % 3] ?? "fresh");
  const created = NOW.getTime() - { fresh: 0.5, active: 20, reminded: 40, crossing: 40 }[kind] * DAY;
  const comments = Array.from({ length: 10 }, (_, k) =>
    person("reporter", iso(created + (k + 1) * 3_600_000)),
  );
  let assignees: string[] = [];
  if (kind === "active") {
    assignees = ["shaib"];
    comments.push(bot(iso(created + 3_600_000), `Acknowledged. ${marker("ack")}`));
    comments.push(person("shaib", iso(NOW.getTime() - 2 * DAY)));
  } else if (kind === "reminded") {
    comments.push(
      bot(
        iso(created + 31 * DAY),
        ["acknowledge", "owner", "escalate"].map((s) => marker(`reminder:${s}`)).join("\n"),
      ),
      person("reporter", iso(created + 32 * DAY)),
    );
  } else {
    comments.push(person("reporter", iso(created + DAY)), person("reporter", iso(created + 2 * DAY)));
  }
  const ghsa = `GHSA-${i.toString(36).padStart(4, "0")}-benc-hxxx`;
  return {
    number: i + 1,
    title: `${ghsa}: Bench report ${i}, a summary long enough to be learnt`,
    createdAt: iso(created),
    body: `A tracking issue.\n\n${marker(`ghsa:${ghsa}`)}\n${marker("advisory:django/django")}`,
    author: { __typename: "Bot", login: "security-team" },
    assignees: { nodes: assignees.map((login) => ({ login })) },
    labels: { nodes: [{ name: "security-report" }, ...(kind === "reminded" ? [{ name: "stale" }] : [])] },
    comments: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: comments },
  };
}

/** `sample` runs before each page is served: the moment the previous page has been processed. */
function fakeGitHub(total: number, sample: () => void) {
  const counts = { reads: 0, writes: 0 };
  const json = (status: number, data: unknown) =>
    new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json" } });
  const fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const path = new URL(String(url)).pathname;
    const method = init?.method ?? "GET";
    if (path === "/graphql") {
      counts.reads++;
      sample();
      const { variables } = JSON.parse(String(init?.body)) as { variables: { cursor: string | null } };
      const start = variables.cursor ? Number(variables.cursor) : 0;
      const end = Math.min(start + ISSUES_PER_PAGE, total);
      const nodes = Array.from({ length: end - start }, (_, k) => issueNode(start + k));
      return json(200, {
        data: {
          repository: {
            nameWithOwner: "django/security-reports",
            visibility: "PRIVATE",
            issues: { pageInfo: { hasNextPage: end < total, endCursor: String(end) }, nodes },
          },
        },
      });
    }
    if (method === "GET" && path.includes("/contents/")) {
      counts.reads++;
      return new Response(CHARTER, {
        status: 200,
        headers: { "content-type": "application/vnd.github.raw" },
      });
    }
    counts.writes++;
    return json(method === "POST" && path.endsWith("/comments") ? 201 : 200, { id: counts.writes });
  };
  return { fetch, counts };
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
  /** Peak RSS of the whole process (the kernel's maximum), and RSS once everything was loaded. */
  peakMb: number;
  loadedMb: number;
  /** The heap's largest reservation and largest used size (live or not yet collected) between pages, and what stays after a GC. */
  peakHeapTotalMb: number;
  peakHeapUsedMb: number;
  retainedHeapMb: number;
}

const MB = 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** A reminder's reason names its stages: "stale report: acknowledge, owner, escalate reminder". */
function stagesIn(why: string): number {
  const stages = /^stale report: (.+) reminder$/.exec(why)?.[1];
  if (!stages) throw new Error(`not a reminder: ${why}`);
  return stages.split(", ").length;
}

async function measure(total: number): Promise<SweepMeasurement> {
  const heap = { total: 0, used: 0 };
  const { fetch, counts } = fakeGitHub(total, () => {
    const m = process.memoryUsage();
    heap.total = Math.max(heap.total, m.heapTotal);
    heap.used = Math.max(heap.used, m.heapUsed);
  });
  const octokit = new ProbotOctokit({
    auth: "bench",
    request: { fetch },
    retry: { enabled: false },
    throttle: { enabled: false },
  } as never) as InstanceType<typeof ProbotOctokit>;
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
  const peakMb = process.resourceUsage().maxRSS / 1024;
  gc();
  return {
    total,
    reads: counts.reads,
    writes: counts.writes,
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
