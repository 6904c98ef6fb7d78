import { afterEach, describe, expect, it } from "vitest";
import { createWorld, PROJECT, TRACKER, type World } from "../reliability/world.js";

/**
 * A draft advisory created by hand (never in triage) gets its tracking issue and its milestones in
 * the same sweep; the next sweep changes nothing.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe("a draft advisory created by hand", () => {
  it("gets its tracking issue and the 'counts as acknowledged' note in one sweep; a second sweep writes nothing", async () => {
    world = await createWorld();
    const w = world;
    const draft = w.fake.addAdvisory(PROJECT, { summary: "Drafted by a maintainer", state: "draft" });

    await w.sweep();
    const [issue] = w.fake.issues(TRACKER);
    expect(issue?.body).toContain(`<!-- security-team:ghsa:${draft.ghsa_id} -->`);
    expect(issue?.comments.map((c) => c.body)).toEqual([
      "The advisory left triage (it is `draft` now): this report counts as acknowledged.\n\n<!-- security-team:ack -->",
    ]);

    const before = w.fake.writes().length;
    await w.sweep();
    expect(w.fake.writes().slice(before)).toEqual([]);
    expect(w.fake.invalidRequests).toEqual([]);
  });
});

describe("the tracking issue shows the advisory as it is now", () => {
  it("the sweep rewrites the body when the advisory changed, and only then", async () => {
    world = await createWorld();
    const w = world;
    const advisory = w.fake.addAdvisory(PROJECT, { summary: "A report", author: "reporter1" });
    await w.sweep();
    const [issue] = w.fake.issues(TRACKER);
    expect(issue?.body).toContain("| Severity | not set |\n| CVSS");

    advisory.severity = "critical"; // scored by hand in GitHub's UI
    let before = w.fake.writes().length;
    await w.sweep();
    expect(
      w.fake
        .writes()
        .slice(before)
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual([`PATCH /repos/${TRACKER}/issues/${issue?.number}`]);
    expect(w.fake.issue(TRACKER, issue?.number ?? 0).body).toContain("| Severity | critical |\n| CVSS");

    before = w.fake.writes().length;
    await w.sweep();
    expect(w.fake.writes().slice(before)).toEqual([]);
  });
});
