import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { CHARTER_REPO, createWorld, TEAM, TRACKER, type World } from "../reliability/world.js";

/**
 * Team invitations the charter does not ask for are withdrawn (withdrawals count as removals); expired
 * or failed invitations for charter members are sent again at most twice, then the chairs are told.
 */

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

const WITH_INVITEE = EXAMPLE_CHARTER_TEXT.replace(
  "\npolicy:",
  "  - login: invitee\n    affiliation: Example\n    joined: 2026-11-20\n\npolicy:",
);

/** The world with `invitee` in the charter but not yet in the org or the team. */
async function withInvitee(): Promise<World> {
  const w = await createWorld({ charterText: WITH_INVITEE });
  w.fake.team("django", TEAM).members.delete("invitee");
  w.fake.org("django").members.delete("invitee");
  return w;
}

const PUT_INVITEE = `PUT /orgs/django/teams/${TEAM}/memberships/invitee`;
const trackerIssues = (w: World) => w.fake.issues(TRACKER).filter((i) => i.title.includes("invitee"));

describe("expired and failed invitations", () => {
  it("re-sends an expired invitation twice, then tells the chairs once on the tracker who and since when", async () => {
    world = await withInvitee();
    const w = world;
    await w.sweep();
    expect(teamWrites(w)).toEqual([PUT_INVITEE]);
    let day = 22;
    const nextWeek = async () => {
      w.fake.expireInvitation("django", "invitee");
      day += 8;
      w.at(`2026-${day > 30 ? `12-${String(day - 30).padStart(2, "0")}` : `11-${day}`}T12:00:00Z`);
      const before = w.fake.writes().length;
      const summary = await w.sweep();
      return { summary, writes: teamWrites(w, before) };
    };
    const first = await nextWeek();
    expect(first.writes).toEqual([PUT_INVITEE]);
    expect(first.summary.team?.summary).toContain(
      "- add @invitee as member: re-send the invitation (invitation expired; re-send 1 of 2)",
    );
    const second = await nextWeek();
    expect(second.writes).toEqual([PUT_INVITEE]);
    expect(second.summary.team?.summary).toContain("re-send 2 of 2");
    expect(trackerIssues(w)).toEqual([]);

    const third = await nextWeek();
    expect(third.writes).toEqual([]);
    expect(third.summary.team?.summary).toContain(
      "- @invitee has not accepted 3 invitations since 2026-11-22: not invited again (the chairs are told on the tracker).",
    );
    const [notice] = trackerIssues(w);
    expect(notice?.title).toBe("@invitee has not accepted the invitation to django");
    expect(notice?.body).toContain("since **2026-11-22**: 3 invitations expired or failed");
    expect(notice?.body).toContain("cc @sarahboyce @jacobtylerwalls");

    // Told once: later sweeps neither invite nor tell again.
    w.at("2026-12-20T12:00:00Z");
    const before = w.fake.writes().length;
    await w.sweep();
    expect(teamWrites(w, before)).toEqual([]);
    expect(trackerIssues(w)).toHaveLength(1);
  });

  it("a re-send GitHub refuses is recorded as a failure, counts no attempt, and is tried again", async () => {
    world = await withInvitee();
    const w = world;
    await w.sweep();
    w.fake.expireInvitation("django", "invitee");
    w.fake.denyPermission("PUT", /\/memberships\/invitee$/, "members=write");
    w.at("2026-11-30T12:00:00Z");
    const refused = await w.sweep();
    expect(refused.team?.failures).toEqual([
      {
        login: "invitee",
        status: 403,
        error: "Resource not accessible by integration - https://docs.github.com/rest",
      },
    ]);
    w.at("2026-12-01T12:00:00Z");
    const before = w.fake.requests.length;
    const again = await w.sweep();
    expect(again.team?.plan.actions).toMatchObject([
      { login: "invitee", why: "re-send the invitation (invitation expired; re-send 1 of 2)" },
    ]);
    expect(
      w.fake.requests
        .slice(before)
        .filter((r) => r.method === "PUT")
        .map((r) => r.status),
    ).toEqual([403]);
    expect(trackerIssues(w)).toEqual([]);
  });
});
