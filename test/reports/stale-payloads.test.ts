import { afterEach, describe, expect, it } from "vitest";
import { createWorld, PROJECT, TRACKER, type World } from "../reliability/world.js";

/**
 * A webhook's copy of the issue is the issue when the comment was made. A `/release` that GitHub
 * delivers late (after a chair's `/handoff` to someone else was handled) must be judged on the issue as
 * it is now: the old owner no longer owns it, so nothing changes and the reply says who does.
 */

let world: World | undefined;
afterEach(async () => {
  expect(world?.fake.invalidRequests).toEqual([]);
  await world?.stop();
  world = undefined;
});

async function claimedReport(w: World, owner: string): Promise<number> {
  await w.deliver(w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "Heron CSRF" }));
  const [issue] = w.fake.issues(TRACKER);
  if (!issue) throw new Error("no tracking issue");
  await w.deliver(w.person(owner).comment(TRACKER, issue.number, "/claim"));
  expect(w.fake.issue(TRACKER, issue.number).assignees).toEqual([owner]);
  return issue.number;
}

function lastReply(w: World, number: number): string {
  const mine = w.fake.issue(TRACKER, number).comments.filter((c) => c.user.login === w.fake.botLogin);
  return mine.at(-1)?.body ?? "";
}

describe("/release delivered after a chair's /handoff", () => {
  it("does not remove the new owner, and says who owns the report", async () => {
    world = await createWorld();
    const number = await claimedReport(world, "felixxm");
    // felixxm comments `/release`; the event is still on its way when the chair hands the report off.
    const release = world.person("felixxm").comment(TRACKER, number, "/release");
    await world.deliver(world.person("sarahboyce").comment(TRACKER, number, "/handoff @shaib"));
    expect(world.fake.issue(TRACKER, number).assignees).toEqual(["shaib"]);
    await world.deliver(release);

    expect(world.fake.issue(TRACKER, number).assignees).toEqual(["shaib"]);
    expect(lastReply(world, number)).toContain(
      "@felixxm: refused. Only the owner (@shaib) or a chair can release this report.",
    );
  });

  it("control: delivered in order, the owner's /release releases", async () => {
    world = await createWorld();
    const number = await claimedReport(world, "felixxm");
    await world.deliver(world.person("felixxm").comment(TRACKER, number, "/release"));
    expect(world.fake.issue(TRACKER, number).assignees).toEqual([]);
    expect(lastReply(world, number)).toContain("@felixxm no longer owns this report (released by @felixxm).");
  });
});
