import { reportRequests } from "./reports.js";
import { sweepMeasurements } from "./sweep.js";
import { syncRequests } from "./sync.js";
import type { Benchmark } from "./types.js";

/**
 * API economy: the requests each operation makes next to its floor, the fewest requests that could do
 * the job, from the sync, reports and sweep measurements (each counted at a fake GitHub).
 */

const fmt = (n: number) => n.toLocaleString("en-US");
const ratio = (actual: number, floor: number) => `${(actual / floor).toFixed(2)}×`;
const atFloor = (actual: number, floor: number) => `at the floor ${actual <= floor ? "✅" : "❌"}`;

export const economyBenchmark: Benchmark = {
  name: "economy",
  async run() {
    const rows: string[] = [];
    const row = (
      operation: string,
      requests: string,
      actual: number,
      floor: number,
      why: string,
      target: string,
    ) =>
      rows.push(
        `| ${operation} | ${requests} | ${fmt(floor)} | ${ratio(actual, floor)} | ${why} | ${target} |`,
      );

    for (const s of await syncRequests()) {
      const operation = `team reconcile, ${fmt(s.members)} members, ${s.changes === 0 ? "no-op" : `${s.changes} changes`}`;
      const why =
        s.changes === 0
          ? "the charter, then every page (100 per page) of maintainers, members and pending invitations; nothing to write"
          : "the same reads, one write per change, and (as the plan adds someone) the failed invitations and the open leave pull requests";
      const total = s.reads + s.writes;
      row(operation, `${s.reads} reads + ${s.writes} writes`, total, s.floor, why, atFloor(total, s.floor));
    }
    const reports = await reportRequests();
    for (const c of reports) {
      row(c.name, String(c.requests), c.requests, c.floor, c.floorWhy, atFloor(c.requests, c.floor));
    }
    for (const m of sweepMeasurements()) {
      const pages = Math.ceil(m.total / 100);
      const floor = 1 + pages + m.crossed + m.escalated;
      const total = m.reads + m.writes;
      const target = 2 * pages + m.stagesCrossed;
      row(
        `sweep over ${fmt(m.total)} open reports (${fmt(m.crossed)} cross ${fmt(m.stagesCrossed)} stages)`,
        `${fmt(m.reads)} reads + ${fmt(m.writes)} writes`,
        total,
        floor,
        "the charter, one GraphQL page per 100 reports (each issue with its last 50 comments: GitHub's largest page); one comment per report crossing stages (stages crossed together share it) and the `stale` label per escalation",
        `≤ 2 per 100 reports + 1 per stage crossed = ${fmt(target)} ${total <= target ? "✅" : "❌"}`,
      );
    }
    return {
      title: "API economy",
      command: "npm run bench -- economy",
      markdown: [
        "Requests each operation makes, counted at a fake GitHub, next to the floor: the fewest requests that could",
        "do the job. Request counts are exact and do not depend on the machine. Auth (the installation token) and the",
        "app's identity (`GET /app`) are fetched once and cached, and not counted. Team reconciles run against a fake that",
        "pages like GitHub (100 per page); intake and claims against the tests' OpenAPI-checked mocks; sweeps against",
        "the fake of the sweep section: its stale stages only (a full sweep also reconciles the team, counted above, and",
        "polls advisories, not measured here).",
        "",
        "| operation | requests | floor | ratio | why this is the floor | target |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows,
        ...(reports.some((c) => c.name.startsWith("intake") && c.requests > c.floor)
          ? [
              "",
              "Intake is one request above its floor: it lists the tracker's labels so that the labels the app uses exist",
              "with their colours and descriptions (GitHub would create a missing label on first use, but bare).",
            ]
          : []),
      ].join("\n"),
    };
  },
};
