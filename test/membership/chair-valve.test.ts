import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { CHARTER_REPO, createWorld, TEAM, type World } from "../reliability/world.js";

/**
 * Peribolos' "too few admins" case: a charter PR replaces the chair and co-chair with a new chair who
 * is not yet in the org. The team PUT for them only invites them, so the old chairs must stay until the
 * new chair accepts.
 */

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
  world = undefined;
});

const NEW_CHAIR = "newchair";

function chairsReplaced(): string {
  return EXAMPLE_CHARTER_TEXT.replace("roles: [fellow, chair]", "roles: [fellow]")
    .replace("roles: [fellow, co-chair, triager]", "roles: [fellow, triager]")
    .replace(
      "\npolicy:",
      `  - login: ${NEW_CHAIR}\n    affiliation: Example\n    roles: [chair]\n    joined: 2026-11-20\n\npolicy:`,
    )
    .replace(/ {2}- login: sarahboyce\n(?: {4}.*\n)+/, "")
    .replace(/ {2}- login: jacobtylerwalls\n(?: {4}.*\n)+/, "");
}

const roles = (w: World) =>
  Object.fromEntries(w.fake.teamMembers("django", TEAM).map((m) => [m.login.toLowerCase(), m.role]));

describe("the chair valve trusts only an accepted invitation", () => {
  it("invites the new chair, keeps both old chairs as maintainers, and removes them after the acceptance", async () => {
    world = await createWorld();
    const w = world;
    const text = chairsReplaced();
    const opened = w.person("shaib").openPullWithFile(CHARTER_REPO, {
      branch: "new-chair",
      path: DEFAULT_CHARTER_PATH,
      text,
      title: "New chair",
    });
    const number = (opened[0]?.payload as { number: number }).number;
    await w.deliver(w.person("shaib").merge(CHARTER_REPO, number));

    expect(w.fake.teamInvitations("django", TEAM)).toMatchObject([{ login: NEW_CHAIR, role: "maintainer" }]);
    expect(roles(w)).toMatchObject({ sarahboyce: "maintainer", jacobtylerwalls: "maintainer" });
    const run = w.fake.checkRuns(CHARTER_REPO).at(-1);
    expect(run?.conclusion).toBe("success");
    expect(run?.output.summary).toContain(
      "@jacobtylerwalls, @sarahboyce stay maintainers for now: no chair (@newchair) maintains the team as an active member yet",
    );

    // The sweep before the acceptance changes nothing: the old chairs still maintain the team.
    const before = w.fake.writes().length;
    await w.sweep();
    expect(
      w.fake
        .writes()
        .slice(before)
        .filter((r) => r.path.includes("/teams/")),
    ).toEqual([]);
    expect(roles(w)).toMatchObject({ sarahboyce: "maintainer", jacobtylerwalls: "maintainer" });

    // Accepted: the next sync removes the old chairs.
    await w.deliver(w.person(NEW_CHAIR).acceptInvitation("django"));
    const summary = await w.sweep();
    expect(summary.team?.status).toBe("applied");
    expect(roles(w)).toEqual({
      newchair: "maintainer",
      shaib: "member",
      felixxm: "member",
      charettes: "member",
      nessita: "member",
      newperson: "member",
    });
  });
});
