import { describe, expect, it } from "vitest";
import { normalizeState, type Review } from "../../src/github/reviews.js";
import {
  needsSignoffCheck,
  type PullSnapshot,
  planSignoffCheck,
  signoffVerdict,
} from "../../src/signoff/pulls.js";
import { createTestApp } from "../helpers/app.js";
import { exampleCharter, replyCharter, TEST_NOW } from "../helpers/charter.js";
import { APP_ID, github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { merge, payload, user } from "../helpers/payloads.js";

const HEAD = "1111111111111111111111111111111111111111";
const OLD = "0000000000000000000000000000000000000000";
const charter = exampleCharter();
const repo = { owner: "django", repo: "security-reports" };

/** A review as the handler reads it from REST (uppercase state). */
const review = (login: string, state: string, commitId: string): Review => ({
  id: 1,
  login,
  state: normalizeState(state),
  body: "",
  commitId,
});

const pull = (patch: Partial<PullSnapshot> = {}): PullSnapshot => ({
  repo,
  author: "newperson",
  headSha: HEAD,
  reviews: [],
  ...patch,
});

describe("signoffVerdict", () => {
  it("fails an onboarding member's PR until a full member approves the current head", () => {
    expect(signoffVerdict(charter, pull(), TEST_NOW)).toMatchObject({
      conclusion: "failure",
      output: { title: "Needs a full member's approval" },
    });
    const approved = pull({ reviews: [review("shaib", "APPROVED", HEAD)] });
    expect(signoffVerdict(charter, approved, TEST_NOW)).toMatchObject({
      conclusion: "success",
      output: { title: "Signed off by @shaib" },
    });
  });

  it("does not count an approval of an older head, and says so", () => {
    const verdict = signoffVerdict(charter, pull({ reviews: [review("shaib", "APPROVED", OLD)] }), TEST_NOW);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.output.summary).toContain("@shaib approved an older commit (0000000)");
  });

  it("counts neither onboarding reviewers, the author, nor approvals later dismissed or reversed", () => {
    const reviews = [
      review("newperson", "APPROVED", HEAD),
      review("shaib", "APPROVED", HEAD),
      review("shaib", "CHANGES_REQUESTED", HEAD),
      review("felixxm", "APPROVED", HEAD),
      review("felixxm", "DISMISSED", HEAD),
      review("charettes", "APPROVED", HEAD),
      review("charettes", "COMMENTED", HEAD),
    ];
    expect(signoffVerdict(charter, pull({ reviews }), TEST_NOW).output.title).toBe(
      "Signed off by @charettes",
    );
    expect(signoffVerdict(charter, pull({ reviews: reviews.slice(0, 5) }), TEST_NOW).conclusion).toBe(
      "failure",
    );
  });

  it("passes a full member's PR at once, and an onboarding member's once their period ends", () => {
    expect(signoffVerdict(charter, pull({ author: "Shaib" }), TEST_NOW).conclusion).toBe("success");
    const later = new Date("2026-12-20T00:00:00Z");
    expect(signoffVerdict(exampleCharter(later), pull(), later)).toMatchObject({
      conclusion: "success",
      output: { title: "No sign-off needed" },
    });
  });

  it("treats authors outside the team like onboarding members", () => {
    expect(signoffVerdict(charter, pull({ author: "reporter" }), TEST_NOW).output.summary).toContain(
      "@reporter is not a member of the security team",
    );
  });
});

describe("planSignoffCheck", () => {
  it("creates one run per head, updates it when the verdict changes, and writes nothing otherwise", () => {
    const [created] = planSignoffCheck(charter, pull(), TEST_NOW);
    expect(created).toMatchObject({
      kind: "check.create",
      name: "sign-off",
      headSha: HEAD,
      conclusion: "failure",
    });
    const { output } = signoffVerdict(charter, pull(), TEST_NOW);
    const existingRun = { id: 5, conclusion: "failure", title: output.title, summary: output.summary };
    expect(planSignoffCheck(charter, pull({ existingRun }), TEST_NOW)).toEqual([]);
    const approved = pull({ existingRun, reviews: [review("shaib", "APPROVED", HEAD)] });
    expect(planSignoffCheck(charter, approved, TEST_NOW)).toMatchObject([
      { kind: "check.update", checkRunId: 5, conclusion: "success" },
    ]);
  });
});

describe("needsSignoffCheck", () => {
  it("covers the tracker and the org's advisory forks only", () => {
    expect(needsSignoffCheck(charter, repo)).toBe(true);
    expect(needsSignoffCheck(charter, { owner: "django", repo: "django-ghsa-q2w3-x4v5-m6p7" })).toBe(true);
    expect(needsSignoffCheck(charter, { owner: "other", repo: "django-ghsa-q2w3-x4v5-m6p7" })).toBe(false);
    expect(needsSignoffCheck(charter, { owner: "django", repo: "django" })).toBe(false);
  });
});

// The webhook flow: real payloads, OpenAPI-checked mocks.
const RUNS = (name: string) => `/repos/django/${name}/commits/${HEAD}/check-runs`;
const prPayload = (action: string, author: string, name = "security-reports") =>
  payload(
    "pull_request",
    action,
    { pull_request: { number: 3, user: user(author), head: { sha: HEAD } } },
    name,
  );
const reviewPayload = (reviewer: string, commitId: string) =>
  payload("pull_request_review", "submitted", {
    review: { user: user(reviewer), state: "approved", commit_id: commitId },
    pull_request: { number: 3, user: user("newperson"), head: { sha: HEAD } },
    sender: user(reviewer),
  });
const restReview = (login: string, state: string, commitId: string) =>
  merge(exampleResponse("pulls/get-review"), { user: user(login), state, commit_id: commitId });
const ownRun = (id: number, conclusion: string, output: { title: string; summary: string }) => {
  const list = exampleResponse("checks/list-for-ref") as { check_runs: Record<string, unknown>[] };
  const run = merge(list.check_runs[0], {
    id,
    name: "sign-off",
    head_sha: HEAD,
    conclusion,
    output,
    app: { id: APP_ID },
  });
  return { total_count: 1, check_runs: [run] };
};
const noRuns = { total_count: 0, check_runs: [] };

function mockPull(
  gh: ReturnType<typeof github>,
  reviews: unknown[],
  runs: object,
  name = "security-reports",
) {
  replyCharter(gh);
  gh.get(`/repos/django/${name}/pulls/3/reviews`).query({ per_page: "100" }).reply(200, reviews);
  gh.get(RUNS(name)).query({ check_name: "sign-off", per_page: "100" }).reply(200, runs);
}

describe("the sign-off check on pull requests", () => {
  it("opened by an onboarding member: a failing run on the head", async () => {
    const app = await createTestApp();
    const gh = github();
    mockPull(gh, [], noRuns);
    gh.post("/repos/django/security-reports/check-runs").reply(201, { id: 5 });
    await app.receive("pull_request", prPayload("opened", "newperson"));
    const [write] = recordedWrites();
    expect(write?.body).toMatchObject({
      name: "sign-off",
      head_sha: HEAD,
      status: "completed",
      conclusion: "failure",
      output: { title: "Needs a full member's approval" },
    });
    await expect((write?.body as { output: { summary: string } }).output.summary).toMatchFileSnapshot(
      "__golden__/check-needs-approval.md",
    );
  });

  it("in an advisory's temporary private fork, too", async () => {
    const app = await createTestApp();
    const gh = github();
    const fork = "django-ghsa-q2w3-x4v5-m6p7";
    mockPull(gh, [], noRuns, fork);
    gh.post(`/repos/django/${fork}/check-runs`).reply(201, { id: 5 });
    await app.receive("pull_request", prPayload("synchronize", "newperson", fork));
    expect(recordedWrites()).toMatchObject([{ body: { conclusion: "failure" } }]);
  });

  it("a full member's approving review on the current head turns it green", async () => {
    const app = await createTestApp();
    const gh = github();
    const failing = ownRun(5, "failure", { title: "Needs a full member's approval", summary: "old" });
    mockPull(gh, [restReview("shaib", "APPROVED", HEAD)], failing);
    gh.patch("/repos/django/security-reports/check-runs/5").reply(200, { id: 5 });
    await app.receive("pull_request_review", reviewPayload("shaib", HEAD));
    expect(recordedWrites()).toMatchObject([
      {
        method: "PATCH",
        path: "/repos/django/security-reports/check-runs/5",
        body: { conclusion: "success", output: { title: "Signed off by @shaib" } },
      },
    ]);
  });

  it("a review on an older head does not count", async () => {
    const app = await createTestApp();
    const gh = github();
    mockPull(gh, [restReview("shaib", "APPROVED", OLD)], noRuns);
    gh.post("/repos/django/security-reports/check-runs").reply(201, { id: 5 });
    await app.receive("pull_request_review", reviewPayload("shaib", OLD));
    expect(recordedWrites()).toMatchObject([{ body: { conclusion: "failure" } }]);
  });

  it("a repeated delivery with nothing new writes nothing", async () => {
    const app = await createTestApp();
    const gh = github();
    const verdict = signoffVerdict(charter, pull({ reviews: [review("shaib", "APPROVED", HEAD)] }), TEST_NOW);
    mockPull(gh, [restReview("shaib", "APPROVED", HEAD)], ownRun(5, "success", verdict.output as never));
    await app.receive("pull_request_review", reviewPayload("shaib", HEAD));
    expect(recordedWrites()).toEqual([]);
  });

  it("a full member's pull request passes at once", async () => {
    const app = await createTestApp();
    const gh = github();
    mockPull(gh, [], noRuns);
    gh.post("/repos/django/security-reports/check-runs").reply(201, { id: 5 });
    await app.receive("pull_request", prPayload("opened", "shaib"));
    expect(recordedWrites()).toMatchObject([
      { body: { conclusion: "success", output: { title: "No sign-off needed" } } },
    ]);
  });

  it("passes an onboarding member's PR once their onboarding period has ended", async () => {
    const app = await createTestApp({ env: { SECURITY_TEAM_NOW: "2026-12-20T00:00:00Z" } });
    const gh = github();
    mockPull(gh, [], noRuns);
    gh.post("/repos/django/security-reports/check-runs").reply(201, { id: 5 });
    await app.receive("pull_request", prPayload("reopened", "newperson"));
    expect(recordedWrites()).toMatchObject([{ body: { conclusion: "success" } }]);
  });

  it("ignores pull requests in other repositories", async () => {
    const app = await createTestApp();
    replyCharter(github());
    await app.receive("pull_request", prPayload("opened", "newperson", "django"));
    expect(recordedCalls().map((c) => c.path)).toEqual([expect.stringContaining("security-charter")]);
  });

  it("reads nothing for public repositories (the tracker and advisory forks are private)", async () => {
    const app = await createTestApp();
    const open = prPayload("opened", "newperson", "django") as { repository: { private: boolean } };
    open.repository.private = false;
    await app.receive("pull_request", open);
    expect(recordedCalls()).toEqual([]);
  });

  it("recomputes when someone re-runs the check", async () => {
    const app = await createTestApp();
    const gh = github();
    const prData = merge(exampleResponse("pulls/get") as object, {
      number: 3,
      user: user("newperson"),
      head: { sha: HEAD },
    });
    gh.get("/repos/django/security-reports/pulls/3").reply(200, prData);
    mockPull(gh, [restReview("shaib", "APPROVED", HEAD)], noRuns);
    gh.post("/repos/django/security-reports/check-runs").reply(201, { id: 6 });
    const rerun = payload("check_run", "rerequested", {
      check_run: { name: "sign-off", head_sha: HEAD, app: { id: APP_ID }, pull_requests: [{ number: 3 }] },
    });
    await app.receive("check_run", rerun);
    expect(recordedWrites()).toMatchObject([{ body: { conclusion: "success" } }]);
  });

  it("recomputes when someone re-runs all checks of the suite", async () => {
    const app = await createTestApp();
    const gh = github();
    const prData = merge(exampleResponse("pulls/get") as object, {
      number: 3,
      user: user("newperson"),
      head: { sha: HEAD },
    });
    gh.get("/repos/django/security-reports/pulls/3").reply(200, prData);
    mockPull(gh, [restReview("shaib", "APPROVED", HEAD)], noRuns);
    gh.post("/repos/django/security-reports/check-runs").reply(201, { id: 6 });
    const rerunAll = payload("check_suite", "rerequested", {
      check_suite: { head_sha: HEAD, app: { id: APP_ID }, pull_requests: [{ number: 3 }] },
    });
    await app.receive("check_suite", rerunAll);
    expect(gh.pendingMocks()).toEqual([]);
    expect(recordedWrites()).toMatchObject([
      { method: "POST", path: "/repos/django/security-reports/check-runs", body: { conclusion: "success" } },
    ]);
  });
});
