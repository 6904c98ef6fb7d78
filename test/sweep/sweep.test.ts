import { beforeEach, describe, expect, it } from "vitest";
import { sweepInstallation } from "../../src/sweep/sweep.js";
import { EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { fakeSteps, NOOP_SYNC } from "./fixtures.js";
import {
  appComment,
  type FakeIssue,
  mockTracker,
  personComment,
  TRACKER,
  testRuntime,
  trackingIssue,
} from "./tracker.js";

let steps: ReturnType<typeof fakeSteps>;
beforeEach(() => {
  steps = fakeSteps();
});

const ack = (at: string) => appComment(at, "Acknowledged by @shaib.\n\n<!-- security-team:ack -->");
const claim = (login: string, at: string) =>
  appComment(at, `@${login} owns this report.\n\n<!-- security-team:owner:${login} -->`);

/**
 * Runs one sweep at `now` against the fake tracker and returns the writes it made. The tracker's
 * mocks persist, so they are installed once per list of issues and follow a shared clock.
 */
const trackers = new WeakMap<FakeIssue[], { now: string }>();
async function sweepAt(issues: FakeIssue[], now: string) {
  let clock = trackers.get(issues);
  if (!clock) {
    clock = { now };
    trackers.set(issues, clock);
    replyCharter(github().persist());
    mockTracker(issues, clock);
  }
  clock.now = now;
  const before = recordedWrites().length;
  const summary = await sweepInstallation(testRuntime(now), steps);
  return { summary, writes: recordedWrites().slice(before) };
}

describe("a report walked through every stage", () => {
  it("one comment per stage, none on a second sweep, chairs at escalation, stale removed when the owner returns", async () => {
    const issue = trackingIssue(1, "2026-11-01T10:00:00Z");
    const issues = [issue];
    const comments = () => issue.comments.map((c) => c.body);

    // Day 1: nothing due.
    expect((await sweepAt(issues, "2026-11-02T10:00:00Z")).writes).toEqual([]);

    // Day 2: not acknowledged → the triagers.
    let { writes } = await sweepAt(issues, "2026-11-03T10:00:00Z");
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${TRACKER}/issues/1/comments`]);
    expect(comments().at(-1)).toMatch(
      /^@jacobtylerwalls @shaib @felixxm: this report has not been acknowledged/,
    );
    expect((await sweepAt(issues, "2026-11-03T11:00:00Z")).writes).toEqual([]);

    // Acknowledged on day 4; day 7: still no owner → the triagers again, for that stage.
    issue.comments.push(ack("2026-11-05T09:00:00Z"));
    ({ writes } = await sweepAt(issues, "2026-11-08T10:00:00Z"));
    expect(writes).toHaveLength(1);
    expect(comments().at(-1)).toContain("still has no owner 7 days after it arrived");
    expect((await sweepAt(issues, "2026-11-08T12:00:00Z")).writes).toEqual([]);

    // Claimed by shaib on day 8, who posts on day 19. Day 30: escalation to the chairs, with the label.
    issue.assignees = ["shaib"];
    issue.comments.push(
      claim("shaib", "2026-11-09T10:00:00Z"),
      personComment("shaib", "2026-11-20T10:00:00Z"),
    );
    ({ writes } = await sweepAt(issues, "2026-12-01T10:00:00Z"));
    expect(writes).toEqual([
      { method: "POST", path: `${TRACKER}/issues/1/comments`, body: { body: expect.any(String) } },
      { method: "POST", path: `${TRACKER}/issues/1/labels`, body: { labels: ["stale"] } },
    ]);
    expect(comments().at(-1)).toMatch(/^@sarahboyce @jacobtylerwalls: this report has been open for 30 days/);
    expect(issue.labels).toContain("stale");

    // Day 33: shaib silent for 14 days → shaib. The app's escalation comment was not activity.
    ({ writes } = await sweepAt(issues, "2026-12-04T10:00:00Z"));
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${TRACKER}/issues/1/comments`]);
    expect(comments().at(-1)).toMatch(/^@shaib: no update from you here for 14 days/);
    expect((await sweepAt(issues, "2026-12-20T10:00:00Z")).writes).toEqual([]);

    // shaib posts: the stale label the escalation added goes, and nothing else is said.
    issue.comments.push(personComment("shaib", "2026-12-21T08:00:00Z"));
    ({ writes } = await sweepAt(issues, "2026-12-21T10:00:00Z"));
    expect(writes).toEqual([{ method: "DELETE", path: `${TRACKER}/issues/1/labels/stale`, body: undefined }]);
    expect(issue.labels).not.toContain("stale");

    // Months later, the owner silent again: each stage has spoken once, ever.
    expect((await sweepAt(issues, "2027-03-01T10:00:00Z")).writes).toEqual([]);
    const reminders = comments().flatMap((b) =>
      [...b.matchAll(/security-team:reminder:(\w+)/g)].map((m) => m[1]),
    );
    expect(reminders).toEqual(["acknowledge", "owner", "escalate", "idle"]);
  });

  it("says nothing when the last activity is the app's own (its reminders never restart a clock)", async () => {
    const issue = trackingIssue(2, "2026-11-01T10:00:00Z", {
      assignees: ["shaib"],
      comments: [
        ack("2026-11-01T11:00:00Z"),
        claim("shaib", "2026-11-01T11:00:00Z"),
        personComment("shaib", "2026-11-02T10:00:00Z"),
        appComment(
          "2026-11-16T10:00:00Z",
          "@shaib: no update from you here for 14 days.\n\n<!-- security-team:reminder:idle -->",
        ),
      ],
    });
    expect((await sweepAt([issue], "2026-11-25T10:00:00Z")).writes).toEqual([]);
  });

  it("trusts reminder markers only in the app's comments, not in a person's", async () => {
    const issue = trackingIssue(3, "2026-11-01T10:00:00Z", {
      comments: [
        personComment("mallory", "2026-11-02T10:00:00Z", "<!-- security-team:reminder:acknowledge -->"),
      ],
    });
    const { writes } = await sweepAt([issue], "2026-11-03T10:00:00Z");
    expect(writes).toHaveLength(1);
  });

  it("finds a reminder beyond the last 50 comments with a follow-up query for that issue only", async () => {
    const long = trackingIssue(4, "2026-11-01T10:00:00Z", {
      comments: [
        appComment("2026-11-03T10:00:00Z", "<!-- security-team:reminder:acknowledge -->"),
        ...Array.from({ length: 170 }, (_, i) =>
          personComment("reporter", new Date(Date.parse("2026-11-04T00:00:00Z") + i * 60_000).toISOString()),
        ),
      ],
    });
    const short = trackingIssue(5, "2026-11-20T10:00:00Z");
    const { writes } = await sweepAt([long, short], "2026-11-04T12:00:00Z");
    expect(writes).toEqual([]);
    const queries = recordedCalls().filter((c) => c.path === "/graphql");
    expect(queries.map((q) => (q.body as { query: string }).query.match(/query (\w+)/)?.[1])).toEqual([
      "OpenReports",
      "EarlierComments",
      "EarlierComments",
    ]);
  });

  it("ignores issues labelled by hand that the app did not create", async () => {
    const byHand = trackingIssue(6, "2026-10-01T10:00:00Z", { author: { login: "shaib", type: "User" } });
    const { writes, summary } = await sweepAt([byHand], "2026-11-22T12:00:00Z");
    expect(writes).toEqual([]);
    expect(summary.reports?.open).toBe(0);
  });
});

describe("sweepInstallation", () => {
  it("runs the steps in order and returns a summary", async () => {
    const order: string[] = [];
    steps.pollAdvisories.mockImplementation(async () => {
      order.push("advisories");
      return { open: 2, changed: 1, problems: [] };
    });
    steps.reconcileTeam.mockImplementation(async () => {
      order.push("team");
      return NOOP_SYNC;
    });
    steps.advanceReaffirmation.mockImplementation(async () => {
      order.push("reaffirmation");
      return ["nothing due"];
    });
    const { summary } = await sweepAt([trackingIssue(1, "2026-11-21T10:00:00Z")], "2026-11-22T12:00:00Z");
    expect(order).toEqual(["advisories", "team", "reaffirmation"]);
    expect(summary).toEqual({
      org: "django",
      dryRun: false,
      charter: "ok",
      advisories: { open: 2, changed: 1, problems: [] },
      team: NOOP_SYNC,
      reports: { open: 1, actions: [] },
      reaffirmation: ["nothing due"],
      terms: [],
      failures: [],
    });
  });

  it("logs a failing step and still runs the others", async () => {
    steps.pollAdvisories.mockRejectedValue(
      Object.assign(new Error("Server Error\nrequest…"), { status: 502 }),
    );
    const issue = trackingIssue(1, "2026-11-01T10:00:00Z");
    const { summary, writes } = await sweepAt([issue], "2026-11-03T10:00:00Z");
    expect(summary.failures).toEqual([{ step: "advisories", error: "Server Error" }]);
    expect(steps.reconcileTeam).toHaveBeenCalledOnce();
    expect(steps.advanceReaffirmation).toHaveBeenCalledOnce();
    expect(writes).toHaveLength(1);
  });

  it("records a 5xx on one reminder and still writes the others", async () => {
    const issues = [trackingIssue(1, "2026-11-01T10:00:00Z"), trackingIssue(2, "2026-11-01T10:00:00Z")];
    replyCharter(github());
    github().post(`${TRACKER}/issues/1/comments`).reply(502, { message: "Bad Gateway" });
    mockTracker(issues, { now: "2026-11-03T10:00:00Z" });
    const summary = await sweepInstallation(testRuntime("2026-11-03T10:00:00Z"), steps);
    expect(summary.reports?.actions.map((a) => [a.target, a.outcome])).toEqual([
      ["comment on django/security-reports#1", "failed"],
      ["comment on django/security-reports#2", "applied"],
    ]);
  });

  it("reports a GraphQL error (e.g. the tracker is gone) as a failed step", async () => {
    replyCharter(github());
    github()
      .post("/graphql")
      .reply(200, { data: { repository: null }, errors: [{ message: "Could not resolve to a Repository" }] });
    const summary = await sweepInstallation(testRuntime("2026-11-22T12:00:00Z"), steps);
    expect(summary.failures).toEqual([
      { step: "reports", error: "GraphQL: Could not resolve to a Repository" },
    ]);
    expect(steps.advanceReaffirmation).toHaveBeenCalledOnce();
    expect(recordedWrites()).toEqual([]);
  });

  it("acts on nothing when the charter is invalid", async () => {
    replyCharter(github(), EXAMPLE_CHARTER_TEXT.replace("version: 1", "version: 2"));
    const summary = await sweepInstallation(testRuntime("2026-11-22T12:00:00Z"), steps);
    expect(summary.charter).toBe("invalid");
    expect(summary.charterErrors?.[0]).toMatch(/^\.github\/security-charter\.yml:\d+:\d+: version/);
    expect(steps.pollAdvisories).not.toHaveBeenCalled();
    expect(steps.reconcileTeam).not.toHaveBeenCalled();
    expect(steps.advanceReaffirmation).not.toHaveBeenCalled();
    expect(recordedCalls().map((c) => c.path)).toEqual([expect.stringContaining("/contents/")]);
  });

  it("acts on nothing when the charter cannot be read", async () => {
    github()
      .get(/\/contents\//)
      .reply(500, { message: "Server Error" });
    const summary = await sweepInstallation(testRuntime("2026-11-22T12:00:00Z"), steps);
    expect(summary).toMatchObject({ charter: "unreadable", failures: [{ step: "charter" }] });
    expect(steps.pollAdvisories).not.toHaveBeenCalled();
  });

  it("in a dry run reads everything and writes nothing", async () => {
    replyCharter(github());
    mockTracker([trackingIssue(1, "2026-10-01T10:00:00Z")], { now: "2026-11-22T12:00:00Z" });
    const summary = await sweepInstallation(testRuntime("2026-11-22T12:00:00Z", { dryRun: true }), steps);
    expect(recordedWrites()).toEqual([]);
    expect(summary.reports?.actions).toEqual([
      {
        target: "comment on django/security-reports#1",
        why: "stale report: acknowledge, owner, escalate reminder",
        outcome: "planned",
      },
      {
        target: 'label django/security-reports#1 "stale"',
        why: "open more than 30 days",
        outcome: "planned",
      },
    ]);
  });
});
