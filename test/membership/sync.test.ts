import { randomUUID } from "node:crypto";
import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { charterLocation, pushTouchesCharter } from "../../src/charter/source.js";
import { createTestApp } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { API, APP_ID, github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { payload } from "../helpers/payloads.js";
import { IN_SYNC, membership, replyAdditionReads, replyTeam, TEAM_PATH, users } from "./team.js";

const SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
const CHARTER_PATH = ".github/security-charter.yml";
const CHECK_RUNS = "/repos/django/.github/check-runs";

function charterPush(patch: Record<string, unknown> = {}) {
  const base = payload("push", undefined, {}, ".github") as { head_commit: Record<string, unknown> };
  const commit = { ...base.head_commit, id: SHA, added: [], removed: [], modified: [CHARTER_PATH] };
  return payload(
    "push",
    undefined,
    {
      ref: "refs/heads/main",
      before: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
      after: SHA,
      created: false,
      repository: { default_branch: "main" },
      commits: [commit],
      head_commit: commit,
      ...patch,
    },
    ".github",
  );
}

/** Records the check run the app reports and answers it. */
function expectCheck(scope: ReturnType<typeof github>, seen: { body?: Record<string, unknown> }) {
  return scope
    .post(CHECK_RUNS, (body) => {
      seen.body = body;
      return true;
    })
    .reply(201, exampleResponse("checks/create", "201") as Record<string, unknown>);
}

const writes = () => recordedWrites().map((c) => `${c.method} ${c.path} ${JSON.stringify(c.body ?? "")}`);

describe("team sync on a charter push", () => {
  // The charter check judges open pull requests again on the same push (test/governance/rejudge.test.ts):
  // here there are none, and that read is not this file's business (unrecorded).
  beforeEach(() => {
    nock(API)
      .persist()
      .get("/repos/django/.github/pulls")
      .query((q) => q.base !== undefined)
      .reply(200, []);
  });

  it("adds, corrects roles and removes: exactly one write per change, then the check", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, {
      maintainers: ["sarahboyce", "alumnus"],
      members: ["JacobTylerWalls", "shaib", "felixxm", "charettes"],
      pending: ["NESSITA"],
    });
    replyAdditionReads(scope);
    scope
      .put(`${TEAM_PATH}/memberships/newperson`, { role: "member" })
      .reply(200, membership("member"))
      .put(`${TEAM_PATH}/memberships/JacobTylerWalls`, { role: "maintainer" })
      .reply(200, membership("maintainer"))
      .delete(`${TEAM_PATH}/memberships/alumnus`)
      .reply(204);
    expectCheck(scope, seen);
    await app.receive("push", charterPush());
    expect(writes()).toEqual([
      `PUT ${TEAM_PATH}/memberships/newperson {"role":"member"}`,
      `PUT ${TEAM_PATH}/memberships/JacobTylerWalls {"role":"maintainer"}`,
      `DELETE ${TEAM_PATH}/memberships/alumnus ""`,
      expect.stringMatching(`^POST ${CHECK_RUNS} `),
    ]);
    expect(seen.body).toMatchObject({
      name: "team-sync",
      head_sha: SHA,
      status: "completed",
      conclusion: "success",
      output: { title: "Team sync: 3 changes applied" },
    });
    await expect((seen.body?.output as { summary: string }).summary).toMatchFileSnapshot(
      "__golden__/applied.md",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("reads every page of a large team", async () => {
    const app = await createTestApp();
    const scope = github();
    const extra = Array.from({ length: 100 }, (_, i) => `person-${i}`);
    replyCharter(scope, EXAMPLE_CHARTER_TEXT.replace("max_removals: 3", "max_removals: 200"));
    scope
      .get(`${TEAM_PATH}/members`)
      .query({ role: "maintainer", per_page: "100" })
      .reply(200, users(IN_SYNC.maintainers))
      .get(`${TEAM_PATH}/members`)
      .query({ role: "member", per_page: "100" })
      .reply(200, users([...IN_SYNC.members, ...extra.slice(0, 95)]), {
        link: `<https://api.github.com${TEAM_PATH}/members?role=member&per_page=100&page=2>; rel="next"`,
      })
      .get(`${TEAM_PATH}/members`)
      .query({ role: "member", per_page: "100", page: "2" })
      .reply(200, users(extra.slice(95)))
      .get(`${TEAM_PATH}/invitations`)
      .query({ per_page: "100" })
      .reply(200, []);
    scope
      .delete(/\/memberships\/person-\d+$/)
      .times(100)
      .reply(204);
    expectCheck(scope, {});
    await app.receive("push", charterPush());
    expect(recordedWrites().filter((c) => c.method === "DELETE")).toHaveLength(100);
    expect(scope.isDone()).toBe(true);
  });

  it("reports a push that changes nothing in the team as a passing check, and a repeated delivery writes nothing", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, IN_SYNC);
    scope
      .get(`/repos/django/.github/commits/${SHA}/check-runs`)
      .query({ check_name: "team-sync", per_page: "100" })
      .reply(200, { total_count: 0, check_runs: [] });
    expectCheck(scope, seen);
    const push = charterPush();
    const id = randomUUID();
    await app.probot.receive({ id, name: "push", payload: push } as never);
    expect(writes()).toHaveLength(1);
    expect(seen.body).toMatchObject({
      conclusion: "success",
      output: { title: "Team sync: the team already matches the charter" },
    });

    // The same delivery again: the team still matches and the check is already there.
    const run = (exampleResponse("checks/list-for-ref") as { check_runs: Record<string, unknown>[] })
      .check_runs[0];
    const reported = {
      ...run,
      name: "team-sync",
      head_sha: SHA,
      app: { ...(run?.app as object), id: APP_ID },
      output: { ...(run?.output as object), summary: (seen.body?.output as { summary: string }).summary },
    };
    const again = github();
    replyCharter(again);
    replyTeam(again, IN_SYNC);
    again
      .get(`/repos/django/.github/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [reported] });
    await app.probot.receive({ id, name: "push", payload: push } as never);
    expect(writes()).toHaveLength(1);
    expect(again.isDone()).toBe(true);
  });

  it("a check run someone else wrote on the commit does not stop the report", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, IN_SYNC);
    const run = (exampleResponse("checks/list-for-ref") as { check_runs: Record<string, unknown>[] })
      .check_runs[0];
    scope
      .get(`/repos/django/.github/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [{ ...run, name: "team-sync", output: { title: "x", summary: "x" } }],
      });
    expectCheck(scope, {});
    await app.receive("push", charterPush());
    expect(scope.isDone()).toBe(true);
  });

  it("refuses more removals than max_removals: no team writes, a failing check saying why", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, { ...IN_SYNC, members: [...IN_SYNC.members, "a1", "a2", "a3", "a4"] });
    expectCheck(scope, seen);
    await app.receive("push", charterPush());
    expect(recordedWrites().map((c) => `${c.method} ${c.path}`)).toEqual([`POST ${CHECK_RUNS}`]);
    expect(seen.body).toMatchObject({
      conclusion: "failure",
      output: { title: "Team sync refused: nothing applied" },
    });
    await expect((seen.body?.output as { summary: string }).summary).toMatchFileSnapshot(
      "__golden__/refused-removals.md",
    );
  });

  it("keeps the old maintainer while the chairs are only invited, and says so", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, {
      maintainers: ["oldchair"],
      members: IN_SYNC.members,
      pending: ["sarahboyce", "jacobtylerwalls"],
    });
    scope
      .get(`/repos/django/.github/commits/${SHA}/check-runs`)
      .query({ check_name: "team-sync", per_page: "100" })
      .reply(200, { total_count: 0, check_runs: [] });
    expectCheck(scope, seen);
    await app.receive("push", charterPush());
    expect(recordedWrites().map((c) => `${c.method} ${c.path}`)).toEqual([`POST ${CHECK_RUNS}`]);
    expect(seen.body).toMatchObject({
      conclusion: "success",
      output: { title: "Team sync: nothing to change now, some changes left for later" },
    });
    expect((seen.body?.output as { summary: string }).summary).toContain(
      "@oldchair stays a maintainer for now: no chair (@sarahboyce, @jacobtylerwalls) maintains the team as an active member yet",
    );
  });

  it("never acts on an invalid charter: no team reads, a failing check with the problems on their lines", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope, EXAMPLE_CHARTER_TEXT.replace("joined: 2019-01-15", "joined: 2019-02-30"));
    expectCheck(scope, seen);
    await app.receive("push", charterPush());
    expect(recordedCalls().some((c) => c.path.startsWith(TEAM_PATH))).toBe(false);
    expect(seen.body).toMatchObject({
      conclusion: "failure",
      output: {
        title: "Team sync: invalid charter, nothing applied",
        annotations: [
          {
            path: CHARTER_PATH,
            start_line: 23,
            end_line: 23,
            annotation_level: "failure",
            message: expect.stringContaining("not a real date"),
          },
        ],
      },
    });
    await expect((seen.body?.output as { summary: string }).summary).toMatchFileSnapshot(
      "__golden__/invalid.md",
    );
  });

  it("a push that deletes the charter empties nothing: the check says the charter is missing", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    scope
      .get("/repos/django/.github/contents/.github%2Fsecurity-charter.yml")
      .reply(404, { message: "Not Found" });
    expectCheck(scope, seen);
    const push = charterPush() as { commits: Record<string, unknown>[] };
    await app.receive(
      "push",
      charterPush({ commits: [{ ...push.commits[0], modified: [], removed: [CHARTER_PATH] }] }),
    );
    expect(recordedCalls().some((c) => c.path.startsWith(TEAM_PATH))).toBe(false);
    expect(seen.body).toMatchObject({
      conclusion: "failure",
      output: {
        title: "Team sync: invalid charter, nothing applied",
        summary: expect.stringContaining(
          "Nothing applied: there is no charter at `django/.github/.github/security-charter.yml`.",
        ),
      },
    });
    expect((seen.body?.output as { annotations?: unknown[] }).annotations ?? []).toEqual([]);
  });

  it("records a failure for one person and still applies the rest", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, { maintainers: ["sarahboyce"], members: ["shaib", "felixxm", "charettes", "nessita"] });
    replyAdditionReads(scope);
    scope
      .put(`${TEAM_PATH}/memberships/jacobtylerwalls`, { role: "maintainer" })
      .reply(200, membership("maintainer"))
      .put(`${TEAM_PATH}/memberships/newperson`)
      .reply(422, { message: "Validation Failed", documentation_url: "https://docs.github.com" });
    expectCheck(scope, seen);
    await expect(app.receive("push", charterPush())).rejects.toThrow(); // a failed write fails the delivery
    expect(writes().map((w) => w.split(" ").slice(0, 2).join(" "))).toEqual([
      `PUT ${TEAM_PATH}/memberships/jacobtylerwalls`,
      `PUT ${TEAM_PATH}/memberships/newperson`,
      `POST ${CHECK_RUNS}`,
    ]);
    expect(seen.body).toMatchObject({
      conclusion: "failure",
      output: { title: "Team sync: 1 of 2 changes failed" },
    });
    await expect((seen.body?.output as { summary: string }).summary).toMatchFileSnapshot(
      "__golden__/partial.md",
    );
  });

  it("ignores pushes that do not touch the charter, other branches and other repos", async () => {
    const app = await createTestApp();
    github(); // any request would be unmatched and fail
    const push = charterPush() as { commits: Record<string, unknown>[] };
    await app.receive(
      "push",
      charterPush({ commits: [{ ...push.commits[0], modified: ["README.md"] }], head_commit: null }),
    );
    await app.receive("push", charterPush({ ref: "refs/heads/feature" }));
    await app.receive("push", {
      ...charterPush(),
      repository: {
        ...(payload("push", undefined, {}, "django") as { repository: object }).repository,
        default_branch: "main",
      },
    });
    expect(recordedCalls()).toEqual([]);
  });

  it("syncs when the charter file is added or removed", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, IN_SYNC);
    scope
      .get(`/repos/django/.github/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] });
    expectCheck(scope, {});
    const push = charterPush() as { commits: Record<string, unknown>[] };
    await app.receive(
      "push",
      charterPush({ commits: [{ ...push.commits[0], modified: [], added: [CHARTER_PATH] }] }),
    );
    expect(scope.isDone()).toBe(true);
  });
});

describe("team sync on install", () => {
  const installed = () =>
    payload("installation", "created", { installation: { account: { login: "django" } } });

  it("a sync with nothing to do makes zero writes", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, {
      ...IN_SYNC,
      members: IN_SYNC.members.filter((m) => m !== "newperson"),
      pending: ["newperson"],
    });
    await app.receive("installation", installed());
    expect(recordedWrites()).toEqual([]);
    expect(recordedCalls().map((c) => `${c.method} ${c.path.split("?")[0]}`)).toEqual([
      "GET /repos/django/.github/contents/.github%2Fsecurity-charter.yml",
      `GET ${TEAM_PATH}/members`,
      `GET ${TEAM_PATH}/members`,
      `GET ${TEAM_PATH}/invitations`,
    ]);
  });

  it("applies the plan on install without a check when all went well", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, { maintainers: [], members: [] });
    replyAdditionReads(scope);
    scope
      .put(/\/memberships\/[a-z]+$/)
      .times(7)
      .reply(200, membership("member"));
    await app.receive("installation", installed());
    expect(recordedWrites()).toHaveLength(7);
    expect(scope.isDone()).toBe(true);
  });

  it("reports a refusal on install on the head of the charter repo's default branch", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, { ...IN_SYNC, members: [...IN_SYNC.members, "a1", "a2", "a3", "a4"] });
    scope
      .get("/repos/django/.github/commits/HEAD")
      .reply(200, { ...(exampleResponse("repos/get-commit") as object), sha: SHA });
    expectCheck(scope, seen);
    await app.receive("installation", installed());
    expect(seen.body).toMatchObject({ head_sha: SHA, conclusion: "failure" });
    expect(recordedWrites()).toHaveLength(1);
  });

  it("syncs when the charter repo is added to the installation, not for other repos", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, IN_SYNC);
    const added = (name: string) =>
      payload("installation_repositories", "added", {
        repositories_added: [{ id: 1, node_id: "R_1", name, full_name: `django/${name}`, private: false }],
      });
    await app.receive("installation_repositories", added("django"));
    expect(recordedCalls()).toEqual([]);
    await app.receive("installation_repositories", added(".github"));
    expect(scope.isDone()).toBe(true);
    expect(recordedWrites()).toEqual([]);
  });
});

describe("pushTouchesCharter", () => {
  const where = charterLocation("django", {});
  const push = (commits: { modified?: string[] }[]) => ({
    ref: "refs/heads/main",
    deleted: false,
    repository: { name: ".github", owner: { login: "Django" }, default_branch: "main" },
    commits,
  });
  it("looks at every commit, and assumes a change when GitHub truncated the list", () => {
    expect(pushTouchesCharter(push([{ modified: ["x"] }, { modified: [where.path] }]), where)).toBe(true);
    expect(pushTouchesCharter(push(Array.from({ length: 2047 }, () => ({ modified: ["x"] }))), where)).toBe(
      false,
    );
    expect(pushTouchesCharter(push(Array.from({ length: 2048 }, () => ({ modified: ["x"] }))), where)).toBe(
      true,
    );
    expect(pushTouchesCharter({ ...push([{ modified: [where.path] }]), deleted: true }, where)).toBe(false);
  });
});
