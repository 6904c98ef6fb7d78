import { afterEach, describe, expect, it } from "vitest";
import { markersIn } from "../../src/core/markers.js";
import type { WebhookEvent } from "../fake-github/index.js";
import { type Attempt, type FaultLayer, faultLayer } from "./faults.js";
import { CHARTER_REPO, createWorld, PROJECT, TEAM, TRACKER, type World } from "./world.js";

/**
 * GitHub faults. The same world is run twice: once fault-free, once with a seeded share of requests
 * failing (5xx, 429, secondary rate limits, timeouts) during each sweep, followed by one sweep with
 * GitHub healthy again. At every point in time the two end states must be equal: what failed was
 * either retried (when safe) or left for the next sweep to finish, and nothing was done twice.
 */

const TIMES = [
  "2026-11-22T12:00:00Z",
  "2026-11-25T12:00:00Z",
  "2026-11-30T12:00:00Z",
  "2026-12-23T12:00:00Z",
];

let worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds) {
    expect(w.fake.invalidRequests).toEqual([]);
    await w.stop();
  }
  worlds = [];
});

/** Work for the sweeps: advisories nobody told the app about, a team out of line with the charter. */
async function seed(options: { fetch?: typeof fetch } = {}): Promise<World> {
  const w = await createWorld({ retry: true, ...options });
  worlds.push(w);
  w.fake.team("django", TEAM).members.delete("charettes");
  w.fake.addTeamMember("django", TEAM, "mallory");
  w.fake.team("django", TEAM).members.set("shaib", { login: "shaib", role: "maintainer" });
  for (const [i, state] of (["triage", "triage", "draft", "triage"] as const).entries()) {
    w.fake.addAdvisory(PROJECT, {
      ghsa_id: `GHSA-fau${i}-0000-0000`,
      summary: `report ${i}`,
      author: "jane-reporter",
      state,
      created_at: `2026-11-2${i}T08:00:00Z`,
    });
  }
  return w;
}

/** What the team sees, without what differs between two runs by construction (ids, numbers, times). */
function endState(w: World) {
  const appMarkers = (comments: { body: string; viaApp: boolean }[]) =>
    comments
      .filter((c) => c.viaApp)
      .flatMap((c) => markersIn(c.body))
      .map((m) => m.replace(/\d{4,}/g, "N"))
      .sort();
  return {
    team: w.fake.teamMembers("django", TEAM),
    invitations: w.fake.teamInvitations("django", TEAM).map((i) => i.login),
    advisories: [...w.fake.repo(PROJECT).advisories.values()].map((a, n) => ({
      ghsa: a.ghsa_id.startsWith("GHSA-fau") ? a.ghsa_id : `reported #${n}`, // random ids differ per run
      teams: [...a.collaborating_teams].sort(),
      users: [...a.collaborating_users].sort(),
      tracking: w.fake
        .issues(TRACKER)
        .filter((i) => i.body.includes(a.ghsa_id))
        .map((i) => ({
          state: i.state,
          labels: [...i.labels].sort(),
          assignees: i.assignees.length,
          markers: appMarkers(i.comments),
        })),
    })),
    charterRepo: w.fake.issues(CHARTER_REPO).map((i) => ({
      title: i.title,
      state: i.state,
      markers: appMarkers(i.comments),
    })),
  };
}

const CREATE = /\/(issues|comments|check-runs|pulls)$/;
const isCreate = (a: Attempt) => a.method === "POST" && CREATE.test(a.path.split("?")[0] ?? "");
const same = (a: Attempt, b: Attempt) => a.method === b.method && a.path === b.path && a.body === b.body;

describe("GitHub faults during sweeps", () => {
  it.each([
    1, 2, 3,
  ])("seed %i: retries what is safe, never repeats an unsure create, and converges", async (s) => {
    const healthy = await seed();
    const layer: FaultLayer = faultLayer({ seed: s, rate: 0.25 });
    const faulty = await seed({ fetch: layer.fetch });

    for (const time of TIMES) {
      // Two sweeps on both sides: a tracking issue created by one sweep gets its draft's `ack` on the next.
      healthy.at(time);
      await healthy.sweep();
      await healthy.sweep();

      faulty.at(time);
      layer.on = true;
      const from = layer.attempts.length;
      await faulty.sweep();
      layer.on = false;
      const attempts = layer.attempts.slice(from);
      await faulty.sweep();

      expect(endState(faulty), `end state at ${time}`).toEqual(endState(healthy));

      attempts.forEach((a, i) => {
        if (!a.fault) return;
        const retried = attempts.slice(i + 1).some((b) => same(a, b));
        const rateLimited = a.fault === "429" || a.fault === "secondary";
        // A create whose answer was lost is never sent again; everything else that failed is.
        if (isCreate(a) && !rateLimited) expect(retried, `${a.method} ${a.path} (${a.fault})`).toBe(false);
        else expect(retried, `${a.method} ${a.path} (${a.fault}) was not retried`).toBe(true);
      });
    }
    const faults = layer.attempts.filter((a) => a.fault);
    expect(new Set(faults.map((a) => a.fault))).toEqual(
      new Set(["500", "502", "429", "secondary", "timeout"]),
    );
    // No report got two tracking issues, no stage spoke twice.
    for (const a of endState(faulty).advisories) {
      expect(a.tracking.length, a.ghsa).toBeLessThanOrEqual(1);
      for (const t of a.tracking) expect(new Set(t.markers).size, a.ghsa).toBe(t.markers.length);
    }
  });
});

describe("GitHub faults during webhooks", () => {
  /** A report arrives and is claimed, acknowledged and handed off; failed deliveries are redelivered. */
  async function story(w: World, layer?: FaultLayer): Promise<void> {
    const send = async (events: WebhookEvent[]) => {
      if (layer) layer.on = true;
      const deliveries = await w.send(events);
      if (layer) layer.on = false;
      const failed = deliveries.filter((d) => d.status !== 200);
      // GitHub marks a delivery answered with an error as failed; an operator redelivers it.
      if (failed.length > 0) await w.redeliver(events, deliveries);
    };
    const [reported] = w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "under faults" });
    if (!reported) throw new Error("no event");
    await send([reported]);
    await w.sweep();
    const ghsa = (reported.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
    const issue = w.fake.issues(TRACKER).find((i) => i.body.includes(ghsa));
    if (!issue) throw new Error("no tracking issue");
    await send(w.person("felixxm").addLabel(TRACKER, issue.number, "claim"));
    await send(w.person("shaib").comment(TRACKER, issue.number, "/ack"));
    await send(w.person("felixxm").comment(TRACKER, issue.number, "/handoff @shaib"));
    await w.sweep();
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("seed %i: redelivery and the next sweep converge", async (s) => {
    const healthy = await seed();
    await story(healthy);
    const layer = faultLayer({ seed: s, rate: 0.25 });
    const faulty = await seed({ fetch: layer.fetch });
    await story(faulty, layer);
    expect(layer.attempts.filter((a) => a.fault)).not.toEqual([]);
    expect(endState(faulty)).toEqual(endState(healthy));
  });
});
