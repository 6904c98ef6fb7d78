import { readFileSync } from "node:fs";
import { loadCharter } from "../src/charter/loader.js";
import type { Charter } from "../src/charter/schema.js";
import { DEFAULT_CHARTER_PATH } from "../src/charter/source.js";
import type { Runtime } from "../src/context.js";
import {
  type AppServer,
  as,
  type Delivery,
  FakeGitHub,
  type WebhookEvent,
} from "../test/fake-github/index.js";

/**
 * The demo's world: an in-memory GitHub seeded from `config/charter.example.yml` (the org, its
 * `.github` repo holding the charter, the team as the charter says, the private tracker and a
 * public project repo), and the real app in Probot's real server, pointed at it. The clock is
 * shared: `at(time)` moves both GitHub's timestamps and the app's `SECURITY_TEAM_NOW`.
 */

export const START = "2026-11-22T09:00:00Z";
export const CHARTER_TEXT = readFileSync(new URL("../config/charter.example.yml", import.meta.url), "utf8");

export interface World {
  fake: FakeGitHub;
  app: AppServer;
  charter: Charter;
  org: string;
  team: string;
  /** `owner/repo` of the private tracker. */
  tracker: string;
  /** `owner/repo` of the charter (`.github`). */
  charterRepo: string;
  /** A public project repository that receives reports. */
  project: string;
  /** What a person does on GitHub: each action returns the webhooks GitHub would send. */
  person(login: string): ReturnType<typeof as>;
  /** Delivers webhooks to the app over HTTP, signed; resolves once the app has handled them. */
  deliver(events: WebhookEvent[]): Promise<Delivery[]>;
  /** The last deliveries, for redelivery steps. */
  lastDeliveries: { event: WebhookEvent; delivery: Delivery }[];
  /** The runtime a scheduled job (the sweep) gets for the org, at the story's clock. */
  runtime(): Promise<Runtime>;
  /** Moves the clock (GitHub's and the app's). */
  at(iso: string): void;
  now(): string;
  stop(): Promise<void>;
}

export async function createWorld(
  startApp: (fake: FakeGitHub, env: NodeJS.ProcessEnv) => Promise<AppServer>,
) {
  let clock = START;
  const fake = new FakeGitHub({ now: () => new Date(clock) });
  await fake.start();
  const loaded = loadCharter(CHARTER_TEXT, { file: "config/charter.example.yml", now: new Date(clock) });
  if (!loaded.ok) throw new Error(`the example charter is invalid: ${JSON.stringify(loaded.errors)}`);
  const charter = loaded.charter;

  fake.addOrg(charter.org, { members: charter.members.map((m) => m.login) });
  fake.addTeam(charter.org, charter.team);
  for (const m of charter.members) {
    const chair = m.roles.includes("chair") || m.roles.includes("co-chair");
    fake.addTeamMember(charter.org, charter.team, m.login, chair ? "maintainer" : "member");
  }
  const charterRepo = `${charter.org}/.github`;
  fake.addRepo(charterRepo);
  fake.setFile(charterRepo, DEFAULT_CHARTER_PATH, CHARTER_TEXT);
  fake.addRepo(charter.tracker, { private: true });
  const project = `${charter.org}/${charter.org}`;
  fake.addRepo(project);

  // The story runs scheduled work itself (`runtime()`), so the in-process schedule stays off.
  const env: NodeJS.ProcessEnv = { SECURITY_TEAM_NOW: clock, SWEEP_CRON: "off" };
  const app = await startApp(fake, env);
  const lastDeliveries: World["lastDeliveries"] = [];

  const world: World = {
    fake,
    app,
    charter,
    org: charter.org,
    team: charter.team,
    tracker: charter.tracker,
    charterRepo,
    project,
    person: (login) => as(fake, login),
    async deliver(events) {
      const deliveries = await app.deliver(events);
      lastDeliveries.splice(
        0,
        lastDeliveries.length,
        ...events.map((event, i) => ({ event, delivery: deliveries[i] as Delivery })),
      );
      return deliveries;
    },
    lastDeliveries,
    runtime: () => app.runtime(charter.org),
    at(iso) {
      clock = new Date(iso).toISOString();
      env.SECURITY_TEAM_NOW = clock;
    },
    now: () => clock,
    async stop() {
      await app.stop();
      await fake.stop();
    },
  };
  return world;
}
