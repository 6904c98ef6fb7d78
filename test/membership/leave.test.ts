import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import type { Delivery } from "../fake-github/index.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { CHARTER_REPO, createWorld, TEAM, type World } from "../reliability/world.js";

/** A member who removes themselves from the team is not added back: a self-removal PR is opened. */

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
  world = undefined;
});

const MEMBERSHIPS = `/orgs/django/teams/${TEAM}/memberships`;
const pulls = (w: World) => [...w.fake.repo(CHARTER_REPO).issues.values()].filter((i) => i.pull);
const inTeam = (w: World) => w.fake.teamMembers("django", TEAM).map((m) => m.login.toLowerCase());
const teamWrites = (w: World, from = 0) =>
  w.fake
    .writes()
    .slice(from)
    .filter((r) => r.path.startsWith(MEMBERSHIPS))
    .map((r) => `${r.method} ${r.path}`);
const WITHOUT_SHAIB = EXAMPLE_CHARTER_TEXT.replace(/ {2}- login: shaib\n( {4}.*\n)+?(?= {2}- login)/, "");

async function leave(w: World): Promise<Delivery[]> {
  return w.deliver(w.person("shaib").removeFromTeam("django", TEAM, "shaib"));
}

describe("voluntary leave", () => {
  it("opens one self-removal PR, comments mentioning them and the chairs, and leaves the team as it is", async () => {
    world = await createWorld();
    const w = world;
    const events = w.person("shaib").removeFromTeam("django", TEAM, "shaib");
    const deliveries = await w.deliver(events);

    expect(teamWrites(w)).toEqual([]);
    expect(inTeam(w)).not.toContain("shaib");
    expect(w.fake.issues(CHARTER_REPO)).toEqual([]); // no drift issue
    const [pull] = pulls(w);
    expect(pulls(w)).toHaveLength(1);
    expect(pull?.title).toBe("@shaib left the security team");
    expect(pull?.pull?.head).toBe("security-team/leave-shaib-2026-11-22");
    expect(pull?.pull?.files[DEFAULT_CHARTER_PATH]).toBe(WITHOUT_SHAIB);
    expect(pull?.body).toContain("It is a **self-removal**");
    expect(pull?.comments).toHaveLength(1);
    expect(pull?.comments[0]?.body).toMatch(/^@shaib: you left the team `django\/django-security-team`/);
    expect(pull?.comments[0]?.body).toContain("cc @sarahboyce @jacobtylerwalls");

    // The same delivery again, and the sweep: nothing more, and shaib is not added back.
    const before = w.fake.writes().length;
    await w.redeliver(events, deliveries);
    const summary = await w.sweep();
    expect(teamWrites(w, before)).toEqual([]);
    expect(pulls(w)).toHaveLength(1);
    expect(summary.team?.summary).toContain(
      `@shaib left the team themselves: #${pull?.number} removes them from the charter, and they are not added back while it is open.`,
    );

    // Their approval passes the check as a self-removal; merged, the team already agrees.
    const number = pull?.number ?? 0;
    await w.deliver(w.person("shaib").review(CHARTER_REPO, number, "APPROVED"));
    const run = w.fake.checkRuns(CHARTER_REPO, pull?.pull?.headSha).at(-1);
    expect(run?.conclusion).toBe("success");
    expect(run?.output.summary).toContain("| @shaib | removed | ✅ pass | approved their own removal |");
    const merged = w.fake.writes().length;
    await w.deliver(w.person("sarahboyce").merge(CHARTER_REPO, number));
    expect(teamWrites(w, merged)).toEqual([]);
    expect(inTeam(w)).not.toContain("shaib");
  });

  it("still reverts a removal by someone else (positive control)", async () => {
    world = await createWorld();
    const w = world;
    await w.deliver(w.person("sarahboyce").removeFromTeam("django", TEAM, "shaib"));
    expect(teamWrites(w)).toEqual([`PUT ${MEMBERSHIPS}/shaib`]);
    expect(pulls(w)).toEqual([]);
    expect(w.fake.issues(CHARTER_REPO)).toHaveLength(1);
  });

  it("a member re-added by hand before the PR merges: nothing reverted, and the merge removes them", async () => {
    world = await createWorld();
    const w = world;
    await leave(w);
    const [pull] = pulls(w);
    const before = w.fake.writes().length;
    await w.deliver(w.person("sarahboyce").addToTeam("django", TEAM, "shaib"));
    expect(teamWrites(w, before)).toEqual([]);
    expect(w.fake.issues(CHARTER_REPO)).toEqual([]);
    expect(inTeam(w)).toContain("shaib");

    await w.deliver(w.person("shaib").review(CHARTER_REPO, pull?.number ?? 0, "APPROVED"));
    await w.deliver(w.person("sarahboyce").merge(CHARTER_REPO, pull?.number ?? 0));
    expect(teamWrites(w, before)).toEqual([`DELETE ${MEMBERSHIPS}/shaib`]);
    expect(inTeam(w)).not.toContain("shaib");
  });

  it("the PR closed without merging: the member is added back at once (drift applies again)", async () => {
    world = await createWorld();
    const w = world;
    await leave(w);
    const [pull] = pulls(w);
    await w.deliver(w.person("sarahboyce").closePull(CHARTER_REPO, pull?.number ?? 0));
    expect(teamWrites(w)).toEqual([`PUT ${MEMBERSHIPS}/shaib`]);
    expect(inTeam(w)).toContain("shaib");

    // Leaving again later opens a new pull request.
    w.at("2026-11-25T12:00:00Z");
    await leave(w);
    expect(pulls(w).map((p) => [p.pull?.head, p.state])).toEqual([
      ["security-team/leave-shaib-2026-11-22", "closed"],
      ["security-team/leave-shaib-2026-11-25", "open"],
    ]);
  });

  it("a leave branch someone else opened does not keep a member out of the team (only the app's PR counts)", async () => {
    world = await createWorld();
    const w = world;
    await w.deliver(
      w.person("felixxm").openPullWithFile(CHARTER_REPO, {
        branch: "security-team/leave-shaib-2026-11-22",
        path: DEFAULT_CHARTER_PATH,
        text: WITHOUT_SHAIB,
        title: "@shaib left the security team",
      }),
    );
    w.fake.team("django", TEAM).members.delete("shaib");
    await w.sweep();
    expect(teamWrites(w)).toEqual([`PUT ${MEMBERSHIPS}/shaib`]);
  });

  it("a leave branch someone else pushed first: nothing is committed onto it, and the leave is drift", async () => {
    world = await createWorld();
    const w = world;
    const branch = "security-team/leave-shaib-2026-11-22";
    const chair = EXAMPLE_CHARTER_TEXT.replace(
      "roles: [triager]\n    joined: 2020-03-02",
      "roles: [co-chair]\n    joined: 2020-03-02",
    );
    await w.deliver(
      w.person("felixxm").pushFile(CHARTER_REPO, { branch, path: DEFAULT_CHARTER_PATH, text: chair }),
    );
    const pushed = w.fake.repo(CHARTER_REPO).branches.get(branch);
    const deliveries = await w.send(w.person("shaib").removeFromTeam("django", TEAM, "shaib"));
    expect(w.fake.repo(CHARTER_REPO).branches.get(branch)).toBe(pushed);
    expect(pulls(w)).toEqual([]);
    // Without a pull request the leave is drift (shaib is added back); the refused write fails the
    // delivery, as any failed write does.
    expect(teamWrites(w)).toEqual([`PUT ${MEMBERSHIPS}/shaib`]);
    expect(deliveries.map((d) => [d.event, d.status, d.response.trim()])).toEqual([
      [
        "membership.removed",
        500,
        '{"error":"Error: 1 GitHub write(s) failed; redeliver this event to finish"}',
      ],
    ]);
  });

  it("the only chair leaving: no PR can remove them (no chair left), so it is drift and reverted", async () => {
    world = await createWorld({
      charterText: EXAMPLE_CHARTER_TEXT.replace(
        "roles: [fellow, co-chair, triager]",
        "roles: [fellow, triager]",
      ),
    });
    const w = world;
    await w.deliver(w.person("sarahboyce").removeFromTeam("django", TEAM, "sarahboyce"));
    expect(pulls(w)).toEqual([]);
    expect(teamWrites(w)).toEqual([`PUT ${MEMBERSHIPS}/sarahboyce`]);
    expect(w.fake.issues(CHARTER_REPO)).toHaveLength(1);
  });

  it("under drift: report, a leave opens the same PR and a sweep still does not add them back", async () => {
    world = await createWorld({
      charterText: EXAMPLE_CHARTER_TEXT.replace("drift: revert", "drift: report"),
    });
    const w = world;
    await leave(w);
    await w.sweep();
    expect(teamWrites(w)).toEqual([]);
    expect(pulls(w)).toHaveLength(1);
  });
});
