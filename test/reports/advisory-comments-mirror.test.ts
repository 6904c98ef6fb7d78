import pino from "pino";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { loadCharter } from "../../src/charter/loader.js";
import { createRuntime } from "../../src/context.js";
import { mirrorAdvisoryComments, planCommentMirror } from "../../src/reports/advisory-comments-mirror.js";
import { exampleCharter, TEST_NOW } from "../helpers/charter.js";
import { APP_ID, APP_LOGIN, github, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { merge } from "../helpers/payloads.js";
import { ADVISORY_COMMENTS_CHARTER, GHSA, ISSUE, TRACKER, trackingIssue } from "../signoff/fixtures.js";

const self = { appId: APP_ID, login: APP_LOGIN };
const tracking = { repo: { owner: "django", repo: "security-reports" }, number: 7 };
const reporterComment = {
  id: 31,
  body: "Still reproducible on 5.2.1, cc @sarahboyce",
  user: { login: "reporter" },
  created_at: "2026-11-22T09:00:00Z",
};
const ownComment = { ...reporterComment, id: 32, user: { login: APP_LOGIN } };

describe("planCommentMirror", () => {
  it("copies each new comment once, quoted, without notifying anyone mentioned", async () => {
    const [action, ...rest] = planCommentMirror(
      tracking,
      { ghsaId: GHSA, comments: [reporterComment, ownComment] },
      [],
      self,
    );
    expect(rest).toEqual([]);
    expect(action).toMatchObject({ kind: "issue.comment", number: 7 });
    const body = (action as { body: string }).body;
    expect(body).not.toMatch(/@sarahboyce/);
    await expect(body).toMatchFileSnapshot("__golden__/mirrored-comment.md");
    const already = ["advisory-comment:31"];
    expect(planCommentMirror(tracking, { ghsaId: GHSA, comments: [reporterComment] }, already, self)).toEqual(
      [],
    );
  });
});

describe("mirrorAdvisoryComments", () => {
  const target = { ...trackingIssue, ownMarkers: [] };
  const runtime = () =>
    createRuntime({
      octokit: new ProbotOctokit({
        auth: "t",
        retry: { enabled: false },
        throttle: { enabled: false },
      } as never) as never,
      log: pino({ level: "silent" }),
      org: "django",
      env: { SECURITY_TEAM_NOW: TEST_NOW.toISOString() },
      self: async () => self,
      dryRun: false,
    });
  const flagOn = (() => {
    const read = loadCharter(ADVISORY_COMMENTS_CHARTER, { file: "c.yml", now: TEST_NOW });
    if (!read.ok) throw new Error("charter");
    return read.charter;
  })();

  it("does nothing (not even a read) with the feature off", async () => {
    expect(await mirrorAdvisoryComments(runtime(), exampleCharter(), [target])).toEqual([]);
  });

  it("reads the advisory and writes the new comments into the private tracker", async () => {
    const gh = github();
    const repo = merge(exampleResponse("repos/get") as object, { private: true });
    gh.get(TRACKER).reply(200, repo);
    gh.get(`/repos/django/django/security-advisories/${GHSA}/comments`)
      .query({ per_page: "100" })
      .reply(200, [reporterComment]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 41 });
    const results = await mirrorAdvisoryComments(runtime(), flagOn, [target]);
    expect(results.map((r) => r.outcome)).toEqual(["applied"]);
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${ISSUE}/comments`]);
  });

  it("refuses to copy report text into a tracker that is not private", async () => {
    const gh = github();
    gh.get(TRACKER).reply(200, merge(exampleResponse("repos/get") as object, { private: false }));
    expect(await mirrorAdvisoryComments(runtime(), flagOn, [target])).toEqual([]);
    expect(recordedWrites()).toEqual([]);
  });
});
