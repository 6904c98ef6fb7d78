import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chairs } from "../../src/charter/facts.js";
import type { Charter } from "../../src/charter/schema.js";
import type { TeamRole } from "../../src/core/actions.js";
import { planTeamSync, type TeamAction, type TeamSnapshot } from "../../src/membership/plan.js";
import { exampleCharter } from "../helpers/charter.js";

/**
 * planTeamSync against random charters and random teams: the valves always hold (never more than
 * `max_removals` removals, never a team left without a chair maintaining it), and a plan that may be
 * applied converges (planning again on the result finds nothing to do).
 */

const POOL = [
  "sarahboyce",
  "jacobtylerwalls",
  "shaib",
  "felixxm",
  "charettes",
  "nessita",
  "mallory",
  "eve",
  "bob",
];
const base = exampleCharter();
const template = base.members[0] as Charter["members"][number];

const oddCase = (login: string, upper: boolean[]) =>
  [...login].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join("");

const charterArb = fc
  .record({
    logins: fc.subarray(POOL, { minLength: 1 }),
    chairs: fc.array(fc.boolean(), { minLength: POOL.length, maxLength: POOL.length }),
    maxRemovals: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ logins, chairs: chairFlags, maxRemovals }): Charter => {
    const members = logins.map((login, i) => ({
      ...template,
      login,
      // The schema demands a chair: the first member is one whatever the flags say.
      roles: i === 0 || chairFlags[i] ? (["chair"] as const) : ([] as const),
    })) as unknown as Charter["members"];
    return {
      ...base,
      members,
      policy: { ...base.policy, sync: { ...base.policy.sync, max_removals: maxRemovals } },
    };
  });

const snapshotArb: fc.Arbitrary<TeamSnapshot> = fc
  .record({
    members: fc.uniqueArray(
      fc.record({
        login: fc.constantFrom(...POOL),
        role: fc.constantFrom<TeamRole>("member", "maintainer"),
        upper: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      }),
      { selector: (m) => m.login },
    ),
    pending: fc.subarray(POOL),
  })
  .map(({ members, pending }) => ({
    members: members.map((m) => ({ login: oddCase(m.login, m.upper), role: m.role })),
    pending: pending.filter((p) => !members.some((m) => m.login === p)),
  }));

/** The team after the actions: additions accepted their invitations; older invitations pending unless withdrawn. */
function applyPlan(snapshot: TeamSnapshot, actions: TeamAction[]): TeamSnapshot {
  const members = new Map(snapshot.members.map((m) => [m.login.toLowerCase(), m]));
  const pending = new Set(snapshot.pending.map((p) => p.toLowerCase()));
  for (const a of actions) {
    const key = a.login.toLowerCase();
    if (a.kind === "team.remove") {
      members.delete(key);
      pending.delete(key); // a withdrawn invitation
    } else members.set(key, { login: members.get(key)?.login ?? a.login, role: a.role });
  }
  return { members: [...members.values()], pending: [...pending].filter((p) => !members.has(p)) };
}

const chairMaintains = (charter: Charter, team: TeamSnapshot) =>
  chairs(charter).some((c) =>
    team.members.some((m) => m.login.toLowerCase() === c.login.toLowerCase() && m.role === "maintainer"),
  );

describe("planTeamSync on random charters and teams", () => {
  it("never plans more removals than max_removals, unless it refuses", () => {
    fc.assert(
      fc.property(charterArb, snapshotArb, (charter, snapshot) => {
        const plan = planTeamSync(charter, snapshot);
        const removals = [...plan.actions, ...plan.held].filter((a) => a.kind === "team.remove").length;
        if (removals > charter.policy.sync.max_removals) expect(plan.refusal).toMatch(/max_removals/);
        else expect(plan.refusal ?? "").not.toMatch(/max_removals/);
      }),
      { numRuns: 500 },
    );
  });

  it("never leaves a team that had a maintainer without a chair maintaining it, unless it refuses", () => {
    fc.assert(
      fc.property(charterArb, snapshotArb, (charter, snapshot) => {
        const plan = planTeamSync(charter, snapshot);
        if (plan.refusal) return;
        const had = snapshot.members.some((m) => m.role === "maintainer");
        const after = applyPlan({ ...snapshot, pending: [] }, plan.actions);
        if (had)
          expect(chairMaintains(charter, after) || !lowersAMaintainer(snapshot, plan.actions)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("converges: once the invitations it sent are accepted, the next sync makes what it held, then nothing", () => {
    fc.assert(
      fc.property(charterArb, snapshotArb, (charter, snapshot) => {
        const plan = planTeamSync(charter, snapshot);
        if (plan.refusal) return;
        const once = applyPlan(snapshot, plan.actions);
        const second = planTeamSync(charter, once);
        for (const a of second.actions) expect(plan.held).toContainEqual(a);
        if (second.refusal) return;
        expect(planTeamSync(charter, applyPlan(once, second.actions)).actions).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

function lowersAMaintainer(snapshot: TeamSnapshot, actions: TeamAction[]): boolean {
  return actions.some(
    (a) =>
      (a.kind === "team.remove" || (a.kind === "team.setRole" && a.role === "member")) &&
      snapshot.members.some(
        (m) => m.login.toLowerCase() === a.login.toLowerCase() && m.role === "maintainer",
      ),
  );
}
