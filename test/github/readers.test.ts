import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { marker } from "../../src/core/markers.js";
import { ownCheckRuns } from "../../src/github/check-runs.js";
import { issueComments, ownMarkers } from "../../src/github/comments.js";
import type { GitHubReader } from "../../src/github/reader.js";
import { API, APP_ID, APP_LOGIN, github, recordedCalls } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";

const REPO = { owner: "django", repo: "security-reports" };
const SHA = "a".repeat(40);
const RUNS = `/repos/django/security-reports/commits/${SHA}/check-runs`;
const COMMENTS = "/repos/django/security-reports/issues/7/comments";

function reader(appId: number | null = APP_ID): GitHubReader {
  const octokit = new ProbotOctokit({
    auth: "test",
    retry: { enabled: false },
    throttle: { enabled: false },
  } as never) as InstanceType<typeof ProbotOctokit>;
  return { octokit, self: async () => ({ ...(appId !== null ? { appId } : {}), login: APP_LOGIN }) };
}

const template = (exampleResponse("checks/list-for-ref") as { check_runs: Record<string, unknown>[] })
  .check_runs[0];
const run = (id: number, app: { id: number; slug: string }) => ({
  ...template,
  id,
  name: "sign-off",
  head_sha: SHA,
  app: { ...(template?.app as object), ...app },
});
const ours = { id: APP_ID, slug: "security-team" };
// Another app that picked the same check name, and a slug like the app's: neither is the app.
const theirs = { id: 999, slug: "security-team" };

describe("ownCheckRuns", () => {
  it("reads every page and keeps only the runs with the app's id", async () => {
    github()
      .get(RUNS)
      .query({ check_name: "sign-off", per_page: "100" })
      .reply(
        200,
        { total_count: 2, check_runs: [run(1, theirs)] },
        { link: `<${API}${RUNS}?check_name=sign-off&per_page=100&page=2>; rel="next"` },
      )
      .get(RUNS)
      .query({ check_name: "sign-off", per_page: "100", page: "2" })
      .reply(200, { total_count: 2, check_runs: [run(2, ours)] });
    const runs = await ownCheckRuns(reader(), REPO, SHA, "sign-off");
    expect(runs.map((r) => r.id)).toEqual([2]);
    expect(recordedCalls()).toHaveLength(2);
  });

  it("without the app's id (a personal token), no run is the app's", async () => {
    github()
      .get(RUNS)
      .query(true)
      .reply(200, { total_count: 2, check_runs: [run(1, theirs), run(2, ours)] });
    expect(await ownCheckRuns(reader(null), REPO, SHA, "sign-off")).toEqual([]);
  });
});

const comment = (id: number, login: string, body: string, viaApp = false) => ({
  ...(exampleResponse("issues/get-comment") as Record<string, unknown>),
  id,
  body,
  user: { ...((exampleResponse("issues/get-comment") as { user: object }).user as object), login },
  performed_via_github_app: viaApp ? { id: APP_ID } : null,
});

describe("issueComments and ownMarkers", () => {
  it("passes `since` on and keeps only the app's own comments: a person's marker is no record, even written through the app", async () => {
    const since = "2026-11-22T10:00:00Z";
    github()
      .get(COMMENTS)
      .query({ since, per_page: "100" })
      .reply(200, [
        comment(1, "mallory", marker("reply:5")),
        comment(2, APP_LOGIN, `Done.\n\n${marker("ack")}`),
        // A person's user-to-server token for the app: the app's id, the person's login and words.
        comment(3, "mallory", `Via the app.\n\n${marker("owner:mallory")}`, true),
      ]);
    expect(await ownMarkers(reader(), REPO, 7, { since })).toEqual(["ack"]);
  });

  it("without filters returns every comment, people's too", async () => {
    github()
      .get(COMMENTS)
      .query({ per_page: "100" })
      .reply(200, [comment(1, "mallory", "Hello"), comment(2, APP_LOGIN, "Hi")]);
    expect((await issueComments(reader(), REPO, 7)).map((c) => c.id)).toEqual([1, 2]);
  });
});
