import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { createRuntime, type Runtime } from "../../src/context.js";
import { identityResolver } from "../../src/core/identity.js";
import { createApp } from "../../src/index.js";
import type { FakeGitHub } from "./fake-github.js";
import { webhookSender } from "./webhooks.js";

export interface AppServerOptions {
  /** The app's environment, read on every event: move `SECURITY_TEAM_NOW` to move the app's clock. */
  env: NodeJS.ProcessEnv;
  secret?: string;
  privateKey?: string;
}

/**
 * The real app in Probot's real HTTP server (the one `probot run` starts), talking to the fake
 * GitHub at `fake.baseUrl`. Webhooks reach it signed, through `deliver`. Probot's throttling (one
 * write per second) and retries are off so a story plays in seconds; everything else is production.
 */
export async function startAppServer(fake: FakeGitHub, options: AppServerOptions) {
  const secret = options.secret ?? "demo-webhook-secret";
  const logs: string[] = [];
  const log = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const port = await freePort();
  const ProbotWithOptions = Probot.defaults({
    appId: fake.appId,
    privateKey: options.privateKey ?? generatedKey(),
    secret,
    baseUrl: fake.baseUrl,
    log,
    Octokit: ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
      ...instanceOptions,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  const server = new Server({ host: "127.0.0.1", port, log, Probot: ProbotWithOptions });
  await server.load(createApp({ env: options.env, sleep: async () => {} }));
  await server.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    server,
    logs,
    ...webhookSender({ url: `${url}/api/github/webhooks`, secret }),
    stop: () => server.stop(),
    /**
     * The runtime the sweep and the CLI get for `org` (its installation, the same env and clock as
     * the webhooks): what a story step passes to a scheduled job such as the sweep.
     */
    async runtime(org: string): Promise<Runtime> {
      const probot = new ProbotWithOptions();
      return createRuntime({
        octokit: await probot.auth(fake.org(org).installationId),
        log,
        org,
        env: options.env,
        self: identityResolver(() => probot.auth()),
        dryRun: false,
        sleep: async () => {},
      });
    },
  };
}

export type AppServer = Awaited<ReturnType<typeof startAppServer>>;

let key: string | undefined;
function generatedKey(): string {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  return key;
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
