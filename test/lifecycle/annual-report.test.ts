import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import {
  annualReport,
  formatHours,
  percentile,
  renderAnnualReport,
} from "../../src/lifecycle/annual-report.js";
import type { ReportTimeline } from "../../src/lifecycle/timelines.js";
import { advisoryRepoMarker, ghsaMarker } from "../../src/reports/tracking-markers.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { replyCharter } from "../helpers/charter.js";
import { APP_LOGIN, github, mockAppAuth, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { user } from "../helpers/payloads.js";
import { listedIssue } from "./fixtures.js";

/** A fixed year of reports: times in hours after arrival, owners, who took part. */
function report(
  number: number,
  opened: string,
  hours: { ack?: number; owner?: number; close?: number },
  owner?: string,
  others: string[] = [],
): ReportTimeline {
  const at = (h: number | undefined) =>
    h === undefined ? undefined : new Date(new Date(opened).getTime() + h * 3_600_000).toISOString();
  const t: ReportTimeline = { number, opened, participation: [] };
  const acknowledged = at(hours.ack);
  const owned = at(hours.owner);
  const closed = at(hours.close);
  if (acknowledged) t.acknowledged = acknowledged;
  if (owned) t.owned = owned;
  if (closed) t.closed = closed;
  if (owner) {
    t.owner = owner;
    t.participation.push({ login: owner, at: owned ?? opened });
  }
  for (const login of others) t.participation.push({ login, at: acknowledged ?? opened });
  return t;
}

const YEAR_2026: ReportTimeline[] = [
  report(1, "2025-12-20T10:00:00Z", { ack: 30, owner: 50 }, "shaib"), // previous year, still open
  report(2, "2026-01-05T09:00:00Z", { ack: 2, owner: 20, close: 24 * 30 }, "shaib", ["felixxm"]),
  report(3, "2026-01-18T14:00:00Z", { ack: 5.5, owner: 5.5, close: 24 * 12 }, "felixxm"),
  report(4, "2026-03-02T08:00:00Z", { ack: 49, owner: 24 * 6, close: 24 * 45 }, "Charettes", ["shaib"]),
  report(5, "2026-03-28T22:00:00Z", { ack: 1, owner: 26, close: 24 * 9 }, "shaib", ["nessita"]),
  report(6, "2026-06-11T12:00:00Z", { ack: 12, owner: 24 * 3, close: 24 * 20 }, "nessita", [
    "shaib",
    "charettes",
  ]),
  report(7, "2026-08-01T00:00:00Z", { ack: 3 }), // acknowledged, never owned, closed as invalid
  report(8, "2026-09-15T16:00:00Z", { ack: 70, owner: 90, close: 24 * 100 }, "felixxm"), // closed in 2026-12
  report(9, "2026-11-30T10:00:00Z", { ack: 4, owner: 8, close: 24 * 40 }, "shaib"), // closed in 2027
  report(10, "2026-12-29T10:00:00Z", {}), // arrived at the end of the year, untouched
  report(11, "2027-01-02T10:00:00Z", { ack: 1 }, "shaib"), // next year: not counted
];
YEAR_2026[6] = { ...(YEAR_2026[6] as ReportTimeline), closed: "2026-08-03T00:00:00.000Z" };

describe("annual report (pure)", () => {
  it("uses nearest-rank percentiles, which are always observed values", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([4], 0.9)).toBe(4);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
  });

  it("formats durations in hours under two days, days above", () => {
    expect([formatHours(null), formatHours(5.5), formatHours(47.9), formatHours(72)]).toEqual([
      "–",
      "5.5 h",
      "47.9 h",
      "3.0 days",
    ]);
  });

  it("computes the year's figures", () => {
    const r = annualReport(YEAR_2026, 2026);
    expect(r.received).toBe(9);
    expect(r.receivedByMonth).toEqual([2, 0, 2, 0, 0, 1, 0, 1, 1, 0, 1, 1]);
    expect(r.toAcknowledgement).toEqual({ count: 8, medianHours: 4, p90Hours: 70 });
    expect(r.toOwner.count).toBe(7);
    expect(r.toClose.count).toBe(8); // #9 closed in 2027 still counts
    expect(r.openAtYearEnd).toBe(3); // #1 (from 2025), #9 (closed in 2027), #10
    expect(r.load[0]).toEqual({ login: "shaib", owned: 3, tookPart: 5 });
    expect(r.load.find((l) => l.login.toLowerCase() === "charettes")).toEqual({
      login: "Charettes",
      owned: 1,
      tookPart: 2,
    });
  });

  it("renders Markdown with Mermaid charts (golden) and JSON (golden)", async () => {
    const r = annualReport(YEAR_2026, 2026);
    await expect(renderAnnualReport(r)).toMatchFileSnapshot("./__golden__/annual-report-2026.md");
    await expect(`${JSON.stringify(r, null, 2)}\n`).toMatchFileSnapshot(
      "./__golden__/annual-report-2026.json.snap",
    );
  });

  it("renders an empty year without charts that cannot draw", async () => {
    await expect(renderAnnualReport(annualReport([], 2026))).toMatchFileSnapshot(
      "./__golden__/annual-report-empty.md",
    );
  });
});

describe("security-team report", () => {
  const issues = [
    listedIssue({
      number: 2,
      created_at: "2026-01-05T09:00:00Z",
      closed_at: "2026-02-04T09:00:00Z",
      user: user(APP_LOGIN, "Bot"),
      assignee: user("shaib"),
      assignees: [user("shaib")],
      body: `${ghsaMarker("GHSA-2222-2222-2222")}\n${advisoryRepoMarker("django", "django")}`,
    }),
  ];
  const comments = [
    {
      issue_url: "https://api.github.com/repos/django/security-reports/issues/2",
      user: user(APP_LOGIN, "Bot"),
      created_at: "2026-01-05T11:00:00Z",
      body: "ack\n\n<!-- security-team:ack -->",
    },
    {
      issue_url: "https://api.github.com/repos/django/security-reports/issues/2",
      user: user(APP_LOGIN, "Bot"),
      created_at: "2026-01-06T05:00:00Z",
      body: "owner\n\n<!-- security-team:owner:shaib -->",
    },
    {
      issue_url: "https://api.github.com/repos/django/security-reports/issues/2",
      user: user("outside-expert"),
      created_at: "2026-01-07T05:00:00Z",
      body: "Here is my analysis.",
    },
  ];

  function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const env = { APP_ID: "123", PRIVATE_KEY: TEST_PRIVATE_KEY, SECURITY_TEAM_NOW: "2027-01-05T00:00:00Z" };
    return main(["report", ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env }).then(
      (code) => ({ code, out: out.join("\n"), err: err.join("\n") }),
    );
  }
  function scope() {
    mockAppAuth();
    const gh = github();
    gh.get("/orgs/django/installation").reply(200, exampleResponse("apps/get-org-installation") as object);
    replyCharter(gh);
    gh.get("/repos/django/security-reports/issues")
      .query({ state: "all", per_page: "100" })
      .reply(200, issues);
    gh.get("/repos/django/security-reports/issues/comments").query({ per_page: "100" }).reply(200, comments);
    return gh;
  }

  it("prints the Markdown from the tracking issues and writes nothing", async () => {
    const gh = scope();
    const { code, out, err } = await run(["--year", "2026", "--org", "django"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("- Reports received: **1**");
    expect(out).toContain("| acknowledgement | 1 | 2 h | 2 h |");
    expect(out).toContain("| owner | 1 | 20 h | 20 h |");
    expect(out).toContain("| close | 1 | 30.0 days | 30.0 days |");
    expect(out).toContain("| shaib | 1 | 1 |");
    expect(out).not.toContain("outside-expert");
    expect(recordedWrites()).toEqual([]);
    expect(gh.isDone()).toBe(true);
  });

  it("prints JSON with --json", async () => {
    scope();
    const { code, out } = await run(["--year", "2026", "--org", "django", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ year: 2026, received: 1, openAtYearEnd: 0 });
  });

  const TRACKER = "/repos/django/security-reports";
  const repoAnswer = (fullName: string, isPrivate: boolean) => ({
    ...(exampleResponse("repos/get") as object),
    full_name: fullName,
    private: isPrivate,
    visibility: isPrivate ? "private" : "public",
  });

  it("opens the report as an issue in the private tracker with --publish", async () => {
    const gh = scope();
    gh.get(TRACKER).reply(200, repoAnswer("django/security-reports", true));
    gh.post(`${TRACKER}/issues`).reply(201, exampleResponse("issues/create", "201") as object);
    const { code, err } = await run(["--year", "2026", "--org", "django", "--publish"]);
    expect(code).toBe(0);
    expect(err).toBe(
      "published in the private tracker django/security-reports: https://github.com/octocat/Hello-World/issues/1347",
    );
    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${TRACKER}/issues`]);
    expect(writes[0]?.body).toMatchObject({
      title: "Security team: annual report 2026",
      labels: [],
      assignees: [],
    });
    const body = (writes[0]?.body as { body: string }).body;
    expect(body).toContain("# Security team: annual report 2026");
    expect(body).toContain("| shaib | 1 | 1 |");
    expect(gh.isDone()).toBe(true);
  });

  it("writes a copy without per-member figures where --publish-to says, and says when it is public", async () => {
    const gh = scope();
    gh.get(TRACKER).reply(200, repoAnswer("django/security-reports", true));
    gh.post(`${TRACKER}/issues`).reply(201, exampleResponse("issues/create", "201") as object);
    gh.get("/repos/django/board").reply(200, repoAnswer("django/board", false));
    gh.post("/repos/django/board/issues").reply(201, exampleResponse("issues/create", "201") as object);
    const { code, err } = await run([
      "--year",
      "2026",
      "--org",
      "django",
      "--publish",
      "--publish-to",
      "django/board",
    ]);
    expect(code).toBe(0);
    expect(err).toContain(
      "django/board is not private: the copy there is public (it carries no per-member figures)",
    );
    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `POST ${TRACKER}/issues`,
      "POST /repos/django/board/issues",
    ]);
    const copy = (writes[1]?.body as { body: string }).body;
    expect(copy).toContain("- Reports received: **1**");
    expect(copy).toContain("Figures per member stay in the team's private copy of this report.");
    expect(copy).not.toMatch(/shaib|Load per member|pie title/);
    expect(gh.isDone()).toBe(true);
  });

  it("publishes nothing when the tracker is not private", async () => {
    const gh = scope();
    gh.get(TRACKER).reply(200, repoAnswer("django/security-reports", false));
    const { code, err } = await run([
      "--year",
      "2026",
      "--org",
      "django",
      "--publish",
      "--publish-to",
      "django/board",
    ]);
    expect(code).toBe(1);
    expect(err).toBe(
      "could not publish the report: the tracker repository django/security-reports is not private: nothing was written there (make it private)",
    );
    expect(recordedWrites()).toEqual([]);
  });

  it("takes --publish-to only as OWNER/REPO, with --publish", async () => {
    expect(await run(["--year", "2026", "--org", "django", "--publish-to", "django/board"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--publish-to goes with --publish"),
    });
    expect(
      await run(["--year", "2026", "--org", "django", "--publish", "--publish-to", "board"]),
    ).toMatchObject({ code: 2, err: expect.stringContaining("--publish-to must be OWNER/REPO (got board)") });
  });

  it("refuses a personal token, which cannot tell the app's tracking issues from others", async () => {
    const gh = github();
    gh.get("/user").reply(200, exampleResponse("users/get-authenticated") as object);
    const err: string[] = [];
    const code = await main(["report", "--year", "2026", "--org", "django"], {
      out: () => {},
      err: (t) => err.push(t),
      env: { GITHUB_TOKEN: "ghp_test" },
    });
    expect(code).toBe(1);
    expect(err.join("\n")).toContain("security-team report: needs the app's credentials");
  });

  it("rejects a missing or malformed year as a usage error", async () => {
    expect(await run(["--org", "django"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--year must be a year"),
    });
    expect(await run(["--year", "last", "--org", "django"])).toMatchObject({ code: 2 });
  });
});
