import { describe, expect, it } from "vitest";
import type { Charter } from "../../src/charter/schema.js";
import { planTeamSync, type TeamSnapshot } from "../../src/membership/plan.js";
import { exampleCharter } from "../helpers/charter.js";

const team = { org: "django", team: "django-security-team" };

/** The team exactly as the example charter wants it. */
function inSync(): TeamSnapshot {
  return {
    members: [
      { login: "sarahboyce", role: "maintainer" },
      { login: "jacobtylerwalls", role: "maintainer" },
      ...["shaib", "felixxm", "charettes", "nessita", "newperson"].map((login) => ({
        login,
        role: "member" as const,
      })),
    ],
    pending: [],
  };
}

function without(snapshot: TeamSnapshot, ...logins: string[]): TeamSnapshot {
  return { ...snapshot, members: snapshot.members.filter((m) => !logins.includes(m.login)) };
}

function withPolicy(charter: Charter, sync: Partial<Charter["policy"]["sync"]>): Charter {
  return { ...charter, policy: { ...charter.policy, sync: { ...charter.policy.sync, ...sync } } };
}

describe("planTeamSync", () => {
  it("plans nothing when the team matches the charter", () => {
    expect(planTeamSync(exampleCharter(), inSync())).toEqual({
      actions: [],
      held: [],
      notes: [],
      unanswered: [],
    });
  });

  it("adds missing members: chairs as maintainers, everyone else as members", () => {
    const plan = planTeamSync(exampleCharter(), without(inSync(), "jacobtylerwalls", "newperson"));
    expect(plan).toEqual({
      actions: [
        {
          kind: "team.add",
          ...team,
          login: "jacobtylerwalls",
          role: "maintainer",
          why: "a chair in the charter",
        },
        { kind: "team.add", ...team, login: "newperson", role: "member", why: "in the charter" },
      ],
      held: [],
      notes: [],
      unanswered: [],
    });
  });

  it("removes people who are not in the charter", () => {
    const snapshot = inSync();
    snapshot.members.push({ login: "formermember", role: "member" });
    expect(planTeamSync(exampleCharter(), snapshot).actions).toEqual([
      { kind: "team.remove", ...team, login: "formermember", why: "not in the charter" },
    ]);
  });

  it("corrects roles: promotions before demotions, removals last", () => {
    const snapshot = inSync();
    snapshot.members = snapshot.members.map((m) =>
      m.login === "jacobtylerwalls"
        ? { ...m, role: "member" }
        : m.login === "shaib"
          ? { ...m, role: "maintainer" }
          : m,
    );
    snapshot.members.push({ login: "alumnus", role: "maintainer" });
    expect(planTeamSync(exampleCharter(), snapshot).actions.map((a) => [a.kind, a.login])).toEqual([
      ["team.setRole", "jacobtylerwalls"],
      ["team.setRole", "shaib"],
      ["team.remove", "alumnus"],
    ]);
    expect(planTeamSync(exampleCharter(), snapshot).actions[1]).toMatchObject({ role: "member" });
  });

  it("counts a pending invitation as present", () => {
    const snapshot = { ...without(inSync(), "newperson"), pending: ["newperson"] };
    expect(planTeamSync(exampleCharter(), snapshot).actions).toEqual([]);
  });

  it("withdraws a pending invitation for someone not in the charter, counted as a removal", () => {
    const snapshot = { ...inSync(), pending: ["Stranger", "a2", "a3"] };
    const plan = planTeamSync(exampleCharter(), snapshot);
    expect(plan.actions).toEqual(
      ["a2", "a3", "Stranger"].map((login) => ({
        kind: "team.remove",
        ...team,
        login,
        why: "invited, but not in the charter: the invitation is withdrawn",
      })),
    );
    expect(plan.refusal).toBeUndefined();
    snapshot.members.push({ login: "a1", role: "member" });
    expect(planTeamSync(exampleCharter(), snapshot).refusal).toMatch(
      /^The plan removes 4 people \(@a1, @a2, @a3, @Stranger, 3 of them pending invitations\)/,
    );
  });

  it("re-sends an expired or failed invitation at most twice, then names who has not accepted", () => {
    const snapshot = without(inSync(), "newperson");
    const failure = (createdAt: string, reason = "Invitation expired") => ({
      login: "NewPerson",
      createdAt,
      failedAt: createdAt.replace("T10", "T11"),
      reason,
    });
    // An invitation from before they joined the charter (2026-10-20) does not count.
    snapshot.failed = [failure("2026-01-05T10:00:00Z"), failure("2026-10-21T10:00:00Z")];
    expect(planTeamSync(exampleCharter(), snapshot).actions).toEqual([
      {
        kind: "team.add",
        ...team,
        login: "newperson",
        role: "member",
        why: "re-send the invitation (invitation expired; re-send 1 of 2)",
      },
    ]);
    snapshot.failed.push(failure("2026-10-29T10:00:00Z", "Invitee blocked"));
    expect(planTeamSync(exampleCharter(), snapshot).actions[0]?.why).toBe(
      "re-send the invitation (invitee blocked; re-send 2 of 2)",
    );
    snapshot.failed.push(failure("2026-11-06T10:00:00Z"));
    const plan = planTeamSync(exampleCharter(), snapshot);
    expect(plan.actions).toEqual([]);
    expect(plan.unanswered).toEqual([
      {
        login: "newperson",
        since: "2026-10-21T10:00:00Z",
        attempts: 3,
        lastFailedAt: "2026-11-06T11:00:00Z",
      },
    ]);
    expect(plan.notes).toEqual([
      "@newperson has not accepted 3 invitations since 2026-10-21: not invited again (the chairs are told on the tracker).",
    ]);
  });

  it("compares logins case-insensitively and changes existing entries with GitHub's spelling", () => {
    const snapshot: TeamSnapshot = {
      members: inSync().members.map((m) =>
        m.login === "jacobtylerwalls" ? { login: "JacobTylerWalls", role: "member" } : m,
      ),
      pending: [],
    };
    snapshot.members = snapshot.members.map((m) => (m.login === "shaib" ? { ...m, login: "SHAIB" } : m));
    const pendingCase = { ...without(snapshot, "newperson"), pending: ["NewPerson"] };
    expect(planTeamSync(exampleCharter(), pendingCase).actions).toEqual([
      {
        kind: "team.setRole",
        ...team,
        login: "JacobTylerWalls",
        role: "maintainer",
        why: "a chair in the charter",
      },
    ]);
  });

  it("refuses more removals than policy.sync.max_removals, naming them", () => {
    const snapshot = inSync();
    for (const login of ["a1", "a2", "a3", "a4"]) snapshot.members.push({ login, role: "member" });
    const plan = planTeamSync(exampleCharter(), snapshot);
    expect(plan.actions).toHaveLength(4);
    expect(plan.refusal).toBe(
      "The plan removes 4 people (@a1, @a2, @a3, @a4) but `policy.sync.max_removals` allows 3 per sync: remove them in smaller steps or raise the limit in the charter.",
    );
    snapshot.members.pop();
    expect(planTeamSync(exampleCharter(), snapshot).refusal).toBeUndefined();
    expect(
      planTeamSync(withPolicy(exampleCharter(), { max_removals: 0 }), without(snapshot, "a2", "a3")).refusal,
    ).toMatch(/removes 1 people \(@a1\).*allows 0/);
  });

  it("keeps the old maintainer while the chairs are only invited (an invitation is not a maintainer)", () => {
    const snapshot: TeamSnapshot = {
      members: [
        ...without(inSync(), "sarahboyce", "jacobtylerwalls").members,
        { login: "oldchair", role: "maintainer" },
      ],
      pending: ["sarahboyce", "jacobtylerwalls"],
    };
    const plan = planTeamSync(exampleCharter(), snapshot);
    expect(plan.refusal).toBeUndefined();
    expect(plan.actions).toEqual([]);
    expect(plan.held).toEqual([
      { kind: "team.remove", ...team, login: "oldchair", why: "not in the charter" },
    ]);
    expect(plan.notes).toEqual([
      "@oldchair stays a maintainer for now: no chair (@sarahboyce, @jacobtylerwalls) maintains the team as an active member yet (an invitation counts only once accepted). The first sync after a chair accepts makes this change.",
    ]);
    // Once one chair has accepted, the old maintainer goes.
    const accepted = {
      ...snapshot,
      members: [...snapshot.members, { login: "sarahboyce", role: "maintainer" as const }],
    };
    expect(planTeamSync(exampleCharter(), accepted)).toMatchObject({
      actions: [{ kind: "team.remove", login: "oldchair" }],
      held: [],
    });
  });

  it("does not count a chair the same plan adds: their PUT only invites them (peribolos' too few admins)", () => {
    // The charter replaced both chairs with a new chair who is not yet in the team.
    const charter = exampleCharter();
    const replaced: Charter = {
      ...charter,
      members: [
        ...charter.members.filter((m) => !["sarahboyce", "jacobtylerwalls"].includes(m.login)),
        { login: "newchair", roles: ["chair"], joined: "2026-11-01", unavailable: false },
      ],
    };
    const plan = planTeamSync(replaced, inSync());
    expect(plan.actions).toEqual([
      { kind: "team.add", ...team, login: "newchair", role: "maintainer", why: "a chair in the charter" },
    ]);
    expect(plan.held.map((a) => `${a.kind} ${a.login}`)).toEqual([
      "team.remove jacobtylerwalls",
      "team.remove sarahboyce",
    ]);
    expect(plan.notes[0]).toMatch(
      /^@jacobtylerwalls, @sarahboyce stay maintainers for now: no chair \(@newchair\)/,
    );
  });

  it("lets an active member promoted by the same plan count as the chair maintaining the team", () => {
    const charter = exampleCharter();
    const promoted: Charter = {
      ...charter,
      members: charter.members
        .filter((m) => m.login !== "sarahboyce" && m.login !== "jacobtylerwalls")
        .map((m) => (m.login === "shaib" ? { ...m, roles: ["chair" as const] } : m)),
    };
    const plan = planTeamSync(promoted, inSync());
    expect(plan.held).toEqual([]);
    expect(plan.actions.map((a) => `${a.kind} ${a.login}`)).toEqual([
      "team.setRole shaib",
      "team.remove jacobtylerwalls",
      "team.remove sarahboyce",
    ]);
  });

  it("does not refuse when the team has no chair maintainer yet and the plan takes none away", () => {
    const snapshot = { members: [], pending: ["sarahboyce", "jacobtylerwalls"] };
    const plan = planTeamSync(exampleCharter(), snapshot);
    expect(plan.refusal).toBeUndefined();
    expect(plan.actions.map((a) => a.login)).toEqual([
      "charettes",
      "felixxm",
      "nessita",
      "newperson",
      "shaib",
    ]);
  });
});
