import nock from "nock";
import { createTestApp } from "../test/helpers/app.js";
import { replyCharter } from "../test/helpers/charter.js";
import { github, recordedCalls, resetRecording, takeInvalidRequests } from "../test/helpers/github.js";
import { advisoryPayload, payload, user } from "../test/helpers/payloads.js";
import {
  ADVISORY_REPO,
  appComment,
  replyIssueWithCharter,
  replyTracker,
  reportAdvisory,
  TRACKER,
  trackingIssueData,
} from "../test/reports/fixtures.js";

const GHSA = "GHSA-aaaa-bbbb-cccc";

/**
 * Requests the app makes for one report event, counted on the same OpenAPI-checked nock mocks the
 * tests use, next to the fewest requests the outcome allows. Auth (installation token, `GET /app`)
 * is not counted: both are fetched once and cached.
 */

interface Case {
  name: string;
  /** The fewest requests the outcome allows, and why. */
  floor: number;
  floorWhy: string;
  run(): Promise<void>;
}

export interface CaseRequests {
  name: string;
  requests: number;
  floor: number;
  floorWhy: string;
}

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
    floor: 5,
    floorWhy:
      "charter and the issue (label still on?) in one GraphQL query, advisory collaborators; assign + drop label (one PATCH), add collaborator, comment",
    async run() {
      const app = await createTestApp();
      const scope = github();
      replyIssueWithCharter(scope, existingIssue());
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
    floor: 3,
    floorWhy: "charter and the issue (label still on?) in one GraphQL query; remove label, comment",
    async run() {
      const app = await createTestApp();
      const scope = github();
      replyIssueWithCharter(scope, existingIssue());
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

export async function reportRequests(): Promise<CaseRequests[]> {
  nock.disableNetConnect();
  try {
    const rows: CaseRequests[] = [];
    for (const c of cases) rows.push({ ...c, requests: await count(c.run) });
    return rows;
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
  }
}
