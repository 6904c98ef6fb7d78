import { createServer } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { loadCharter } from "../../src/charter/loader.js";
import type { Charter } from "../../src/charter/schema.js";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import { createRuntime, type Runtime } from "../../src/context.js";
import { identityResolver } from "../../src/core/identity.js";
import { createKeyedMutex } from "../../src/core/serialize.js";
import { createApp } from "../../src/index.js";
import { sweepInstallation } from "../../src/sweep/sweep.js";
import { as, type Delivery, FakeGitHub, type WebhookEvent, webhookSender } from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";

/**
 * The reliability tests' world: the in-memory GitHub seeded from the example charter (org, team as
 * the charter says, the charter in `.github`, the private tracker, a public project repo) and the
 * real app in Probot's real server pointed at it, with the log level, retries and `fetch` (the
 * fault-injecting layer) each test chooses. Every log line is captured.
 */

export const START = "2026-11-22T12:00:00Z";
export const WEBHOOK_SECRET = "reliability-webhook-secret";
export const TRACKER = "django/security-reports";
export const PROJECT = "django/django";
export const CHARTER_REPO = "django/.github";
export const TEAM = "django-security-team";

export interface WorldOptions {
  /** The app's LOG_LEVEL (default info). */
  level?: pino.Level;
  env?: NodeJS.ProcessEnv;
  /** Octokit's retry plugin, as in production (default off, so each request is made once). */
  retry?: boolean;
  /** Replaces the HTTP client under Octokit (the fault layer). */
  fetch?: typeof fetch;
  charterText?: string;
}

export type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * Each world's installation id: 42 for the first, then 1042, 2042... `@octokit/auth-app` shares
 * token requests in flight process-wide, keyed by installation id alone (not app or GitHub host), so
 * two worlds run at once in one process with the same id would get each other's tokens (401 Bad
 * credentials). Production has one app per process and GitHub's installation ids are unique.
 */
let worldsMade = 0;

export async function createWorld(options: WorldOptions = {}) {
  let clock = START;
  const fake = new FakeGitHub({ now: () => new Date(clock) });
  await fake.start();
  const charter = exampleCharterAt(clock);
  fake.addOrg(charter.org, {
    installationId: 42 + 1000 * worldsMade++,
    members: charter.members.map((m) => m.login),
  });
  fake.addTeam(charter.org, charter.team);
  for (const m of charter.members) {
    const chair = m.roles.includes("chair") || m.roles.includes("co-chair");
    fake.addTeamMember(charter.org, charter.team, m.login, chair ? "maintainer" : "member");
  }
  fake.addRepo(CHARTER_REPO);
  fake.setFile(CHARTER_REPO, DEFAULT_CHARTER_PATH, options.charterText ?? EXAMPLE_CHARTER_TEXT);
  fake.addRepo(TRACKER, { private: true });
  fake.addRepo(PROJECT);

  const logs: string[] = [];
  const log = pino(
    { level: options.level ?? "info" },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const env: NodeJS.ProcessEnv = { SECURITY_TEAM_NOW: clock, SWEEP_CRON: "off", ...options.env };
  const ProbotForWorld = Probot.defaults({
    appId: fake.appId,
    privateKey: TEST_PRIVATE_KEY,
    secret: WEBHOOK_SECRET,
    baseUrl: fake.baseUrl,
    log,
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
    Octokit: ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
      ...instanceOptions,
      retry: { enabled: options.retry ?? false, retryAfterBaseValue: 1 },
      throttle: { enabled: false },
    })),
  });
  const port = await freePort();
  const server = new Server({
    host: "127.0.0.1",
    port,
    log,
    Probot: ProbotForWorld,
    // The server hands its own `request` to the Probot it makes, over the defaults above.
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  // The world is one process of the app: its own locks, as `inProcessLocks` is per process. Two
  // worlds in one process (two seeds run at once) would otherwise wait on each other's keys, which
  // name the same org and installation in every world.
  const locks = createKeyedMutex();
  await server.load(createApp({ env, sleep: async () => {}, locks }));
  await server.start();
  const sender = webhookSender({
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    secret: WEBHOOK_SECRET,
  });

  return {
    fake,
    charter,
    logs,
    env,
    person: (login: string) => as(fake, login),
    /** Delivers each event over HTTP, signed; resolves once the app has handled it. */
    send: (events: WebhookEvent[]): Promise<Delivery[]> => Promise.all(events.map((e) => sender.send(e))),
    deliver: sender.deliver,
    /** GitHub's "Redeliver": the same events with the same delivery ids. */
    redeliver: (events: WebhookEvent[], deliveries: Delivery[]): Promise<Delivery[]> =>
      Promise.all(events.map((e, i) => sender.send(e, { id: deliveries[i]?.id ?? "" }))),
    async sweep() {
      return sweepInstallation(await runtime());
    },
    /**
     * A sweep's runtime (the app's installation client, this world's clock and locks), for steps run
     * one by one; of the charter's org unless another org in the fake is named.
     */
    runtime,
    at(iso: string) {
      clock = new Date(iso).toISOString();
      env.SECURITY_TEAM_NOW = clock;
    },
    async stop() {
      await server.stop();
      await fake.stop();
    },
  };

  async function runtime(org = charter.org): Promise<Runtime> {
    const probot = new ProbotForWorld();
    return createRuntime({
      octokit: await probot.auth(fake.org(org).installationId),
      log,
      org,
      env,
      self: identityResolver(() => probot.auth()),
      dryRun: false,
      sleep: async () => {},
      locks,
    });
  }
}

export function exampleCharterAt(iso: string): Charter {
  const loaded = loadCharter(EXAMPLE_CHARTER_TEXT, { file: "charter.yml", now: new Date(iso) });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.charter;
}

/** The app's writes to GitHub, as `METHOD path`. */
export function writes(world: World): string[] {
  return world.fake.writes().map((r) => `${r.method} ${r.path.split("?")[0]}`);
}

/** Probot's Server treats port 0 as "use 3000", so ask the OS for a free port first. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}
