import pino from "pino";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import type { Action } from "../../src/core/actions.js";
import { createDryRunExecutor, createExecutor } from "../../src/core/executor.js";
import { graphQLRateLimitWait, rateLimitWait, retryRateLimits } from "../../src/core/ratelimit.js";
import { github, recordedCalls } from "../helpers/github.js";

const log = pino({ level: "silent" });
const repo = { owner: "django", repo: "security-reports" };
const octokit = () =>
  new ProbotOctokit({
    auth: "test",
    retry: { enabled: false },
    throttle: { enabled: false },
  } as never) as InstanceType<typeof ProbotOctokit>;

const actions: Action[] = [
  {
    kind: "team.add",
    org: "django",
    team: "security",
    login: "alice",
    role: "member",
    why: "in the charter",
  },
  { kind: "issue.comment", repo, number: 7, body: "hello", why: "test" },
];

describe("executor", () => {
  it("in dry-run describes the plan and sends nothing (network is closed: any request would throw)", async () => {
    const results = await createDryRunExecutor({ log }).apply(actions);
    expect(results.map((r) => r.outcome)).toEqual(["planned", "planned"]);
    expect(recordedCalls()).toEqual([]);
  });

  it("turns each action into exactly one request, in order", async () => {
    github()
      .put("/orgs/django/teams/security/memberships/alice", { role: "member" })
      .reply(200, { url: "", role: "member", state: "active" })
      .post("/repos/django/security-reports/issues/7/comments", { body: "hello" })
      .reply(201, { id: 1 });
    const results = await createExecutor(octokit(), { log }).apply(actions);
    expect(results.map((r) => r.outcome)).toEqual(["applied", "applied"]);
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
      "PUT /orgs/django/teams/security/memberships/alice",
      "POST /repos/django/security-reports/issues/7/comments",
    ]);
  });

  it("records a failure and still applies the rest", async () => {
    github()
      .put("/orgs/django/teams/security/memberships/alice")
      .reply(422, { message: "Validation Failed" })
      .post("/repos/django/security-reports/issues/7/comments")
      .reply(201, { id: 1 });
    const results = await createExecutor(octokit(), { log }).apply(actions);
    expect(results.map((r) => [r.outcome, r.status])).toEqual([
      ["failed", 422],
      ["applied", undefined],
    ]);
  });

  it("with the rate-limit hook, waits and retries after a secondary rate limit (GitHub did not perform it)", async () => {
    const waits: number[] = [];
    github()
      .put("/orgs/django/teams/security/memberships/alice")
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "7" })
      .put("/orgs/django/teams/security/memberships/alice")
      .reply(200, { url: "", role: "member", state: "active" });
    const client = retryRateLimits(octokit(), { log, sleep: async (ms) => void waits.push(ms) });
    const executor = createExecutor(client, { log });
    const [result] = await executor.apply([actions[0] as Action]);
    expect(result?.outcome).toBe("applied");
    expect(waits).toEqual([7000]);
  });

  it("does not retry a permission error", async () => {
    github()
      .put("/orgs/django/teams/security/memberships/alice")
      .reply(403, { message: "Resource not accessible by integration" });
    const client = retryRateLimits(octokit(), { log, sleep: async () => {} });
    const [result] = await createExecutor(client, { log }).apply([actions[0] as Action]);
    expect(result).toMatchObject({ outcome: "failed", status: 403 });
  });

  it("sends check annotations 50 at a time", async () => {
    const annotations = Array.from({ length: 120 }, (_, i) => ({
      path: "charter.yml",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "failure" as const,
      message: `problem ${i}`,
    }));
    const sizes: number[] = [];
    github()
      .post("/repos/django/.github/check-runs", (b) => sizes.push(b.output.annotations.length) > 0)
      .reply(201, { id: 99 })
      .patch("/repos/django/.github/check-runs/99", (b) => sizes.push(b.output.annotations.length) > 0)
      .twice()
      .reply(200, { id: 99 });
    await createExecutor(octokit(), { log }).apply([
      {
        kind: "check.create",
        repo: { owner: "django", repo: ".github" },
        name: "charter",
        headSha: "a".repeat(40),
        conclusion: "failure",
        output: { title: "invalid", summary: "x", annotations },
        why: "test",
      },
    ]);
    expect(sizes).toEqual([50, 50, 20]);
  });

  it("built without the app's identity, finishes on an existing branch only when it carries nothing beyond its base", async () => {
    const charterRepo = { owner: "django", repo: ".github" };
    const pull: Action = {
      kind: "pull.createWithFile",
      repo: charterRepo,
      base: "main",
      branch: "security-team/term-end-2026-12-10",
      path: ".github/security-charter.yml",
      content: "members: []\n",
      commitMessage: "Term ended on 2026-12-10",
      title: "Term ended",
      body: "",
      why: "test",
    };
    const [base, tip] = ["a".repeat(40), "b".repeat(40)];
    const ref = (sha: string) => ({
      ref: "",
      node_id: "",
      url: "",
      object: { type: "commit", sha, url: "" },
    });
    const signedByTheApp = {
      sha: tip,
      commit: { verification: { verified: true } },
      author: { login: "security-team[bot]" },
      committer: { login: "security-team[bot]" },
    };
    github()
      .get("/repos/django/.github/git/ref/heads%2Fmain")
      .reply(200, ref(base))
      .post("/repos/django/.github/git/refs")
      .reply(422, { message: "Reference already exists" })
      .get("/repos/django/.github/git/ref/heads%2Fsecurity-team%2Fterm-end-2026-12-10")
      .reply(200, ref(tip))
      .get(`/repos/django/.github/compare/${base}...${tip}`)
      .reply(200, { status: "ahead", ahead_by: 1, behind_by: 0, commits: [signedByTheApp], files: [] });
    const [result] = await createExecutor(octokit(), { log }).apply([pull]);
    expect(result).toMatchObject({
      outcome: "failed",
      error:
        "a branch security-team/term-end-2026-12-10 already exists that the app did not create: delete or rename it",
    });
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /repos/django/.github/git/ref/heads%2Fmain",
      "POST /repos/django/.github/git/refs",
      "GET /repos/django/.github/git/ref/heads%2Fsecurity-team%2Fterm-end-2026-12-10",
      `GET /repos/django/.github/compare/${base}...${tip}`,
    ]);
  });

  it("retries rate-limited reads too, and gives up after three retries", async () => {
    const waits: number[] = [];
    github()
      .get("/orgs/django/teams/security/members")
      .times(4)
      .reply(429, { message: "slow down" }, { "retry-after": "1" });
    const client = retryRateLimits(octokit(), { log, sleep: async (ms) => void waits.push(ms) });
    await expect(
      client.rest.teams.listMembersInOrg({ org: "django", team_slug: "security" }),
    ).rejects.toMatchObject({
      status: 429,
    });
    expect(waits).toEqual([1000, 1000, 1000]);
  });

  it("computes waits from retry-after, reset, or a one-minute default", () => {
    const err = (status: number, message: string, headers: Record<string, string>) =>
      Object.assign(new Error(message), { status, response: { headers } });
    expect(rateLimitWait(err(429, "slow down", { "retry-after": "3" }))).toBe(3000);
    expect(
      rateLimitWait(
        err(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "100" }),
        40_000,
      ),
    ).toBe(60_000);
    expect(rateLimitWait(err(403, "secondary rate limit", {}))).toBe(60_000);
    expect(rateLimitWait(err(403, "Must have admin rights", {}))).toBeUndefined();
    expect(rateLimitWait(err(500, "boom", {}))).toBeUndefined();
  });

  it("reads GraphQL's rate limit from a 200 answer's errors, and nothing else as one", () => {
    const limited = JSON.stringify({
      data: null,
      errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }],
    });
    expect(graphQLRateLimitWait(limited, { "x-ratelimit-reset": "100" }, 40_000)).toBe(60_000);
    expect(graphQLRateLimitWait(limited, {})).toBe(60_000);
    const mention = JSON.stringify({ data: { repository: { issue: { body: "RATE_LIMITED" } } } });
    expect(graphQLRateLimitWait(mention, {})).toBeUndefined();
    expect(graphQLRateLimitWait("RATE_LIMITED, not JSON", {})).toBeUndefined();
  });
});
