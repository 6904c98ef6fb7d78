import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { IN_SYNC, membership, replyAdditionReads, replyTeam, TEAM_PATH } from "../membership/team.js";

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z", GITHUB_TOKEN: "ghp_test", LOG_LEVEL: "silent" },
  });
  return code.then((c) => ({ code: c, out: out.join("\n"), err: err.join("\n") }));
}

const DRIFTED = {
  maintainers: ["sarahboyce"],
  members: ["jacobtylerwalls", "shaib", "felixxm", "charettes", "nessita", "alumnus"],
  pending: ["newperson"],
};

describe("security-team plan", () => {
  it("prints the plan against the live team and writes nothing", async () => {
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, DRIFTED);
    const r = await run(["plan", "--org", "django"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        "Plan for `django/django-security-team` (7 members, 1 pending invitation): 2 changes (dry run, nothing written).",
        "",
        "- make @jacobtylerwalls maintainer: a chair in the charter",
        "- remove @alumnus: not in the charter",
      ].join("\n"),
    );
    expect(recordedWrites()).toEqual([]);
  });

  it("plans from a local file (org taken from it) and prints JSON for machines", async () => {
    const file = join(tmpdir(), "plan-charter.yml");
    writeFileSync(
      file,
      EXAMPLE_CHARTER_TEXT.replace(
        "  - login: newperson",
        "  - login: brandnew\n    joined: 2026-11-01\n  - login: newperson",
      ),
    );
    const scope = github();
    replyTeam(scope, IN_SYNC);
    replyAdditionReads(scope, { tokenUser: true });
    const r = await run(["plan", "--charter", file, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      status: "ready",
      team: "django/django-security-team",
      changes: [{ kind: "team.add", login: "brandnew", role: "member", why: "in the charter" }],
      failures: [],
      notes: [],
      termEnds: [],
      reason: null,
      errors: [],
    });
    expect(recordedCalls().some((c) => c.path.includes("/contents/"))).toBe(false);
  });

  it("exits 1 with the reason when a safety valve would hold", async () => {
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, { ...IN_SYNC, members: [...IN_SYNC.members, "a1", "a2", "a3", "a4"] });
    const r = await run(["plan", "--org", "django"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("`policy.sync.max_removals` allows 3");
  });

  it("exits 1 with positioned errors for an invalid local charter, without calling GitHub", async () => {
    const file = join(tmpdir(), "plan-broken.yml");
    writeFileSync(file, EXAMPLE_CHARTER_TEXT.replace("version: 1", "version: 2"));
    github();
    const r = await run(["plan", "--charter", file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/plan-broken\.yml:\d+:\d+: /);
    expect(recordedCalls()).toEqual([]);
  });

  it("refuses when the team does not exist", async () => {
    const scope = github();
    replyCharter(scope);
    scope.get(`${TEAM_PATH}/members`).query(true).reply(404, { message: "Not Found" });
    const r = await run(["plan", "--org", "django"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("the team `django/django-security-team` does not exist");
  });

  it("refuses a charter that names another org, without reading any team", async () => {
    const file = join(tmpdir(), "plan-other-org.yml");
    writeFileSync(file, EXAMPLE_CHARTER_TEXT);
    github();
    const r = await run(["plan", "--org", "flask", "--charter", file, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({
      status: "invalid-charter",
      errors: [
        `${file}:4:6: org: this charter is read from the org "flask" and governs only it (got "django"; set \`org: flask\`)`,
        `${file}:6:10: tracker: must be a repository of the org "flask" (got "django/security-reports")`,
      ],
    });
    expect(recordedCalls()).toEqual([]);
  });

  it("needs --org or --charter", async () => {
    const r = await run(["plan"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--org ORG is required unless --charter FILE names the org");
  });
});

describe("security-team apply", () => {
  it("applies the plan: one write per change", async () => {
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, { ...IN_SYNC, members: IN_SYNC.members.filter((m) => m !== "nessita") });
    replyAdditionReads(scope, { tokenUser: true });
    scope.put(`${TEAM_PATH}/memberships/nessita`, { role: "member" }).reply(200, membership("member"));
    const r = await run(["apply", "--org", "django", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: "applied", failures: [] });
    expect(recordedWrites().map((c) => `${c.method} ${c.path}`)).toEqual([
      `PUT ${TEAM_PATH}/memberships/nessita`,
    ]);
  });

  it("a team already in line: zero writes, exit 0", async () => {
    const scope = github();
    replyCharter(scope);
    replyTeam(scope, IN_SYNC);
    const r = await run(["apply", "--org", "django"]);
    expect(r).toMatchObject({ code: 0, out: expect.stringContaining("already matches the charter") });
    expect(recordedWrites()).toEqual([]);
  });

  it("refuses a local charter: only the reviewed charter on the default branch is applied", async () => {
    const r = await run(["apply", "--org", "django", "--charter", "x.yml"]);
    expect(r.code).toBe(2);
  });
});
