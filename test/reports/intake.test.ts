import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { charterText, exampleCharter, replyCharter } from "../helpers/charter.js";
import { github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { advisoryPayload } from "../helpers/payloads.js";
import {
  ADVISORY_REPO,
  infoLog,
  replyTracker,
  reportAdvisory,
  SECRET_DESCRIPTION,
  SECRET_SUMMARY,
  TRACKER,
  trackingIssueData,
} from "./fixtures.js";

const GHSA = "GHSA-aaaa-bbbb-cccc";
const reported = (patch: Record<string, unknown> = {}) =>
  advisoryPayload("reported", { ...reportAdvisory(), ...patch });

/** The event, and the advisory as GitHub answers when the app reads it fresh. */
async function receiveReported(
  app: Awaited<ReturnType<typeof createTestApp>>,
  scope: ReturnType<typeof github>,
  patch: Record<string, unknown> = {},
) {
  scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, { ...reportAdvisory(), ...patch });
  await app.receive("repository_advisory", reported(patch));
}

function createdIssue(number = 11) {
  return trackingIssueData({ number, triager: "jacobtylerwalls", assignees: ["jacobtylerwalls"] });
}

describe("repository_advisory.reported", () => {
  it("opens one tracking issue with the report's details, assigns a triager and adds the team", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTracker(scope);
    scope.post(`${TRACKER}/issues`).reply(201, createdIssue());
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
    await receiveReported(app, scope);

    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /repos/django/.github/contents/.github%2Fsecurity-charter.yml",
      `GET /repos/django/django/security-advisories/${GHSA}`,
      "GET /repos/django/security-reports",
      "GET /repos/django/security-reports/issues?state=all&per_page=100",
      "POST /repos/django/security-reports/issues",
      `PATCH /repos/django/django/security-advisories/${GHSA}`,
    ]);
    const [create, patch] = recordedWrites();
    const body = create?.body as { title: string; body: string; labels: string[]; assignees: string[] };
    expect(body.title).toBe(`${GHSA}: ${SECRET_SUMMARY}`);
    expect(body.labels).toEqual(["security-report"]);
    expect(body.assignees).toEqual(["jacobtylerwalls"]);
    await expect(body.body).toMatchFileSnapshot("__golden__/tracking-issue.md");
    expect(patch?.body).toEqual({ collaborating_teams: ["django-security-team"] });
    expect(infoLog(app.logs)).not.toContain(SECRET_SUMMARY);
  });

  it("opens no second issue when the same report is delivered again", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTracker(scope);
    scope.post(`${TRACKER}/issues`).reply(201, createdIssue());
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
    await receiveReported(app, scope);

    // The redelivery finds the issue by its GHSA marker; the team is on the advisory by now.
    replyCharter(scope);
    replyTracker(scope, { issues: [createdIssue()] });
    await receiveReported(app, scope, {
      collaborating_teams: [{ slug: "django-security-team", name: "django-security-team" }],
    });
    expect(recordedWrites().filter((w) => w.path === `${TRACKER}/issues`)).toHaveLength(1);
    expect(recordedWrites()).toHaveLength(2);
  });

  it("does not trust a GHSA marker in an issue someone else wrote", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTracker(scope, { issues: [trackingIssueData({ number: 3, author: "mallory" })] });
    scope.post(`${TRACKER}/issues`).reply(201, createdIssue());
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
    await receiveReported(app, scope);
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toContain(`POST ${TRACKER}/issues`);
  });

  it("does not list or create labels on a webhook intake (the sweep's poll does)", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTracker(scope, { labels: [] });
    scope.post(`${TRACKER}/issues`).reply(201, createdIssue());
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
    await receiveReported(app, scope);
    expect(recordedCalls().filter((c) => c.path.includes("/labels"))).toEqual([]);
  });

  it("keeps the advisory's other collaborating teams and leaves its users alone", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTracker(scope, { issues: [createdIssue()] });
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
    await receiveReported(app, scope, {
      collaborating_teams: [{ slug: "django-releasers", name: "Django releasers" }],
      collaborating_users: [{ login: "outside-expert" }],
    });
    expect(recordedWrites().map((w) => w.body)).toEqual([
      { collaborating_teams: ["django-releasers", "django-security-team"] },
    ]);
  });

  it("writes nothing to a public tracker and keeps report text out of every request and the log", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTracker(scope, { private: false });
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
    await receiveReported(app, scope);

    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH /repos/django/django/security-advisories/${GHSA}`,
    ]);
    expect(
      recordedCalls()
        .filter((c) => c.path.startsWith(TRACKER))
        .map((c) => c.method),
    ).toEqual(["GET"]);
    for (const call of recordedCalls()) {
      expect(JSON.stringify(call.body ?? "")).not.toContain("SQL injection");
      expect(JSON.stringify(call.body ?? "")).not.toContain("OR 1=1");
    }
    const log = infoLog(app.logs);
    expect(log).toContain("not private");
    expect(log).not.toContain(SECRET_SUMMARY);
    expect(log).not.toContain(SECRET_DESCRIPTION);
  });

  it("still adds the team when creating the issue fails with a 5xx, and logs no report text", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTracker(scope);
    scope.post(`${TRACKER}/issues`).reply(502, { message: "Bad Gateway" });
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
    await expect(receiveReported(app, scope)).rejects.toThrow(); // a failed write fails the delivery
    expect(recordedWrites().map((w) => w.method)).toEqual(["POST", "PATCH"]);
    const log = infoLog(app.logs);
    expect(log).toContain("github write failed");
    expect(log).not.toContain(SECRET_SUMMARY);
  });

  it("assigns the triager after the last one, skipping the reporter and unavailable members", async () => {
    // Triagers in charter order: jacobtylerwalls, shaib, felixxm. The last report went to jacobtylerwalls;
    // shaib is unavailable and felixxm reported this one, so it wraps round to jacobtylerwalls.
    const charter = exampleCharter();
    const shaib = charter.members.find((m) => m.login === "shaib");
    if (shaib) shaib.unavailable = true;
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope, charterText(charter));
    replyTracker(scope, {
      issues: [
        trackingIssueData({
          number: 5,
          ghsa: "GHSA-xxxx-0000-0001",
          triager: "felixxm",
          created_at: "2026-10-01T00:00:00Z",
        }),
        trackingIssueData({
          number: 6,
          ghsa: "GHSA-xxxx-0000-0002",
          triager: "jacobtylerwalls",
          created_at: "2026-11-01T00:00:00Z",
        }),
      ],
    });
    scope.post(`${TRACKER}/issues`).reply(201, createdIssue(7));
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
    await receiveReported(app, scope, {
      author: null,
      credits_detailed: [{ user: { login: "felixxm" }, type: "reporter", state: "accepted" }],
    });
    const create = recordedWrites().find((w) => w.path === `${TRACKER}/issues`);
    expect((create?.body as { assignees: string[] }).assignees).toEqual(["jacobtylerwalls"]);
  });
});
