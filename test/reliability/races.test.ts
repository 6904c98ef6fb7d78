import pino from "pino";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { createRuntime } from "../../src/context.js";
import { inProcessLocks } from "../../src/core/serialize.js";
import { pollAdvisories } from "../../src/reports/poll.js";
import { createTestApp } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT, exampleCharter, replyCharter } from "../helpers/charter.js";
import { charterPullAnswer } from "../helpers/charter-pull.js";
import { APP_ID, APP_LOGIN, github, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { advisoryPayload, example, payload, user } from "../helpers/payloads.js";
import { ADVISORY_REPO, reportAdvisory, TRACKER, trackingIssueData } from "../reports/fixtures.js";

/**
 * Two deliveries about the same object at the same moment: without serialization both handlers
 * read "no check run yet" before either writes, and both create one. Handlers for the same pull
 * request run one after another, so the second sees the first's run and has nothing to change.
 */

const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const REPO = "/repos/django/.github";
const ADD_ALICE = EXAMPLE_CHARTER_TEXT.replace(
  "\npolicy:",
  "  - login: alice\n    affiliation: Zapier\n    roles: [triager]\n    joined: 2026-12-01\n\npolicy:",
);

interface Run {
  id: number;
  conclusion: string;
  output: { title: string; summary: string };
}

/** The charter PR's GitHub, twice over, with check runs that exist once created; every read is slow. */
function mockCharterPullRequest(): Run[] {
  const runs: Run[] = [];
  const [listed] = exampleResponse("pulls/list") as Record<string, unknown>[];
  const [review] = exampleResponse("pulls/list-reviews") as Record<string, unknown>[];
  const [runTemplate] = (exampleResponse("checks/list-for-ref") as { check_runs: Record<string, unknown>[] })
    .check_runs;
  const { pull_request: _notAPull, ...nomination } = (
    example("issues", "opened") as { issue: Record<string, unknown> }
  ).issue;
  const scope = github();
  scope
    .post("/graphql")
    .times(2)
    .delay(50)
    .reply(200, charterPullAnswer(EXAMPLE_CHARTER_TEXT, ADD_ALICE))
    .get(`${REPO}/pulls`)
    .query({ state: "open", per_page: 100 })
    .times(2)
    .reply(200, [{ ...listed, number: 2, head: { ...(listed?.head as object), sha: HEAD_SHA } }])
    .get(`${REPO}/pulls/2/reviews`)
    .query({ per_page: 100 })
    .times(2)
    .reply(200, [{ ...review, id: 1, user: user("shaib"), state: "APPROVED", commit_id: HEAD_SHA }])
    .get(`${REPO}/issues/12`)
    .times(2)
    .reply(200, {
      ...nomination,
      repository_url: `https://api.github.com${REPO}`,
      number: 12,
      created_at: "2026-11-01T12:00:00Z",
      title: "Nominate @alice",
      user: user("felixxm"),
      state: "open",
      state_reason: null,
    })
    .get(`${REPO}/commits/${HEAD_SHA}/check-runs`)
    .query({ check_name: "charter", per_page: "100" })
    .times(2)
    .delay(50)
    .reply(200, () => ({
      total_count: runs.length,
      check_runs: runs.map((run) => ({
        ...runTemplate,
        ...run,
        name: "charter",
        head_sha: HEAD_SHA,
        output: { ...(runTemplate?.output as object), ...run.output },
        app: { ...(runTemplate?.app as object), id: APP_ID },
      })),
    }))
    .post(`${REPO}/check-runs`)
    .times(2)
    .delay(50)
    .reply(201, (_uri, body) => {
      const { conclusion, output } = body as Omit<Run, "id">;
      const run = { id: 555 + runs.length, conclusion, output };
      runs.push(run);
      return { ...runTemplate, ...run, app: { ...(runTemplate?.app as object), id: APP_ID } };
    });
  return runs;
}

function pullRequestEvent(action: "opened" | "synchronize") {
  return payload(
    "pull_request",
    action,
    {
      pull_request: {
        number: 2,
        state: "open",
        user: user("sarahboyce"),
        body: "Adds alice to the team.\n\nNomination: #12",
        head: { sha: HEAD_SHA },
        base: { sha: BASE_SHA, ref: "master" },
      },
      sender: user("sarahboyce"),
    },
    ".github",
  );
}

describe("simultaneous deliveries about the same object", () => {
  it("two pull request events for the charter PR at once make one `charter` check run", async () => {
    const app = await createTestApp();
    const runs = mockCharterPullRequest();
    await Promise.all([
      app.receive("pull_request", pullRequestEvent("opened")),
      app.receive("pull_request", pullRequestEvent("synchronize")),
    ]);
    const writes = recordedWrites().map((c) => [c.method, c.path]);
    expect(writes).toEqual([["POST", `${REPO}/check-runs`]]);
    expect(runs).toMatchObject([{ id: 555, conclusion: "success" }]);
    expect(inProcessLocks.size()).toBe(0); // the pull request's key was released
  });
});

const GHSA = "GHSA-aaaa-bbbb-cccc";

/** The tracker and the advisory, for a webhook intake and a poll at once: issues exist once created. */
function mockAdvisoryIntake(): unknown[] {
  const issues: unknown[] = [];
  const repo = exampleResponse("repos/get") as Record<string, unknown>;
  const scope = github();
  replyCharter(scope);
  scope
    .get(`${ADVISORY_REPO}/${GHSA}`)
    .reply(200, reportAdvisory())
    .get("/orgs/django/security-advisories")
    .query({ state: "triage", per_page: "100" })
    .delay(50)
    .reply(200, [reportAdvisory()])
    .get("/orgs/django/security-advisories")
    .query({ state: "draft", per_page: "100" })
    .reply(200, [])
    .get(TRACKER)
    .times(2)
    .reply(200, { ...repo, name: "security-reports", full_name: "django/security-reports", private: true })
    .get(`${TRACKER}/labels`)
    .query({ per_page: "100" })
    .reply(
      200,
      ["security-report", "claim", "needs-sign-off", "stale"].map((name, id) => ({ id, name })),
    )
    .get(`${TRACKER}/issues`)
    .query({ state: "all", per_page: "100" })
    .times(2)
    .delay(50)
    .reply(200, () => issues)
    .post(`${TRACKER}/issues`)
    .times(2)
    .delay(50)
    .reply(201, (_uri, posted) => {
      // As GitHub keeps it: the body the intake wrote, which already shows the advisory as it is now.
      const issue = {
        ...trackingIssueData({ number: 11 + issues.length, ghsa: GHSA, assignees: ["jacobtylerwalls"] }),
        body: (posted as { body: string }).body,
      };
      issues.push(issue);
      return issue;
    })
    .patch(`${ADVISORY_REPO}/${GHSA}`)
    .times(2)
    .reply(200, reportAdvisory());
  return issues;
}

describe("an advisory reported while the sweep polls it", () => {
  it("gets one tracking issue: the webhook's intake and the poll take the same key", async () => {
    const app = await createTestApp();
    const issues = mockAdvisoryIntake();
    const rt = createRuntime({
      octokit: new ProbotOctokit({
        auth: "test",
        retry: { enabled: false },
        throttle: { enabled: false },
      } as never),
      log: pino({ level: "silent" }),
      org: "django",
      env: { SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z" },
      self: async () => ({ appId: APP_ID, login: APP_LOGIN }),
      dryRun: false,
    });
    const [, polled] = await Promise.all([
      app.receive("repository_advisory", advisoryPayload("reported", reportAdvisory())),
      pollAdvisories(rt, exampleCharter()),
    ]);
    expect(issues).toHaveLength(1);
    expect(recordedWrites().filter((w) => w.method === "POST")).toHaveLength(1);
    expect(polled.problems).toEqual([]);
    expect(inProcessLocks.size()).toBe(0);
  });
});
