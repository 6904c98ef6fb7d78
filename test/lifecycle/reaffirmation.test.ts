import pino from "pino";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { findMember, lapsedAtReaffirmation } from "../../src/charter/facts.js";
import { loadCharter } from "../../src/charter/loader.js";
import { applyLapsePlan } from "../../src/charter/members-edit.js";
import type { Member } from "../../src/charter/schema.js";
import { createRuntime } from "../../src/context.js";
import { cycleOf, lapsePlan, reaffirmationIssue, tick } from "../../src/lifecycle/reaffirmation.js";
import { advanceReaffirmation } from "../../src/lifecycle/reaffirmation-run.js";
import { advisoryRepoMarker, ghsaMarker } from "../../src/reports/tracking-markers.js";
import { createTestApp } from "../helpers/app.js";
import {
  CHARTER_CONTENTS_PATH,
  EXAMPLE_CHARTER_TEXT,
  exampleCharter,
  replyCharter,
} from "../helpers/charter.js";
import { APP_ID, APP_LOGIN, github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";

const example = (operationId: string, status = "200") =>
  exampleResponse(operationId, status) as Record<string, unknown>;

import { payload, user } from "../helpers/payloads.js";
import { listedIssue } from "./fixtures.js";

/*
 * The example charter's cycle 2026: opens 2026-12-01, 30 days' grace, so members who did not reaffirm
 * have lapsed from 2026-12-31. To reaffirm: shaib, felixxm, charettes, nessita, newperson (non-fellows
 * who joined before 2026-12-01); sarahboyce and jacobtylerwalls are fellows.
 */

const CHARTER_REPO = "/repos/django/.github";
/** The reaffirmation issue lives in the private tracker: it holds figures about embargoed work. */
const TRACKER = "/repos/django/security-reports";
const ISSUES = `${TRACKER}/issues`;
const REAFFIRMATION_ISSUE = 40;
const BRANCH = "security-team/reaffirmation-2026";
/** The tip of `main` in GitHub's example ref: the branch is created there. */
const MAIN_SHA = (exampleResponse("git/get-ref") as { object: { sha: string } }).object.sha;

function runtime(now: string) {
  const octokit = new ProbotOctokit({
    auth: "test",
    retry: { enabled: false },
    throttle: { enabled: false },
  } as never) as InstanceType<typeof ProbotOctokit>;
  return createRuntime({
    octokit,
    log: pino({ level: "silent" }),
    org: "django",
    env: { SECURITY_TEAM_NOW: now },
    self: async () => ({ appId: APP_ID, login: APP_LOGIN }),
    dryRun: false,
  });
}

const issue = listedIssue;

/** The tracker check the step makes first (once per sweep: the poll's answer is reused). */
function trackerIsPrivate(gh: ReturnType<typeof github>, isPrivate = true) {
  gh.get(TRACKER).reply(200, { ...(exampleResponse("repos/get") as object), private: isPrivate });
  return gh;
}

/** Tracking issues and their comments over the past year: who took part in what. */
const TRACKING = [
  issue({
    number: 1,
    created_at: "2026-03-01T10:00:00Z",
    closed_at: null,
    body: `${ghsaMarker("GHSA-1111-1111-1111")}\n${advisoryRepoMarker("django", "django")}`,
  }),
  issue({
    number: 2,
    created_at: "2026-06-01T10:00:00Z",
    closed_at: "2026-07-01T10:00:00Z",
    body: `${ghsaMarker("GHSA-2222-2222-2222")}\n${advisoryRepoMarker("django", "django")}`,
  }),
  // Carries a marker but was not written by the app: not a tracking issue.
  issue({ number: 3, user: user("mallory"), body: ghsaMarker("GHSA-3333-3333-3333") }),
];
const comment = (issueNumber: number, login: string, at: string, body = "looking") => ({
  issue_url: `https://api.github.com/repos/django/security-reports/issues/${issueNumber}`,
  user: user(login, login === APP_LOGIN ? "Bot" : "User"),
  created_at: at,
  body,
});
const TRACKING_COMMENTS = [
  comment(1, APP_LOGIN, "2026-03-02T10:00:00Z", "owner\n\n<!-- security-team:owner:shaib -->"),
  comment(1, "felixxm", "2026-03-05T10:00:00Z"),
  comment(1, "shaib", "2026-03-06T10:00:00Z"),
  comment(2, "shaib", "2026-06-02T10:00:00Z", "/approve"),
  comment(2, APP_LOGIN, "2026-06-03T10:00:00Z", "owner\n\n<!-- security-team:owner:charettes -->"),
  comment(3, "nessita", "2026-06-02T10:00:00Z"),
];

const openIssue = (state = "open") =>
  issue({
    number: REAFFIRMATION_ISSUE,
    state,
    body: "checklist\n\n<!-- security-team:reaffirmation:2026 -->",
    created_at: "2026-12-01T09:00:00Z",
  });
/** A pull request from the reaffirmation's branch, opened by the app or (`by`) someone else. */
const ownPull = (number: number, by = user(APP_LOGIN, "Bot")) => {
  const example = exampleResponse("pulls/create", "201") as { head: object };
  return { ...example, number, user: by, head: { ...example.head, ref: BRANCH } };
};
const appReply = (body: string) => ({
  id: 5,
  user: user(APP_LOGIN, "Bot"),
  created_at: "2026-12-03T10:00:00Z",
  body,
});

describe("reaffirmation: pure steps", () => {
  const charter = exampleCharter(new Date("2026-12-01T09:00:00Z"));

  it("a cycle opens on the policy's day and lapses after the grace period", () => {
    const cycle = cycleOf(charter, new Date("2026-12-15T00:00:00Z"));
    expect([cycle.year, cycle.start.toISOString(), cycle.deadline.toISOString()]).toEqual([
      2026,
      "2026-12-01T00:00:00.000Z",
      "2026-12-31T00:00:00.000Z",
    ]);
    expect(cycleOf(charter, new Date("2026-11-30T23:59:00Z")).year).toBe(2025);
  });

  it("ticks a member's line once, and only theirs", () => {
    const cycle = cycleOf(charter, new Date("2026-12-01T09:00:00Z"));
    const { body } = reaffirmationIssue(charter, cycle, new Map([["shaib", 2]]));
    const ticked = tick(body, "shaib", "2026-12-03") as string;
    expect(ticked).toContain("- [x] @shaib: 2 reports (reaffirmed 2026-12-03)");
    expect(ticked).toContain("- [ ] @felixxm: 0 reports ⚠️ fewer than 1");
    expect(tick(ticked, "SHAIB", "2026-12-04")).toBe(ticked);
    expect(tick(body, "sarahboyce", "2026-12-03")).toBeUndefined();
  });

  it("removes exactly the members the governance check calls lapsed, unless they replied", () => {
    const now = new Date("2026-12-31T00:00:00Z");
    const plan = lapsePlan(charter, now, new Map([["shaib", "2026-12-03"]]));
    expect(plan).toEqual({
      removed: ["felixxm", "charettes", "nessita", "newperson"],
      confirmed: [{ login: "shaib", on: "2026-12-03" }],
    });
    for (const login of plan.removed) {
      expect(lapsedAtReaffirmation(charter, findMember(charter, login) as Member, now)).toBe(true);
    }
  });

  it("edits the charter YAML keeping comments and layout", () => {
    const text = applyLapsePlan(EXAMPLE_CHARTER_TEXT, {
      removed: ["charettes"],
      confirmed: [{ login: "shaib", on: "2026-12-03" }],
    });
    expect(text).toContain("    reaffirmed: 2026-12-03 # last annual reaffirmation (non-fellows)");
    expect(text).not.toContain("charettes");
    expect(text).toContain("# used for conflict-of-interest and need-to-know rules");
    expect(text).toContain("  reaffirmation: { month: 12, day: 1, grace_days: 30 }");
    const added = applyLapsePlan(EXAMPLE_CHARTER_TEXT, {
      removed: [],
      confirmed: [{ login: "newperson", on: "2026-12-05" }],
    });
    expect(added).toContain(
      "    joined: 2026-10-20 # still onboarding: joined + onboarding.months > today\n    reaffirmed: 2026-12-05\n\npolicy:",
    );
    expect(() => applyLapsePlan(EXAMPLE_CHARTER_TEXT, { removed: ["ghost"], confirmed: [] })).toThrow(
      "charter: member @ghost not found in members",
    );
  });
});

describe("reaffirmation timeline (sweep → replies → lapse → PR)", () => {
  it("does nothing before the policy's day, nor after a deadline that passed without an issue", async () => {
    for (const now of ["2026-11-30T12:00:00Z", "2026-12-31T12:00:00Z"]) {
      trackerIsPrivate(github()).get(ISSUES).query(true).reply(200, []);
      const rt = runtime(now);
      expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([]);
    }
    expect(recordedWrites()).toEqual([]);
  });

  it("opens the issue on the day, with each member's reports over the past year", async () => {
    const gh = trackerIsPrivate(github());
    gh.get(ISSUES).query({ state: "all", since: "2026-12-01T00:00:00.000Z", per_page: "100" }).reply(200, []);
    gh.get(ISSUES)
      .query({ state: "all", since: "2025-12-01T00:00:00.000Z", per_page: "100" })
      .reply(200, TRACKING);
    gh.get("/repos/django/security-reports/issues/comments")
      .query({ since: "2025-12-01T00:00:00.000Z", per_page: "100" })
      .reply(200, TRACKING_COMMENTS);
    gh.post(ISSUES).reply(201, example("issues/create", "201"));
    const rt = runtime("2026-12-01T09:00:00Z");
    expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([
      "reaffirmation 2026: opened the issue",
    ]);
    const [created] = recordedWrites();
    const body = created?.body as { title: string; body: string; labels: string[] };
    expect(body.title).toBe("Annual reaffirmation 2026: reply /reaffirm by 2026-12-30");
    await expect(body.body).toMatchFileSnapshot("./__golden__/reaffirmation-issue.md");
    expect(gh.isDone()).toBe(true);
  });

  it("opens nothing while the tracker is not private, and says so without a figure", async () => {
    const gh = trackerIsPrivate(github(), false);
    const rt = runtime("2026-12-01T09:00:00Z");
    expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([
      "reaffirmation 2026: the tracker repository django/security-reports is not private: nothing was written there (make it private)",
    ]);
    expect(recordedWrites()).toEqual([]);
    expect(gh.isDone()).toBe(true);
  });

  it("a second sweep during the grace period changes nothing", async () => {
    trackerIsPrivate(github()).get(ISSUES).query(true).reply(200, [openIssue()]);
    const rt = runtime("2026-12-10T09:00:00Z");
    expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([]);
    expect(recordedWrites()).toEqual([]);
  });

  it("after the grace period opens a charter PR removing who did not reaffirm, then comments and closes", async () => {
    const gh = trackerIsPrivate(github());
    gh.get(ISSUES).query(true).reply(200, [openIssue()]);
    gh.get(`${ISSUES}/${REAFFIRMATION_ISSUE}/comments`)
      .query(true)
      .reply(200, [
        appReply("@shaib reaffirmed\n\n<!-- security-team:reaffirmed:shaib:2026-12-03 -->"),
        appReply("@nessita reaffirmed\n\n<!-- security-team:reaffirmed:nessita:2026-12-10 -->"),
        // Typed by a person: not trusted.
        { ...appReply("<!-- security-team:reaffirmed:felixxm:2026-12-11 -->"), user: user("felixxm") },
      ]);
    gh.get(`${CHARTER_REPO}/pulls`)
      .query({ head: `django:${BRANCH}`, state: "all", per_page: "100" })
      .reply(200, []);
    gh.get(CHARTER_REPO).reply(200, { ...(exampleResponse("repos/get") as object), default_branch: "main" });
    replyCharter(gh);
    gh.get(`${CHARTER_REPO}/git/ref/heads%2Fmain`).reply(200, example("git/get-ref"));
    gh.post(`${CHARTER_REPO}/git/refs`).reply(201, example("git/create-ref", "201"));
    gh.get(CHARTER_CONTENTS_PATH).query({ ref: MAIN_SHA }).reply(404, { message: "Not Found" });
    gh.put(CHARTER_CONTENTS_PATH).reply(201, example("repos/create-or-update-file-contents", "201"));
    gh.post(`${CHARTER_REPO}/pulls`).reply(201, {
      ...(exampleResponse("pulls/create", "201") as object),
      number: 77,
    });
    gh.post(`${ISSUES}/${REAFFIRMATION_ISSUE}/comments`).reply(201, { id: 9 });
    gh.patch(`${ISSUES}/${REAFFIRMATION_ISSUE}`).reply(200, {});

    const rt = runtime("2026-12-31T06:00:00Z");
    const charter = exampleCharter(rt.now);
    expect(await advanceReaffirmation(rt, charter)).toEqual([
      "reaffirmation 2026: ended (3 removed, 2 reaffirmed)",
    ]);
    expect(gh.isDone()).toBe(true);

    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `POST ${CHARTER_REPO}/git/refs`,
      `PUT ${CHARTER_CONTENTS_PATH}`,
      `POST ${CHARTER_REPO}/pulls`,
      `POST ${ISSUES}/${REAFFIRMATION_ISSUE}/comments`,
      `PATCH ${ISSUES}/${REAFFIRMATION_ISSUE}`,
    ]);
    const put = writes[1]?.body as { content: string; branch: string };
    expect(put.branch).toBe(BRANCH);
    const content = Buffer.from(put.content, "base64").toString("utf8");
    await expect(content).toMatchFileSnapshot("./__golden__/reaffirmation-charter.yml");
    const edited = loadCharter(content, { file: "charter.yml", now: rt.now });
    expect(edited.ok && edited.charter.members.map((m) => m.login)).toEqual([
      "sarahboyce",
      "jacobtylerwalls",
      "shaib",
      "nessita",
    ]);
    const pull = writes[2]?.body as { title: string; body: string; head: string; base: string };
    expect([pull.head, pull.base, pull.title]).toEqual([
      BRANCH,
      "main",
      "Annual reaffirmation 2026: 3 removed, 2 reaffirmed",
    ]);
    await expect(pull.body).toMatchFileSnapshot("./__golden__/reaffirmation-pull.md");
    expect((writes[3]?.body as { body: string }).body).toBe(
      [
        "The grace period ended on 2026-12-31. Charter pull request: django/.github#77.",
        "Did not reaffirm: @felixxm @charettes @newperson.",
        "Reaffirmed: @shaib @nessita.",
        "<!-- security-team:reaffirmation-done:2026 -->",
      ].join("\n\n"),
    );
    expect(writes[4]?.body).toEqual({ state: "closed", state_reason: "completed" });
  });

  it("finds the PR of an interrupted run instead of opening a second one", async () => {
    const gh = trackerIsPrivate(github());
    gh.get(ISSUES).query(true).reply(200, [openIssue()]);
    gh.get(`${ISSUES}/${REAFFIRMATION_ISSUE}/comments`).query(true).reply(200, []);
    gh.get(`${CHARTER_REPO}/pulls`)
      .query(true)
      .reply(200, [ownPull(77)]);
    gh.post(`${ISSUES}/${REAFFIRMATION_ISSUE}/comments`).reply(201, { id: 9 });
    gh.patch(`${ISSUES}/${REAFFIRMATION_ISSUE}`).reply(200, {});
    const rt = runtime("2027-01-02T06:00:00Z");
    await advanceReaffirmation(rt, exampleCharter(rt.now));
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      `POST ${ISSUES}/${REAFFIRMATION_ISSUE}/comments`,
      `PATCH ${ISSUES}/${REAFFIRMATION_ISSUE}`,
    ]);
    expect((recordedWrites()[0]?.body as { body: string }).body).toContain(
      "Charter pull request: django/.github#77.",
    );
  });

  /** The grace period has ended; the pull requests from its branch are `pulls`; GitHub fails the branch. */
  async function endWhenThePullCannotBeOpened(pulls: unknown[]) {
    const gh = trackerIsPrivate(github());
    gh.get(ISSUES).query(true).reply(200, [openIssue()]);
    gh.get(`${ISSUES}/${REAFFIRMATION_ISSUE}/comments`).query(true).reply(200, []);
    gh.get(`${CHARTER_REPO}/pulls`).query(true).reply(200, pulls);
    gh.get(CHARTER_REPO).reply(200, { ...(exampleResponse("repos/get") as object), default_branch: "main" });
    replyCharter(gh);
    gh.get(`${CHARTER_REPO}/git/ref/heads%2Fmain`).reply(502, { message: "Bad Gateway" });
    const rt = runtime("2026-12-31T06:00:00Z");
    return advanceReaffirmation(rt, exampleCharter(rt.now));
  }

  it("does not take a pull request someone else opened from its branch for its own", async () => {
    const [line] = await endWhenThePullCannotBeOpened([ownPull(66, user("mallory"))]);
    // It tries to open its own (GitHub fails here) and links nothing: never mallory's #66.
    expect(line).toContain("reaffirmation 2026: could not open the pull request");
    expect(recordedWrites()).toEqual([]);
  });

  it("leaves the issue open and retries next sweep when the PR cannot be opened", async () => {
    const [line] = await endWhenThePullCannotBeOpened([]);
    expect(line).toContain("reaffirmation 2026: could not open the pull request");
    expect(recordedWrites()).toEqual([]);
  });

  /**
   * The grace period has ended and the branch `security-team/reaffirmation-2026` already exists (GitHub
   * answers 422) at `tip`, which carries `beyond` over main (the compare answer's commits).
   */
  function endWithTheBranchThere(tip: string, beyond: Record<string, unknown>[]) {
    const gh = trackerIsPrivate(github());
    gh.get(ISSUES).query(true).reply(200, [openIssue()]);
    gh.get(`${ISSUES}/${REAFFIRMATION_ISSUE}/comments`).query(true).reply(200, []);
    gh.get(`${CHARTER_REPO}/pulls`).query(true).reply(200, []);
    gh.get(CHARTER_REPO).reply(200, { ...(exampleResponse("repos/get") as object), default_branch: "main" });
    replyCharter(gh);
    gh.get(`${CHARTER_REPO}/git/ref/heads%2Fmain`).reply(200, example("git/get-ref"));
    gh.post(`${CHARTER_REPO}/git/refs`).reply(422, { message: "Reference already exists" });
    gh.get(`${CHARTER_REPO}/git/ref/heads%2F${encodeURIComponent(BRANCH)}`).reply(200, {
      ...example("git/get-ref"),
      ref: `refs/heads/${BRANCH}`,
      object: { type: "commit", sha: tip, url: "" },
    });
    if (tip !== MAIN_SHA) {
      gh.get(`${CHARTER_REPO}/compare/${MAIN_SHA}...${tip}`).reply(200, {
        ...example("repos/compare-commits-with-basehead"),
        status: "ahead",
        ahead_by: beyond.length,
        behind_by: 0,
        total_commits: beyond.length,
        commits: beyond,
      });
    }
    return gh;
  }
  /** A commit as the compare API lists it, by `login`, signed by GitHub or not. */
  const commitBy = (login: string, verified: boolean, sha = "c".repeat(40)) => {
    const base = example("repos/get-commit") as Record<string, Record<string, unknown>>;
    return {
      ...base,
      sha,
      commit: { ...base.commit, verification: { verified, reason: verified ? "valid" : "unsigned" } },
      author: user(login, login.endsWith("[bot]") ? "Bot" : "User"),
      committer: user(login, login.endsWith("[bot]") ? "Bot" : "User"),
    };
  };
  const REFUSED =
    "reaffirmation 2026: could not open the pull request (a branch security-team/reaffirmation-2026 already exists that the app did not create: delete or rename it)";

  it("does not commit onto a branch of its name that someone else pushed, nor open a PR carrying their commits", async () => {
    const gh = endWithTheBranchThere("d".repeat(40), [commitBy("mallory", false)]);
    const rt = runtime("2026-12-31T06:00:00Z");
    expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([REFUSED]);
    expect(gh.isDone()).toBe(true);
    // Only the refused branch creation: no commit, no pull request, the issue stays open.
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${CHARTER_REPO}/git/refs`]);
  });

  it("does not take a pushed commit carrying the app's e-mail (unsigned) for the app's own", async () => {
    const gh = endWithTheBranchThere("d".repeat(40), [commitBy(APP_LOGIN, false)]);
    const rt = runtime("2026-12-31T06:00:00Z");
    expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([REFUSED]);
    expect(gh.isDone()).toBe(true);
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${CHARTER_REPO}/git/refs`]);
  });

  it("does not reuse a branch where someone pushed on top of the app's commit", async () => {
    endWithTheBranchThere("d".repeat(40), [
      commitBy(APP_LOGIN, true),
      commitBy("mallory", false, "e".repeat(40)),
    ]);
    const rt = runtime("2026-12-31T06:00:00Z");
    expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([REFUSED]);
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${CHARTER_REPO}/git/refs`]);
  });

  for (const [interrupted, tip, beyond] of [
    ["after creating the branch (its tip is main's)", MAIN_SHA, []],
    [
      "after its commit (the tip is the app's, signed by GitHub)",
      "d".repeat(40),
      [commitBy(APP_LOGIN, true)],
    ],
  ] as const) {
    it(`positive control: a run interrupted ${interrupted} is finished on that branch`, async () => {
      const gh = endWithTheBranchThere(tip, [...beyond]);
      gh.get(CHARTER_CONTENTS_PATH)
        .query({ ref: tip })
        .reply(200, { ...example("repos/get-content"), type: "file", sha: "f".repeat(40) });
      gh.put(CHARTER_CONTENTS_PATH).reply(200, example("repos/create-or-update-file-contents", "200"));
      gh.post(`${CHARTER_REPO}/pulls`).reply(201, {
        ...(exampleResponse("pulls/create", "201") as object),
        number: 77,
      });
      gh.post(`${ISSUES}/${REAFFIRMATION_ISSUE}/comments`).reply(201, { id: 9 });
      gh.patch(`${ISSUES}/${REAFFIRMATION_ISSUE}`).reply(200, {});
      const rt = runtime("2026-12-31T06:00:00Z");
      expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([
        "reaffirmation 2026: ended (5 removed, 0 reaffirmed)",
      ]);
      expect(gh.isDone()).toBe(true);
      const writes = recordedWrites();
      expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
        `POST ${CHARTER_REPO}/git/refs`,
        `PUT ${CHARTER_CONTENTS_PATH}`,
        `POST ${CHARTER_REPO}/pulls`,
        `POST ${ISSUES}/${REAFFIRMATION_ISSUE}/comments`,
        `PATCH ${ISSUES}/${REAFFIRMATION_ISSUE}`,
      ]);
      expect(writes[1]?.body).toMatchObject({ branch: BRANCH, sha: "f".repeat(40) });
      expect(writes[2]?.body).toMatchObject({ head: BRANCH, base: "main" });
    });
  }

  it("once ended, later sweeps change nothing (idempotent)", async () => {
    const gh = trackerIsPrivate(github());
    gh.get(ISSUES)
      .query(true)
      .reply(200, [openIssue("closed")]);
    gh.get(`${ISSUES}/${REAFFIRMATION_ISSUE}/comments`)
      .query(true)
      .reply(200, [appReply("ended\n\n<!-- security-team:reaffirmation-done:2026 -->")]);
    const rt = runtime("2027-01-15T06:00:00Z");
    expect(await advanceReaffirmation(rt, exampleCharter(rt.now))).toEqual([]);
    expect(recordedWrites()).toEqual([]);
    expect(recordedCalls()).toHaveLength(3);
  });
});

describe("/reaffirm", () => {
  const REAFFIRMATION_BODY = [
    "## Annual reaffirmation 2026",
    "- [ ] @shaib: 2 reports\n- [ ] @felixxm: 0 reports ⚠️ fewer than 1",
    "<!-- security-team:reaffirmation:2026 -->",
  ].join("\n\n");
  const COMMENTS = `${ISSUES}/${REAFFIRMATION_ISSUE}/comments`;

  function reaffirm(sender: string, issueUser = APP_LOGIN, body = REAFFIRMATION_BODY) {
    return payload(
      "issue_comment",
      "created",
      {
        issue: { number: REAFFIRMATION_ISSUE, body, user: user(issueUser, "Bot") },
        comment: { id: 555, body: "/reaffirm", user: user(sender), created_at: "2026-12-03T10:00:00Z" },
        sender: user(sender),
      },
      "security-reports",
    );
  }
  function scope() {
    const gh = github();
    replyCharter(gh);
    gh.get(COMMENTS).query(true).reply(200, []);
    return gh;
  }

  it("ticks the member's line and records the day in the reply", async () => {
    const app = await createTestApp({ env: { SECURITY_TEAM_NOW: "2026-12-03T10:00:00Z" } });
    const gh = scope();
    gh.patch(`${ISSUES}/${REAFFIRMATION_ISSUE}`).reply(200, {});
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", reaffirm("shaib"));
    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH ${ISSUES}/${REAFFIRMATION_ISSUE}`,
      `POST ${COMMENTS}`,
    ]);
    expect((writes[0]?.body as { body: string }).body).toContain(
      "- [x] @shaib: 2 reports (reaffirmed 2026-12-03)\n- [ ] @felixxm",
    );
    expect((writes[1]?.body as { body: string }).body).toBe(
      "@shaib reaffirmed on 2026-12-03. Thank you.\n\n<!-- security-team:reaffirmed:shaib:2026-12-03 -->\n\n<!-- security-team:reply:555 -->",
    );
  });

  it("tells fellows they need not, records once, and refuses after the grace period or elsewhere", async () => {
    const ticked = REAFFIRMATION_BODY.replace(
      "- [ ] @shaib: 2 reports",
      "- [x] @shaib: 2 reports (reaffirmed 2026-12-03)",
    );
    const cases: [string, string, string, string, string?][] = [
      ["2026-12-03T10:00:00Z", "sarahboyce", APP_LOGIN, "@sarahboyce: fellows do not need to reaffirm."],
      ["2026-12-04T10:00:00Z", "shaib", APP_LOGIN, "@shaib: your reaffirmation is already recorded.", ticked],
      [
        "2026-12-31T10:00:00Z",
        "shaib",
        APP_LOGIN,
        "@shaib: refused: the reaffirmation 2026 is closed. Ask a chair to record it in the charter with a pull request.",
      ],
      [
        "2026-12-03T10:00:00Z",
        "shaib",
        "mallory",
        "@shaib: refused: `/reaffirm` works on the app's annual reaffirmation issue.",
      ],
    ];
    for (const [now, sender, issueUser, reply, body] of cases) {
      const app = await createTestApp({ env: { SECURITY_TEAM_NOW: now } });
      const gh = scope();
      gh.post(COMMENTS).reply(201, { id: 1 });
      await app.receive("issue_comment", reaffirm(sender, issueUser, body));
      expect(recordedWrites().map((w) => (w.body as { body: string }).body)).toEqual([
        `${reply}\n\n<!-- security-team:reply:555 -->`,
      ]);
      (await import("../helpers/github.js")).resetRecording();
    }
  });
});
