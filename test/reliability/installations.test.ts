import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import { sweepInstallation, sweepSteps } from "../../src/sweep/sweep.js";
import type { LoggedRequest, WebhookEvent } from "../fake-github/index.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { createWorld, type World } from "./world.js";

/**
 * One process serves every installation. Nothing kept in the process (locks, the app's identity,
 * caches) may let one org's work wait on another's or carry one org's data (charter, team, tracker)
 * into another's event. Two orgs, each with its own installation, charter, team and tracker, get the
 * same work at the same moment from one app; each must see exactly the writes it sees alone, each
 * made with its own installation's token.
 */

const PALLETS_INSTALLATION = 4242;

let worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds) {
    expect(w.fake.invalidRequests).toEqual([]);
    await w.stop();
  }
  worlds = [];
});

/**
 * `org`'s copy of the example beside django's: its own installation, team, tracker, project and
 * charter, which only reports hand-made team changes where django's reverts them.
 */
function addOrg(w: World, org: string, installationId: number): void {
  const members = w.charter.members;
  w.fake.addOrg(org, { installationId, members: members.map((m) => m.login) });
  w.fake.addTeam(org, `${org}-security-team`);
  for (const m of members) {
    const chair = m.roles.includes("chair") || m.roles.includes("co-chair");
    w.fake.addTeamMember(org, `${org}-security-team`, m.login, chair ? "maintainer" : "member");
  }
  const text = EXAMPLE_CHARTER_TEXT.replaceAll("django", org).replace("drift: revert", "drift: report");
  w.fake.addRepo(`${org}/.github`);
  w.fake.setFile(`${org}/.github`, DEFAULT_CHARTER_PATH, text);
  w.fake.addRepo(`${org}/security-reports`, { private: true });
  w.fake.addRepo(`${org}/${org}`);
}

/** The same work in `org`: a report, a hand-made change to the team, a comment on the report. */
function work(w: World, org: string): WebhookEvent[] {
  const reported = w
    .person("jane-reporter")
    .reportVulnerability(`${org}/${org}`, { summary: `${org}: SQL injection`, severity: "high" });
  const drift = w.person("sarahboyce").addToTeam(org, `${org}-security-team`, "mallory");
  return [...reported, ...drift];
}

/** What one org saw: its writes, without what differs between runs by construction (ids, shas, deliveries). */
function writesTo(w: World, org: string) {
  const installationId = w.fake.org(org).installationId;
  const ours = (r: LoggedRequest) =>
    r.path.startsWith(`/repos/${org}/`) || r.path.startsWith(`/orgs/${org}/`);
  const mine = w.fake.writes().filter(ours);
  const strangers = w.fake.writes().filter((r) => !ours(r) && w.fake.installationOf(r) === installationId);
  const normalize = (text: string) =>
    text
      .replace(/GHSA(-[0-9a-z]{4}){3}/g, "GHSA-x")
      .replace(/\b[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/g, "DELIVERY")
      .replace(/\b[0-9a-f]{40}\b/g, "SHA")
      .replace(/\d{4,}/g, "N");
  return {
    writes: mine.map((r) => normalize(`${r.method} ${r.path} ${JSON.stringify(r.body ?? null)}`)).sort(),
    tokens: [...new Set(mine.map((r) => w.fake.installationOf(r) === installationId))],
    writesElsewhere: strangers.map((r) => `${r.method} ${r.path}`),
  };
}

async function alone(org: string) {
  const w = await createWorld();
  worlds.push(w);
  if (org !== "django") addOrg(w, org, PALLETS_INSTALLATION);
  await w.send(work(w, org));
  await sweepInstallation(await w.runtime(org));
  return writesTo(w, org);
}

describe("two installations served by one process at the same moment", () => {
  it("each org gets exactly the writes it gets alone, made with its own installation", async () => {
    const djangoAlone = await alone("django");
    const palletsAlone = await alone("pallets");
    // The control: the scenario writes in each org, and each org's charter shows in its writes.
    expect(djangoAlone.writes.length).toBeGreaterThan(3);
    const reverted = (writes: string[]) => writes.filter((line) => line.includes("**Reverted:**"));
    expect(reverted(djangoAlone.writes)).toHaveLength(1);
    expect(reverted(palletsAlone.writes)).toEqual([]);

    const w = await createWorld();
    worlds.push(w);
    addOrg(w, "pallets", PALLETS_INSTALLATION);
    const django = work(w, "django");
    const pallets = work(w, "pallets");
    // Interleaved: django's and pallets's events alternate and are all in flight at once.
    await w.send(django.flatMap((event, i) => [event, ...(pallets[i] ? [pallets[i]] : [])]));
    await Promise.all([
      sweepInstallation(await w.runtime("django")),
      sweepInstallation(await w.runtime("pallets")),
    ]);

    const djangoTogether = writesTo(w, "django");
    const palletsTogether = writesTo(w, "pallets");
    expect(djangoTogether).toEqual(djangoAlone);
    expect(palletsTogether).toEqual(palletsAlone);
    expect(djangoTogether.tokens).toEqual([true]); // each write made with the org's own installation
    expect(palletsTogether.tokens).toEqual([true]);
    expect(djangoTogether.writesElsewhere).toEqual([]);
    expect(palletsTogether.writesElsewhere).toEqual([]);
    // Each tracker holds its own org's report only.
    const tracked = (org: string) => w.fake.issues(`${org}/security-reports`).map((i) => i.title);
    expect(tracked("django").join()).toContain("django: SQL injection");
    expect(tracked("django").join()).not.toContain("pallets");
    expect(tracked("pallets").join()).toContain("pallets: SQL injection");
    expect(tracked("pallets").join()).not.toContain("django");
  });

  it("one org's work held on its locks does not hold up another org's", async () => {
    const w = await createWorld();
    worlds.push(w);
    addOrg(w, "pallets", PALLETS_INSTALLATION);
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let reconciling = () => {};
    const held = new Promise<void>((resolve) => {
      reconciling = resolve;
    });
    // pallets's sweep stops inside its team reconcile, holding pallets's sweep and team locks.
    const palletsSweep = sweepInstallation(await w.runtime("pallets"), {
      ...sweepSteps,
      reconcileTeam: async (rt) => {
        reconciling();
        await gate;
        return sweepSteps.reconcileTeam(rt);
      },
    });
    await held;
    const palletsBefore = writesTo(w, "pallets").writes; // its advisory poll's

    // django's events and sweep take django's keys of the same kinds; they finish while pallets waits.
    await w.send(work(w, "django"));
    const djangoSweep = await sweepInstallation(await w.runtime("django"));
    expect(djangoSweep.failures).toEqual([]);
    expect(writesTo(w, "django").writes.length).toBeGreaterThan(3);
    expect(writesTo(w, "pallets").writes).toEqual(palletsBefore);

    // The control: pallets's own webhook on its team waits for its sweep to finish, then runs.
    let palletsEventDone = false;
    const palletsEvent = w.send(work(w, "pallets")).then(() => {
      palletsEventDone = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // time for it to finish, were it not held
    expect(palletsEventDone).toBe(false);
    open();
    expect((await palletsSweep).failures).toEqual([]);
    await palletsEvent;
    expect(writesTo(w, "pallets").writes.length).toBeGreaterThan(3);
  });
});

describe("two worlds (each a process of the app) run at once in one test process", () => {
  it("each handles its own report with its own tokens and locks", async () => {
    const both = await Promise.all([createWorld(), createWorld()]);
    worlds.push(...both);
    // Sent at once: each world's first token request and its keys (same org, same numbers) overlap.
    const deliveries = await Promise.all(
      both.map((w) =>
        w.send(w.person("jane-reporter").reportVulnerability("django/django", { summary: "at once" })),
      ),
    );
    expect(deliveries.flat().map((d) => d.status)).toEqual([200, 200]);
    for (const w of both) {
      expect(w.fake.requests.filter((r) => r.status === 401)).toEqual([]);
      expect(w.fake.issues("django/security-reports").map((i) => i.title)).toEqual([
        expect.stringMatching(/: at once$/),
      ]);
    }
  });
});
