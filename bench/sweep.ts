import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { ProbotOctokit } from "probot";
import { createRuntime } from "../src/core/context.js";
import { marker } from "../src/core/markers.js";
import { ISSUES_PER_PAGE } from "../src/sweep/read.js";
import { sweepReports } from "../src/sweep/sweep.js";
import type { Benchmark } from "./types.js";

/**
 * The stale stages of a sweep over 100, 1,000 and 10,000 open reports, against an in-process fake
 * GitHub (a `fetch` that generates each page on demand, so the fake holds nothing either). Advisory
 * polling and the team reconcile are left out: they are other capabilities with their own costs.
 *
 * The generated reports cycle through: fresh, acknowledged and owned with a recent update, every
 * stage already reminded, and (one in 20) a report that crosses a stage now. Each carries 12
 * comments of a few hundred bytes, as threads do.
 */

const NOW = new Date("2026-11-22T12:00:00Z");
const DAY = 86_400_000;
const CHARTER = readFileSync(new URL("../config/charter.example.yml", import.meta.url), "utf8");
const SIZES = [100, 1_000, 10_000];
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
  return {
    number: i + 1,
    createdAt: iso(created),
    body: `A tracking issue.\n\n${marker(`ghsa:GHSA-${i}-bench-xxxx`)}\n${marker("advisory:django/django")}`,
    author: { __typename: "Bot", login: "security-team" },
    assignees: { nodes: assignees.map((login) => ({ login })) },
    labels: { nodes: [{ name: "security-report" }, ...(kind === "reminded" ? [{ name: "stale" }] : [])] },
    comments: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: comments },
  };
}

function fakeGitHub(total: number) {
  const counts = { reads: 0, writes: 0 };
  const json = (status: number, data: unknown) =>
    new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json" } });
  const fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const path = new URL(String(url)).pathname;
    const method = init?.method ?? "GET";
    if (path === "/graphql") {
      counts.reads++;
      const { variables } = JSON.parse(String(init?.body)) as { variables: { cursor: string | null } };
      const start = variables.cursor ? Number(variables.cursor) : 0;
      const end = Math.min(start + ISSUES_PER_PAGE, total);
      const nodes = Array.from({ length: end - start }, (_, k) => issueNode(start + k));
      return json(200, {
        data: {
          repository: { issues: { pageInfo: { hasNextPage: end < total, endCursor: String(end) }, nodes } },
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

interface Measurement {
  total: number;
  reads: number;
  writes: number;
  crossed: number;
  ms: number;
  /** Peak RSS of the whole process (kernel's maximum), and RSS once everything was loaded. */
  peakMb: number;
  loadedMb: number;
}

async function measure(total: number): Promise<Measurement> {
  const { fetch, counts } = fakeGitHub(total);
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
  const loadedMb = process.memoryUsage().rss / 2 ** 20;
  const started = performance.now();
  const read = await rt.charter();
  if (!read.ok) throw new Error("example charter is invalid");
  const outcome = await sweepReports(rt, read.charter);
  const ms = performance.now() - started;
  if (outcome.open !== total) throw new Error(`saw ${outcome.open} of ${total} reports`);
  const crossed = outcome.actions.filter((a) => a.target.startsWith("comment")).length;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  return { total, reads: counts.reads, writes: outcome.actions.length, crossed, ms, peakMb, loadedMb };
}

/** Each size runs in a fresh process, so its peak RSS is its own and not an earlier run's. */
function measureInChild(size: number): Measurement {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), String(size)],
    {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    },
  );
  if (child.status !== 0) throw new Error(`sweep benchmark (${size}) failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Measurement;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(await measure(Number(process.argv[2]))));
}

export const sweepBenchmark: Benchmark = {
  name: "sweep",
  async run() {
    const fmt = (n: number) => n.toLocaleString("en-US");
    const rows = SIZES.map((size) => {
      const r = measureInChild(size);
      const readTarget = 2 * Math.ceil(size / 100);
      return `| ${fmt(r.total)} | ${fmt(r.reads)} (${(r.reads / (size / 100)).toFixed(2)} per 100; ≤ 2 ${r.reads <= readTarget ? "✅" : "❌"}) | ${fmt(r.writes)} for ${fmt(r.crossed)} reports crossing a stage | ${fmt(Math.round(r.ms))} ms | ${r.peakMb.toFixed(0)} MB${size === 10_000 ? ` (≤ 150 ${r.peakMb <= 150 ? "✅" : "❌"})` : ""} | ${r.loadedMb.toFixed(0)} MB |`;
    });
    return {
      title: "Sweep: stale stages of open reports",
      command: "npm run bench -- sweep",
      markdown: [
        "Against an in-process fake GitHub (no network), one fresh process per size. Reads are the charter plus one",
        "GraphQL query per 100 reports; writes are one comment per report crossing a stage, plus the `stale`",
        "label at escalation. Advisory polling and the team reconcile are not included (their own costs).",
        'Peak RSS is the whole process\'s maximum (Node, tsx, Probot and the fake included); "loaded" is the',
        "RSS before the sweep starts, so the difference is the sweep's.",
        "",
        "| open reports | read requests | write requests | wall time | peak RSS | loaded |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows,
      ].join("\n"),
    };
  },
};
