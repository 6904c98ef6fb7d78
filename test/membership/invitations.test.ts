import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { CHARTER_REPO, createWorld, TEAM, type World } from "../reliability/world.js";

/** Team invitations the charter does not ask for are withdrawn; withdrawals count as removals. */

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
  world = undefined;
});

const teamWrites = (w: World, from = 0) =>
  w.fake
    .writes()
    .slice(from)
    .filter((r) => r.path.includes("/teams/"))
    .map((r) => `${r.method} ${r.path}`);

function invite(w: World, login: string) {
  w.fake.team("django", TEAM).invitations.set(login.toLowerCase(), {
    login,
    role: "member",
    created_at: "2026-11-20T10:00:00Z",
  });
}

describe("stray team invitations", () => {
  it("withdraws an invitation for someone the charter does not list, once", async () => {
    world = await createWorld();
    const w = world;
    invite(w, "Stranger");
    const summary = await w.sweep();
    expect(teamWrites(w)).toEqual([`DELETE /orgs/django/teams/${TEAM}/memberships/Stranger`]);
    expect(w.fake.teamInvitations("django", TEAM)).toEqual([]);
    expect(summary.team?.summary).toContain(
      "- withdraw @Stranger's invitation: invited, but not in the charter: the invitation is withdrawn",
    );
    const before = w.fake.writes().length;
    await w.sweep();
    expect(teamWrites(w, before)).toEqual([]);
  });

  it("leaves an invitation for a charter member alone (positive control)", async () => {
    world = await createWorld({
      charterText: EXAMPLE_CHARTER_TEXT.replace(
        "\npolicy:",
        "  - login: invitee\n    affiliation: Example\n    joined: 2026-11-20\n\npolicy:",
      ),
    });
    const w = world;
    invite(w, "invitee");
    await w.sweep();
    expect(teamWrites(w)).toEqual([]);
    expect(w.fake.teamInvitations("django", TEAM)).toMatchObject([{ login: "invitee" }]);
  });

  it("counts withdrawals against max_removals: over the limit, nothing is applied and the check says why", async () => {
    world = await createWorld({
      charterText: EXAMPLE_CHARTER_TEXT.replace("max_removals: 3", "max_removals: 1"),
    });
    const w = world;
    w.fake.addTeamMember("django", TEAM, "formermember");
    invite(w, "stranger");
    const summary = await w.sweep();
    expect(teamWrites(w)).toEqual([]);
    expect(summary.team?.status).toBe("refused");
    expect(summary.team?.plan.reason).toBe(
      "The plan removes 2 people (@formermember, @stranger, 1 of them pending invitations) but `policy.sync.max_removals` allows 1 per sync: remove them in smaller steps or raise the limit in the charter.",
    );

    // A charter push reports the refusal as a failing check on the pushed commit.
    const text = EXAMPLE_CHARTER_TEXT.replace("max_removals: 3", "max_removals: 1").replace(
      "escalate_after_days: 30",
      "escalate_after_days: 31",
    );
    const opened = w.person("shaib").openPullWithFile(CHARTER_REPO, {
      branch: "escalate",
      path: DEFAULT_CHARTER_PATH,
      text,
      title: "Escalate a day later",
    });
    const number = (opened[0]?.payload as { number: number }).number;
    await w.deliver(w.person("sarahboyce").merge(CHARTER_REPO, number));
    expect(teamWrites(w)).toEqual([]);
    const run = w.fake.checkRuns(CHARTER_REPO).at(-1);
    expect(run).toMatchObject({
      conclusion: "failure",
      output: { title: "Team sync refused: nothing applied" },
    });
    expect(run?.output.summary).toContain("- withdraw @stranger's invitation");
  });
});
