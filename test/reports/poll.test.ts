import { Writable } from "node:stream";
import pino from "pino";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../src/context.js";
import { pollAdvisories } from "../../src/reports/poll.js";
import { createTestApp } from "../helpers/app.js";
import { exampleCharter, replyCharter } from "../helpers/charter.js";
import { API, APP_ID, APP_LOGIN, github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { advisoryPayload } from "../helpers/payloads.js";
import {
  ADVISORY_REPO,
  appComment,
  type IssueFixture,
  infoLog,
  replyTracker,
  reportAdvisory,
  SECRET_DESCRIPTION,
  SECRET_SUMMARY,
  TRACKER,
  trackingIssueData,
} from "./fixtures.js";

const charter = exampleCharter();
const LIST = "/orgs/django/security-advisories";
const TEAM = [{ slug: "django-security-team" }];

function runtime(): { rt: Runtime; logs: string[] } {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const octokit = new ProbotOctokit({
    auth: "test",
    retry: { enabled: false },
    throttle: { enabled: false },
  } as never) as InstanceType<typeof ProbotOctokit>;
  const rt = createRuntime({
    octokit,
    log: pino({ level: "info" }, stream),
    org: "django",
    env: { SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z" },
    self: async () => ({ appId: APP_ID, login: APP_LOGIN }),
    dryRun: false,
  });
  return { rt, logs };
}

const ghsa = (n: number) => `GHSA-aaaa-bbbb-000${n}`;
function listed(n: number, patch: Record<string, unknown> = {}) {
  return reportAdvisory({
    ghsa_id: ghsa(n),
    url: `https://api.github.com/repos/django/django/security-advisories/${ghsa(n)}`,
    html_url: `https://github.com/django/django/security/advisories/${ghsa(n)}`,
    collaborating_teams: TEAM,
    ...patch,
  });
}

function replyLists(scope: ReturnType<typeof github>, triage: unknown[], draft: unknown[]) {
  scope.get(LIST).query({ state: "triage", per_page: "100" }).reply(200, triage);
  scope.get(LIST).query({ state: "draft", per_page: "100" }).reply(200, draft);
}

const writes = () => recordedWrites().map((w) => `${w.method} ${w.path}`);
/** The PATCH that gives a tracking issue opened before "the advisory now" existed that section. */
const showing = (issue: IssueFixture, advisory: unknown) => ({
  body: trackingIssueData({ ...issue, shows: advisory }).body,
});
const bodies = () => recordedWrites().map((w) => w.body);

describe("pollAdvisories", () => {
  it("follows pagination, opens one issue per new report with triagers in turn, and adds the team", async () => {
    const { rt } = runtime();
    const scope = github();
    scope
      .get(LIST)
      .query({ state: "triage", per_page: "100" })
      .reply(200, [listed(1, { created_at: "2026-11-20T00:00:00Z" })], {
        link: `<${API}${LIST}?state=triage&per_page=100&after=Y3Vyc29y>; rel="next"`,
      })
      .get(LIST)
      .query({ state: "triage", per_page: "100", after: "Y3Vyc29y" })
      .reply(200, [listed(2, { created_at: "2026-11-21T00:00:00Z", collaborating_teams: [] })]);
    scope
      .get(LIST)
      .query({ state: "draft", per_page: "100" })
      .reply(200, [listed(3)]);
    replyTracker(scope, {
      issues: [trackingIssueData({ number: 9, ghsa: ghsa(3), triager: "shaib", assignees: ["shaib"] })],
    });
    scope
      .post(`${TRACKER}/issues`)
      .twice()
      .reply(201, trackingIssueData({ number: 10 }));
    scope.patch(`${ADVISORY_REPO}/${ghsa(2)}`).reply(200, listed(2));
    scope.patch(`${TRACKER}/issues/9`).reply(200, {});

    const outcome = await pollAdvisories(rt, charter);
    expect(outcome).toEqual({ open: 3, changed: 4, problems: [] });
    expect(writes()).toEqual([
      `POST ${TRACKER}/issues`,
      `POST ${TRACKER}/issues`,
      `PATCH ${ADVISORY_REPO}/${ghsa(2)}`,
      `PATCH ${TRACKER}/issues/9`,
    ]);
    // After shaib (issue #9) comes felixxm, then round to jacobtylerwalls; the oldest report first.
    expect(
      bodies()
        .slice(0, 2)
        .map((b) => [(b as { title: string }).title.slice(0, 19), (b as { assignees: string[] }).assignees]),
    ).toEqual([
      [ghsa(1), ["felixxm"]],
      [ghsa(2), ["jacobtylerwalls"]],
    ]);
    expect(bodies()[2]).toEqual({ collaborating_teams: ["django-security-team"] });
  });

  it("gives a tracking issue opened before it showed the advisory that section once; a second sweep writes nothing", async () => {
    const older = { number: 1, ghsa: ghsa(1), assignees: ["shaib"] };
    const stale = { number: 3, ghsa: ghsa(3), assignees: ["shaib"] };
    let issues = [
      trackingIssueData(older),
      // Positive control: a section that shows the advisory as it is now is left alone.
      trackingIssueData({ number: 2, ghsa: ghsa(2), assignees: ["shaib"], shows: listed(2) }),
      // And one that shows it as it was (a severity since changed) is brought up to date.
      trackingIssueData({ ...stale, shows: listed(3, { severity: "low" }) }),
    ];
    const sweep = (patches: number) => {
      const { rt } = runtime();
      const scope = github();
      replyLists(scope, [listed(1), listed(2), listed(3)], []);
      replyTracker(scope, { issues });
      if (patches > 0)
        scope
          .patch(/\/repos\/django\/security-reports\/issues\/\d+$/)
          .times(patches)
          .reply(200, (uri, posted) => {
            const number = Number(uri.split("/").pop());
            issues = issues.map((i) => (i.number === number ? { ...i, ...(posted as object) } : i));
            return issues.find((i) => i.number === number) ?? {};
          });
      return pollAdvisories(rt, charter);
    };

    expect(await sweep(2)).toEqual({ open: 3, changed: 2, problems: [] });
    expect(recordedWrites().map((w) => [`${w.method} ${w.path}`, w.body])).toEqual([
      [`PATCH ${TRACKER}/issues/1`, showing(older, listed(1))],
      [`PATCH ${TRACKER}/issues/3`, showing(stale, listed(3))],
    ]);
    expect(showing(older, listed(1)).body).toContain("| State | triage |\n| Severity | high |");

    expect(await sweep(0)).toEqual({ open: 3, changed: 0, problems: [] });
    expect(recordedWrites()).toHaveLength(2);
  });

  it("creates the labels the app uses when they are missing, with their colours", async () => {
    const { rt } = runtime();
    const scope = github();
    scope.get(LIST).query(true).times(2).reply(200, []);
    replyTracker(scope, { labels: ["security-report", "bug"] });
    scope.post(`${TRACKER}/labels`).times(3).reply(201, {});
    await pollAdvisories(rt, charter);
    expect(
      recordedWrites()
        .filter((w) => w.path === `${TRACKER}/labels`)
        .map((w) => w.body),
    ).toEqual([
      { name: "claim", color: "0e8a16", description: "Add to take ownership of this report" },
      { name: "needs-sign-off", color: "fbca04", description: "Waiting for a full member's /approve" },
      { name: "stale", color: "d93f0b", description: "Past the charter's deadlines" },
    ]);
  });

  it("changes nothing when everything is in line (the tracker is listed once)", async () => {
    const { rt } = runtime();
    const scope = github();
    replyLists(scope, [listed(1)], []);
    replyTracker(scope, {
      issues: [
        trackingIssueData({
          number: 9,
          ghsa: ghsa(1),
          triager: "shaib",
          assignees: ["shaib"],
          shows: listed(1),
        }),
        trackingIssueData({ number: 8, ghsa: ghsa(7), state: "closed" }),
      ],
    });
    expect(await pollAdvisories(rt, charter)).toEqual({ open: 1, changed: 0, problems: [] });
    expect(recordedWrites()).toEqual([]);
    expect(recordedCalls().filter((c) => c.path.startsWith(`${TRACKER}/issues`))).toHaveLength(1);
  });

  it("closes the issue of a closed advisory as not planned and of a published one as completed, acknowledging once", async () => {
    const { rt } = runtime();
    const scope = github();
    replyLists(scope, [], []);
    replyTracker(scope, {
      issues: [
        trackingIssueData({ number: 4, ghsa: ghsa(4), assignees: ["shaib"] }),
        trackingIssueData({ number: 5, ghsa: ghsa(5), assignees: ["shaib"], comments: 1 }),
      ],
    });
    scope.get(`${ADVISORY_REPO}/${ghsa(4)}`).reply(200, listed(4, { state: "closed" }));
    scope.get(`${ADVISORY_REPO}/${ghsa(5)}`).reply(200, listed(5, { state: "published" }));
    scope
      .get(`${TRACKER}/issues/5/comments`)
      .query({ per_page: "100" })
      .reply(200, [appComment(1, "<!-- security-team:ack -->")]);
    scope
      .patch(/\/repos\/django\/security-reports\/issues\/\d+$/)
      .times(2)
      .reply(200, {});
    scope
      .post(/\/repos\/django\/security-reports\/issues\/\d+\/comments$/)
      .times(3)
      .reply(201, appComment(2, "x"));

    const outcome = await pollAdvisories(rt, charter);
    expect(outcome).toEqual({ open: 0, changed: 2, problems: [] });
    expect(recordedWrites().map((w) => [`${w.method} ${w.path}`, w.body])).toEqual([
      [
        `PATCH ${TRACKER}/issues/4`,
        {
          ...showing({ number: 4, ghsa: ghsa(4), assignees: ["shaib"] }, listed(4, { state: "closed" })),
          state: "closed",
          state_reason: "not_planned",
        },
      ],
      [
        `POST ${TRACKER}/issues/4/comments`,
        {
          body: "The advisory is closed without being published. Closing this tracking issue as not planned.\n\n<!-- security-team:mirror:closed -->",
        },
      ],
      [
        `POST ${TRACKER}/issues/4/comments`,
        {
          body: "The advisory left triage (it is `closed` now): this report counts as acknowledged.\n\n<!-- security-team:ack -->",
        },
      ],
      [
        `PATCH ${TRACKER}/issues/5`,
        {
          ...showing({ number: 5, ghsa: ghsa(5), assignees: ["shaib"] }, listed(5, { state: "published" })),
          state: "closed",
          state_reason: "completed",
        },
      ],
      [
        `POST ${TRACKER}/issues/5/comments`,
        {
          body: `The advisory was published: https://github.com/django/django/security/advisories/${ghsa(5)}. Closing this tracking issue as completed.\n\n<!-- security-team:mirror:closed -->`,
        },
      ],
    ]);
  });

  describe("a published advisory's open tracking issue", () => {
    const published = listed(5, { state: "published", cve_id: "CVE-2026-1234" });
    const acked = { number: 5, ghsa: ghsa(5), assignees: ["shaib"], comments: 1 };
    const closing = {
      body: `The advisory was published: https://github.com/django/django/security/advisories/${ghsa(5)}. Closing this tracking issue as completed.\n\n<!-- security-team:mirror:closed -->`,
    };
    /** One sweep against a tracker that keeps what the app PATCHes; the issue's advisory left the lists. */
    const sweep = (issues: ReturnType<typeof trackingIssueData>[]) => {
      const { rt } = runtime();
      const scope = github();
      replyLists(scope, [], []);
      replyTracker(scope, { issues });
      scope.get(`${ADVISORY_REPO}/${ghsa(5)}`).reply(200, published);
      scope
        .get(`${TRACKER}/issues/5/comments`)
        .query({ per_page: "100" })
        .reply(200, [appComment(1, "<!-- security-team:ack -->")]);
      scope.patch(`${TRACKER}/issues/5`).reply(200, (_uri, posted) => {
        issues[0] = { ...(issues[0] as ReturnType<typeof trackingIssueData>), ...(posted as object) };
        return issues[0];
      });
      scope.post(`${TRACKER}/issues/5/comments`).reply(201, appComment(2, "x"));
      return pollAdvisories(rt, charter);
    };
    const sent = () => recordedWrites().map((w) => [`${w.method} ${w.path}`, w.body]);

    it.each([
      ["without the advisory's section (opened before it existed)", undefined],
      ["showing the advisory as the draft it was", listed(5, { state: "draft" })],
    ])("%s: one PATCH writes the section and closes it; a second sweep writes nothing", async (_, shows) => {
      const issues = [trackingIssueData({ ...acked, shows })];
      expect(await sweep(issues)).toEqual({ open: 0, changed: 1, problems: [] });
      const body = trackingIssueData({ ...acked, shows: published }).body;
      expect(body).toContain("| State | published |\n| Severity | high |");
      expect(body).toContain("| CVE | CVE-2026-1234 |");
      expect(sent()).toEqual([
        [`PATCH ${TRACKER}/issues/5`, { body, state: "closed", state_reason: "completed" }],
        [`POST ${TRACKER}/issues/5/comments`, closing],
      ]);
      expect(issues[0]?.state).toBe("closed");

      expect(await sweep(issues)).toEqual({ open: 0, changed: 0, problems: [] });
      expect(recordedWrites()).toHaveLength(2);
    });

    it("already showing it published: the one PATCH only closes", async () => {
      const issues = [trackingIssueData({ ...acked, shows: published })];
      expect(await sweep(issues)).toEqual({ open: 0, changed: 1, problems: [] });
      expect(sent()).toEqual([
        [`PATCH ${TRACKER}/issues/5`, { state: "closed", state_reason: "completed" }],
        [`POST ${TRACKER}/issues/5/comments`, closing],
      ]);
      expect(await sweep(issues)).toEqual({ open: 0, changed: 0, problems: [] });
      expect(recordedWrites()).toHaveLength(2);
    });
  });

  it("reopens an issue the app closed when its advisory is back in triage; leaves one closed by hand", async () => {
    const { rt } = runtime();
    const scope = github();
    replyLists(scope, [listed(1), listed(2)], []);
    replyTracker(scope, {
      issues: [
        trackingIssueData({ number: 9, ghsa: ghsa(1), state: "closed", assignees: ["shaib"], comments: 1 }),
        trackingIssueData({ number: 10, ghsa: ghsa(2), state: "closed", assignees: ["shaib"] }),
      ],
    });
    scope
      .get(`${TRACKER}/issues/9/comments`)
      .query({ per_page: "100" })
      .reply(200, [appComment(1, "Closing.\n\n<!-- security-team:mirror:closed -->")]);
    scope.patch(`${TRACKER}/issues/9`).reply(200, {});
    scope.patch(`${TRACKER}/issues/10`).reply(200, {});
    scope.post(`${TRACKER}/issues/9/comments`).reply(201, appComment(2, "x"));
    const outcome = await pollAdvisories(rt, charter);
    expect(outcome.changed).toBe(2);
    expect(outcome.problems).toEqual([
      "django/security-reports#10 is closed but its advisory is still in triage",
    ]);
    expect(recordedWrites().map((w) => [`${w.method} ${w.path}`, w.body])).toEqual([
      [
        `PATCH ${TRACKER}/issues/9`,
        {
          ...showing({ number: 9, ghsa: ghsa(1), state: "closed", assignees: ["shaib"] }, listed(1)),
          state: "open",
          state_reason: "reopened",
        },
      ],
      [
        `POST ${TRACKER}/issues/9/comments`,
        {
          body: "The advisory is back in `triage`, so this tracking issue is open again.\n\n<!-- security-team:mirror:reopened -->",
        },
      ],
      [
        `PATCH ${TRACKER}/issues/10`,
        showing({ number: 10, ghsa: ghsa(2), state: "closed", assignees: ["shaib"] }, listed(2)),
      ],
    ]);
  });

  it("acknowledges a report whose advisory left triage for draft, once", async () => {
    const { rt } = runtime();
    const scope = github();
    replyLists(scope, [], [listed(1, { state: "draft" }), listed(2, { state: "draft" })]);
    replyTracker(scope, {
      issues: [
        trackingIssueData({ number: 1, ghsa: ghsa(1), assignees: ["shaib"] }),
        trackingIssueData({ number: 2, ghsa: ghsa(2), assignees: ["shaib"], comments: 2 }),
      ],
    });
    scope
      .get(`${TRACKER}/issues/2/comments`)
      .query({ per_page: "100" })
      .reply(200, [appComment(1, "claimed\n\n<!-- security-team:ack -->"), appComment(2, "hello")]);
    scope.post(`${TRACKER}/issues/1/comments`).reply(201, appComment(3, "x"));
    await pollAdvisories(rt, charter);
    expect(writes()).toEqual([`POST ${TRACKER}/issues/1/comments`]);
  });

  it("reports an acknowledged report without an owner, and comments about it only once", async () => {
    const poll = async (comments: unknown[], shows?: unknown) => {
      const { rt } = runtime();
      const scope = github();
      replyLists(scope, [listed(1)], []);
      replyTracker(scope, {
        issues: [trackingIssueData({ number: 1, ghsa: ghsa(1), comments: comments.length, shows })],
      });
      scope.get(`${TRACKER}/issues/1/comments`).query({ per_page: "100" }).reply(200, comments);
      scope.patch(`${TRACKER}/issues/1`).reply(200, {});
      scope.post(`${TRACKER}/issues/1/comments`).reply(201, appComment(3, "x"));
      return pollAdvisories(rt, charter);
    };
    const first = await poll([appComment(1, "Acknowledged by @shaib.\n\n<!-- security-team:ack -->")]);
    expect(first.problems).toEqual(["django/security-reports#1 is acknowledged but has no owner"]);
    expect(bodies()).toEqual([
      showing({ number: 1, ghsa: ghsa(1), comments: 1 }, listed(1)),
      {
        body: "@jacobtylerwalls @shaib @felixxm: this report is acknowledged but has no owner. Add the `claim` label or comment `/claim` to take it.\n\n<!-- security-team:no-owner -->",
      },
    ]);
    const second = await poll(
      [appComment(1, "<!-- security-team:ack -->"), appComment(2, "<!-- security-team:no-owner -->")],
      listed(1),
    );
    expect(second.problems).toHaveLength(1);
    expect(recordedWrites()).toHaveLength(2);
  });

  it("writes nothing to a public tracker and reports it without report details", async () => {
    const { rt, logs } = runtime();
    const scope = github();
    replyLists(scope, [listed(1, { collaborating_teams: [] })], []);
    replyTracker(scope, { private: false });
    scope.patch(`${ADVISORY_REPO}/${ghsa(1)}`).reply(200, listed(1));
    const outcome = await pollAdvisories(rt, charter);
    expect(outcome.problems).toEqual([
      "the tracker repository django/security-reports is not private: nothing was written there (make it private)",
    ]);
    expect(writes()).toEqual([`PATCH ${ADVISORY_REPO}/${ghsa(1)}`]);
    for (const call of recordedCalls()) {
      expect(JSON.stringify(call.body ?? "")).not.toContain(SECRET_SUMMARY);
      expect(JSON.stringify(call.body ?? "")).not.toContain(SECRET_DESCRIPTION);
    }
    expect(infoLog(logs)).toContain("not private");
    expect(logs.join("\n")).not.toContain(SECRET_SUMMARY);
  });

  it("carries on past a 5xx reading one advisory, and reports it", async () => {
    const { rt } = runtime();
    const scope = github();
    replyLists(scope, [], []);
    replyTracker(scope, {
      issues: [
        trackingIssueData({ number: 4, ghsa: ghsa(4), assignees: ["shaib"] }),
        trackingIssueData({ number: 5, ghsa: ghsa(5), assignees: ["shaib"] }),
      ],
    });
    scope.get(`${ADVISORY_REPO}/${ghsa(4)}`).reply(502, { message: "Bad Gateway" });
    scope.get(`${ADVISORY_REPO}/${ghsa(5)}`).reply(200, listed(5, { state: "published" }));
    scope.patch(`${TRACKER}/issues/5`).reply(200, {});
    scope.post(`${TRACKER}/issues/5/comments`).twice().reply(201, appComment(2, "x"));
    const outcome = await pollAdvisories(rt, charter);
    expect(outcome.problems).toEqual(["cannot read the advisory of tracking issue #4 (HTTP 502)"]);
    expect(writes()).toEqual([
      `PATCH ${TRACKER}/issues/5`,
      `POST ${TRACKER}/issues/5/comments`,
      `POST ${TRACKER}/issues/5/comments`,
    ]);
  });

  it("writes nothing to the tracker when its issue list fails (5xx), but still adds the team", async () => {
    const { rt } = runtime();
    const scope = github();
    replyLists(scope, [listed(1, { collaborating_teams: [] })], []);
    scope.get(TRACKER).reply(200, { ...(exampleResponse("repos/get") as object), private: true });
    scope.get(`${TRACKER}/labels`).query(true).reply(200, []);
    scope.get(`${TRACKER}/issues`).query(true).reply(503, { message: "Service Unavailable" });
    scope.patch(`${ADVISORY_REPO}/${ghsa(1)}`).reply(200, listed(1));
    const outcome = await pollAdvisories(rt, charter);
    expect(outcome.problems).toEqual([
      "cannot list the issues of django/security-reports (HTTP 503): nothing was written there",
    ]);
    expect(writes()).toEqual([`PATCH ${ADVISORY_REPO}/${ghsa(1)}`]);
  });

  it("changes nothing when the advisory list fails", async () => {
    const { rt } = runtime();
    const scope = github();
    scope.get(LIST).query(true).reply(500, { message: "boom" });
    expect(await pollAdvisories(rt, charter)).toEqual({
      open: 0,
      changed: 0,
      problems: ["cannot list the org's security advisories (HTTP 500): nothing changed"],
    });
    expect(recordedWrites()).toEqual([]);
  });
});

describe("repository_advisory.published", () => {
  it("closes the tracking issue as completed, its status section showing the advisory published, in one PATCH", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    const issue = { number: 11, assignees: ["shaib"], comments: 1 };
    const draft = reportAdvisory({ state: "draft" });
    const published = reportAdvisory({ state: "published" });
    replyTracker(scope, { issues: [trackingIssueData({ ...issue, shows: draft })] });
    scope
      .get(`${TRACKER}/issues/11/comments`)
      .query({ per_page: "100" })
      .reply(200, [appComment(1, "<!-- security-team:ack -->")]);
    scope.patch(`${TRACKER}/issues/11`).reply(200, {});
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(2, "x"));
    await app.receive("repository_advisory", advisoryPayload("published", published));
    expect(bodies()).toEqual([
      { ...showing(issue, published), state: "closed", state_reason: "completed" },
      {
        body: "The advisory was published: https://github.com/django/django/security/advisories/GHSA-aaaa-bbbb-cccc. Closing this tracking issue as completed.\n\n<!-- security-team:mirror:closed -->",
      },
    ]);
    expect(showing(issue, published).body).not.toBe(showing(issue, draft).body);
  });
});
