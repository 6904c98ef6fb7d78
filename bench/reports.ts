import nock from "nock";
import { createTestApp } from "../test/helpers/app.js";
import { replyCharter } from "../test/helpers/charter.js";
import { github, recordedCalls, resetRecording, takeInvalidRequests } from "../test/helpers/github.js";
import { advisoryPayload, payload, user } from "../test/helpers/payloads.js";
import {
  ADVISORY_REPO,
  appComment,
  replyTracker,
  reportAdvisory,
  TRACKER,
  trackingIssueData,
} from "../test/reports/fixtures.js";
import type { Benchmark } from "./types.js";

const GHSA = "GHSA-aaaa-bbbb-cccc";

interface Case {
  name: string;
  /** The fewest requests the outcome allows, and why. */
  floor: number;
  floorWhy: string;
  target?: number;
  run(): Promise<void>;
}

/** Requests the app makes for one event, counted on the same OpenAPI-checked nock mocks the tests use. */
async function count(run: () => Promise<void>): Promise<number> {
  resetRecording();
  await run();
  const invalid = await takeInvalidRequests();
  nock.cleanAll();
  if (invalid.length > 0) throw new Error(`invalid requests: ${invalid.join("; ")}`);
  return recordedCalls().length;
}

const existingIssue = () =>
  trackingIssueData({ number: 11, assignees: ["jacobtylerwalls"], labels: ["security-report", "claim"] });

const cases: Case[] = [
  {
    name: "intake: new private report (`reported`)",
    floor: 6,
    floorWhy:
      "charter, the advisory as it is now, tracker visibility, tracking-issue lookup; create issue, add team",
    target: 6,
    async run() {
      const app = await createTestApp();
      const scope = github();
      replyCharter(scope);
      scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
      replyTracker(scope);
      scope.post(`${TRACKER}/issues`).reply(201, existingIssue());
      scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
      await app.receive("repository_advisory", advisoryPayload("reported", reportAdvisory()));
    },
  },
  {
    name: "intake: the same report redelivered",
    floor: 4,
    floorWhy:
      "charter, the advisory as it is now, tracker visibility, tracking-issue lookup; nothing to write",
    async run() {
      const app = await createTestApp();
      const scope = github();
      replyCharter(scope);
      scope
        .get(`${ADVISORY_REPO}/${GHSA}`)
        .reply(200, reportAdvisory({ collaborating_teams: [{ slug: "django-security-team" }] }));
      replyTracker(scope, { issues: [existingIssue()] });
      await app.receive(
        "repository_advisory",
        advisoryPayload(
          "reported",
          reportAdvisory({ collaborating_teams: [{ slug: "django-security-team" }] }),
        ),
      );
    },
  },
  {
    name: "claim by label (tracking issue exists)",
    floor: 6,
    floorWhy:
      "charter, the issue (label still on?), advisory collaborators; assign + drop label (one PATCH), add collaborator, comment",
    target: 6,
    async run() {
      const app = await createTestApp();
      const scope = github();
      replyCharter(scope);
      scope.get(`${TRACKER}/issues/11`).reply(200, existingIssue());
      scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
      scope.patch(`${TRACKER}/issues/11`).reply(200, existingIssue());
      scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, reportAdvisory());
      scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
      await app.receive(
        "issues",
        payload("issues", "labeled", {
          issue: existingIssue(),
          label: { name: "claim" },
          sender: user("shaib"),
        }),
      );
    },
  },
  {
    name: "claim by a non-member (undone)",
    floor: 4,
    floorWhy: "charter, the issue (label still on?); remove label, comment",
    async run() {
      const app = await createTestApp();
      const scope = github();
      replyCharter(scope);
      scope.get(`${TRACKER}/issues/11`).reply(200, existingIssue());
      scope.delete(`${TRACKER}/issues/11/labels/claim`).reply(200, []);
      scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
      await app.receive(
        "issues",
        payload("issues", "labeled", {
          issue: existingIssue(),
          label: { name: "claim" },
          sender: user("mallory"),
        }),
      );
    },
  },
];

export const reportsBenchmark: Benchmark = {
  name: "reports",
  async run() {
    nock.disableNetConnect();
    const rows: string[] = [];
    for (const c of cases) {
      const requests = await count(c.run);
      const verdict = c.target === undefined ? "" : `≤ ${c.target} ${requests <= c.target ? "✅" : "❌"}`;
      rows.push(`| ${c.name} | ${requests} | ${c.floor} (${c.floorWhy}) | ${verdict} |`);
    }
    return {
      title: "Reports: requests per intake and per claim",
      command: "npm run bench -- reports",
      markdown: [
        "| case | requests | floor | target |",
        "| --- | --- | --- | --- |",
        ...rows,
        "",
        "Auth (installation token, `GET /app`) is not counted. Intake is one above the floor: it lists the",
        "tracker's labels so the labels the app uses exist; a sweep pays that once for every report.",
      ].join("\n"),
    };
  },
};
