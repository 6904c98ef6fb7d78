import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_REJUDGED } from "../../src/governance/check.js";
import { type AppServer, as, FakeGitHub, startAppServer } from "../fake-github/index.js";
import { createTestApp } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { charterPullAnswer } from "../helpers/charter-pull.js";
import { API, APP_ID, github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { payload, user } from "../helpers/payloads.js";
import { IN_SYNC, replyTeam } from "../membership/team.js";

/**
 * A `charter` run is computed against the default branch's tip at the time of its event. A push that
 * changes the charter there sends no pull request event, so each open pull request into the default
 * branch is judged again: else a run from before a removal ("No change to the charter" on a head that
 * still lists the removed member) would let merging that head put them back.
 */

const REPO = "/repos/django/.github";
const CHARTER_PATH = ".github/security-charter.yml";
const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
/** The default branch's tip after the push: the removal merged. */
const AFTER = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
const BEFORE = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

/** The charter before the removal: the example with mallory in it. */
const WITH_MALLORY = EXAMPLE_CHARTER_TEXT.replace(
  "\npolicy:",
  "  - login: mallory\n    affiliation: Acme Corp\n    joined: 2026-01-05\n\npolicy:",
);
const NO_CHANGE = {
  title: "No change to the charter",
  summary: `This pull request does not change \`${CHARTER_PATH}\`: nothing for the charter's rules to judge.`,
};

/** A push from GitHub's examples to the charter repository; by default to `main`, changing the charter. */
function push(patch: { ref?: string; files?: string[] } = {}) {
  const base = payload("push", undefined, {}, ".github") as { head_commit: Record<string, unknown> };
  const commit = {
    ...base.head_commit,
    id: AFTER,
    added: [],
    removed: [],
    modified: patch.files ?? [CHARTER_PATH],
  };
  return payload(
    "push",
    undefined,
    {
      ref: patch.ref ?? "refs/heads/main",
      before: BEFORE,
      after: AFTER,
      created: false,
      deleted: false,
      repository: { default_branch: "main" },
      commits: [commit],
      head_commit: commit,
    },
    ".github",
  );
}

/** Pull request #2 as `GET /pulls` lists it: opened before the removal, its head as the old tip. */
function listedPull() {
  const [listed] = exampleResponse("pulls/list") as Record<string, Record<string, unknown>>[];
  return {
    ...listed,
    number: 2,
    state: "open",
    body: "Fixes a typo in the README.",
    user: user("mallory"),
    created_at: "2026-11-20T10:00:00Z",
    head: { ...listed?.head, sha: HEAD_SHA, ref: "patch-1" },
    base: { ...listed?.base, sha: BASE_SHA, ref: "main" },
  };
}

function checkRun(output: { title: string; summary: string }, conclusion: string) {
  const [template] = (exampleResponse("checks/list-for-ref") as { check_runs: Record<string, unknown>[] })
    .check_runs;
  return {
    ...template,
    id: 777,
    name: "charter",
    head_sha: HEAD_SHA,
    conclusion,
    output: { ...(template?.output as object), ...output },
    app: { ...(template?.app as object), id: APP_ID },
  };
}

/**
 * The team sync on the same push (the charter after it, a team already in line, its report on the
 * pushed commit), answered by an unrecorded scope: the calls recorded are the re-judging's alone.
 */
function answerTeamSync(): void {
  replyCharter(nock(API), EXAMPLE_CHARTER_TEXT);
  replyTeam(nock(API), IN_SYNC);
  nock(API)
    .get(`${REPO}/commits/${AFTER}/check-runs`)
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] })
    .post(`${REPO}/check-runs`, (body: { head_sha?: string }) => body.head_sha === AFTER)
    .reply(201, exampleResponse("checks/create", "201") as object);
}

/** The re-judging's reads of #2, whose run says `existing`, after a push that removed mallory. */
function answerRejudge(existing: ReturnType<typeof checkRun>): nock.Scope {
  return github()
    .get(`${REPO}/pulls`)
    .query({
      state: "open",
      base: "main",
      sort: "updated",
      direction: "desc",
      per_page: String(MAX_REJUDGED + 1),
    })
    .reply(200, [listedPull()])
    .post("/graphql")
    .reply(
      200,
      charterPullAnswer(EXAMPLE_CHARTER_TEXT, WITH_MALLORY, {
        base: WITH_MALLORY,
        branch: "main",
        tipSha: AFTER,
      }),
    )
    .get(`${REPO}/pulls/2/reviews`)
    .query({ per_page: 100 })
    .reply(200, [])
    .get(`${REPO}/commits/${HEAD_SHA}/check-runs`)
    .query({ check_name: "charter", per_page: "100" })
    .reply(200, { total_count: 1, check_runs: [existing] })
    .get(`${REPO}/pulls`)
    .query({ state: "open", per_page: 100 })
    .reply(200, [listedPull()]);
}

const calls = () => recordedCalls().map((c) => `${c.method} ${c.path}`);

describe("a charter push judges the open pull requests again", () => {
  it("a run of 'No change' from before a removal fails once the removal is merged: the head would put mallory back", async () => {
    const app = await createTestApp();
    answerTeamSync();
    const scope = answerRejudge(checkRun(NO_CHANGE, "success"))
      .patch(`${REPO}/check-runs/777`)
      .reply(200, checkRun(NO_CHANGE, "failure"));
    await app.receive("push", push());

    const listing = `GET ${REPO}/pulls?state=open&base=main&sort=updated&direction=desc&per_page=${MAX_REJUDGED + 1}`;
    expect(calls().slice(0, 2)).toEqual([listing, "POST /graphql"]);
    // These three go out together: their order is the network's.
    expect(calls().slice(2, 5).sort()).toEqual([
      `GET ${REPO}/commits/${HEAD_SHA}/check-runs?check_name=charter&per_page=100`,
      `GET ${REPO}/pulls/2/reviews?per_page=100`,
      `GET ${REPO}/pulls?state=open&per_page=100`,
    ]);
    expect(calls().slice(5)).toEqual([`PATCH ${REPO}/check-runs/777`]);
    const [update] = recordedWrites();
    const body = update?.body as { conclusion: string; output: { title: string; summary: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.title).not.toBe(NO_CHANGE.title);
    expect(body.output.summary).toMatch(/^\| @mallory \| added .* \| ⏳ pending \| no nomination linked;/m);
    expect(scope.isDone()).toBe(true);
  });

  it("a repeated delivery, the run already saying so, writes nothing", async () => {
    const app = await createTestApp();
    answerTeamSync();
    answerRejudge(checkRun(NO_CHANGE, "success"))
      .patch(`${REPO}/check-runs/777`)
      .reply(200, checkRun(NO_CHANGE, "failure"));
    await app.receive("push", push());
    const judged = recordedWrites()[0]?.body as {
      conclusion: string;
      output: { title: string; summary: string };
    };

    answerTeamSync();
    const again = answerRejudge(checkRun(judged.output, judged.conclusion));
    await app.receive("push", push());
    expect(recordedWrites()).toHaveLength(1);
    expect(again.isDone()).toBe(true);
  });

  it("leaves alone a pull request whose head the push made the tip (merged by it; the run there is the team sync's report)", async () => {
    const app = await createTestApp();
    answerTeamSync();
    github()
      .get(`${REPO}/pulls`)
      .query(true)
      .reply(200, [{ ...listedPull(), head: { ...listedPull().head, sha: AFTER } }]);
    await app.receive("push", push());
    expect(calls()).toEqual([
      `GET ${REPO}/pulls?state=open&base=main&sort=updated&direction=desc&per_page=${MAX_REJUDGED + 1}`,
    ]);
  });

  it("one pull request GitHub fails to answer for does not stop the others; the delivery then fails, to be redelivered", async () => {
    const app = await createTestApp();
    answerTeamSync();
    const OTHER_HEAD = "3".repeat(40);
    const other = { ...listedPull(), number: 3, head: { ...listedPull().head, sha: OTHER_HEAD } };
    const scope = github()
      .get(`${REPO}/pulls`)
      .query((q) => q.base === "main")
      .reply(200, [listedPull(), other])
      .post("/graphql")
      .reply(502, { message: "Bad Gateway" })
      .post("/graphql")
      .reply(
        200,
        charterPullAnswer(EXAMPLE_CHARTER_TEXT, EXAMPLE_CHARTER_TEXT, { branch: "main", tipSha: AFTER }),
      )
      .get(`${REPO}/commits/${OTHER_HEAD}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO}/pulls`)
      .query({ state: "open", per_page: 100 })
      .reply(200, [listedPull(), other])
      .post(`${REPO}/check-runs`)
      .reply(201, exampleResponse("checks/create", "201") as object);
    await expect(app.receive("push", push())).rejects.toThrow(
      "1 pull request(s) not judged again; redeliver this event to finish",
    );
    expect(recordedWrites().map((w) => [w.path, w.body])).toEqual([
      [
        `${REPO}/check-runs`,
        expect.objectContaining({ head_sha: OTHER_HEAD, output: expect.objectContaining(NO_CHANGE) }),
      ],
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a push that leaves the charter alone judges nothing again (nor syncs the team): no request at all", async () => {
    const app = await createTestApp();
    await app.receive("push", push({ files: ["README.md"] }));
    expect(recordedCalls()).toEqual([]);
  });

  it("a push changing the charter on another branch judges nothing again: no request at all", async () => {
    const app = await createTestApp();
    await app.receive("push", push({ ref: "refs/heads/remove-mallory" }));
    expect(recordedCalls()).toEqual([]);
  });
});

/**
 * The story as the reviewer told it, on the in-memory GitHub: mallory's pull request leaves the
 * charter alone and passes; the team removes mallory; merging mallory's old head would put them back.
 */
describe("attack: a passing run from before a removal", () => {
  const NOW = "2026-11-22T12:00:00Z";
  const CHARTER_REPO = "django/.github";
  let fake: FakeGitHub;
  let app: AppServer;

  beforeEach(async () => {
    fake = new FakeGitHub({ now: () => new Date(NOW) });
    await fake.start();
    fake.addOrg("django", { members: ["sarahboyce", "shaib", "charettes", "mallory"] });
    fake.addTeam("django", "django-security-team");
    fake.addRepo(CHARTER_REPO);
    fake.setFile(CHARTER_REPO, CHARTER_PATH, WITH_MALLORY);
    fake.addRepo("django/security-reports", { private: true });
    fake.addRepo("mallory/.github");
    app = await startAppServer(fake, { env: { SECURITY_TEAM_NOW: NOW, SWEEP_CRON: "off" } });
  });

  afterEach(async () => {
    await app.stop();
    await fake.stop();
    expect(fake.invalidRequests).toEqual([]);
  });

  function charterRun(number: number) {
    const head = fake.issue(CHARTER_REPO, number).pull?.headSha ?? "";
    const runs = fake.checkRuns(CHARTER_REPO, head).filter((r) => r.name === "charter");
    expect(runs).toHaveLength(1);
    return runs[0] as NonNullable<(typeof runs)[0]>;
  }

  function removeMallory(branch: string) {
    const events = as(fake, "sarahboyce").openPullWithFile(CHARTER_REPO, {
      branch,
      path: CHARTER_PATH,
      text: EXAMPLE_CHARTER_TEXT,
      title: "Remove mallory",
      body: "Removes @mallory.",
    });
    return { events, number: (events[0]?.payload.number as number) ?? 0 };
  }

  it("mallory's 'No change' run fails once the removal is merged; a twin of the removal now passes (control)", async () => {
    const readme = as(fake, "mallory").openPullWithFile(CHARTER_REPO, {
      branch: "patch-1",
      path: "README.md",
      text: "Typo fixed.\n",
      title: "Fix a typo",
      fork: "mallory/.github",
    });
    const mallorys = (readme[0]?.payload.number as number) ?? 0;
    await app.deliver(readme);
    expect(charterRun(mallorys)).toMatchObject({ conclusion: "success", output: { title: NO_CHANGE.title } });

    const removal = removeMallory("remove-mallory");
    const twin = removeMallory("remove-mallory-too");
    await app.deliver([...removal.events, ...twin.events]);
    expect(charterRun(twin.number).conclusion).toBe("failure"); // a removal needs a majority's approvals

    await app.deliver(as(fake, "sarahboyce").merge(CHARTER_REPO, removal.number));

    const stale = charterRun(mallorys);
    expect(stale.conclusion).toBe("failure");
    expect(stale.output.title).not.toBe(NO_CHANGE.title);
    expect(stale.output.summary ?? "").toMatch(
      /^\| @mallory \| added .* \| ⏳ pending \| no nomination linked;/m,
    );
    // Positive control: the twin's head is now the tip's charter, so it changes nothing and passes.
    expect(charterRun(twin.number)).toMatchObject({ conclusion: "success" });
  });

  it(`judges at most ${MAX_REJUDGED} pull requests per push, the most recently updated, and logs the rest`, async () => {
    const numbers: number[] = [];
    for (let i = 0; i <= MAX_REJUDGED; i++) {
      const [opened] = as(fake, "shaib").openPullWithFile(CHARTER_REPO, {
        branch: `docs-${i}`,
        path: `docs/page-${i}.md`,
        text: `Page ${i}.\n`,
        title: `Docs page ${i}`,
      });
      numbers.push(opened?.payload.number as number);
    }
    const removal = removeMallory("remove-mallory");
    const [, pushed] = await app.deliver(as(fake, "sarahboyce").merge(CHARTER_REPO, removal.number));
    const [oldest, ...newest] = numbers;
    const runs = (n: number) => fake.checkRuns(CHARTER_REPO, fake.issue(CHARTER_REPO, n).pull?.headSha ?? "");
    // Fifty judgements outlast the webhook's answer (Probot answers 202 after 9 seconds): wait for them.
    if (pushed?.status === 202) {
      await vi.waitFor(() => expect(newest.filter((n) => runs(n).length === 0)).toEqual([]), {
        timeout: 120_000,
        interval: 200,
      });
    }
    for (const n of newest) expect(charterRun(n).conclusion).toBe("failure");
    expect(runs(oldest as number)).toEqual([]);
    expect(
      app.logs.filter((l) => l.includes("open pull requests into main")).map((l) => JSON.parse(l).msg),
    ).toEqual([
      `more than ${MAX_REJUDGED} open pull requests into main: the ${MAX_REJUDGED} most recently updated are judged again, the others at their next event`,
    ]);
  }, 120_000);
});
