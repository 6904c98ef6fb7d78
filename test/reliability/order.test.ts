import { afterEach, describe, expect, it } from "vitest";
import type { WebhookEvent } from "../fake-github/index.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { dismissReview, publish } from "./events.js";
import { CHARTER_REPO, createWorld, PROJECT, TEAM, TRACKER, type World, writes } from "./world.js";

/**
 * Out of order: GitHub does not promise delivery order, and a retried delivery can arrive after
 * later ones. Where order matters, the end state must be the one the events in order give.
 */

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world?.stop();
  world = undefined;
});

const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0] as T;
};

async function trackedReport(w: World): Promise<{ number: number; ghsa: string }> {
  const events = w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "a report" });
  await w.deliver(events);
  const ghsa = (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
  return { number: only(w.fake.issues(TRACKER)).number, ghsa };
}

describe("events out of order", () => {
  it("a claim label that arrives again after /release does not claim the report back", async () => {
    world = await createWorld();
    const w = world;
    const { number } = await trackedReport(w);
    const label = w.person("felixxm").addLabel(TRACKER, number, "claim");
    const [claimed] = await w.deliver(label);
    expect(w.fake.issue(TRACKER, number).assignees).toEqual(["felixxm"]);
    await w.deliver(w.person("felixxm").comment(TRACKER, number, "/release"));
    expect(w.fake.issue(TRACKER, number).assignees).toEqual([]);
    const before = writes(w).length;

    await w.redeliver(label, claimed ? [claimed] : []);
    expect(w.fake.issue(TRACKER, number).assignees).toEqual([]);
    expect(writes(w).slice(before)).toEqual([]);
  });

  it("a review's `dismissed` before its `submitted` leaves the objection dismissed", async () => {
    const withNominee = EXAMPLE_CHARTER_TEXT.replace(
      "\npolicy:",
      "  - login: carltongibson\n    affiliation: Noumenal\n    joined: 2026-12-08\n\npolicy:",
    );
    const run = async (reversed: boolean) => {
      world = await createWorld();
      const w = world;
      const nomination = w.fake.addIssue(CHARTER_REPO, {
        title: "Nomination: @carltongibson",
        author: "sarahboyce",
        created_at: "2026-11-01T00:00:00Z",
      });
      const [opened] = w.person("sarahboyce").openPullWithFile(CHARTER_REPO, {
        branch: "nominate",
        path: ".github/security-charter.yml",
        text: withNominee,
        title: "Add carltongibson",
        body: `Nomination: #${nomination.number}`,
      });
      await w.deliver([opened as WebhookEvent]);
      const number = opened?.payload.number as number;
      await w.deliver(w.person("shaib").review(CHARTER_REPO, number, "APPROVED"));
      const [objection] = w.person("felixxm").review(CHARTER_REPO, number, "CHANGES_REQUESTED", "No.");
      const id = (objection?.payload.review as { id: number }).id;
      const dismissal = dismissReview(w, CHARTER_REPO, number, id, "sarahboyce");
      const order = reversed ? [dismissal, objection] : [objection, dismissal];
      await w.deliver(order as WebhookEvent[]);
      const checks = w.fake.checkRuns(CHARTER_REPO).filter((r) => r.name === "charter");
      const last = checks.at(-1);
      expect(w.fake.invalidRequests).toEqual([]);
      await w.stop();
      world = undefined;
      return { runs: checks.length, conclusion: last?.conclusion, title: last?.output.title };
    };
    const inOrder = await run(false);
    const reversed = await run(true);
    expect(inOrder).toMatchObject({ runs: 1, conclusion: "success" });
    expect(reversed).toEqual(inOrder);
  });

  it("a hand-made team change that the sync already undid stays undone, and is reported once", async () => {
    world = await createWorld();
    const w = world;
    const added = w.person("sarahboyce").addToTeam("django", TEAM, "mallory");
    await w.sweep(); // the scheduled sync runs before the webhook arrives
    expect(w.fake.teamMembers("django", TEAM).map((m) => m.login)).not.toContain("mallory");
    const before = writes(w).length;

    await w.deliver(added);
    expect(w.fake.teamMembers("django", TEAM).map((m) => m.login)).not.toContain("mallory");
    // The hand-made change is still reported; the revert repeats the sync's removal (a no-op on GitHub).
    expect(writes(w).slice(before)).toEqual([
      "DELETE /orgs/django/teams/django-security-team/memberships/mallory",
      "POST /repos/django/.github/issues",
    ]);
    expect(w.fake.issues(CHARTER_REPO)).toHaveLength(1);
  });

  it("`published` before `reported` leaves no open tracking issue for a published advisory", async () => {
    world = await createWorld();
    const w = world;
    const reported = w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "late" });
    const ghsa = (reported[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
    const published = publish(w, PROJECT, ghsa);

    await w.deliver([published, ...reported]);
    expect(w.fake.issues(TRACKER).filter((i) => i.state === "open")).toEqual([]);
    await w.sweep();
    expect(w.fake.issues(TRACKER).filter((i) => i.state === "open")).toEqual([]);
  });
});
